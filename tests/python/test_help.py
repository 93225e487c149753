"""The Python functions cannot drift from the CLI: every `agglo X --help` flag is a keyword
argument of agglo.X with the same default and requiredness, the type stubs (.pyi) have the
same signatures as the functions, and help(agglo.X) carries the very text of `agglo X --help`
(the summary, every option's sentence with its choices, the description, the output, the
examples) laid out as numpydoc (Parameters / Returns / Examples sections)."""

import ast
import inspect
import os
import re

import pytest

import agglo
from agglo import _agglo
from agglo._api import py_name
from conftest import run_cli

REGISTRY = {op["name"]: op for op in _agglo.operations()}


def function(name):
    obj = agglo
    for part in name.split(" "):
        obj = getattr(obj, py_name(part))
    return obj


def parse_cli_help(text):
    """{flag: (placeholder, default or None, required, sentence)}, and the text blocks."""
    lines = text.splitlines()
    options, current = {}, None
    start = lines.index("Options:") + 1
    i = start
    while i < len(lines) and lines[i].strip():
        line = lines[i]
        # "--flag PLACEHOLDER=default REQUIRED   sentence"; placeholders are upper case (PATH,
        # TEXT, N, X, CHOICE, A,B,...; a default with spaces is quoted: TEXT="agglo report"), and a
        # long flag leaves one space before the sentence
        m = re.match(r'^  (-h,)?--([a-z0-9-]+)(?: ([A-Z][A-Z,.]*)(?:=("[^"]*"|\S*))?)?( REQUIRED)?(?: +(.*))?$', line)
        if m:
            _, flag, placeholder, default, required, sentence = m.groups()
            if default and default.startswith('"'):
                default = default[1:-1]
            current = flag
            options[flag] = [placeholder, default, bool(required), sentence or ""]
        else:  # the sentence on its own line, under a long flag
            assert current and line.startswith(" " * 30), line
            options[current][3] = (options[current][3] + " " + line.strip()).strip()
        i += 1
    options.pop("help", None)
    rest = "\n".join(lines[i:])
    return options, rest


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_python_signature_matches_the_cli_flags(name):
    cli, _ = parse_cli_help(run_cli(*name.split(" "), "--help").stdout)
    sig = inspect.signature(function(name))
    params = [p for p in sig.parameters if p not in ("seed", "threads", "names", "progress", "output")]
    assert params == [py_name(f) for f in cli], f"{name}: Python keywords differ from the CLI's flags"
    for flag, (placeholder, default, required, _) in cli.items():
        p = sig.parameters[py_name(flag)]
        if required:
            assert p.default is inspect.Parameter.empty, (name, flag)
        elif placeholder is None:  # a bare flag: off unless the registry says it is on
            # (recommend --what-if is on by default, so the CLI flag cannot turn it off;
            # Python's what_if=False can)
            registry_default = next(o["default"] for o in REGISTRY[name]["options"] if o["name"] == flag)
            assert p.default is (registry_default == "true"), (name, flag)
        elif default is None:
            assert p.default is None, (name, flag)
        elif isinstance(p.default, bool):
            assert str(p.default).lower() == default, (name, flag)
        elif isinstance(p.default, (int, float)):
            assert p.default == float(default), (name, flag, p.default, default)
        elif isinstance(p.default, list):
            assert ",".join(p.default) == default, (name, flag)
        else:
            assert p.default == default, (name, flag, p.default, default)


def stub_functions():
    """{operation: [parameter names]} from the installed .pyi files."""
    here = os.path.dirname(agglo.__file__)
    out = {}
    for fname in os.listdir(here):
        if not fname.endswith(".pyi"):
            continue
        group = None if fname == "__init__.pyi" else fname[:-4]
        tree = ast.parse(open(os.path.join(here, fname), encoding="utf-8").read())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name not in ("operations", "run"):
                key = node.name if group is None else f"{group}.{node.name}"
                out[key] = [a.arg for a in node.args.kwonlyargs]
    return out


def test_stubs_have_the_signatures_of_the_functions():
    stubs = stub_functions()
    for name in REGISTRY:
        key = ".".join(py_name(p) for p in name.split(" "))
        assert key in stubs, f"{name}: no stub (rebuild: the stubs are generated from the registry)"
        assert stubs[key] == list(inspect.signature(function(name)).parameters), f"{name}: the stub drifted"
    extra = set(stubs) - {".".join(py_name(p) for p in n.split(" ")) for n in REGISTRY}
    assert not extra, f"stubs for operations that are not registered: {sorted(extra)}"


def squash(text):
    return " ".join(text.split())


def docstring_sections(doc):
    """numpydoc sections: {'': preamble, 'Parameters': …, 'Returns': …, 'Examples': …}."""
    sections, name, buf = {}, "", []
    lines = doc.splitlines()
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i + 1] and set(lines[i + 1]) == {"-"} and len(lines[i + 1]) == len(lines[i]):
            sections[name] = "\n".join(buf)
            name, buf = lines[i], []
            i += 2
            continue
        buf.append(lines[i])
        i += 1
    sections[name] = "\n".join(buf)
    return sections


def parameters_of(section):
    """{name: (type line, description)} of a numpydoc Parameters section."""
    out, current = {}, None
    for line in section.splitlines():
        if line and not line.startswith(" "):
            pname, _, kind = line.partition(" : ")
            current = pname
            out[pname] = [kind, ""]
        elif current and line.strip():
            out[current][1] = (out[current][1] + " " + line.strip()).strip()
    return out


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_help_is_the_cli_help_in_numpydoc_layout(name):
    text = run_cli(*name.split(" "), "--help").stdout
    cli, rest = parse_cli_help(text)
    doc = function(name).__doc__
    s = docstring_sections(doc)
    assert list(s)[:3] == ["", "Parameters", "Returns"], f"{name}: not numpydoc sections: {list(s)}"
    # the summary line, then the description paragraph
    summary = text.splitlines()[0]
    assert doc.splitlines()[0] == summary, name
    op = REGISTRY[name]
    if op["description"]:
        assert squash(op["description"]) in squash(rest), f"{name}: the CLI does not show the description"
        assert squash(s[""]) == squash(summary + " " + op["description"]), f"{name}: description differs"
    # every option: the CLI's sentence (with its [choices]) begins the parameter's description,
    # the CLI's default is the type line's default
    params = parameters_of(s["Parameters"])
    for flag, (placeholder, default, required, sentence) in cli.items():
        kind, description = params[py_name(flag)]
        assert description.startswith(squash(sentence)), f"{name} --{flag}: {description!r} vs {sentence!r}"
        if required:
            assert "(required)" in description and "default" not in kind, (name, flag)
        elif placeholder is not None and default is not None:
            assert f"default {default}" in kind or f"default {default!r}" in kind or \
                f"default {default.capitalize()}" in kind, (name, flag, kind, default)
    for g in ("seed", "threads", "names", "progress", "output"):
        assert g in params, (name, g)
    # the output line and the examples, word for word
    m = re.search(r"^Output \(-o\): (.*)$", rest, flags=re.M)
    if m:
        assert squash(m.group(0)) in squash(s["Returns"]), f"{name}: the Output line differs"
    for example in op["examples"]:
        assert example in text and example in s.get("Examples", ""), (name, example)
