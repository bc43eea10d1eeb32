#!/usr/bin/env bash
# profile-server.sh - where our server's CPU goes per small call (issue 10, item 1).
#
# Usage:   bench/profile-server.sh [SERVE_OPTIONS...]      e.g. bench/profile-server.sh --no-event-loop
#
# Starts the plain-JVM rxperf server (`rxrpc-runtime.jar serve`) pinned to CPU 0, loads it with the OpenAFS C
# rxperf client pinned to CPU 1 (small RPC 4 B / 4 B, concurrency C [32]) and prints, per call: server CPU
# microseconds (user and system, all threads), context switches (voluntary and not, all threads) and
# system calls (perf stat), then perf's profile of the server by library and by symbol (Java frames named
# through the JVM's perf map). Holds /tmp/rxrpc-maven.lock meanwhile, so no build shares the CPUs.
#
# Environment: C [32] concurrency, SECONDS_ [5] measured seconds, CBIN [built into a temp dir] the C peers,
# CASE [rpc] rpc = small RPC 4 B / 4 B; recv1m = 1 MiB replies (C client -m recv -r 1M -u 1024); send1m,
# TOP [25] lines of each profile table, BENCH_LOCK [/tmp/rxrpc-maven.lock] held meanwhile (empty: none).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/runtime/target/rxrpc-runtime.jar
C=${C:-32}
SECS=${SECONDS_:-5}
TOP=${TOP:-25}
[ -f "$JAR" ] || { echo "build it first: flock /tmp/rxrpc-maven.lock mvn -B -o -DskipTests package -pl runtime -am" >&2; exit 2; }
command -v perf >/dev/null || { echo "perf is needed (Debian: linux-perf)" >&2; exit 2; }
WORK=$(mktemp -d)
SPID=""
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
if [ -z "${CBIN:-}" ]; then CBIN=$WORK/c; bash "$ROOT/itests/src/test/c/build.sh" "$CBIN" >&2; fi
BENCH_LOCK=${BENCH_LOCK-/tmp/rxrpc-maven.lock}
if [ -n "$BENCH_LOCK" ]; then exec 9>>"$BENCH_LOCK"; flock 9; fi

PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
taskset -c 0 java -Xms512m -Xmx512m -XX:+UseSerialGC -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
    -jar "$JAR" serve --port "$PORT" "$@" >"$WORK/server.log" 2>&1 &
SPID=$!
sleep 1.5
case ${CASE:-rpc} in
rpc) CARGS="-m rpc -s 4 -r 4" ;;
recv1m) CARGS="-m recv -r 1M -u 1024" ;;
send1m) CARGS="-m send -s 1M -u 1024" ;;
*) echo "unknown CASE $CASE" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086
client() { taskset -c 1 "$CBIN/rxperf_client" -h 127.0.0.1 -p "$PORT" $CARGS -c "$C" -d "$1" -q 2>&1 | tail -1; }
client 3 >/dev/null # warm-up: JIT

cpu() { awk '{print $14 + $15}' "/proc/$SPID/stat"; }
switches() { cat /proc/$SPID/task/*/status | awk '/ctxt_switches/ {n += $2} END {print n}'; }
cpu0=$(cpu); sw0=$(switches)
perf stat -x, -e raw_syscalls:sys_enter -p "$SPID" -o "$WORK/stat" -- sleep "$SECS" &
perf trace -s -p "$SPID" -o "$WORK/trace" -- sleep 1 >/dev/null 2>&1 &
STAT=$!
result=$(client "$SECS")
wait $STAT || true
cpu1=$(cpu); sw1=$(switches)
calls=$(sed -n 's/.*calls=\([0-9]*\) .*/\1/p' <<<"$result")
syscalls=$(awk -F, '/raw_syscalls/ {print $1}' "$WORK/stat")
hz=$(getconf CLK_TCK)
echo "## server profile: ${CASE:-rpc} ($CARGS), C client c=$C, ${SECS}s, serve $*"
echo
echo "client: $result"
awk -v c="$calls" -v t=$((cpu1 - cpu0)) -v hz="$hz" -v s=$((sw1 - sw0)) -v y="$syscalls" 'BEGIN {
    printf "per call: server CPU %.1f us, context switches %.2f, system calls %.2f\n", t * 1e6 / hz / c, s / c, y / c }'

perf record -q -F 4000 -g -p "$SPID" -o "$WORK/perf.data" -- sleep "$SECS" 2>/dev/null &
REC=$!
client "$SECS" >/dev/null
wait $REC || true
kill -TERM "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=""
echo
echo "### system calls by thread (perf trace -s, 1 s of the run)"
echo '```'
grep -E '^ [^ ].*\(|^ +(recvmmsg|sendto|sendmmsg|poll|futex|sched_yield|write|read) ' "$WORK/trace" | head -n "$TOP" || true
echo '```'
echo
echo "### by library (self time)"
echo '```'
perf report -q -i "$WORK/perf.data" --no-children --sort dso -g none 2>/dev/null | grep -v '^$' | head -n "$TOP"
echo '```'
echo "### by symbol (self time)"
echo '```'
perf report -q -i "$WORK/perf.data" --no-children --sort sym -g none 2>/dev/null | grep -v '^$' | cut -c1-150 | head -n "$TOP"
echo '```'
