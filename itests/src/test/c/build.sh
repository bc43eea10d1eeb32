#!/bin/sh
# Builds the OpenAFS-library peers into OUTDIR:
#   OUTDIR/rxperf_server, OUTDIR/rxperf_client, OUTDIR/cb_fileserver
# Needs Debian's libopenafs-dev (run install-openafs.sh as root first).
# Links the pthread flavour (libafsrpc); falls back to the static archive.
set -e

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
OUT=$1
SRC=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-gcc}

if [ ! -f /usr/include/rx/rx.h ]; then
    echo "build.sh: /usr/include/rx/rx.h is missing: OpenAFS headers not installed;" >&2
    echo "  run $SRC/install-openafs.sh (as root) first" >&2
    exit 3
fi
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "build.sh: compiler '$CC' not found" >&2
    exit 3
fi

mkdir -p "$OUT"
CFLAGS="-O2 -Wall -DAFS_PTHREAD_ENV -D_GNU_SOURCE"

for prog in rxperf_server rxperf_client cb_fileserver; do
    src="$SRC/$prog.c"
    bin="$OUT/$prog"
    if [ -x "$bin" ] && [ "$bin" -nt "$src" ] && [ "$bin" -nt "$SRC/build.sh" ]; then
        echo "build.sh: $bin is up to date"
        continue
    fi
    if $CC $CFLAGS -o "$bin" "$src" -lafsrpc -lpthread; then
        echo "build.sh: built $bin (shared libafsrpc)"
    else
        echo "build.sh: shared link failed, trying static /usr/lib/libafsrpc.a" >&2
        if $CC $CFLAGS -o "$bin" "$src" /usr/lib/libafsrpc.a -lpthread \
               -l:libhcrypto.so.5 -l:libroken.so.19; then
            echo "build.sh: built $bin (static libafsrpc.a)"
        else
            echo "build.sh: failed to build $prog" >&2
            exit 1
        fi
    fi
done
