#!/usr/bin/env bash
# busy-c32.sh - does our Felix runtime send BUSY to the OpenAFS C client at c=32 (whose retry of a BUSY
# call waits 3.6 s)? (issue 10)
#
# Usage:   bench/busy-c32.sh [DIR] [ROUNDS] [SECONDS]
#
# DIR [runtime/target of this checkout] holds rxrpc-runtime.jar and bundles/. A fresh runtime (defaults)
# pinned to CPU 0; per round a fresh C rxperf client (small RPC 4 B / 4 B, c=32) pinned to CPU 1, while
# tcpdump counts the BUSY packets the server sends (Rx type 3). Prints per round: busy_sent and the client's
# RESULT line (max_us shows a 3.6 s stall). Environment: CBIN [built into a temp dir] the C peers.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/runtime/target}
ROUNDS=${2:-3}
SECS=${3:-5}
command -v tcpdump >/dev/null || { echo "tcpdump is needed" >&2; exit 2; }
W=$(mktemp -d)
SPID=""
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
if [ -z "${CBIN:-}" ]; then CBIN=$W/c; bash "$ROOT/itests/src/test/c/build.sh" "$CBIN" >&2; fi
mkdir -p "$W/etc" "$W/deploy"
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
taskset -c 0 java -Xms512m -Xmx512m -XX:+UseSerialGC -jar "$DIR/rxrpc-runtime.jar" run --bind 127.0.0.1 \
    --rxperf-port "$PORT" --cm-port 0 --vl-port 0 --etc "$W/etc" --deploy "$W/deploy" >"$W/server.log" 2>&1 &
SPID=$!
for _ in $(seq 1 100); do grep -q "started in" "$W/server.log" && break; sleep 0.1; done
for r in $(seq 1 "$ROUNDS"); do
    tcpdump -i lo -n -l "udp src port $PORT and udp[28] == 3" >"$W/busy-$r.txt" 2>/dev/null &
    TD=$!
    sleep 0.5
    res=$(taskset -c 1 "$CBIN/rxperf_client" -h 127.0.0.1 -p "$PORT" -m rpc -s 4 -r 4 -c 32 -d "$SECS" -q 2>&1 | grep RESULT)
    sleep 0.3
    kill "$TD"; wait "$TD" 2>/dev/null
    echo "round $r busy_sent=$(grep -c '^[0-9]' "$W/busy-$r.txt") $res"
done
