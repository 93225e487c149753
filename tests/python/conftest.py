"""Shared fixtures of the Python module tests (run by ctest as `python_module`).

Environment (set by CMake): PYTHONPATH=build/python, AGGLO_BIN (the CLI), AGGLO_SOURCE (the
checkout). The tiny synthetic economy is generated once per session by the CLI.
"""

import os
import pathlib
import subprocess

import pytest

SOURCE = pathlib.Path(os.environ.get("AGGLO_SOURCE", pathlib.Path(__file__).resolve().parents[2]))
AGGLO_BIN = os.environ.get("AGGLO_BIN", str(SOURCE / "build" / "agglo"))


def run_cli(*args, cwd=None, check=True):
    """Runs the agglo CLI; returns the CompletedProcess."""
    p = subprocess.run([AGGLO_BIN, *map(str, args)], cwd=cwd, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"agglo {' '.join(map(str, args))} exited {p.returncode}:\n{p.stderr}")
    return p


@pytest.fixture(scope="session")
def source():
    return SOURCE


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """A tiny synthetic economy (seed 7), as in the README tour."""
    d = tmp_path_factory.mktemp("tiny")
    run_cli("synth", "--preset", "tiny", "--seed", "7", "-o", d / "tiny", "--quiet")
    return d / "tiny"
