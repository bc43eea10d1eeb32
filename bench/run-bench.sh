#!/usr/bin/env bash
# run-bench.sh - rxperf benchmark: our Java Rx (rxrpc-runtime.jar) against the OpenAFS C rx library,
# every server with every client, on loopback, pinned as shared/docs/TOOLCHAIN.md says
# (server `taskset -c 0`, client `taskset -c 1`).
#
# Usage:   bench/run-bench.sh            (from anywhere; prints a markdown report on stdout,
#                                         progress on stderr)
#          RUNS=3 DURATION=5 bench/run-bench.sh | tee /tmp/bench.md
#
# Environment (defaults in brackets):
#   RUNS [3]            runs of every figure; the table shows median [min-max]
#   DURATION [5]        seconds per run (C client -d, Java client --duration)
#   WARMUP [1]          Java client: unrecorded seconds before each run (the C client has no warm-up)
#   SERVER_WARMUP [2]   seconds of unrecorded load (C client) against every fresh server before its runs
#   SERVERS ["ours openafs"]   CLIENTS ["ours openafs"]
#   CASES ["rpc-c1 rpc-c32 rpc-c32-s32 newconn-c1 send1m-c1 recv1m-c1 send1m-c4 recv1m-c4"]
#       rpc-c1      small RPC 4 B / 4 B, concurrency 1
#       rpc-c32     small RPC 4 B / 4 B, concurrency 32 (C client: 8 connections, its default)
#       rpc-c32-s32 the same from 32 client sockets (Java client --sockets 32; the C client as rpc-c32):
#                   the sender changes from one datagram to the next, as with many clients
#       newconn-c1  new connection per call, 4 B / 4 B, concurrency 1
#       send1m-c1   1 MiB send (request payload), concurrency 1
#       recv1m-c1   1 MiB recv (reply payload), concurrency 1
#       send1m-c4, recv1m-c4   the same at concurrency 4; the C peers get `-u 1024` (1 MiB socket
#                   buffers, see itests/src/test/c/BASELINE.md); ours always asks for 8 MiB (the
#                   kernel caps it at net.core.rmem_max)
#   JAVA_OPTS ["-Xms512m -Xmx512m -XX:+UseSerialGC"]  for both Java processes. Pinned to one CPU the
#       JVM picks the serial collector anyway; the fixed heap keeps resizing out of the figures.
#   CBIN [a temp dir]   where the C peers are built (itests/src/test/c/build.sh); kept if given
#   KEEP_LOGS [0]       1 = keep the raw per-run logs (their directory is printed)
#   BENCH_LOCK [/tmp/mvn.lock]  held (flock) while measuring, so that no Maven build (all of them run
#       under `flock /tmp/mvn.lock`) shares the 2 CPUs with the benchmark; builds wait meanwhile.
#       Empty = do not lock. Other load is not kept out: the report prints the load average.
#
# What it does: builds rxrpc-runtime.jar if missing (`mvn -B -q -DskipTests install` under
# `flock /tmp/mvn.lock`) and the C peers; then for every server and case starts a fresh server on a
# free UDP port, warms it up, runs RUNS x every client (interleaved), stops the server with SIGTERM
# and, for ours, keeps its last STATS line (the I/O thread's bytes allocated per incoming call,
# counted after its --warmup-calls). Everything it started is killed on exit.
#
# Figures: calls/s and MB/s as the C client defines them (payload bytes only, 1 MB = 1e6 B);
# p50/p99 are per-call latencies in microseconds (the Java client: HdrHistogram, 3 digits).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/runtime/target/rxrpc-runtime.jar
RUNS=${RUNS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
SERVER_WARMUP=${SERVER_WARMUP:-2}
SERVERS=${SERVERS:-"ours openafs"}
CLIENTS=${CLIENTS:-"ours openafs"}
CASES=${CASES:-"rpc-c1 rpc-c32 rpc-c32-s32 newconn-c1 send1m-c1 recv1m-c1 send1m-c4 recv1m-c4"}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m -XX:+UseSerialGC"}
KEEP_LOGS=${KEEP_LOGS:-0}
SERVER_CPU=0
CLIENT_CPU=1

log() { echo "run-bench: $*" >&2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rxrpc-bench.XXXXXX")
if [ -n "${CBIN:-}" ]; then OWN_CBIN=0; else CBIN=$WORK/c; OWN_CBIN=1; fi
SERVER_PID=""
CLIENT_PID=""

cleanup() {
    local rc=$?
    for pid in $CLIENT_PID $SERVER_PID; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    if [ "$KEEP_LOGS" = 1 ]; then
        log "raw logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- build what is missing ----
if [ ! -f "$JAR" ]; then
    log "building $JAR (mvn install under flock /tmp/mvn.lock)"
    (cd "$ROOT" && flock /tmp/mvn.lock mvn -B -q -DskipTests install) >&2
fi
BENCH_LOCK=${BENCH_LOCK-/tmp/mvn.lock}
if [ -n "$BENCH_LOCK" ]; then
    exec 9>>"$BENCH_LOCK"
    if ! flock -n 9; then
        log "waiting for $BENCH_LOCK (a Maven build is running)"
        flock 9
    fi
fi
log "building the C peers into $CBIN"
bash "$ROOT/itests/src/test/c/build.sh" "$CBIN" >&2
[ "$OWN_CBIN" = 1 ] || log "(CBIN given: kept)"

free_port() {
    python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ---- cases: sets LABEL, C_ARGS, J_ARGS, C_UDPBUF, WARMUP_CALLS ----
set_case() {
    C_UDPBUF=""
    WARMUP_CALLS=20000
    case $1 in
    rpc-c1)
        LABEL="small RPC 4 B / 4 B, c=1"
        C_ARGS="-m rpc -s 4 -r 4 -c 1"
        J_ARGS="--mode rpc --request-bytes 4 --reply-bytes 4 --concurrency 1" ;;
    rpc-c32)
        LABEL="small RPC 4 B / 4 B, c=32"
        C_ARGS="-m rpc -s 4 -r 4 -c 32"
        J_ARGS="--mode rpc --request-bytes 4 --reply-bytes 4 --concurrency 32" ;;
    rpc-c32-s32)
        LABEL="small RPC 4 B / 4 B, c=32, 32 client sockets (Java)"
        C_ARGS="-m rpc -s 4 -r 4 -c 32"
        J_ARGS="--mode rpc --request-bytes 4 --reply-bytes 4 --concurrency 32 --sockets 32" ;;
    newconn-c1)
        LABEL="new connection per call, 4 B / 4 B, c=1"
        C_ARGS="-m rpc -s 4 -r 4 -c 1 -N"
        J_ARGS="--mode rpc --request-bytes 4 --reply-bytes 4 --concurrency 1 --new-connection" ;;
    send1m-c1)
        LABEL="1 MiB send, c=1"
        C_ARGS="-m send -s 1M -c 1"
        J_ARGS="--mode send --request-bytes 1M --concurrency 1"
        WARMUP_CALLS=300 ;;
    recv1m-c1)
        LABEL="1 MiB recv, c=1"
        C_ARGS="-m recv -r 1M -c 1"
        J_ARGS="--mode recv --reply-bytes 1M --concurrency 1"
        WARMUP_CALLS=300 ;;
    send1m-c4)
        LABEL="1 MiB send, c=4 (C -u 1024)"
        C_ARGS="-m send -s 1M -c 4"
        J_ARGS="--mode send --request-bytes 1M --concurrency 4"
        C_UDPBUF="-u 1024"
        WARMUP_CALLS=300 ;;
    recv1m-c4)
        LABEL="1 MiB recv, c=4 (C -u 1024)"
        C_ARGS="-m recv -r 1M -c 4"
        J_ARGS="--mode recv --reply-bytes 1M --concurrency 4"
        C_UDPBUF="-u 1024"
        WARMUP_CALLS=300 ;;
    *)
        log "unknown case $1"
        exit 2 ;;
    esac
}

# ---- servers ----
start_server() { # $1 = ours|openafs, $2 = port, $3 = log file
    case $1 in
    ours)
        # shellcheck disable=SC2086
        taskset -c $SERVER_CPU java $JAVA_OPTS -jar "$JAR" serve --bind 127.0.0.1 --port "$2" \
            --stats-interval 0 --warmup-calls "$WARMUP_CALLS" >"$3" 2>&1 &
        ;;
    openafs)
        # shellcheck disable=SC2086
        taskset -c $SERVER_CPU "$CBIN/rxperf_server" -a 127.0.0.1 -p "$2" -q $C_UDPBUF >"$3" 2>&1 &
        ;;
    esac
    SERVER_PID=$!
    for _ in $(seq 1 300); do
        if grep -q "listening on" "$3" 2>/dev/null; then return 0; fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
        sleep 0.1
    done
    log "server $1 did not start:"
    cat "$3" >&2
    exit 1
}

stop_server() {
    local pid=$SERVER_PID
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        log "server $pid ignored SIGTERM for 10 s: killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    SERVER_PID=""
}

# ---- clients: $1 = ours|openafs, $2 = port, $3 = seconds, $4 = output file; returns the exit code ----
run_client() {
    local limit=$(( ${3%.*} + ${WARMUP%.*} + 60 ))
    local rc=0
    case $1 in
    ours)
        # shellcheck disable=SC2086
        timeout -k 5 $limit taskset -c $CLIENT_CPU java $JAVA_OPTS -jar "$JAR" rxperf \
            --server 127.0.0.1:"$2" $J_ARGS --duration "$3" --warmup "$WARMUP" --quiet >"$4" 2>"$4.err" &
        ;;
    openafs)
        # shellcheck disable=SC2086
        timeout -k 5 $limit taskset -c $CLIENT_CPU "$CBIN/rxperf_client" -h 127.0.0.1 -p "$2" $C_ARGS \
            $C_UDPBUF -d "$3" -q >"$4" 2>"$4.err" &
        ;;
    esac
    CLIENT_PID=$!
    wait "$CLIENT_PID" || rc=$?
    CLIENT_PID=""
    return $rc
}

echo "## rxperf benchmark: rxrpc (Java) and OpenAFS rx, loopback, pinned"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- command: \`RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP SERVER_WARMUP=$SERVER_WARMUP bench/run-bench.sh\`" \
    "(cases: $CASES)"
echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(uname -sr);" \
    "$(java -version 2>&1 | head -1); OpenAFS $(dpkg-query -W -f='${Version}' libopenafs-dev 2>/dev/null || echo '?');" \
    "net.core.rmem_max=$(cat /proc/sys/net/core/rmem_max)"
echo "- rxrpc commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)$([ -n "$BENCH_LOCK" ] && echo "; Maven builds held off with $BENCH_LOCK")"
echo "- pinning: server \`taskset -c $SERVER_CPU\`, client \`taskset -c $CLIENT_CPU\`; figure = median [min-max] of $RUNS runs"
echo

RESULTS=$WORK/results.tsv
STATS=$WORK/stats.tsv
: >"$RESULTS"
: >"$STATS"
START=$(date +%s)

for server in $SERVERS; do
    for c in $CASES; do
        set_case "$c"
        port=$(free_port)
        slog=$WORK/server-$server-$c.log
        log "server $server, case $c ($LABEL), port $port"
        start_server "$server" "$port" "$slog"
        if [ "$SERVER_WARMUP" != 0 ]; then
            run_client openafs "$port" "$SERVER_WARMUP" "$WORK/warmup-$server-$c.out" ||
                log "  warm-up client failed: $(head -3 "$WORK/warmup-$server-$c.out.err")"
        fi
        for run in $(seq 1 "$RUNS"); do
            for client in $CLIENTS; do
                out=$WORK/run-$server-$client-$c-$run.out
                rc=0
                run_client "$client" "$port" "$DURATION" "$out" || rc=$?
                line=$(grep '^RESULT' "$out" | tail -1 || true)
                if [ -z "$line" ]; then
                    log "  $client run $run: no RESULT line (exit $rc): $(head -5 "$out.err" | tr '\n' ' ')"
                    line="RESULT calls=0 ok=0 failed=-1"
                else
                    log "  $client run $run: ${line#RESULT } (exit $rc)"
                    if [ "$rc" != 0 ] && [ -s "$out.err" ]; then
                        log "  $client run $run stderr: $(grep -v INFO "$out.err" | head -5 | tr '\n' ' ')"
                    fi
                fi
                printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$client" "$c" "$LABEL" "$run" "$line" >>"$RESULTS"
            done
        done
        stop_server
        if [ "$server" = ours ]; then
            st=$(grep '^STATS' "$slog" | tail -1 || true)
            [ -n "$st" ] || st="STATS (none printed; server log: $(tail -3 "$slog" | tr '\n' ' '))"
            log "  $st"
            printf '%s\t%s\t%s\n' "$c" "$LABEL" "$st" >>"$STATS"
        fi
    done
done
ELAPSED=$(( $(date +%s) - START ))

# ---- report ----
python3 - "$RESULTS" "$STATS" <<'EOF'
import re, statistics, sys
from collections import OrderedDict

rows = OrderedDict()
for line in open(sys.argv[1]):
    server, client, case, label, run, result = line.rstrip("\n").split("\t")
    kv = dict(re.findall(r"(\w+)=(-?[\d.]+)", result))
    rows.setdefault((server, client, case, label), []).append(kv)
stats = {}
for line in open(sys.argv[2]):
    case, label, st = line.rstrip("\n").split("\t")
    stats[case] = st

def fmt(v, kind):
    if kind == "int":
        return "%d" % round(v)
    if kind == "rate":
        return "%.0f" % v if v >= 1000 else "%.1f" % v
    if kind == "mb":
        return "%.1f" % v if v >= 10 else "%.3f" % v
    return str(v)

def cell(runs, key, kind):
    vals = [float(r[key]) for r in runs if key in r and float(r.get("failed", 0)) >= 0 and float(r.get("ok", 0)) > 0]
    if not vals:
        return "n/a"
    med = statistics.median(vals)
    if len(vals) == 1:
        return fmt(med, kind)
    return "%s [%s-%s]" % (fmt(med, kind), fmt(min(vals), kind), fmt(max(vals), kind))

def per_call(case):
    m = re.search(r"io_bytes_per_incoming_call=(\S+)", stats.get(case, ""))
    return m.group(1) if m else "n/a"

print("| server | client | case | calls/s | MB/s | p50 us | p99 us | failed | our server's I/O-thread B/call |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|")
for (server, client, case, label), runs in rows.items():
    failed = sum(int(float(r.get("failed", 0))) for r in runs if float(r.get("failed", 0)) >= 0)
    missing = sum(1 for r in runs if float(r.get("failed", 0)) < 0)
    failed_s = str(failed) + (" (+%d runs without RESULT)" % missing if missing else "")
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        server, client, label,
        cell(runs, "calls_per_sec", "rate"), cell(runs, "MB_per_sec", "mb"),
        cell(runs, "p50_us", "int"), cell(runs, "p99_us", "int"),
        failed_s, per_call(case) if server == "ours" else "-"))
if stats:
    print()
    print("Our server's last STATS line per case (printed at SIGTERM; the allocation window opens at the")
    print("first snapshot after --warmup-calls served calls: 20000 for small calls, 300 for 1 MiB calls):")
    print()
    print("```")
    for case, st in stats.items():
        print("%-11s %s" % (case, st))
    print("```")
EOF
echo
echo "Runs: RUNS=$RUNS DURATION=${DURATION}s (Java client warm-up ${WARMUP}s unrecorded; C client none;" \
    "${SERVER_WARMUP}s of C-client load before every fresh server's runs). JAVA_OPTS: $JAVA_OPTS." \
    "Wall time ${ELAPSED}s. Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
