"""Meta-tests: every registered check runs on its own failing fixture and is flagged with its
id, and on its passing fixture and stays clean (tests/checks/harness.py); the generated docs are
fresh."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from tests.checks.harness import fixture_problems

from seatrial.checks.catalog import all_checks
from seatrial.checks.docgen import generate
from seatrial.checks.registry import CheckSpec, Violation

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("spec", all_checks(), ids=lambda s: s.id)
def test_each_check_flags_its_failing_fixture_and_passes_its_passing_one(
    spec: CheckSpec, tmp_path: Path
) -> None:
    assert fixture_problems(spec, tmp_path) == []


def test_a_check_that_flags_nothing_or_everything_fails_the_meta_test(tmp_path: Path) -> None:
    """The contract above is not vacuous: mutate a check and the helper reports it."""
    spec = next(s for s in all_checks() if s.id == "ST205")

    def nothing(_: object) -> list[Violation]:
        return []

    def everything(_: object) -> list[Violation]:
        return [Violation("flagged")]

    silent = dataclasses.replace(spec, func=nothing)
    assert fixture_problems(silent, tmp_path / "a") == ["ST205: its failing fixture is not flagged"]
    loud = dataclasses.replace(spec, func=everything)
    assert fixture_problems(loud, tmp_path / "b") == [
        "ST205: its passing fixture is flagged: flagged"
    ]
    orphan = dataclasses.replace(spec, id="ST299", slug="not-written")
    assert fixture_problems(orphan, tmp_path / "c") == [
        "ST299: no tests/checks/test_st299_not_written.py with failing() and passing() fixtures"
    ]


def test_every_check_documents_why_and_fix() -> None:
    for spec in all_checks():
        assert "## Why is this bad?" in spec.doc and "## Fix" in spec.doc, spec.id


def test_generated_check_docs_are_fresh() -> None:
    committed = {
        p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "checks").glob("*.md")
    }
    assert committed == generate(), (
        "docs/checks is stale: run `python -m seatrial.checks.docgen docs/checks`"
    )
