#!/usr/bin/env bash
# crypt-bench.sh - MB/s of 1 MiB rxperf calls at rxkad level crypt (issue 9 item 6): the OpenAFS C peers
# (itests/src/test/c on Debian's libafsrpc) against each other and against ours, pinned as run-bench.sh
# (servers `taskset -c 0`, clients `taskset -c 1`). Prints a markdown report on stdout (progress on stderr):
#   server side: OpenAFS C client -> OpenAFS C server, the same client -> our server, ours / OpenAFS;
#   client side: our Java client -> OpenAFS C server, against the C client's figure, ours / OpenAFS;
#   and our client -> our server.
#
# Usage:   bench/crypt-bench.sh                        (as root: asetkey runs in a mount namespace)
#          RUNS=1 DURATION=3 bench/crypt-bench.sh      (a quick check, about a minute)
#
# Both sides share one server key: a KeyFile the real `asetkey add` writes into a folder of this run. The C
# server reads it (`rxperf_server -k DIR -S LEVEL`), ours too (`rxrpc-runtime.jar serve --rxkad-keys DIR
# --min-level LEVEL`, the plain-JVM server); the C client mints its ticket from it as -localauth does
# (`rxperf_client -S LEVEL -k DIR`), ours with LocalAuth (`rxrpc-runtime.jar rxperf --rxkad-keys DIR --level
# LEVEL`). Every server is fresh per case and warmed up with SERVER_WARMUP seconds of C-client load; rounds
# alternate the order of the servers; the server not measured is stopped (SIGSTOP) meanwhile.
#
# Environment (defaults in brackets):
#   RUNS [3]            rounds; a figure is the median [min-max] of RUNS runs
#   DURATION [5]        seconds per run
#   WARMUP [1]          Java client: unrecorded seconds before each run
#   SERVER_WARMUP [2]   seconds of unrecorded C-client load against every fresh server
#   LEVEL [crypt]       rxkad level of every call: clear, auth or crypt
#   CASES ["send1m recv1m"]   send1m: 1 MiB request, c=1; recv1m: 1 MiB reply, c=1;
#                       send1m-c4, recv1m-c4: the same at concurrency 4 (C peers with -u 1024)
#   JAVA_OPTS ["-Xms512m -Xmx512m -XX:+UseSerialGC"]
#   CBIN [a temp dir]   where the C programs are built (kept if given)
#   BUILD [1]           runtime jar missing: 1 = build it (package, under the Maven lock), 0 = exit 1
#   BENCH_LOCK [/tmp/rxrpc-maven.lock]  held while measuring (Maven builds wait); empty = do not lock
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/runtime/target/rxrpc-runtime.jar
BUILD_LOCK=/tmp/rxrpc-maven.lock
RUNS=${RUNS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
SERVER_WARMUP=${SERVER_WARMUP:-2}
LEVEL=${LEVEL:-crypt}
CASES=${CASES:-"send1m recv1m"}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m -XX:+UseSerialGC"}
BUILD=${BUILD:-1}
BENCH_LOCK=${BENCH_LOCK-$BUILD_LOCK}
SERVER_CPU=0
CLIENT_CPU=1
KVNO=7
KEY=0123456789abcdef # a test key: this script's folder is thrown away

log() { echo "crypt-bench: $*" >&2; }
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

case $LEVEL in clear | auth | crypt) ;; *) log "LEVEL must be clear, auth or crypt"; exit 2 ;; esac
if [ "$(id -u)" != 0 ]; then
    log "run as root: asetkey writes the KeyFile in a mount namespace of its own"
    exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rxrpc-crypt-bench.XXXXXX")
if [ -n "${CBIN:-}" ]; then OWN_CBIN=0; else CBIN=$WORK/c; OWN_CBIN=1; fi
LIVE_PIDS=""
CLIENT_PID=""

cleanup() {
    local rc=$?
    cleanup_processes
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

BUILD_CMD="flock $BUILD_LOCK mvn -B -o -DskipTests package -pl runtime -am"
if [ ! -f "$JAR" ]; then
    if [ "$BUILD" != 1 ]; then
        log "$JAR is missing; build it with: (cd $ROOT && $BUILD_CMD)"
        exit 1
    fi
    log "building the runtime: (cd $ROOT && $BUILD_CMD)"
    (cd "$ROOT" && $BUILD_CMD) >&2
fi

take_bench_lock
log "building the C programs into $CBIN"
bash "$ROOT/itests/src/test/c/build.sh" "$CBIN" >&2

KEYS=$WORK/server
mkdir -p "$KEYS"
echo bench.test >"$KEYS/ThisCell"
printf '>bench.test\n127.0.0.1 #bench\n' >"$KEYS/CellServDB"
unshare --mount sh -c "mount --bind '$KEYS' /etc/openafs/server && exec asetkey add $KVNO $KEY" >&2
[ -f "$KEYS/KeyFile" ] || { log "asetkey wrote no KeyFile"; exit 1; }

# ---- cases: sets LABEL, C_ARGS, J_ARGS, C_UDPBUF ----
set_case() {
    C_UDPBUF=""
    case $1 in
    send1m) LABEL="1 MiB send, c=1"; C_ARGS="-m send -s 1M -c 1"
        J_ARGS="--mode send --request-bytes 1M --concurrency 1" ;;
    recv1m) LABEL="1 MiB recv, c=1"; C_ARGS="-m recv -r 1M -c 1"
        J_ARGS="--mode recv --reply-bytes 1M --concurrency 1" ;;
    send1m-c4) LABEL="1 MiB send, c=4 (C -u 1024)"; C_ARGS="-m send -s 1M -c 4"; C_UDPBUF="-u 1024"
        J_ARGS="--mode send --request-bytes 1M --concurrency 4" ;;
    recv1m-c4) LABEL="1 MiB recv, c=4 (C -u 1024)"; C_ARGS="-m recv -r 1M -c 4"; C_UDPBUF="-u 1024"
        J_ARGS="--mode recv --reply-bytes 1M --concurrency 4" ;;
    *) log "unknown case $1"; exit 2 ;;
    esac
}
for c in $CASES; do set_case "$c"; done

# start_server KIND PORT LOG: sets STARTED_PID; KIND = ours | openafs
start_server() {
    local ready="listening on"
    case $1 in
    ours)
        # shellcheck disable=SC2086
        taskset -c $SERVER_CPU java $JAVA_OPTS -jar "$JAR" serve --bind 127.0.0.1 --port "$2" \
            --rxkad-keys "$KEYS" --min-level "$LEVEL" >"$3" 2>&1 &
        ;;
    openafs)
        # shellcheck disable=SC2086
        taskset -c $SERVER_CPU "$CBIN/rxperf_server" -a 127.0.0.1 -p "$2" -q -k "$KEYS" -S "$LEVEL" \
            $C_UDPBUF >"$3" 2>&1 &
        ;;
    esac
    STARTED_PID=$!
    LIVE_PIDS="$LIVE_PIDS $STARTED_PID"
    await_server "$1" "$3" "$ready" 300
}

# run_client CLIENT PORT SECONDS OUT
run_client() {
    local limit=$(( ${3%.*} + ${WARMUP%.*} + 60 ))
    local rc=0
    case $1 in
    ours)
        # shellcheck disable=SC2086
        timeout -k 5 $limit taskset -c $CLIENT_CPU java $JAVA_OPTS -jar "$JAR" rxperf \
            --server 127.0.0.1:"$2" $J_ARGS --duration "$3" --warmup "$WARMUP" --quiet \
            --rxkad-keys "$KEYS" --level "$LEVEL" >"$4" 2>"$4.err" &
        ;;
    openafs)
        # shellcheck disable=SC2086
        timeout -k 5 $limit taskset -c $CLIENT_CPU "$CBIN/rxperf_client" -h 127.0.0.1 -p "$2" $C_ARGS \
            $C_UDPBUF -d "$3" -q -S "$LEVEL" -k "$KEYS" >"$4" 2>"$4.err" &
        ;;
    esac
    CLIENT_PID=$!
    wait "$CLIENT_PID" || rc=$?
    CLIENT_PID=""
    return $rc
}

# mbps OUT: the MB_per_sec of the client's RESULT line, empty if it failed
mbps() {
    local line
    line=$(grep '^RESULT' "$1" | tail -1 || true)
    if [ -z "$line" ] || ! echo "$line" | grep -q ' failed=0 '; then
        log "    failed: ${line:-no RESULT line} $(head -3 "$1.err" | tr '\n' ' ')"
        return 0
    fi
    echo "$line" | sed 's/.*MB_per_sec=\([0-9.]*\).*/\1/'
}

# stat FIGURES...: "median [min-max]" of the figures given, or "failed"
stat() {
    if [ $# -eq 0 ]; then echo "failed"; return; fi
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f [%.1f-%.1f]", m, v[1], v[NR] }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { if [ -n "$1" ] && [ -n "$2" ]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; else echo "-"; fi; }

echo "## rxkad $LEVEL: 1 MiB rxperf calls, MB/s (payload, 1 MB = 1e6 B), loopback, pinned"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`RUNS=$RUNS DURATION=$DURATION LEVEL=$LEVEL CASES=\"$CASES\" bench/crypt-bench.sh\`"
echo "- machine: $(nproc) CPUs, $(uname -sr); $(java -version 2>&1 | head -1); OpenAFS $(dpkg-query -W -f='${Version}' libopenafs-dev 2>/dev/null || echo '?')"
echo "- rxrpc commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- servers \`taskset -c $SERVER_CPU\`, clients \`taskset -c $CLIENT_CPU\`; ours = \`rxrpc-runtime.jar serve\` / \`rxperf\`; figure = median [min-max] of $RUNS rounds"
echo
echo "| case | C -> C server | C -> our server | ours / OpenAFS (server) | our client -> C server | ours / OpenAFS (client) | our client -> our server |"
echo "|---|---:|---:|---:|---:|---:|---:|"

declare -A PID PORT
for c in $CASES; do
    set_case "$c"
    for server in openafs ours; do
        PORT[$server]=$(free_port)
        log "case $c ($LABEL): starting $server on port ${PORT[$server]}"
        start_server "$server" "${PORT[$server]}" "$WORK/server-$server-$c.log"
        PID[$server]=$STARTED_PID
        run_client openafs "${PORT[$server]}" "$SERVER_WARMUP" "$WORK/warmup-$server-$c.out" ||
            log "  warm-up of $server failed: $(head -3 "$WORK/warmup-$server-$c.out.err" | tr '\n' ' ')"
        kill -STOP "$STARTED_PID"
    done
    cc=() co=() oc=() oo=()
    for run in $(seq 1 "$RUNS"); do
        order="openafs ours"
        [ $(( run % 2 )) = 1 ] || order="ours openafs"
        for server in $order; do
            kill -CONT "${PID[$server]}"
            sleep 0.2
            for client in openafs ours; do
                out=$WORK/run-$server-$client-$c-$run.out
                run_client "$client" "${PORT[$server]}" "$DURATION" "$out" || true
                v=$(mbps "$out")
                log "  round $run, client $client -> server $server: ${v:-failed} MB/s"
                [ -n "$v" ] || continue
                case $client-$server in
                openafs-openafs) cc+=("$v") ;;
                openafs-ours) co+=("$v") ;;
                ours-openafs) oc+=("$v") ;;
                ours-ours) oo+=("$v") ;;
                esac
            done
            kill -STOP "${PID[$server]}"
        done
    done
    for server in openafs ours; do stop_server "${PID[$server]}"; done
    mcc=$([ ${#cc[@]} -gt 0 ] && median "${cc[@]}" || true)
    mco=$([ ${#co[@]} -gt 0 ] && median "${co[@]}" || true)
    moc=$([ ${#oc[@]} -gt 0 ] && median "${oc[@]}" || true)
    echo "| $LABEL | $(stat ${cc[@]+"${cc[@]}"}) | $(stat ${co[@]+"${co[@]}"}) | $(ratio "$mco" "$mcc") |" \
        "$(stat ${oc[@]+"${oc[@]}"}) | $(ratio "$moc" "$mcc") | $(stat ${oo[@]+"${oo[@]}"}) |"
done
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg). DURATION=${DURATION}s per run; the Java client warms up ${WARMUP}s unrecorded."
