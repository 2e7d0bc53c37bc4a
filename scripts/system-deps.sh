#!/usr/bin/env bash
# Installs the Debian packages the test suites use, when any is missing (apt-get, as root). scripts/test
# runs it before any suite.
#   always:                   shellcheck (the workflow tests lint `run:` scripts with it; scripts/ is linted)
#   unless SKIP_INTEGRATION=1: debootstrap (builds the Python rootfs), openssl (test certificates),
#                             postgresql (its server binaries: initdb, pg_ctl, postgres, psql), pgbouncer,
#                             wrk (load figures), iproute2 (ip, ss)
#   unless SKIP_INTEGRATION=1 or SKIP_DOCKER=1: docker.io (dockerd with BuildKit, Debian's docker client)
# Installing never starts a service (a policy-rc.d forbids it for the duration): a docker daemon started
# with its defaults would rewrite this machine's network settings. The suites start their own daemon.
# Without root it names what is missing and how to install it, and fails.
set -euo pipefail

packages=(shellcheck)
if [ "${SKIP_INTEGRATION:-0}" != 1 ]; then
  packages+=(debootstrap openssl pgbouncer wrk iproute2)
  [ "${SKIP_DOCKER:-0}" = 1 ] || packages+=(docker.io)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Any PostgreSQL major version will do: the suites look for initdb on PATH, then in /usr/lib/postgresql/*/bin.
if [ "${SKIP_INTEGRATION:-0}" != 1 ] && ! command -v initdb >/dev/null &&
  ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  missing+=(postgresql)
fi
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "  install them with: sudo apt-get install ${missing[*]}" >&2
  echo "  (SKIP_INTEGRATION=1 needs only shellcheck; SKIP_DOCKER=1 skips docker.io)" >&2
  exit 2
fi

echo "system-deps: installing ${missing[*]}"
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# Written by projen-uv-service scripts/system-deps.sh while it installs packages.\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
