#!/usr/bin/env python3
"""Kill trials: agglo killed at random moments never leaves a mixed or corrupt result.

For each kind of output (the whole `agglo demo` directory, a `synth` directory, a GeoPackage and a
CSV with side tables) the script starts the command with another seed than the result in place,
so that the new result differs from the old, and kills it at a moment drawn uniformly from the
command's running time:

* SIGKILL: afterwards the output is byte-identical either to the old result or to the complete
  new one (the swap is one rename), never a mix; GeoPackages are compared by their layers' rows
  (an existing GeoPackage is updated, so its bytes depend on its history) and must pass
  ``PRAGMA integrity_check``.
* SIGINT / SIGTERM: the exit code is 130, agglo's documented "cancelled" (or 0 when the run had
  already finished, or the signal itself when it arrived before the handlers were installed),
  never a crash signal, and the same old-or-new rule holds.

Both complete results (seeds 1 and 2) are computed first; each trial then writes the other one
over whichever is in place. After the trials one more run completes, and no temporary of the killed runs (``.NAME.tmp-PID-…``)
may remain: agglo removes stale temporaries whose process is dead.

    /usr/bin/python3 tests/reliability/kill_trials.py <agglo> [--trials N] [--seed S]

Prints one line per trial class with its count and exits 1 on the first violation (with the
trial's details). The default (3 trials per case and signal, 36 in all) runs in a few minutes on
the 2-core machine; docs/reliability.md records longer runs.
"""
import argparse
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time


def gpkg_content(path):
    """The layers of a GeoPackage: every table of gpkg_contents with its rows, in order. A
    GeoPackage output is updated in place (layers replaced, others kept, as a workspace is), so
    its bytes depend on the file's history; what must match is its content."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        for (table,) in con.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name"):
            h.update(table.encode() + b"\0")
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        con.close()


def tree_digest(path):
    """A digest of every file under path (names and bytes; GeoPackages by content); None when
    path does not exist."""
    if not os.path.exists(path):
        return None
    h = hashlib.sha256()
    if os.path.isfile(path):
        if path.endswith(".gpkg"):
            return gpkg_content(path)
        with open(path, "rb") as f:
            h.update(f.read())
        return h.hexdigest()
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            h.update(os.path.relpath(full, path).encode() + b"\0")
            if full.endswith(".gpkg"):
                h.update(gpkg_content(full).encode())
                continue
            with open(full, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def gpkg_ok(path):
    """PRAGMA integrity_check on every GeoPackage under path."""
    files = [path] if path.endswith(".gpkg") else [
        os.path.join(r, f) for r, _, fs in os.walk(path) for f in fs if f.endswith(".gpkg")]
    for f in files:
        con = sqlite3.connect(f"file:{f}?mode=ro", uri=True)
        try:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return f
        finally:
            con.close()
    return None


def temporaries(directory):
    """Names of agglo temporaries (".NAME.tmp-PID-…") anywhere under directory."""
    out = []
    for root, dirs, files in os.walk(directory):
        for name in dirs + files:
            if name.startswith(".") and ".tmp-" in name:
                out.append(os.path.join(root, name))
    return out


class Case:
    def __init__(self, name, argv, target, extra_targets=(), by_seed=None):
        self.name, self.argv, self.target = name, argv, target
        self.extra = list(extra_targets)  # side files written with the target (must move with it)
        # Options that differ between the two results, for commands whose result does not
        # depend on the seed (DBSCAN): {1: [...], 2: [...]}
        self.by_seed = by_seed or {}

    def args(self, seed):
        return self.argv + self.by_seed.get(seed, [])

    def digest(self):
        return tuple(tree_digest(t) for t in [self.target] + self.extra)


def run(agglo, argv, seed, cwd):
    return subprocess.run([agglo, "--quiet", "--seed", str(seed)] + argv, cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("agglo")
    ap.add_argument("--trials", type=int, default=3, help="trials per case and signal")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    agglo = os.path.abspath(a.agglo)
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="agglo-kill-")
    if run(agglo, ["synth", "--preset", "tiny", "-o", "tiny/"], 7, work).returncode != 0:
        sys.exit("FAIL: synth tiny")
    cases = [
        Case("demo directory", ["demo", "-o", "d"], os.path.join(work, "d")),
        Case("synth directory", ["synth", "--preset", "small", "-o", "s/"], os.path.join(work, "s")),
        Case("GeoPackage file", ["dbscan", "--establishments", "tiny/establishments.csv", "--min-points", "8",
                                 "-o", "p.gpkg"], os.path.join(work, "p.gpkg"),
             by_seed={1: ["--eps", "3"], 2: ["--eps", "4"]}),
        Case("CSV with side tables", ["mfunction", "--establishments", "tiny/establishments.csv",
                                      "--industry", "333618", "--simulations", "400", "--max-distance", "50",
                                      "-o", "m.csv"], os.path.join(work, "m.csv"),
             [os.path.join(work, "m.summary.json")]),
    ]
    total = 0
    for case in cases:
        # The two complete results: seed 2 first, then seed 1 (the state the trials start from).
        t0 = time.monotonic()
        for seed in (2, 1):
            done = run(agglo, case.args(seed), seed, work)
            if done.returncode != 0:
                sys.exit(f"FAIL {case.name}: seed {seed} exit {done.returncode}: {done.stderr[:400]}")
            if seed == 2:
                new = case.digest()
        duration = (time.monotonic() - t0) / 2
        old = case.digest()
        if old == new:
            sys.exit(f"FAIL {case.name}: both variants give the same result; the trial cannot tell them apart")
        complete = {old: "seed 1", new: "seed 2"}
        counts = {}
        seed = 2
        for sig in (signal.SIGKILL, signal.SIGINT, signal.SIGTERM):
            for trial in range(a.trials):
                before = case.digest()
                # Each trial writes the other complete result over the current one.
                seed = 1 if before == new else 2
                delay = rng.uniform(0.05, max(0.1, duration))
                p = subprocess.Popen([agglo, "--quiet", "--seed", str(seed)] + case.args(seed), cwd=work,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                time.sleep(delay)
                p.send_signal(sig)
                _, err = p.communicate()
                rc = p.returncode
                where = f"{case.name}, {signal.Signals(sig).name} after {delay:.2f} s (trial {trial})"
                # SIGINT and SIGTERM end in the documented "cancelled" exit code 130; a signal that
                # arrives while the process is still starting (before main installs its handlers,
                # tens of milliseconds of dynamic loading) ends it by the default action, -sig,
                # which is no crash either. Any other signal (SIGSEGV, SIGABRT) fails the trial.
                allowed = (0, -signal.SIGKILL) if sig == signal.SIGKILL else (0, 130, -int(sig))
                if rc not in allowed:
                    sys.exit(f"FAIL {where}: exit {rc}, expected one of {allowed}: {err[:400]}")
                now = case.digest()
                if now not in complete:
                    sys.exit(f"FAIL {where}: the output is neither the old nor the new complete result")
                if rc == 0 and complete[now] != f"seed {seed}":
                    sys.exit(f"FAIL {where}: exit 0 but the new result is not in place")
                bad = gpkg_ok(case.target) if os.path.exists(case.target) else None
                if bad:
                    sys.exit(f"FAIL {where}: {bad} fails PRAGMA integrity_check")
                name = signal.Signals(sig).name
                counts[name] = counts.get(name, 0) + 1
                total += 1
        # One complete run removes what the killed runs left behind.
        if run(agglo, case.args(1), 1, work).returncode != 0 or case.digest() != old:
            sys.exit(f"FAIL {case.name}: the final run does not reproduce the seed-1 result byte for byte")
        left = temporaries(work)
        if left:
            sys.exit(f"FAIL {case.name}: temporaries of killed runs remain: {left[:5]}")
        print(f"PASS {case.name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()) +
              f" trials (run time {duration:.1f} s); old or new result, intact, every time", flush=True)
    print(f"{total} kill trials survived")
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
