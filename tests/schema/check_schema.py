#!/usr/bin/python3
"""The JSON Schema and the C++ loader must give every scenario the same verdict.

usage: check_schema.py SOURCE_DIR [BUILD_DIR]

Files: tests/corpus/valid (valid), tests/corpus/invalid/structural (invalid), scenarios/*.yaml (valid).
The schema's verdict comes from Draft202012Validator over the YAML read the way the C++ loader reads it
(YAML 1.2 core scalars: no dates, no yes/no booleans). The loader's verdict comes from
`BUILD_DIR/runner/tc-run validate FILE` when that binary exists (exit 0 valid, 2 invalid, anything else
is a crash), otherwise from the directory the file sits in (the doctest in tests/scenario checks
the loader against the same directories). With tc-run, tests/corpus/invalid/semantic must be rejected too.
"""
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml


class CoreLoader(yaml.SafeLoader):
    """PyYAML with YAML 1.2 core scalar resolution, like lib/scenario/yaml_to_json.cpp."""


CoreLoader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)$", list("-+0123456789")),
    ("float", r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", list("-+.0123456789")),
]:
    CoreLoader.add_implicit_resolver("tag:yaml.org,2002:" + tag, re.compile(pattern), first)


def _int(loader, node):
    v = loader.construct_scalar(node)
    if v.startswith("0x"):
        return int(v[2:], 16)
    if v.startswith("0o"):
        return int(v[2:], 8)
    return int(v, 10)


def _mapping(loader, node, deep=False):
    # Keys keep their text as written (JSON keys are strings), as the C++ loader does.
    loader.flatten_mapping(node)
    out = {}
    for k, v in node.value:
        key = k.value if isinstance(k, yaml.ScalarNode) else str(loader.construct_object(k, deep=True))
        out[key] = loader.construct_object(v, deep=deep)
    return out


CoreLoader.add_constructor("tag:yaml.org,2002:int", _int)
CoreLoader.add_constructor("tag:yaml.org,2002:float", lambda l, n: float(l.construct_scalar(n)))
CoreLoader.add_constructor("tag:yaml.org,2002:bool", lambda l, n: l.construct_scalar(n).lower() == "true")
CoreLoader.construct_mapping = _mapping


def yaml_files(d):
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".yaml"))


def schema_verdict(validator, path):
    """(valid, reason)"""
    try:
        with open(path, "rb") as f:
            data = yaml.load(f.read().decode("utf-8"), Loader=CoreLoader)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as e:
        return False, "not YAML: " + str(e).splitlines()[0]
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return True, ""
    e = errors[0]
    where = "/" + "/".join(str(p) for p in e.absolute_path)
    return False, f"{where}: {e.message[:160]}"


def loader_verdict(tc_run, path):
    """(valid, reason) from `tc-run validate`; raises on a crash."""
    p = subprocess.run([tc_run, "validate", path], capture_output=True, text=True, timeout=60)
    if p.returncode not in (0, 2):
        raise RuntimeError(f"tc-run validate {path} exited {p.returncode}: {(p.stderr or p.stdout)[:400]}")
    return p.returncode == 0, (p.stdout + p.stderr).strip().splitlines()[0] if p.returncode else ""


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    src = sys.argv[1]
    build = sys.argv[2] if len(sys.argv) > 2 else None
    tc_run = os.path.join(build, "runner", "tc-run") if build else None
    if tc_run and not os.access(tc_run, os.X_OK):
        tc_run = None
    with open(os.path.join(src, "schemas", "scenario.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    corpus = os.path.join(src, "tests", "corpus")
    cases = [(p, True) for p in yaml_files(os.path.join(corpus, "valid"))]
    cases += [(p, False) for p in yaml_files(os.path.join(corpus, "invalid", "structural"))]
    cases += [(p, True) for p in yaml_files(os.path.join(src, "scenarios"))]
    print(f"loader verdicts from: {tc_run or 'corpus directories (tc-run not built)'}")

    problems = []
    for path, expected in cases:
        rel = os.path.relpath(path, src)
        s_ok, s_why = schema_verdict(validator, path)
        if tc_run:
            l_ok, l_why = loader_verdict(tc_run, path)
        else:
            l_ok, l_why = expected, "(by directory)"
        if s_ok != l_ok or s_ok != expected:
            problems.append(f"{rel}: expected {'valid' if expected else 'invalid'}; schema says "
                            f"{'valid' if s_ok else 'invalid'} {s_why}; loader says {'valid' if l_ok else 'invalid'} {l_why}")
    if tc_run:
        for path in yaml_files(os.path.join(corpus, "invalid", "semantic")):
            l_ok, _ = loader_verdict(tc_run, path)
            if l_ok:
                problems.append(f"{os.path.relpath(path, src)}: tc-run validate accepted a malformed scenario")
    for p in problems:
        print("DISAGREE " + p)
    print(f"{len(cases)} files compared, {len(problems)} disagreements")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
