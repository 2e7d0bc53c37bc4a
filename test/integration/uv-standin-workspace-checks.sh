#!/bin/sh
# Run by scripts/suites/docker-integration.sh (workspace part) in a container of the stand-in python image, with the
# workspace at /src (read-only) and the uv stand-in at /usr/local/bin/uv: the stand-in's workspace mode does
# what the member Dockerfiles ask of uv and fails where uv fails, so a wrongly wired Dockerfile (a member's
# pyproject.toml missing from the dependency layer, a library outside the closure) cannot pass the suite.
# Prints "PASS name" / "FAIL name".
set -u
work=/tmp/standin-ws-checks
site=
LABEL="uv stand-in (workspace)"
# shellcheck source=test/integration/uv-standin-lib.sh
. /uv-standin-lib.sh
expect() { # name, test...
  name=$1
  shift
  if "$@"; then echo "PASS uv stand-in (workspace): $name"; else echo "FAIL uv stand-in (workspace): $name"; fi
}
fresh() { # a writable, locked copy of the workspace
  rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
  tar -C /src --exclude=./node_modules --exclude=.venv -cf - . | tar -xf -
  uv lock >/dev/null 2>&1
  site=$work/.venv/lib/python3.$(python3 -c 'import sys; print(sys.version_info[1])')/site-packages
}

fresh
uv sync --locked --no-install-workspace --package orders --no-dev >/dev/null 2>&1
expect "--no-install-workspace --package installs the dependencies and no member" \
  test -x .venv/bin/uvicorn -a ! -e "$site/orders" -a ! -e "$site/common"
uv sync --locked --package orders --no-dev --no-editable >/dev/null 2>&1
expect "--package orders --no-editable installs it and the library it depends on, not billing" \
  test -f "$site/orders/main.py" -a -f "$site/common/__init__.py" -a ! -e "$site/billing"
expect_failure "--package names a member" "not found in workspace" uv sync --locked --package no-such-api --no-dev
expect_failure "a virtual workspace needs --package" "pass --package NAME" uv sync --locked --no-dev
expect_failure "an unknown flag is an error" "does not support --all-packages" uv sync --locked --all-packages
rm services/billing/pyproject.toml
expect_failure "every member's pyproject.toml must be present" "is missing a \`pyproject.toml\`" \
  uv sync --locked --no-install-workspace --package orders --no-dev
fresh
sed -i 's/^dependencies = \[ \]/dependencies = [ "httpx>=0.27" ]/' libs/common/pyproject.toml
expect_failure "a dependency added to a library makes the lock stale" "needs to be updated, but \`--locked\` was provided" \
  uv sync --locked --no-install-workspace --package billing --no-dev
fresh
sed -i '/^\[tool\.uv\.sources\.common\]/,/^workspace = true/d' services/orders/pyproject.toml
uv lock >/dev/null 2>&1
expect_failure "a member dependency without a workspace source fails" "missing an entry in \`tool.uv.sources\`" \
  uv sync --locked --package orders --no-dev
