#!/usr/bin/env bash
# scale.sh - does our server's cost stay flat as clients grow? (issue 10, item 3)
#
# Usage:   bench/scale.sh
#
# Against the plain-JVM rxperf server (`rxrpc-runtime.jar serve`, CPU 0) with our Java load client (CPU 1),
# small RPCs (4 B / 4 B): calls/s and server CPU microseconds per call for
#   32 callers on 32 sockets, 1,000 callers on 100 sockets, and 1,000 callers on 100 sockets with a new
#   connection per call (about 1,000 connections live at any moment);
# then the server's heap per idle connection: heap in use after a full GC, before and after 10,000
# connections were made (each by one call, then left idle; the server keeps them until they time out);
# and the heap per live call (`rxrpc-runtime.jar memory`: LIVE calls in flight to a port that never answers).
# Holds /tmp/rxrpc-maven.lock meanwhile (BENCH_LOCK= to not), so no build shares the CPUs.
#
# Environment: SECS [5] seconds per case, CONNS [10000] idle connections for the memory figure, LIVE [2000]
# live calls for the per-call figure.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/runtime/target/rxrpc-runtime.jar
SECS=${SECS:-5}
CONNS=${CONNS:-10000}
LIVE=${LIVE:-2000}
JAVA_OPTS="-Xms1g -Xmx1g -XX:+UseSerialGC"
[ -f "$JAR" ] || { echo "build it first: flock /tmp/rxrpc-maven.lock mvn -B -o -DskipTests package -pl runtime -am" >&2; exit 2; }
BENCH_LOCK=${BENCH_LOCK-/tmp/rxrpc-maven.lock}
if [ -n "$BENCH_LOCK" ]; then exec 9>>"$BENCH_LOCK"; flock 9; fi
WORK=$(mktemp -d)
SPID=""
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# shellcheck disable=SC2086
taskset -c 0 java $JAVA_OPTS -jar "$JAR" serve --port "$PORT" --max-calls 1024 >"$WORK/server.log" 2>&1 &
SPID=$!
sleep 1.5
# shellcheck disable=SC2086
load() { taskset -c 1 java $JAVA_OPTS -Xss256k -jar "$JAR" rxperf --server 127.0.0.1:"$PORT" --quiet "$@" 2>&1 | grep RESULT; }
cpu() { awk '{print $14 + $15}' "/proc/$SPID/stat"; }
hz=$(getconf CLK_TCK)
heap_used() { # KiB in use after a full GC
    jcmd "$SPID" GC.run >/dev/null
    jcmd "$SPID" GC.heap_info | awk '/generation/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K.*/, "", v); n += v}} END {print n}'
}

echo "## scale: small RPC 4 B / 4 B, our Java client (CPU 1) against serve (CPU 0), ${SECS}s per case"
echo
load --concurrency 32 --sockets 32 --duration 3 --warmup 2 >/dev/null # JIT
# Memory first, on tables that hold only the warm-up's 32 connections.
before=$(heap_used)
load --concurrency 100 --sockets 100 --new-connection --calls "$CONNS" --warmup 0 >/dev/null
after=$(heap_used)
awk -v b="$before" -v a="$after" -v n="$CONNS" 'BEGIN {
    printf "heap in use after a full GC: %d KiB before, %d KiB with %d idle connections (100 client sockets): %.0f bytes per idle connection (its peer included when new)\n", b, a, n, (a - b) * 1024 / n }'
# Per live call: our `memory` command holds LIVE calls in flight to a silent port (client calls: the same
# object, rings and state as server calls here).
# shellcheck disable=SC2086
taskset -c 1 java $JAVA_OPTS -jar "$JAR" memory --calls "$LIVE" 2>&1 | grep 'per live call'
echo
echo "| clients | calls/s | p99 us | server CPU us/call |"
echo "|---|---:|---:|---:|"
for c in "32 32" "1000 100" "1000 100 --new-connection"; do
    set -- $c
    extra=${3:-}
    t0=$(cpu)
    # shellcheck disable=SC2086
    r=$(load --concurrency "$1" --sockets "$2" $extra --duration "$SECS" --warmup 1)
    t1=$(cpu)
    calls=$(sed -n 's/.* calls=\([0-9]*\).*/\1/p' <<<"$r")
    rate=$(sed -n 's/.*calls_per_sec=\([0-9.]*\).*/\1/p' <<<"$r")
    p99=$(sed -n 's/.*p99_us=\([0-9]*\).*/\1/p' <<<"$r")
    # the warm-up second's calls used CPU too: count them at the measured rate
    awk -v n="$1" -v s="$2" -v x="$extra" -v r="$rate" -v p="$p99" -v t=$((t1 - t0)) -v hz="$hz" -v secs="$SECS" 'BEGIN {
        printf "| %d callers on %d sockets%s | %.0f | %s | %.1f |\n", n, s, (x != "" ? ", new connection per call" : ""), r, p,
            t * 1e6 / hz / (r * (secs + 1)) }'
done

kill -TERM "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=""
grep STATS "$WORK/server.log" | tail -1 | tr ' ' '\n' | grep -E "connections_created|busy_sent|calls_served=|io_bytes_per_incoming_call" | tr '\n' ' '
echo
