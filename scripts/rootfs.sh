#!/usr/bin/env bash
# Makes sure the Debian trixie rootfs the root suites run the generated code in is there (scripts/lib/servers.sh's
# srv_rootfs: built once with debootstrap, ~1-5 min; reused, or completed with apt-get, later). scripts/test runs
# it in the background from its start, so the download overlaps the build and the first suites; the suites call
# srv_rootfs themselves too, and wait on the same lock. Environment: ROOTFS (default
# $SRV_STATE_DIR/rootfs-trixie, outside the checkout: scripts/lib/servers.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh
srv_init rootfs
t=$(date +%s)
srv_rootfs
echo "rootfs: ready in $(($(date +%s) - t))s ($ROOTFS)"
