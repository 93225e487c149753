#!/usr/bin/python3
"""Summarises the raw runs of bench/csv_ingest.sh: appends them to the results CSV and prints
the side-by-side table (and, for the memory mode, the peak-RSS-per-row table).

usage: ingest_table.py RAW.tsv RESULTS.csv CORES LOADAVG [COMMIT]

ratio_vs_pandas       = median seconds of pandas read_csv+duplicated on the same file / seconds
ratio_vs_pandas_plain = the same against plain pandas read_csv
(> 1 means agglo is faster). Pandas medians come from this invocation, or else from earlier
rows of RESULTS for the same file and size. MB are 10^6 bytes. cpu_seconds = user + system
time of the process; idle_pct_before = share of the machine's CPU idle just before the run.
"""
import csv
import datetime
import os
import statistics
import sys

TOOL_NAMES = {
    ("agglo", "2"): "agglo validate",
    ("agglo", "1"): "agglo validate",
    ("pandas", "dup"): "pandas read_csv+duplicated",
    ("pandas", "plain"): "pandas read_csv",
}
PANDAS_DUP = "pandas read_csv+duplicated"
PANDAS_PLAIN = "pandas read_csv"
FIELDS = ["tool", "threads", "file_mb", "rows", "seconds", "mb_per_s", "peak_rss_mb",
          "ratio_vs_pandas", "ratio_vs_pandas_plain", "file", "run", "status", "date", "cores",
          "loadavg", "cpu_seconds", "idle_pct_before", "commit"]


def main() -> int:
    raw_path, results_path, cores, loadavg = sys.argv[1:5]
    commit = sys.argv[5] if len(sys.argv) > 5 else ""
    date = datetime.datetime.now().isoformat(timespec="seconds")
    runs = []
    with open(raw_path) as f:
        for line in f:
            (label, size, kind, arg, threads, run, secs, rss_kb, rows, status, cpu,
             idle) = line.rstrip("\n").split("\t")
            tool = TOOL_NAMES.get((kind, arg), f"{kind} {arg}")
            file_mb = int(size) / 1e6
            secs_f = float(secs) if secs else float("nan")
            runs.append({
                "tool": tool, "threads": threads, "file_mb": f"{file_mb:.1f}", "rows": rows,
                "seconds": f"{secs_f:.2f}",
                "mb_per_s": f"{file_mb / secs_f:.1f}" if secs and status == "ok" else "",
                "peak_rss_mb": f"{int(rss_kb) / 1024:.0f}" if rss_kb else "",
                "file": label, "run": run, "status": status, "date": date, "cores": cores,
                "loadavg": loadavg.replace(" ", "/"),
                "cpu_seconds": f"{float(cpu):.2f}" if cpu else "", "idle_pct_before": idle, "commit": commit,
            })

    previous = []
    if os.path.exists(results_path):
        with open(results_path) as f:
            previous = list(csv.DictReader(f))

    def pandas_median(tool, label, file_mb):
        for pool in (runs, previous):
            xs = [float(r["seconds"]) for r in pool if r["tool"] == tool and r["file"] == label
                  and r["file_mb"] == file_mb and r["status"] == "ok"]
            if xs:
                return statistics.median(xs)
        return None

    for r in runs:
        for col, tool in (("ratio_vs_pandas", PANDAS_DUP), ("ratio_vs_pandas_plain", PANDAS_PLAIN)):
            m = pandas_median(tool, r["file"], r["file_mb"])
            r[col] = f"{m / float(r['seconds']):.2f}" if m and r["status"] == "ok" else ""

    os.makedirs(os.path.dirname(os.path.abspath(results_path)), exist_ok=True)
    header_ok = False
    if os.path.exists(results_path):
        with open(results_path) as f:
            header_ok = f.readline().strip() == ",".join(FIELDS)
    if header_ok:
        with open(results_path, "a", newline="") as f:
            csv.DictWriter(f, fieldnames=FIELDS).writerows(runs)
    else:  # new file, or one written with older columns: rewrite it with the current header
        with open(results_path + ".tmp", "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=FIELDS, restval="", extrasaction="ignore")
            w.writeheader()
            w.writerows(previous + runs)
        os.replace(results_path + ".tmp", results_path)

    # Side-by-side summary: median over the runs of this invocation.
    groups = {}
    for r in runs:
        groups.setdefault((r["file"], r["tool"], r["threads"]), []).append(r)
    print(f"\nCSV ingest ({cores} cores, load average {loadavg}); medians over runs; "
          f"ratio > 1 means faster than pandas")
    hdr = f"{'file':6} {'tool':28} {'thr':>3} {'MB':>7} {'rows':>10} {'runs':>4} {'s (median)':>10} " \
          f"{'MB/s':>7} {'peak RSS MB':>11} {'vs pandas+dup':>13} {'vs pandas':>9}"
    print(hdr)
    print("-" * len(hdr))
    for (label, tool, threads), rs in groups.items():
        ok = [r for r in rs if r["status"] == "ok"]
        if not ok:
            print(f"{label:6} {tool:28} {threads:>3} {rs[0]['file_mb']:>7} {'':>10} {len(rs):>4} "
                  f"{'> ' + rs[0]['seconds']:>10}  ({rs[0]['status']})")
            continue
        secs = statistics.median(float(r["seconds"]) for r in ok)
        mb = float(ok[0]["file_mb"])
        rss = max(float(r["peak_rss_mb"]) for r in ok if r["peak_rss_mb"])
        d = pandas_median(PANDAS_DUP, label, ok[0]["file_mb"])
        p = pandas_median(PANDAS_PLAIN, label, ok[0]["file_mb"])
        print(f"{label:6} {tool:28} {threads:>3} {mb:>7.0f} {ok[0]['rows']:>10} {len(ok):>4} "
              f"{secs:>10.2f} {mb / secs:>7.1f} {rss:>11.0f} "
              f"{(f'{d / secs:.2f}' if d else ''):>13} {(f'{p / secs:.2f}' if p else ''):>9}")

    # Memory boundedness: peak RSS per row kept vs per MB of file, for agglo validate.
    mem = [r for r in previous + runs if r["tool"] == "agglo validate" and r["status"] == "ok"
           and r["threads"] == "2" and r["file"] in ("full", "half", "wide") and r["peak_rss_mb"]]
    if any(r["file"] in ("half", "wide") for r in runs):
        latest = {}
        for r in mem:  # chronological: the latest run of each file wins, same engine preferred
            if r.get("commit", "") == commit or latest.get(r["file"], {}).get("commit", "") != commit:
                latest[r["file"]] = r
        print("\nMemory: agglo validate --threads 2, peak RSS against rows kept and file size")
        print(f"{'file':6} {'MB':>7} {'rows':>10} {'peak RSS MB':>11} {'RSS bytes/row':>13} "
              f"{'RSS / file size':>15}  engine")
        for label in ("full", "half", "wide"):
            r = latest.get(label)
            if not r:
                continue
            rss = float(r["peak_rss_mb"]) * 1024 * 1024
            print(f"{label:6} {float(r['file_mb']):>7.0f} {r['rows']:>10} {float(r['peak_rss_mb']):>11.0f} "
                  f"{rss / int(r['rows']):>13.0f} {rss / (float(r['file_mb']) * 1e6):>15.2f}  {r.get('commit', '')}")
    print(f"\nappended {len(runs)} rows to {results_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
