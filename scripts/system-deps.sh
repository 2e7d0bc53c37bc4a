#!/usr/bin/env bash
# Installs the Debian packages the tests use (validators and the integration rootfs builder),
# when any is missing. Needs root (CI runs as root).
set -euo pipefail
packages=(shellcheck debootstrap openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
