#!/usr/bin/env bash
# `pip install --no-build-isolation .` works offline (the README's two lines): a virtual
# environment made with --system-site-packages (numpy, pandas from Debian), pip with --no-index
# (nothing can be downloaded), setup.py driving the project's CMake build in BUILD (already
# built by ctest's build, so this only packages it: about 10 s). Then, from another directory,
# the installed package imports from the venv (not from the checkout), finds its bundled data
# and gives the CLI's bytes. Nothing is left in the checkout or in /tmp.
#
#   bash tests/python/pip_install.sh SOURCE_DIR BUILD_DIR AGGLO_BIN
set -euo pipefail
SRC=$(cd "$1" && pwd); BUILD=$(cd "$2" && pwd); AGGLO_BIN=$3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/agglo-pip.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
before=$(git -C "$SRC" status --porcelain --untracked-files=all 2>/dev/null | sort || true)

/usr/bin/python3 -m venv --system-site-packages "$WORK/venv"
cd "$WORK"
AGGLO_BUILD_DIR=$BUILD PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
  "$WORK/venv/bin/python" -m pip install --no-build-isolation --no-index --quiet "$SRC"

"$AGGLO_BIN" synth --preset tiny --seed 7 -o "$WORK/tiny" --quiet
"$AGGLO_BIN" specialize --employment "$WORK/tiny/employment.csv" -o "$WORK/cli.csv" --quiet
env -u PYTHONPATH -u AGGLO_DATA_DIR "$WORK/venv/bin/python" - "$WORK" <<'EOF'
import os, sys
work = sys.argv[1]
import agglo
here = os.path.dirname(agglo.__file__)
assert here.startswith(os.path.join(work, "venv")), f"agglo imported from {here}, not the venv"
assert os.path.isdir(os.path.join(here, "data", "names")), "the bundled data is not installed"
assert os.path.exists(os.path.join(here, "__init__.pyi")), "the type stubs are not installed"
import pandas as pd
df = pd.read_csv(os.path.join(work, "tiny", "employment.csv"), dtype={"region": str, "industry": str})
r = agglo.specialize(employment=df)
assert "industry_name" in r.table.columns  # names come from the installed data
r.write(os.path.join(work, "py.csv"))
print(f"agglo {agglo.__version__} from {here}: {len(agglo.operations())} operations")
EOF
cmp "$WORK/cli.csv" "$WORK/py.csv"
after=$(git -C "$SRC" status --porcelain --untracked-files=all 2>/dev/null | sort || true)
if [[ "$before" != "$after" ]]; then
  echo "pip install wrote into the checkout:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
echo "pip install --no-build-isolation: ok"
