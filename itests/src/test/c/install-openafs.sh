#!/bin/sh
# Installs Debian's OpenAFS rx library (pthread flavour, headers) and client tools
# (rxdebug, cmdebug, vos, pts, ...), the database servers (vlserver, ptserver) and ip(8) for their test
# network namespaces, used by the interop tests. Idempotent.
set -e

PKGS="libopenafs-dev openafs-client openafs-dbserver iproute2"

installed=1
for p in $PKGS; do
    if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
        installed=0
    fi
done
if [ "$installed" = 1 ]; then
    echo "install-openafs.sh: $PKGS already installed, nothing to do"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "install-openafs.sh: $PKGS not installed and this is not root;" >&2
    echo "  run as root (or: sudo $0)" >&2
    exit 1
fi

apt-get update
# --no-install-recommends keeps out openafs-modules-dkms (a kernel module build).
# openafs-client's postinst reports it cannot load openafs.ko and does not start afsd: harmless.
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $PKGS
echo "install-openafs.sh: installed $PKGS"
