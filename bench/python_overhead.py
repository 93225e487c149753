#!/usr/bin/python3
"""Python side of bench/python_overhead.sh: what calling agglo from Python costs.

  PYTHONPATH=build/python /usr/bin/python3 bench/python_overhead.py AGGLO_BIN NATIONAL_DIR WORK_DIR REPEATS RESULTS

1. Overhead: the same work from the CLI (`agglo OP ... -o WORK/cli.csv`, a fresh process, wall
   clock) and from Python in this process (`agglo.OP(...)` then `result.write(WORK/py.csv)`,
   wall clock; `import agglo` is timed once, separately). Runs alternate CLI, Python, CLI, …;
   the median of REPEATS each is reported, and the two outputs are checked byte-identical.
   Then the cost of turning the result's tables into DataFrames (`result.tables`), which the
   CLI has no counterpart for, is timed on its own. 1b: the same with a fresh Python
   process per call (interpreter start + import agglo + call + write) against the CLI.
2. DataFrame in vs CSV in: `agglo.concentrate` on the 2,001,726 establishments, given the CSV
   path (the engine reads it) or a DataFrame already in memory (`pd.read_csv` beforehand, not
   timed; its time is printed for context): the DataFrame must cost less.

Besides wall-clock time, each run's CPU time (user + system, all threads: getrusage of the
child for the CLI, of this process for Python) is measured: on a shared machine the wall
clock of a 2-thread run swings with the other load, while the CPU time a run needs barely
does, so the CPU ratio is the sharper measure of the overhead.

Prints a table and appends CSV lines to RESULTS:
date,commit,idle_pct,case,cli_s,python_s,ratio,note
"""
import datetime
import os
import re
import resource
import statistics
import subprocess
import sys
import time

AGGLO_BIN, NAT, WORK, REPEATS, RESULTS = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
COMMIT = os.environ.get("AGGLO_COMMIT", "")
IDLE = os.environ.get("AGGLO_IDLE", "")

t0 = time.perf_counter()
import agglo  # noqa: E402

IMPORT_S = time.perf_counter() - t0
import pandas as pd  # noqa: E402

# (case, CLI words, Python function, keyword arguments): the same work on the national preset.
CASES = [
    ("specialize", ["specialize", "--employment", f"{NAT}/employment.csv"],
     agglo.specialize, dict(employment=f"{NAT}/employment.csv")),
    ("concentrate", ["concentrate", "--establishments", f"{NAT}/establishments.csv"],
     agglo.concentrate, dict(establishments=f"{NAT}/establishments.csv")),
    ("complexity", ["complexity", "--exports", f"{NAT}/exports.csv"],
     agglo.complexity, dict(exports=f"{NAT}/exports.csv")),
    ("network", ["network", "--nodes", f"{NAT}/nodes.csv", "--edges", f"{NAT}/edges.csv"],
     agglo.network, dict(nodes=f"{NAT}/nodes.csv", edges=f"{NAT}/edges.csv")),
    ("dbscan", ["dbscan", "--establishments", f"{NAT}/establishments.csv", "--eps", "1", "--min-points", "50"],
     agglo.dbscan, dict(establishments=f"{NAT}/establishments.csv", eps=1.0, min_points=50)),
]

# AGGLO_BENCH_CASES=network,dbscan runs only those cases of part 1 (and skips 1b and 2
# unless they are named: "fresh", "dataframe").
ONLY = [c for c in os.environ.get("AGGLO_BENCH_CASES", "").split(",") if c]
if ONLY:
    CASES = [c for c in CASES if c[0] in ONLY]

rows = []


def stable(path):
    """A file's bytes without the run's timings (summary.json's "seconds")."""
    data = open(path, "rb").read()
    return re.sub(rb'"seconds": (\{[^}]*\}|[0-9.e+-]+)', b"", data) if path.endswith(".json") else data


def record(case, cli_s, py_s, note):
    ratio = py_s / cli_s if cli_s else float("nan")
    rows.append((case, cli_s, py_s, ratio, note))
    print(f"{case:<28} CLI {cli_s:8.3f} s   Python {py_s:8.3f} s   ratio {ratio:6.3f}   {note}", flush=True)


def cpu(who):
    u = resource.getrusage(who)
    return u.ru_utime + u.ru_stime


CPU = {"cli": [], "py": []}  # CPU seconds of the runs of the current case


def cli_run(words, out):
    t, c = time.perf_counter(), cpu(resource.RUSAGE_CHILDREN)
    subprocess.run([AGGLO_BIN, *words, "-o", out, "--quiet"], check=True)
    CPU["cli"].append(cpu(resource.RUSAGE_CHILDREN) - c)
    return time.perf_counter() - t


def py_run(fn, kw, out):
    t, c = time.perf_counter(), cpu(resource.RUSAGE_SELF)
    r = fn(**kw, progress=False)
    r.write(out)
    CPU["py"].append(cpu(resource.RUSAGE_SELF) - c)
    return time.perf_counter() - t, r


print(f"import agglo: {IMPORT_S:.3f} s (once per process; not in the ratios)")
for case, words, fn, kw in CASES:
    ext = ".csv"
    cli_out, py_out = os.path.join(WORK, f"{case}_cli"), os.path.join(WORK, f"{case}_py")
    cli_times, py_times = [], []
    py_run(fn, kw, py_out)  # warm the page cache and the allocator once
    CPU["cli"].clear(), CPU["py"].clear()
    for _ in range(REPEATS):
        cli_times.append(cli_run(words, cli_out))
        s, r = py_run(fn, kw, py_out)
        py_times.append(s)
    same = all(stable(os.path.join(cli_out, f)) == stable(os.path.join(py_out, f)) for f in os.listdir(cli_out))
    assert same, f"{case}: the CLI and Python outputs differ"
    t = time.perf_counter()
    frames = {k: v for k, v in r.tables.items()}
    conv = time.perf_counter() - t
    n = sum(len(v) for v in frames.values())
    record(case, statistics.median(cli_times), statistics.median(py_times),
           f"wall, median of {REPEATS}; outputs identical; + {conv:.3f} s for DataFrames of {n:,} rows")
    record(f"{case} (CPU time)", statistics.median(CPU["cli"]), statistics.median(CPU["py"]),
           f"user+system seconds of all threads, median of {REPEATS}")

# 1b. The same from a fresh Python process (import agglo + the call + write), as a script
# would run it: the CLI against `python3 -c 'import agglo; agglo.OP(...).write(...)'`.
for case, words, fn, kw in (CASES[:3] if not ONLY or "fresh" in ONLY else []):
    code = (f"import agglo; agglo.{fn.__name__}(**{kw!r}, progress=False)"
            f".write({os.path.join(WORK, case + '_fresh')!r})")
    cli_times, py_times = [], []
    for _ in range(REPEATS):
        cli_times.append(cli_run(words, os.path.join(WORK, f"{case}_cli")))
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        py_times.append(time.perf_counter() - t)
    record(f"{case} (fresh process)", statistics.median(cli_times), statistics.median(py_times),
           f"median of {REPEATS}; Python = interpreter start + import agglo + call + write")

# 2. A 2-million-row DataFrame in, against the same CSV.
if not ONLY or "dataframe" in ONLY:
    est = f"{NAT}/establishments.csv"
    t = time.perf_counter()
    df = pd.read_csv(est, dtype={"id": str, "industry": str, "region": str})
    pandas_s = time.perf_counter() - t
    csv_times, df_times = [], []
    agglo.concentrate(establishments=est, progress=False)
    csv_cpu, df_cpu = [], []
    for _ in range(REPEATS):
        t, c = time.perf_counter(), cpu(resource.RUSAGE_SELF)
        a = agglo.concentrate(establishments=est, progress=False)
        csv_times.append(time.perf_counter() - t)
        csv_cpu.append(cpu(resource.RUSAGE_SELF) - c)
        t, c = time.perf_counter(), cpu(resource.RUSAGE_SELF)
        b = agglo.concentrate(establishments=df, progress=False)
        df_times.append(time.perf_counter() - t)
        df_cpu.append(cpu(resource.RUSAGE_SELF) - c)
    a.write(os.path.join(WORK, "from_csv.csv"))
    b.write(os.path.join(WORK, "from_df.csv"))
    same = open(os.path.join(WORK, "from_csv.csv"), "rb").read() == open(os.path.join(WORK, "from_df.csv"), "rb").read()
    assert same, "concentrate from the DataFrame and from the CSV differ"
    record(f"DataFrame vs CSV ({len(df):,} rows)", statistics.median(csv_times), statistics.median(df_times),
           f"concentrate; 'CLI' column = CSV path, 'Python' = DataFrame; pandas.read_csv took {pandas_s:.2f} s")
    record(f"DataFrame vs CSV, CPU time", statistics.median(csv_cpu), statistics.median(df_cpu),
           f"user+system seconds of all threads, median of {REPEATS}")


now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
new = not os.path.exists(RESULTS)
with open(RESULTS, "a") as f:
    if new:
        f.write("date,commit,idle_pct,case,cli_s,python_s,ratio,note\n")
    for case, c, p, ratio, note in rows:
        f.write(f'{now},{COMMIT},{IDLE},"{case}",{c:.4f},{p:.4f},{ratio:.4f},"{note}"\n')
