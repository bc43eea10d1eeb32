#!/usr/bin/env bash
# io-threads.sh - one I/O thread against two on one port (SO_REUSEPORT, `serve --io-threads`), with the
# server given one core and two (issue 10, item 3).
#
# Usage:   bench/io-threads.sh
#
# Small RPCs (4 B / 4 B) from the OpenAFS C rxperf client (c=32, 8 connections from one socket: our BPF
# steering spreads connections by ID, so one client socket is enough) pinned to CPU 1, against the
# plain-JVM rxperf server (`rxrpc-runtime.jar serve --io-threads N`) pinned to CPU 0, or to CPUs 0-1: then
# the client shares CPU 1 with the server's second I/O thread, which a 2-core machine cannot avoid.
# Every configuration gets a fresh server and 2 s of unrecorded load; RUNS rounds go round the
# configurations in turn; figures are median [min-max]: calls/s, p99, server CPU microseconds per call
# (utime + stime of the whole server over the client's run). Holds /tmp/rxrpc-maven.lock meanwhile.
#
# Environment: RUNS [3], SECS [5], C [32] concurrency, CLIENT [c] (c = the C client, java = ours with
# --sockets 32), CBIN [built into a temp dir] the C peers, BENCH_LOCK [/tmp/rxrpc-maven.lock] (empty: none).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/runtime/target/rxrpc-runtime.jar
RUNS=${RUNS:-3}
SECS=${SECS:-5}
C=${C:-32}
CLIENT=${CLIENT:-c}
JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseSerialGC"
[ -f "$JAR" ] || { echo "build it first: flock /tmp/rxrpc-maven.lock mvn -B -o -DskipTests package -pl runtime -am" >&2; exit 2; }
WORK=$(mktemp -d)
SPID=""
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
if [ -z "${CBIN:-}" ]; then CBIN=$WORK/c; bash "$ROOT/itests/src/test/c/build.sh" "$CBIN" >&2; fi
BENCH_LOCK=${BENCH_LOCK-/tmp/rxrpc-maven.lock}
if [ -n "$BENCH_LOCK" ]; then exec 9>>"$BENCH_LOCK"; flock 9; fi
hz=$(getconf CLK_TCK)

client() { # PORT SECONDS -> RESULT line
    if [ "$CLIENT" = java ]; then
        # shellcheck disable=SC2086
        taskset -c 1 java $JAVA_OPTS -jar "$JAR" rxperf --server 127.0.0.1:"$1" --mode rpc --request-bytes 4 \
            --reply-bytes 4 --concurrency "$C" --sockets 32 --duration "$2" --warmup 0 --quiet 2>&1 | grep RESULT
    else
        taskset -c 1 "$CBIN/rxperf_client" -h 127.0.0.1 -p "$1" -m rpc -s 4 -r 4 -c "$C" -d "$2" -q 2>&1 | grep RESULT
    fi
}

# one configuration: THREADS CPUS -> "calls_per_sec p99 cpu_us_per_call"
measure() {
    local port
    port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # shellcheck disable=SC2086
    taskset -c "$2" java $JAVA_OPTS -jar "$JAR" serve --port "$port" --io-threads "$1" >"$WORK/server.log" 2>&1 &
    SPID=$!
    for _ in $(seq 1 100); do grep -q "listening on" "$WORK/server.log" && break; sleep 0.1; done
    client "$port" 2 >/dev/null
    local t0 t1 r
    t0=$(sed 's/.*) //' "/proc/$SPID/stat" | awk '{print $12 + $13}')
    r=$(client "$port" "$SECS")
    t1=$(sed 's/.*) //' "/proc/$SPID/stat" | awk '{print $12 + $13}')
    kill -TERM "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=""
    awk -v r="$r" -v t=$((t1 - t0)) -v hz="$hz" 'BEGIN {
        n = split(r, f, " "); for (i = 1; i <= n; i++) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
        printf "%.0f %d %.1f\n", v["calls_per_sec"], v["p99_us"], t * 1e6 / hz / v["calls"] }'
}

CONFIGS=("1 0" "2 0" "1 0,1" "2 0,1")
declare -A RES
for round in $(seq 1 "$RUNS"); do
    for cfg in "${CONFIGS[@]}"; do
        set -- $cfg
        RES["$cfg"]="${RES["$cfg"]:-}$(measure "$1" "$2");"
        echo "io-threads: round $round, $1 thread(s) on CPU $2: $(tr ';' '\n' <<<"${RES["$cfg"]}" | tail -2 | head -1)" >&2
    done
done

med() { # column of "a b c;a b c;..." -> median [min-max]
    tr ';' '\n' <<<"$1" | awk -v c="$2" 'NF {print $c}' | sort -g | awk '{v[NR] = $1} END {
        printf (v[1] ~ /\./ ? "%.1f [%.1f-%.1f]" : "%d [%d-%d]"), v[int((NR + 1) / 2)], v[1], v[NR] }'
}
echo "## one I/O thread or two on one port: small RPC 4 B / 4 B, c=$C, client $CLIENT on CPU 1, ${SECS}s, $RUNS rounds"
echo
echo "| server | calls/s | p99 us | server CPU us/call |"
echo "|---|---:|---:|---:|"
for cfg in "${CONFIGS[@]}"; do
    set -- $cfg
    echo "| --io-threads $1, CPU $2 | $(med "${RES["$cfg"]}" 1) | $(med "${RES["$cfg"]}" 2) | $(med "${RES["$cfg"]}" 3) |"
done
