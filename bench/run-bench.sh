#!/usr/bin/env bash
# run-bench.sh - rxperf benchmark: our Java Rx against the OpenAFS C rx library on loopback, pinned as
# shared/docs/TOOLCHAIN.md says (servers `taskset -c 0`, clients `taskset -c 1`). One run prints, as a
# markdown report on stdout (progress on stderr):
#   1. the OpenAFS C rxperf client against both servers: ours, OpenAFS's, ours/OpenAFS, issue 10's target
#      and whether it is met;
#   2. our Java rxperf client against both servers (and against the C client);
#   3. the raw UDP ping-pong limit (udp_pingpong.c) and the Rx ceiling it implies (a call = 3 datagrams),
#      with our c=32 figure as a percentage of it;
#   4. server CPU microseconds per call, both servers (C client runs), and how busy server and C client were
#      (the side near 100% is the limit);
#   5. bytes allocated on our I/O thread per incoming call, 32 client sockets (plain-JVM `serve`);
#   6. every run in detail (calls/s, MB/s, p50, p99, failures, server CPU per call).
#
# Usage:   bench/run-bench.sh                       (from anywhere)
#          RUNS=1 DURATION=3 bench/run-bench.sh     (a quick check, about 2 minutes)
#          bench/run-bench.sh | tee /tmp/bench.md
#
# Servers: "ours" = the Felix runtime (`java -jar rxrpc-runtime.jar run`) with its defaults: an empty
# settings folder (OURS_ETC to use another), an empty deploy folder, rxperf on a free port, the cache
# manager and VL sample on any port. "openafs" = itests/src/test/c/rxperf_server on Debian's libafsrpc.
# For every case both servers are started fresh and warmed up, then RUNS rounds alternate between them
# (round 1 ours first, round 2 OpenAFS first, ...), every client against each. The server not being
# measured is stopped (SIGSTOP) meanwhile, so that it takes no CPU from the one that is (PAUSE_IDLE).
#
# Environment (defaults in brackets):
#   RUNS [3]            rounds; a figure is the median [min-max] of RUNS runs
#   DURATION [5]        seconds per run (C client -d, Java client --duration, ping-pong -d)
#   WARMUP [1]          Java client: unrecorded seconds before each run (the C client has no warm-up)
#   SERVER_WARMUP [2]   seconds of unrecorded C-client load against every fresh server before its rounds
#   SERVERS ["ours openafs"]   CLIENTS ["openafs ours"]   (client "openafs" = the C rxperf_client)
#   CASES ["rpc-c1 rpc-c32 newconn-c8 send1m-c4 recv1m-c4"]   (issue 10's cases; all of them:)
#       rpc-c1      small RPC 4 B / 4 B, concurrency 1                       target ours/OpenAFS >= 1.1
#       rpc-c32     small RPC 4 B / 4 B, concurrency 32 (C client: 8 conns)  target >= 2.0
#       rpc-c32-s32 the same from 32 client sockets (Java --sockets 32; the C client as rpc-c32)
#       newconn-c1  new connection per call, 4 B / 4 B, concurrency 1
#       newconn-c8  new connection per call, 4 B / 4 B, concurrency 8        target >= 2.0
#       send1m-c1, recv1m-c1   1 MiB request / 1 MiB reply, concurrency 1
#       send1m-c4   1 MiB send (client -> server), concurrency 4             target >= 1.0
#       recv1m-c4   1 MiB receive (server -> client), concurrency 4          target >= 1.2
#                   (c=4 cases: the C peers get `-u 1024`, 1 MiB socket buffers, see
#                   itests/src/test/c/BASELINE.md; ours always asks for 8 MiB, capped at net.core.rmem_max)
#   ALLOC_CASES ["rpc-c32-s32"]   cases run against our plain-JVM `serve` (the same transport, no OSGi)
#       for its STATS line: the I/O thread's bytes allocated per incoming call, counted after
#       --warmup-calls (20000 small / 300 bulk); one Java-client run of DURATION each. Empty = skip.
#   PINGPONG ["1 32"]   ping-pong runs: datagrams in flight on ONE socket pair (a connected client socket,
#       one echo server socket, one syscall per datagram at both ends); the largest is the c=32 limit.
#       Empty = skip.
#   JAVA_OPTS ["-Xms512m -Xmx512m -XX:+UseSerialGC"]  for every Java process. Pinned to one CPU the JVM
#       picks the serial collector anyway; the fixed heap keeps resizing out of the figures.
#   PAUSE_IDLE [1]      1 = SIGSTOP the server not being measured; 0 = leave it running idle
#   OURS_ETC [an empty folder]  settings folder of our Felix runtime (`run --etc`)
#   CBIN [a temp dir]   where the C programs are built (itests/src/test/c/build.sh); kept if given
#   KEEP_LOGS [0]       1 = keep the raw logs and records (their directory is printed)
#   BUILD [1]           runtime/target/rxrpc-runtime.jar (and target/bundles) missing: 1 = build them with
#       `flock /tmp/rxrpc-maven.lock mvn -B -o -DskipTests package -pl runtime -am` (package, never
#       install), 0 = print that command and exit 1.
#   BENCH_LOCK [/tmp/rxrpc-maven.lock]  held (flock) while measuring: every Maven build here runs under
#       `flock /tmp/rxrpc-maven.lock` (/tmp/mvn.lock links to it), so none shares the 2 CPUs with the
#       benchmark; builds wait meanwhile. Empty = do not lock. Other load is not kept out: the report
#       prints the load average before and after.
#
# Figures: calls/s and MB/s as the C client defines them (payload bytes only, 1 MB = 1e6 B); p50/p99 are
# per-call latencies in microseconds. Server CPU per call = (utime + stime of the whole server process,
# all threads, from /proc/PID/stat) over the C client's run / the calls that client counted.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/runtime/target/rxrpc-runtime.jar
BUNDLES=$ROOT/runtime/target/bundles
BUILD_LOCK=/tmp/rxrpc-maven.lock
RUNS=${RUNS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
SERVER_WARMUP=${SERVER_WARMUP:-2}
SERVERS=${SERVERS:-"ours openafs"}
CLIENTS=${CLIENTS:-"openafs ours"}
CASES=${CASES-"rpc-c1 rpc-c32 newconn-c8 send1m-c4 recv1m-c4"}
ALLOC_CASES=${ALLOC_CASES-"rpc-c32-s32"}
PINGPONG=${PINGPONG-"1 32"}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m -XX:+UseSerialGC"}
KEEP_LOGS=${KEEP_LOGS:-0}
BUILD=${BUILD:-1}
PAUSE_IDLE=${PAUSE_IDLE:-1}
BENCH_LOCK=${BENCH_LOCK-$BUILD_LOCK}
SERVER_CPU=0
CLIENT_CPU=1
CLK_TCK=$(getconf CLK_TCK)

log() { echo "run-bench: $*" >&2; }
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rxrpc-bench.XXXXXX")
if [ -n "${CBIN:-}" ]; then OWN_CBIN=0; else CBIN=$WORK/c; OWN_CBIN=1; fi
LIVE_PIDS="" # every server this script started and has not yet stopped
CLIENT_PID=""

cleanup() {
    local rc=$?
    cleanup_processes
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

# ---- build what is missing (package, never install: stale jars in ~/.m2 break other builds) ----
BUILD_CMD="flock $BUILD_LOCK mvn -B -o -DskipTests package -pl runtime -am"
if [ ! -f "$JAR" ] || [ ! -d "$BUNDLES" ]; then
    if [ "$BUILD" != 1 ]; then
        log "$JAR or $BUNDLES is missing; build them with:"
        log "  (cd $ROOT && $BUILD_CMD)"
        exit 1
    fi
    log "building the runtime: (cd $ROOT && $BUILD_CMD)"
    (cd "$ROOT" && $BUILD_CMD) >&2
fi
STALE=$(find "$ROOT" -path '*/src/main/*' -newer "$JAR" -not -path '*/target/*' -print -quit 2>/dev/null || true)
[ -z "$STALE" ] || log "WARNING: $JAR is older than $STALE (rebuild: $BUILD_CMD)"

take_bench_lock
log "building the C programs into $CBIN"
bash "$ROOT/itests/src/test/c/build.sh" "$CBIN" >&2
[ "$OWN_CBIN" = 1 ] || log "(CBIN given: kept)"
if [ -z "${OURS_ETC:-}" ]; then OURS_ETC=$WORK/ours-etc; mkdir -p "$OURS_ETC"; fi
mkdir -p "$WORK/ours-deploy"

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
    newconn-c8)
        LABEL="new connection per call, 4 B / 4 B, c=8"
        C_ARGS="-m rpc -s 4 -r 4 -c 8 -N"
        J_ARGS="--mode rpc --request-bytes 4 --reply-bytes 4 --concurrency 8 --new-connection" ;;
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
for c in $CASES $ALLOC_CASES; do set_case "$c"; done # reject unknown cases before measuring

# ---- servers: start_server KIND PORT LOG sets STARTED_PID; KIND = ours | openafs | serve | pingpong ----
start_server() {
    local ready="listening on"
    case $1 in
    ours)
        # "started in" follows every service's "listening" line: the runtime is fully up
        ready="started in"
        # shellcheck disable=SC2086
        taskset -c $SERVER_CPU java $JAVA_OPTS -jar "$JAR" run --bind 127.0.0.1 --rxperf-port "$2" \
            --cm-port 0 --vl-port 0 --etc "$OURS_ETC" --deploy "$WORK/ours-deploy" >"$3" 2>&1 &
        ;;
    openafs)
        # shellcheck disable=SC2086
        taskset -c $SERVER_CPU "$CBIN/rxperf_server" -a 127.0.0.1 -p "$2" -q $C_UDPBUF >"$3" 2>&1 &
        ;;
    serve)
        # shellcheck disable=SC2086
        taskset -c $SERVER_CPU java $JAVA_OPTS -jar "$JAR" serve --bind 127.0.0.1 --port "$2" \
            --stats-interval 0 --warmup-calls "$WARMUP_CALLS" >"$3" 2>&1 &
        ;;
    pingpong)
        taskset -c $SERVER_CPU "$CBIN/udp_pingpong" server -a 127.0.0.1 -p "$2" >"$3" 2>&1 &
        ;;
    esac
    STARTED_PID=$!
    LIVE_PIDS="$LIVE_PIDS $STARTED_PID"
    await_server "$1" "$3" "$ready" 600
}

# focus SERVER: it runs, every other server of the case (PID[...]) is paused
focus() {
    local s
    if [ "$PAUSE_IDLE" = 1 ]; then
        for s in $SERVERS; do [ "$s" = "$1" ] || kill -STOP "${PID[$s]}" 2>/dev/null || true; done
    fi
    kill -CONT "${PID[$1]}" 2>/dev/null || true
    sleep 0.2 # let its timers catch up outside the measured window
}

# utime + stime in clock ticks of the whole process (all threads); field 2 may hold spaces, so count
# from the ")" that closes it: state is then field 1, utime field 12, stime field 13.
cpu_ticks() {
    sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# ---- clients: run_client CLIENT PORT SECONDS OUT; returns the client's exit code ----
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
        # /usr/bin/time: the C client's own CPU seconds (user, system), to show which side is the limit
        timeout -k 5 $limit /usr/bin/time -f '%U %S' -o "$4.time" taskset -c $CLIENT_CPU "$CBIN/rxperf_client" \
            -h 127.0.0.1 -p "$2" $C_ARGS $C_UDPBUF -d "$3" -q >"$4" 2>"$4.err" &
        ;;
    esac
    CLIENT_PID=$!
    wait "$CLIENT_PID" || rc=$?
    CLIENT_PID=""
    return $rc
}

# result_line OUT CLIENT RUN_NAME: the client's RESULT line, or a failed placeholder (logged either way)
result_line() {
    local line
    line=$(grep '^RESULT' "$1" | tail -1 || true)
    if [ -z "$line" ]; then
        log "  $3: no RESULT line: $(head -5 "$1.err" | tr '\n' ' ')"
        echo "RESULT calls=0 ok=0 failed=-1"
    else
        log "  $3: ${line#RESULT }"
        echo "$line"
    fi
}

echo "## rxperf benchmark: rxrpc (Java) and OpenAFS rx, loopback, pinned"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- command: \`RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP SERVER_WARMUP=$SERVER_WARMUP bench/run-bench.sh\`" \
    "(CASES: $CASES; ALLOC_CASES: ${ALLOC_CASES:-none}; PINGPONG: ${PINGPONG:-none})"
echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(uname -sr);" \
    "$(java -version 2>&1 | head -1); OpenAFS $(dpkg-query -W -f='${Version}' libopenafs-dev 2>/dev/null || echo '?');" \
    "net.core.rmem_max=$(cat /proc/sys/net/core/rmem_max)"
echo "- rxrpc commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)');" \
    "runtime jar built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC')${STALE:+ (WARNING: older than $STALE)}"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)$([ -n "$BENCH_LOCK" ] && echo "; Maven builds held off with $BENCH_LOCK")"
echo "- pinning: servers \`taskset -c $SERVER_CPU\`, clients \`taskset -c $CLIENT_CPU\`; figure = median [min-max] of $RUNS rounds"
echo "- ours = the Felix runtime (\`rxrpc-runtime.jar run\`, settings: $([ -z "$(ls -A "$OURS_ETC")" ] && echo "defaults" || echo "$OURS_ETC"))," \
    "OpenAFS = rxperf_server on libafsrpc; the server not measured is $([ "$PAUSE_IDLE" = 1 ] && echo "paused (SIGSTOP)" || echo "left running idle") meanwhile"
echo

RUNS_TSV=$WORK/runs.tsv # case label server client round cpu_ticks wall_s RESULT...
PING_TSV=$WORK/pingpong.tsv # outstanding round PINGPONG...
ALLOC_TSV=$WORK/alloc.tsv # case label cpu_ticks wall_s RESULT... STATS...
ENDPOINTS=$WORK/endpoints.txt # our servers' "Rx endpoint on ..." log lines (which I/O path)
: >"$RUNS_TSV"
: >"$PING_TSV"
: >"$ALLOC_TSV"
: >"$ENDPOINTS"
START=$(date +%s)

# ---- 1. the raw UDP ping-pong limit ----
if [ -n "$PINGPONG" ]; then
    port=$(free_port)
    start_server pingpong "$port" "$WORK/pingpong-server.log"
    ping_pid=$STARTED_PID
    log "udp ping-pong (one socket pair), port $port"
    for run in $(seq 1 "$RUNS"); do
        for n in $PINGPONG; do
            out=$WORK/pingpong-$n-$run.out
            rc=0
            timeout -k 5 $(( ${DURATION%.*} + 30 )) taskset -c $CLIENT_CPU "$CBIN/udp_pingpong" client \
                -a 127.0.0.1 -p "$port" -c "$n" -d "$DURATION" >"$out" 2>"$out.err" || rc=$?
            line=$(grep '^PINGPONG' "$out" || true)
            [ "$rc" = 0 ] || line="" # an echo went missing: no figure
            log "  outstanding $n, run $run: ${line:-failed (exit $rc): $(head -2 "$out.err" | tr '\n' ' ')}"
            printf '%s\t%s\t%s\n' "$n" "$run" "${line:-PINGPONG failed}" >>"$PING_TSV"
        done
    done
    stop_server "$ping_pid"
fi

# ---- 2. every case: both servers, alternating rounds, every client ----
for c in $CASES; do
    set_case "$c"
    declare -A PID=() PORT=()
    for server in $SERVERS; do
        PORT[$server]=$(free_port)
        log "case $c ($LABEL): starting $server on port ${PORT[$server]}"
        start_server "$server" "${PORT[$server]}" "$WORK/server-$server-$c.log"
        PID[$server]=$STARTED_PID
        [ "$PAUSE_IDLE" != 1 ] || kill -STOP "$STARTED_PID"
    done
    for server in $SERVERS; do
        if [ "$SERVER_WARMUP" != 0 ]; then
            focus "$server"
            run_client openafs "${PORT[$server]}" "$SERVER_WARMUP" "$WORK/warmup-$server-$c.out" ||
                log "  warm-up of $server failed: $(head -3 "$WORK/warmup-$server-$c.out.err" | tr '\n' ' ')"
        fi
    done
    for run in $(seq 1 "$RUNS"); do
        order=$SERVERS
        [ $(( run % 2 )) = 1 ] || order=$(echo "$SERVERS" | tr ' ' '\n' | tac | tr '\n' ' ')
        for client in $CLIENTS; do
            for server in $order; do
                focus "$server"
                out=$WORK/run-$server-$client-$c-$run.out
                pid=${PID[$server]}
                if ! kill -0 "$pid" 2>/dev/null; then
                    log "  server $server (pid $pid) is gone"
                    printf '%s\t%s\t%s\t%s\t%s\t0\t0\tRESULT calls=0 ok=0 failed=-1\n' \
                        "$c" "$LABEL" "$server" "$client" "$run" >>"$RUNS_TSV"
                    continue
                fi
                t0=$(cpu_ticks "$pid")
                w0=$(now)
                run_client "$client" "${PORT[$server]}" "$DURATION" "$out" || true
                w1=$(now)
                t1=$(cpu_ticks "$pid" 2>/dev/null || echo "$t0")
                line=$(result_line "$out" "$client" "server $server, client $client, round $run")
                if [ -s "$out.time" ]; then
                    line="$line client_cpu_s=$(awk 'END { printf "%.2f", $1 + $2 }' "$out.time")"
                fi
                printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$LABEL" "$server" "$client" "$run" \
                    "$(( t1 - t0 ))" "$(elapsed "$w0" "$w1")" "$line" >>"$RUNS_TSV"
            done
        done
    done
    for server in $SERVERS; do
        [ "$server" != ours ] || grep -o 'Rx endpoint on [^ ]*:'"${PORT[$server]}"' (.*)' \
            "$WORK/server-$server-$c.log" >>"$ENDPOINTS" || true
        stop_server "${PID[$server]}"
    done
    unset PID PORT
done

# ---- 3. our I/O thread's allocation per incoming call: plain-JVM serve, our Java client ----
for c in $ALLOC_CASES; do
    set_case "$c"
    port=$(free_port)
    log "allocation, case $c ($LABEL): our serve on port $port"
    slog=$WORK/serve-$c.log
    start_server serve "$port" "$slog"
    pid=$STARTED_PID
    [ "$SERVER_WARMUP" = 0 ] || run_client openafs "$port" "$SERVER_WARMUP" "$WORK/warmup-serve-$c.out" || true
    out=$WORK/alloc-$c.out
    t0=$(cpu_ticks "$pid")
    w0=$(now)
    run_client ours "$port" "$DURATION" "$out" || true
    w1=$(now)
    t1=$(cpu_ticks "$pid")
    line=$(result_line "$out" ours "serve, client ours")
    stop_server "$pid"
    st=$(grep '^STATS' "$slog" | tail -1 || true)
    [ -n "$st" ] || st="STATS (none printed; server log: $(tail -3 "$slog" | tr '\n' ' '))"
    log "  $st"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$LABEL" "$(( t1 - t0 ))" "$(elapsed "$w0" "$w1")" "$line" "$st" \
        >>"$ALLOC_TSV"
done
ELAPSED=$(( $(date +%s) - START ))

# ---- report ----
python3 "$ROOT/bench/report.py" --clk-tck "$CLK_TCK" --runs "$RUNS_TSV" --pingpong "$PING_TSV" \
    --alloc "$ALLOC_TSV" --endpoints "$ENDPOINTS"
echo
echo "Runs: RUNS=$RUNS DURATION=${DURATION}s (Java client warm-up ${WARMUP}s unrecorded; C client none;" \
    "${SERVER_WARMUP}s of C-client load before every fresh server's rounds). JAVA_OPTS: $JAVA_OPTS." \
    "Wall time ${ELAPSED}s. Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
