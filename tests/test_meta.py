"""Meta-tests: every check has tests that name it, and the generated docs are fresh."""

from __future__ import annotations

import re
from pathlib import Path

from seatrial.checks.catalog import all_checks
from seatrial.checks.docgen import generate

ROOT = Path(__file__).resolve().parent.parent


def test_every_check_is_asserted_by_a_test() -> None:
    tests = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                      for p in (ROOT / "tests").rglob("test_*.py") if p.name != "test_meta.py")
    missing = [s.id for s in all_checks() if not re.search(rf"\b{s.id}\b", tests)]
    assert missing == [], f"checks without a test naming them: {missing}"


def test_every_check_documents_why_and_fix() -> None:
    for spec in all_checks():
        assert "## Why is this bad?" in spec.doc and "## Fix" in spec.doc, spec.id


def test_generated_check_docs_are_fresh() -> None:
    committed = {p.name: p.read_text(encoding="utf-8")
                 for p in (ROOT / "docs" / "checks").glob("*.md")}
    assert committed == generate(), (
        "docs/checks is stale: run `python -m seatrial.checks.docgen docs/checks`")
