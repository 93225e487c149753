"""docs/python.md is runnable: its ```python blocks run in order, in one namespace, in a scratch
directory (AGGLO = the checkout, as in the README tour), and each block's assertions hold."""

import os
import re

import pytest


def blocks(text):
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_tutorial_blocks_run(source, tmp_path, monkeypatch):
    text = (source / "docs/python.md").read_text(encoding="utf-8")
    code = blocks(text)
    assert len(code) >= 8, "docs/python.md lost its code blocks"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AGGLO", str(source))
    namespace = {"__name__": "__tutorial__"}
    for i, block in enumerate(code, 1):
        try:
            exec(compile(block, f"docs/python.md block {i}", "exec"), namespace)
        except Exception as e:  # name the block, show its first line
            first = block.strip().splitlines()[0]
            pytest.fail(f"docs/python.md block {i} ({first!r}) raised {type(e).__name__}: {e}")
    # nothing was written into the checkout
    assert not (source / "tiny").exists()
    assert os.listdir(tmp_path), "the tutorial wrote nothing in its scratch directory"
