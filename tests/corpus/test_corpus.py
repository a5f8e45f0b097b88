"""Snapshot of every finding on the vendored real charts, each judged by a person.

A new or vanished finding fails the test: judge it (or fix the check), then re-run
`python -m tests.corpus.snapshot update`. An error must have verdict `true`, and the exit code
must be 1 only when a true error exists.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.corpus.snapshot import CORPUS, VERDICTS, charts, check, key, load_expected, readme


@pytest.mark.parametrize("chart", charts())
def test_findings_match_the_judged_snapshot(chart: str) -> None:
    expected = load_expected(chart)
    run = check(chart)
    if expected["summary"].get("exit_code") == 2:  # not checkable: one clear line, no findings
        assert run.code == 2 and expected["findings"] == []
        assert run.stderr.strip().splitlines() == [expected["summary"]["error"]]
        return
    assert run.code in (0, 1), run.stderr
    got = Counter(key(r) for r in run.findings)
    want = Counter(key(r) for r in expected["findings"])
    assert got - want == Counter(), f"new findings on {chart}: judge them"
    assert want - got == Counter(), f"findings vanished on {chart}: update the snapshot"
    for f in expected["findings"]:
        assert f["verdict"] in VERDICTS and f["reason"], f"unjudged: {key(f)}"
        if f["severity"] == "error":
            assert f["verdict"] == "true", f"an error that is not a true error: {key(f)}"
    true_error = any(f["severity"] == "error" for f in expected["findings"])
    assert run.code == (1 if true_error else 0)
    assert run.summary["cells"] == expected["summary"]["cells"]


def test_warnings_are_mostly_true() -> None:
    warnings = [f for c in charts() for f in load_expected(c)["findings"]
                if f["severity"] == "warning"]
    true = sum(f["verdict"] == "true" for f in warnings)
    assert not warnings or true / len(warnings) >= 0.8, f"{true} of {len(warnings)} true"


def test_readme_table_is_fresh() -> None:
    assert (CORPUS / "README.md").read_text() == readme(), (
        "tests/corpus/README.md is stale: run `python -m tests.corpus.snapshot table`")
