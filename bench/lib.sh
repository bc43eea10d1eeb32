# lib.sh - what run-bench.sh and crypt-bench.sh share: sourced after each defines log() and sets
# LIVE_PIDS / CLIENT_PID (the processes cleanup_processes ends) and BENCH_LOCK.

# A free UDP port on 127.0.0.1 (the kernel's choice; released before the server binds it).
free_port() {
    python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# end_process PID: resumes it (a paused server cannot act on SIGTERM), asks it to end, waits up to 10 s,
# then kills it; returns 1 if it had to be killed.
end_process() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    return 1
}

# Ends the client and every server still running (for the EXIT trap).
cleanup_processes() {
    local pid
    for pid in $CLIENT_PID $LIVE_PIDS; do end_process "$pid" || true; done
}

# await_server NAME LOG READY TRIES: waits (0.1 s a try) until LOG holds READY while STARTED_PID lives;
# otherwise prints the log and exits 1.
await_server() {
    for _ in $(seq 1 "$4"); do
        if grep -q "$3" "$2" 2>/dev/null; then return 0; fi
        if ! kill -0 "$STARTED_PID" 2>/dev/null; then break; fi
        sleep 0.1
    done
    log "server $1 did not start:"
    cat "$2" >&2
    exit 1
}

# stop_server PID: ends a server started by start_server and forgets it.
stop_server() {
    end_process "$1" || log "server $1 ignored SIGTERM for 10 s: killed"
    wait "$1" 2>/dev/null || true
    LIVE_PIDS=$(echo " $LIVE_PIDS " | sed "s/ $1 / /")
}

# Holds BENCH_LOCK (fd 9) for the rest of the script, so that no Maven build shares the CPUs; empty: none.
take_bench_lock() {
    [ -n "$BENCH_LOCK" ] || return 0
    exec 9>>"$BENCH_LOCK"
    if ! flock -n 9; then
        log "waiting for $BENCH_LOCK (a Maven build is running)"
        flock 9
    fi
}
