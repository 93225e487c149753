#!/usr/bin/env python3
"""Determinism over the registry: every operation, run twice with the same seed, once on one
thread and once on two, writes byte-identical files.

The operations and their arguments come from tests/python/operations.py (one line per
registered operation; a registered operation without a line fails there). Each operation runs
twice into a directory output (`-o DIR`: every table as CSV and summary.json; GeoPackage
outputs are covered by the kill trials, which compare them byte for byte too):

    agglo --seed 11 --threads 1 OP ARGS -o a/      agglo --seed 11 --threads 2 OP ARGS -o b/

and every file of a/ must equal its twin in b/. Results must not depend on the number of
threads (DESIGN.md, "Determinism": every draw comes from a stream keyed by seed, stream and
step) nor on the wall clock (timings are left out of results unless --timings is given). The
MPI rank count is checked by the tests in tests/mpi for the commands that use MPI.

    /usr/bin/python3 tests/reliability/determinism.py <agglo> <source-dir>

Prints one PASS/FAIL line per operation and "N operations deterministic"; exits 1 on failure.
"""
import filecmp
import os
import shlex
import subprocess
import sys
import tempfile


def main():
    agglo, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    sys.path.insert(0, os.path.join(src, "tests", "python"))
    from operations import OPERATIONS, OUTPUTS  # noqa: E402  (the shared per-operation arguments)

    listed = subprocess.run([agglo, "--help"], capture_output=True, text=True).stdout
    work = tempfile.mkdtemp(prefix="agglo-determinism-")
    tiny = os.path.join(work, "tiny")
    subprocess.run([agglo, "--quiet", "synth", "--preset", "tiny", "--seed", "7", "-o", tiny], check=True)
    places = {"tiny": tiny, "data": os.path.join(src, "data"), "good": os.path.join(src, "tests", "cli", "good"),
              "cases": os.path.join(src, "tests", "cases"), "tmp": work}
    failed = passed = 0
    for op, args in OPERATIONS.items():
        if op.split()[0] not in listed:
            continue  # not built into this binary (an optional back end)
        words = shlex.split(args.format(**places))
        outs = []
        for threads in (1, 2):
            out = os.path.join(work, f"{op.replace(' ', '_')}_{threads}")
            target = out + OUTPUTS.get(op, "out")[len("out"):]  # a file inside out/ for single-file outputs
            r = subprocess.run([agglo, "--quiet", "--seed", "11", "--threads", str(threads)] + op.split() + words +
                               ["-o", target], cwd=work, capture_output=True, text=True)
            if r.returncode != 0:
                print(f"FAIL {op}: exit {r.returncode} with --threads {threads}: {r.stderr.strip()[:300]}")
                failed += 1
                break
            outs.append(out)
        if len(outs) < 2:
            continue
        if os.path.isdir(outs[0]):
            names = sorted(os.path.relpath(os.path.join(r, f), outs[0]) for r, _, fs in os.walk(outs[0]) for f in fs)
            other = sorted(os.path.relpath(os.path.join(r, f), outs[1]) for r, _, fs in os.walk(outs[1]) for f in fs)
        else:
            names = other = [""]
        differ = [n for n in names if not filecmp.cmp(os.path.join(outs[0], n), os.path.join(outs[1], n), shallow=False)]
        if names != other or differ:
            print(f"FAIL {op}: 1 and 2 threads differ: " + (", ".join(differ[:5]) or "the file lists"))
            failed += 1
        else:
            print(f"PASS {op}: {len(names)} file(s) identical")
            passed += 1
    subprocess.run(["rm", "-rf", work])
    print(f"{passed} operations deterministic, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
