#!/usr/bin/env python3
"""Prints the markdown report of bench/run-bench.sh from the records it wrote.

runs.tsv      case, label, server, client, round, server CPU ticks over the run, wall seconds, RESULT line
pingpong.tsv  datagrams in flight, round, PINGPONG line (or "PINGPONG failed")
alloc.tsv     case, label, serve CPU ticks, wall seconds, our Java client's RESULT line, serve's STATS line
endpoints.txt our Felix runtime's "Rx endpoint on ... (...)" log lines
"""
import argparse
import re
import statistics
from collections import OrderedDict

# issue 10: ours / OpenAFS with the OpenAFS C client, per case
TARGETS = {"rpc-c1": 1.1, "rpc-c32": 2.0, "newconn-c8": 2.0, "send1m-c4": 1.0, "recv1m-c4": 1.2}
SERVER_NAMES = {"ours": "ours", "openafs": "OpenAFS"}
CLIENT_NAMES = {"ours": "ours (Java)", "openafs": "OpenAFS (C)"}
RX_DATAGRAMS_PER_CALL = 3  # request, reply, and the ACK that completes the call


def key_values(line):
    return {k: float(v) for k, v in re.findall(r"(\w+)=(-?[\d.]+)", line)}


def is_bulk(case):
    return case.startswith("send") or case.startswith("recv")


def figure_key(case):
    return ("MB_per_sec", "MB/s") if is_bulk(case) else ("calls_per_sec", "calls/s")


def succeeded(run):
    return run["kv"].get("failed", -1) >= 0 and run["kv"].get("ok", 0) > 0


def fmt(v, kind):
    if v is None:
        return "n/a"
    if kind == "int":
        return "%d" % round(v)
    if kind == "rate":
        return "%.0f" % v if v >= 1000 else "%.1f" % v
    if kind == "mb":
        return "%.1f" % v if v >= 10 else "%.3f" % v
    if kind == "ratio":
        return "%.2f" % v
    if kind == "us":
        return "%.1f" % v if v >= 10 else "%.2f" % v
    if kind == "pct":
        return "%.0f%%" % v
    return str(v)


def spread(values, kind):
    """median [min-max], or the single value, or n/a"""
    if not values:
        return "n/a"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt(med, kind)
    return "%s [%s-%s]" % (fmt(med, kind), fmt(min(values), kind), fmt(max(values), kind))


def median(values):
    return statistics.median(values) if values else None


class Runs:
    def __init__(self, path, clk_tck):
        self.by = OrderedDict()  # (case, server, client) -> [run]
        self.labels = OrderedDict()
        for line in open(path):
            case, label, server, client, rnd, ticks, wall, result = line.rstrip("\n").split("\t", 7)
            self.labels[case] = label
            self.by.setdefault((case, server, client), []).append(
                {"round": int(rnd), "cpu_s": int(ticks) / clk_tck, "wall": float(wall), "kv": key_values(result)})

    def cases(self):
        return list(self.labels)

    def get(self, case, server, client):
        return self.by.get((case, server, client), [])

    def values(self, case, server, client, key):
        return [r["kv"][key] for r in self.get(case, server, client) if succeeded(r) and key in r["kv"]]

    def by_round(self, case, server, client, key):
        return {r["round"]: r["kv"][key] for r in self.get(case, server, client) if succeeded(r) and key in r["kv"]}

    def cpu_us_per_call(self, run):
        calls = run["kv"].get("calls", 0)
        return run["cpu_s"] * 1e6 / calls if succeeded(run) and calls > 0 else None

    def cpu_values(self, case, server, client):
        return [v for v in (self.cpu_us_per_call(r) for r in self.get(case, server, client)) if v is not None]

    def busy_values(self, case, server, client):
        return [100.0 * r["cpu_s"] / r["wall"] for r in self.get(case, server, client) if succeeded(r) and r["wall"] > 0]

    def client_busy_values(self, case, server, client):
        """the client's CPU time (client_cpu_s, the C client's /usr/bin/time) / the run's wall time"""
        return [100.0 * r["kv"]["client_cpu_s"] / r["wall"] for r in self.get(case, server, client)
                if succeeded(r) and r["wall"] > 0 and "client_cpu_s" in r["kv"]]


def ratio_cell(runs, case, client, key):
    """ours/OpenAFS of the medians, with the min-max of the per-round ratios; and the ratio itself"""
    ours, theirs = runs.values(case, "ours", client, key), runs.values(case, "openafs", client, key)
    if not ours or not theirs or median(theirs) == 0:
        return "n/a", None
    ratio = median(ours) / median(theirs)
    a, b = runs.by_round(case, "ours", client, key), runs.by_round(case, "openafs", client, key)
    per_round = [a[r] / b[r] for r in a if r in b and b[r] > 0]
    if len(per_round) > 1:
        return "%.2f [%.2f-%.2f]" % (ratio, min(per_round), max(per_round)), ratio
    return "%.2f" % ratio, ratio


def client_tables(runs):
    kinds = {"calls/s": "rate", "MB/s": "mb"}
    print("### 1. OpenAFS C client (rxperf_client) against both servers")
    print()
    print("ours / OpenAFS = ratio of the medians [min-max of the per-round ratios]; target from issue 10.")
    print()
    print("| case | figure | ours | OpenAFS | ours / OpenAFS | target | met |")
    print("|---|---|---:|---:|---:|---:|---|")
    for case in runs.cases():
        key, unit = figure_key(case)
        cell, ratio = ratio_cell(runs, case, "openafs", key)
        target = TARGETS.get(case)
        met = "-" if target is None or ratio is None else ("**yes**" if ratio >= target else "no")
        print("| %s | %s | %s | %s | %s | %s | %s |" % (
            runs.labels[case], unit,
            spread(runs.values(case, "ours", "openafs", key), kinds[unit]),
            spread(runs.values(case, "openafs", "openafs", key), kinds[unit]),
            cell, ">= %.1f" % target if target else "-", met))
    print()
    print("### 2. Our Java client (rxperf) against both servers")
    print()
    print("| case | figure | ours | OpenAFS | ours / OpenAFS | Java / C client, our server | Java / C client, OpenAFS server |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for case in runs.cases():
        key, unit = figure_key(case)
        cell, _ = ratio_cell(runs, case, "ours", key)
        java_vs_c = []
        for server in ("ours", "openafs"):
            j, c = runs.values(case, server, "ours", key), runs.values(case, server, "openafs", key)
            java_vs_c.append(fmt(median(j) / median(c), "ratio") if j and c and median(c) > 0 else "n/a")
        print("| %s | %s | %s | %s | %s | %s | %s |" % (
            runs.labels[case], unit,
            spread(runs.values(case, "ours", "ours", key), kinds[unit]),
            spread(runs.values(case, "openafs", "ours", key), kinds[unit]),
            cell, java_vs_c[0], java_vs_c[1]))
    print()


def pingpong_table(path, runs):
    rates = OrderedDict()
    failed = 0
    for line in open(path):
        n, _, result = line.rstrip("\n").split("\t", 2)
        kv = key_values(result)
        if "round_trips_per_sec" in kv:
            rates.setdefault(int(n), []).append(kv["round_trips_per_sec"])
        else:
            rates.setdefault(int(n), [])
            failed += 1
    if not rates:
        return
    print("### 3. The UDP ping-pong limit (udp_pingpong.c, same pinning)")
    print()
    print("4-byte datagrams in flight on ONE socket pair (a connected client socket, one echo server socket),")
    print("one system call per datagram at both ends. A round trip is two datagrams.")
    print()
    print("| datagrams in flight | round trips/s | datagrams/s |")
    print("|---:|---:|---:|")
    for n, vals in rates.items():
        print("| %d | %s | %s |" % (n, spread(vals, "rate"), spread([2 * v for v in vals], "rate")))
    if failed:
        print()
        print("(%d ping-pong runs lost an echo and have no figure.)" % failed)
    top = max(rates)
    if rates[top]:
        ceiling = 2 * median(rates[top]) / RX_DATAGRAMS_PER_CALL
        print()
        line = ("Rx ceiling: %s datagrams/s at %d in flight / %d datagrams per call = **%s calls/s**." % (
            fmt(2 * median(rates[top]), "rate"), top, RX_DATAGRAMS_PER_CALL, fmt(ceiling, "rate")))
        shares = []
        for server in ("ours", "openafs"):
            v = runs.values("rpc-c32", server, "openafs", "calls_per_sec")
            if v:
                shares.append("%s %s calls/s = **%s**" % (
                    SERVER_NAMES[server], fmt(median(v), "rate"), fmt(100 * median(v) / ceiling, "pct")))
        if shares:
            line += " Small RPC c=32 with the C client: " + ", ".join(shares) + " of it."
        print(line)
    print()


def cpu_table(runs, clk_tck):
    print("### 4. Server CPU per call (C client runs)")
    print()
    print("utime + stime of the whole server process (all threads, /proc/PID/stat, %d ticks/s) over the C" % clk_tck)
    print("client's run, divided by the calls it counted; busy = that CPU time / the run's wall time. C client")
    print("busy = the C client's own CPU time (/usr/bin/time) / the same wall time: a side near 100% is the limit.")
    print()
    print("| case | ours us/call | OpenAFS us/call | ours / OpenAFS | ours busy | OpenAFS busy |"
          " C client busy, our server | C client busy, OpenAFS server |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for case in runs.cases():
        ours, theirs = runs.cpu_values(case, "ours", "openafs"), runs.cpu_values(case, "openafs", "openafs")
        ratio = fmt(median(ours) / median(theirs), "ratio") if ours and theirs and median(theirs) > 0 else "n/a"
        print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            runs.labels[case], spread(ours, "us"), spread(theirs, "us"), ratio,
            spread(runs.busy_values(case, "ours", "openafs"), "pct"),
            spread(runs.busy_values(case, "openafs", "openafs"), "pct"),
            spread(runs.client_busy_values(case, "ours", "openafs"), "pct"),
            spread(runs.client_busy_values(case, "openafs", "openafs"), "pct")))
    print()


def alloc_table(path, clk_tck):
    rows = [line.rstrip("\n").split("\t", 5) for line in open(path)]
    if not rows:
        return
    print("### 5. Bytes allocated on our I/O thread per incoming call (plain-JVM `serve`, our Java client)")
    print()
    print("The STATS line of `rxrpc-runtime.jar serve` (the same transport without OSGi) at SIGTERM; its window")
    print("opens after --warmup-calls served calls (20000 small, 300 bulk).")
    print()
    print("| case | I/O-thread bytes / incoming call | window calls | Java client calls/s | serve CPU us/call |")
    print("|---|---:|---:|---:|---:|")
    for case, label, ticks, wall, result, stats in rows:
        kv, st = key_values(result), dict(re.findall(r"(\w+)=(\S+)", stats))
        ok = kv.get("failed", -1) >= 0 and kv.get("ok", 0) > 0
        cpu = int(ticks) / clk_tck * 1e6 / kv["calls"] if ok and kv.get("calls", 0) > 0 else None
        print("| %s | **%s** | %s | %s | %s |" % (
            label, st.get("io_bytes_per_incoming_call", "n/a"), st.get("alloc_window_calls", "n/a"),
            fmt(kv["calls_per_sec"], "rate") if ok else "n/a", fmt(cpu, "us")))
    print()
    print("```")
    for row in rows:
        print("%-11s %s" % (row[0], row[5]))
    print("```")
    print()


def detail_table(runs):
    print("### 6. Every run")
    print()
    print("| case | server | client | calls/s | MB/s | p50 us | p99 us | max us | failed | server CPU us/call |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (case, server, client), rs in runs.by.items():
        failed = sum(int(r["kv"].get("failed", 0)) for r in rs if r["kv"].get("failed", 0) >= 0)
        missing = sum(1 for r in rs if r["kv"].get("failed", 0) < 0)
        cpu = spread(runs.cpu_values(case, server, client), "us") if client == "openafs" else "-"
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            runs.labels[case], SERVER_NAMES.get(server, server), CLIENT_NAMES.get(client, client),
            spread(runs.values(case, server, client, "calls_per_sec"), "rate"),
            spread(runs.values(case, server, client, "MB_per_sec"), "mb"),
            spread(runs.values(case, server, client, "p50_us"), "int"),
            spread(runs.values(case, server, client, "p99_us"), "int"),
            spread(runs.values(case, server, client, "max_us"), "int"),
            str(failed) + (" (+%d runs without RESULT)" % missing if missing else ""), cpu))
    print()
    print("Server CPU per call is given for C-client runs only: the Java client's warm-up calls are served")
    print("but not counted.")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clk-tck", type=int, required=True)
    ap.add_argument("--runs", required=True)
    ap.add_argument("--pingpong", required=True)
    ap.add_argument("--alloc", required=True)
    ap.add_argument("--endpoints", required=True)
    args = ap.parse_args()

    runs = Runs(args.runs, args.clk_tck)
    paths = OrderedDict()
    for line in open(args.endpoints):
        m = re.search(r"\((.*)\)", line)
        if m:
            paths[m.group(1)] = True
    if paths:
        print("Our rxperf endpoint: %s." % "; ".join(paths))
        print()
    if runs.cases():
        client_tables(runs)
    pingpong_table(args.pingpong, runs)
    if runs.cases():
        cpu_table(runs, args.clk_tck)
    alloc_table(args.alloc, args.clk_tck)
    if runs.cases():
        detail_table(runs)


if __name__ == "__main__":
    main()
