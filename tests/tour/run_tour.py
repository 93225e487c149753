"""Runs the README's tour and checks every claim it prints (ctest `readme_tour`).

    /usr/bin/python3 tests/tour/run_tour.py <build dir> <checkout>

The tour is the ```sh block after the marker `<!-- tour -->` in README.md. Each command (a
line, with `\\` continuations) runs in one bash session in a fresh scratch directory, with
`$AGGLO` the checkout and the build directory first on PATH, so nothing is written in the
checkout. The lines that follow a command and start with `#>` are its claims:

    #> text        the command's output (stdout and stderr) contains `text`
    #> exit N      the command exits with N (default 0)

Other comments are commentary (timings are measured here and printed, never asserted: the
machine is shared). Exits 1 when a claim fails, naming the command and showing its output.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


def tour_steps(readme: str):
    """[(command, [claims])] from the README's tour block."""
    text = open(readme, encoding="utf-8").read()
    m = re.search(r"<!-- tour -->\s*```sh\n(.*?)```", text, re.S)
    if not m:
        raise SystemExit("README.md has no <!-- tour --> ```sh block")
    steps, cmd = [], None
    lines = m.group(1).split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        i += 1
        stripped = line.strip()
        if stripped.startswith("#>"):
            if cmd is None:
                raise SystemExit(f"a claim before any command: {line}")
            steps[-1][1].append(stripped[2:].strip())
            continue
        if not stripped or stripped.startswith("#"):
            continue
        # A command, with its continuation lines; a trailing "# comment" is commentary.
        full = line
        while i < len(lines) and (full.endswith("\\") or full.count("'") % 2 == 1):
            if full.endswith("\\"):
                full = full[:-1] + " " + lines[i].strip()
            else:  # inside a single-quoted string that spans lines (python -c '…')
                full = full + "\n" + lines[i]
            i += 1
        cmd = full
        steps.append((cmd, []))
    return steps


def main(build: str, checkout: str) -> int:
    build, checkout = os.path.abspath(build), os.path.abspath(checkout)
    steps = tour_steps(os.path.join(checkout, "README.md"))
    scratch = tempfile.mkdtemp(prefix="agglo-tour.")
    # The tour starts in the checkout as a user would (its first line exports $AGGLO=$PWD and
    # puts build/ on PATH, then cds into `mktemp -d`); TMPDIR keeps that directory ours.
    os.makedirs(f"{scratch}/tmp")
    env = dict(os.environ, PATH=build + os.pathsep + os.environ.get("PATH", ""), TMPDIR=f"{scratch}/tmp")
    env.pop("AGGLO_DATA_DIR", None)
    # One bash session keeps `cd` and `export`; each command's output goes to its own file.
    script = ["set +e", f"cd {checkout}"]
    for k, (cmd, _) in enumerate(steps):
        script.append(f"__t0=$(date +%s.%N); {{ {cmd}\n}} > {scratch}/.out{k} 2>&1; echo $? > {scratch}/.rc{k}; "
                      f"echo $(date +%s.%N) $__t0 > {scratch}/.time{k}")
    def untracked():
        st = subprocess.run(["git", "-C", checkout, "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True)
        return None if st.returncode else {l for l in st.stdout.splitlines() if l.startswith("??")}

    before = untracked()
    failed = 0
    t0 = time.monotonic()
    try:
        subprocess.run(["bash", "-c", "\n".join(script)], env=env, cwd=checkout, check=False, timeout=3000)
        for k, (cmd, claims) in enumerate(steps):
            if not os.path.exists(f"{scratch}/.out{k}"):
                failed += 1
                print(f"FAIL          {cmd[:110]}\n       did not run (the tour stopped before it)")
                continue
            out = open(f"{scratch}/.out{k}", encoding="utf-8", errors="replace").read()
            rc = int(open(f"{scratch}/.rc{k}").read().strip() or -1)
            t1, t_start = map(float, open(f"{scratch}/.time{k}").read().split())
            want_rc = 0
            problems = []
            for c in claims:
                if c.startswith("exit "):
                    want_rc = int(c.split()[1])
                elif c not in out:
                    problems.append(f"output lacks: {c}")
            if rc != want_rc:
                problems.append(f"exit {rc}, expected {want_rc}")
            status = "ok  " if not problems else "FAIL"
            print(f"{status} {t1 - t_start:6.1f} s  {cmd[:110]}")
            if problems:
                failed += 1
                for p in problems:
                    print(f"       {p}")
                print("       --- output ---")
                for line in out.splitlines()[:30]:
                    print(f"       {line}")
        # Nothing may be written in the checkout (beyond build/).
        after = untracked()
        if before is not None and after is not None:
            new = sorted(l for l in after - before if not l[3:].startswith(("build", ".ccache")))
            if new:
                failed += 1
                print("FAIL the tour wrote into the checkout:", *new, sep="\n       ")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    n = len(steps)
    print(f"{n - failed if failed <= n else 0} of {n} tour steps ok, {failed} failed ({time.monotonic() - t0:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
