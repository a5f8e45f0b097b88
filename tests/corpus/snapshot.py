"""The real-chart corpus: each chart's findings, judged by a person, as a snapshot.

Every directory beside this file is a chart vendored exactly as upstream has it (see its
`SOURCE`; `scripts/vendor-corpus.sh` made them). `expected.json` in each lists every finding
`seatrial check --offline` reports on it, keyed by (check, severity, object, container, file,
line), each with a `verdict` (`true`, `false` or `debatable`) and a one-line `reason` written
after reading the template at that line.

    python -m tests.corpus.snapshot update [CHART ...]   # re-run, keep verdicts, mark new ones
    python -m tests.corpus.snapshot table                # rewrite tests/corpus/README.md

`update` never invents a verdict: a new finding gets `"verdict": "unjudged"`, which the snapshot
test refuses until a person has judged it.

An object rendered by a template with random output (render/deps.py `Analysis.random`) is keyed
by its kind only (`Pod/*`): its name may be random (jenkins' `ui-test-{{ randAlphaNum 5 }}`
Pods), and differs from run to run.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from seatrial.cli import main as cli

CORPUS = Path(__file__).resolve().parent
VERDICTS = ("true", "false", "debatable")
KEY_FIELDS = ("check", "severity", "object", "container", "file", "line")

Key = tuple[str, str, str, str, str, int]


def charts() -> list[str]:
    return sorted(p.parent.name for p in CORPUS.glob("*/SOURCE"))


@dataclass(frozen=True)
class Run:
    code: int
    findings: list[dict[str, Any]]  # one record per finding, KEY_FIELDS + cells + message
    summary: dict[str, Any]
    stderr: str


def _object(obj: dict[str, Any] | None) -> str:
    return f"{obj['kind']}/{obj['name']}" if obj else ""


def record(f: dict[str, Any], random: frozenset[str] = frozenset()) -> dict[str, Any]:
    src = f.get("source") or {}
    obj = f.get("object")
    name = f"{obj['kind']}/*" if obj and src.get("file") in random else _object(obj)
    return {
        "check": f["check"], "severity": f["severity"], "object": name,
        "container": f.get("container") or "", "file": src.get("file") or "",
        "line": src.get("line") or 0, "cells": len(f.get("cells") or ()),
        "message": f["message"].splitlines()[0][:200],
    }


def key(r: dict[str, Any]) -> Key:
    return (r["check"], r["severity"], r["object"], r["container"], r["file"], int(r["line"]))


def check(chart: str) -> Run:
    """`seatrial check --offline` on one corpus chart with an empty image cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = {"SEATRIAL_CACHE_DIR": cache, "DOCKER_CONFIG": cache}
        res = CliRunner().invoke(
            cli, ["check", str(CORPUS / chart), "--offline", "--format", "json"], env=env,
            catch_exceptions=False)
    stderr = res.stderr.replace(str(CORPUS), "tests/corpus")
    if res.exit_code not in (0, 1):
        return Run(res.exit_code, [], {}, stderr)
    doc = json.loads(res.stdout)
    random = _random_templates(chart)
    return Run(
        res.exit_code, [record(f, random) for f in doc["findings"]], doc["summary"], stderr)


def _random_templates(chart: str) -> frozenset[str]:
    """The chart's own templates with random output (chart-relative paths)."""
    from seatrial.render.deps import analyze

    analysis = analyze(CORPUS / chart)
    return frozenset(analysis.random) if analysis is not None else frozenset()


def expected_path(chart: str) -> Path:
    return CORPUS / chart / "expected.json"


def load_expected(chart: str) -> dict[str, Any]:
    path = expected_path(chart)
    if not path.exists():
        return {"summary": {}, "findings": []}
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def update(chart: str) -> Run:
    run = check(chart)
    old = {key(r): r for r in load_expected(chart)["findings"]}
    findings = []
    for r in run.findings:
        prev = old.get(key(r), {})
        findings.append({**r, "verdict": prev.get("verdict", "unjudged"),
                         "reason": prev.get("reason", "")})
    summary = {k: run.summary.get(k) for k in ("cells", "distinct_renders")}
    summary["exit_code"] = run.code
    if run.code == 2:  # the chart cannot be checked at all: the one error line is the snapshot
        summary["error"] = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
    doc = {"summary": summary, "findings": findings}
    expected_path(chart).write_text(json.dumps(doc, indent=1) + "\n")
    return run


def table() -> str:
    rows = ["| chart | cells | distinct renders | exit | errors (true/other) | warnings "
            "(true / false / debatable) | infos | unjudged |",
            "|---|---:|---:|---:|---|---|---:|---:|"]
    for chart in charts():
        doc = load_expected(chart)
        s, fs = doc["summary"], doc["findings"]
        by = Counter((f["severity"], f["verdict"]) for f in fs)
        errors = sum(v for (sev, _), v in by.items() if sev == "error")
        warns = [by["warning", v] for v in VERDICTS]
        infos = sum(v for (sev, _), v in by.items() if sev == "info")
        unjudged = sum(v for (_, verdict), v in by.items() if verdict == "unjudged")
        rows.append(
            f"| {chart} | {s.get('cells')} | {s.get('distinct_renders')} | "
            f"{s.get('exit_code')} | {by['error', 'true']}/{errors - by['error', 'true']} | "
            f"{warns[0]} / {warns[1]} / {warns[2]} | {infos} | {unjudged} |")
    return "\n".join(rows) + "\n"


README_HEAD = """\
# The real-chart corpus

Each directory is a chart exactly as published upstream at a pinned commit (its `SOURCE`
names the repository, path and commit; `LICENSE` is the repository's), vendored by
`scripts/vendor-corpus.sh`. Subcharts from the same repository are vendored into the parent's
`charts/`; those from other repositories are left out on purpose (kube-prometheus-stack's
grafana, argo-cd's redis-ha, redis's bitnami/common), so the missing-dependency path runs.

`expected.json` beside each chart lists every finding of `seatrial check --offline` (empty image
cache), each judged by a person after reading the template at its line: `verdict` true, false or
debatable, and a one-line `reason`. `tests/corpus/test_corpus.py` fails on any new or vanished
finding, on an error whose verdict is not true, and when this table is stale. Re-run with
`python -m tests.corpus.snapshot update` (verdicts are kept; new findings are `unjudged` until
judged) and `python -m tests.corpus.snapshot table`.

ST204 infos are the images `--offline` did not verify (nothing is known about them), one per
image (on the workload that runs it in the most cells; the others are named in its message).

"""


def readme() -> str:
    return README_HEAD + table()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("update", "table"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "update":
        for chart in argv[1:] or charts():
            run = update(chart)
            print(f"{chart}: exit {run.code}, {len(run.findings)} findings"
                  + (f" ({run.stderr.strip()})" if run.stderr.strip() else ""))
    (CORPUS / "README.md").write_text(readme())
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    raise SystemExit(main(sys.argv[1:]))
