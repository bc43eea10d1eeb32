#!/bin/sh
# Builds the OpenAFS-library peers into OUTDIR:
#   OUTDIR/rxperf_server, OUTDIR/rxperf_client, OUTDIR/cb_fileserver,
#   OUTDIR/xtest_server, OUTDIR/xtest_client (stubs made by OpenAFS's rxgen from our everything.xg),
#   OUTDIR/udp_pingpong (plain UDP echo, no rx: the benchmark's round-trip limit)
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

# rxperf_server and rxperf_client carry rxperf_security.c (rxkad from libafsrpc, keys from libafsauthent).
for prog in rxperf_server rxperf_client cb_fileserver; do
    src="$SRC/$prog.c"
    bin="$OUT/$prog"
    extra=""
    deps="$src $SRC/build.sh"
    case $prog in
    rxperf_*)
        extra="$SRC/rxperf_security.c"
        deps="$deps $extra $SRC/rxperf_security.h"
        ;;
    esac
    fresh=1
    for dep in $deps; do
        [ -x "$bin" ] && [ "$bin" -nt "$dep" ] || fresh=0
    done
    if [ "$fresh" = 1 ]; then
        echo "build.sh: $bin is up to date"
        continue
    fi
    if $CC $CFLAGS -o "$bin" "$src" $extra -lafsauthent -lafsrpc -lpthread; then
        echo "build.sh: built $bin (shared libafsrpc)"
    else
        echo "build.sh: shared link failed, trying static /usr/lib/libafsauthent.a and libafsrpc.a" >&2
        if $CC $CFLAGS -o "$bin" "$src" $extra /usr/lib/libafsauthent.a /usr/lib/libafsrpc.a -lpthread \
               -l:libhcrypto.so.5 -l:libroken.so.19; then
            echo "build.sh: built $bin (static libafsrpc.a)"
        else
            echo "build.sh: failed to build $prog" >&2
            exit 1
        fi
    fi
done

# The raw UDP round-trip reference of bench/run-bench.sh: plain sockets, no OpenAFS library.
if [ -x "$OUT/udp_pingpong" ] && [ "$OUT/udp_pingpong" -nt "$SRC/udp_pingpong.c" ] && [ "$OUT/udp_pingpong" -nt "$SRC/build.sh" ]; then
    echo "build.sh: $OUT/udp_pingpong is up to date"
elif $CC $CFLAGS -o "$OUT/udp_pingpong" "$SRC/udp_pingpong.c"; then
    echo "build.sh: built $OUT/udp_pingpong"
else
    echo "build.sh: failed to build udp_pingpong" >&2
    exit 1
fi

# The rxgen cross-check peers: C stubs by OpenAFS's own rxgen (-A: ANSI definitions) from the interface
# file rxgen for Java is tested with. Linked with the static libafsrpc.a: Debian's shared library does not
# export afs_xdr_u_int, afs_xdr_u_short and afs_xdr_bool, which rxgen's XDR routines call.
XG="$SRC/../../../../rxgen/rxgen-compiler/src/test/resources/xg"
GEN="$OUT/xtest-gen"
for prog in xtest_server xtest_client; do
    bin="$OUT/$prog"
    fresh=1
    for dep in "$SRC/$prog.c" "$SRC/xtest_golden.h" "$SRC/build.sh" "$XG/everything.xg" "$XG/test_opcodes.h"; do
        [ -x "$bin" ] && [ "$bin" -nt "$dep" ] || fresh=0
    done
    if [ "$fresh" = 1 ]; then
        echo "build.sh: $bin is up to date"
        continue
    fi
    mkdir -p "$GEN"
    cp "$XG/everything.xg" "$XG/test_opcodes.h" "$GEN/"
    (cd "$GEN" && rm -f everything.h everything.cs.c everything.ss.c everything.xdr.c && rxgen -A everything.xg) || {
        echo "build.sh: OpenAFS's rxgen failed on everything.xg" >&2
        exit 1
    }
    stub=$([ "$prog" = xtest_server ] && echo everything.ss.c || echo everything.cs.c)
    if $CC $CFLAGS -Wno-unused-function -I"$SRC/shim" -I"$GEN" -o "$bin" "$SRC/$prog.c" "$GEN/$stub" \
           "$GEN/everything.xdr.c" /usr/lib/libafsrpc.a -lpthread -l:libhcrypto.so.5 -l:libroken.so.19; then
        echo "build.sh: built $bin (rxgen stubs, static libafsrpc.a)"
    else
        echo "build.sh: failed to build $prog" >&2
        exit 1
    fi
done
