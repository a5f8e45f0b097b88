"""The text report fits a terminal: wrapped to 100 columns off a tty, long messages cut."""

from __future__ import annotations

import io

from seatrial.findings import Finding, Location, ObjectRef, Severity, Summary
from seatrial.report.text import write


def render(message: str, fix: str = "") -> list[str]:
    f = Finding(
        check="ST999",
        slug="x",
        severity=Severity.WARNING,
        message=message,
        fix=fix,
        object=ObjectRef("Pod", "p"),
        source=Location("templates/p.yaml", 3),
    )
    out = io.StringIO()
    write(Summary(findings=[f]), out, show_suppressed=False)
    return out.getvalue().splitlines()


def test_long_lines_wrap_under_their_finding() -> None:
    lines = render("word " * 60, fix="do " * 50)
    body = lines[2:-2]
    assert all(len(line) <= 100 for line in body), body
    assert body[0].startswith(" " * 10 + "word") and body[-1].startswith(" " * 15 + "do")
    assert sum(line.count("word") for line in body) == 60


def test_a_long_message_is_cut_with_a_pointer_to_json() -> None:
    lines = render("\n".join(f"frame {n}" for n in range(40)))
    body = [line for line in lines if line.startswith(" " * 10)]
    assert len(body) == 10
    assert body[-1] == " " * 10 + "... (31 more lines in --format json)"


def test_unbreakable_words_are_kept_whole() -> None:
    path = "/opt/" + "a" * 150
    lines = render(f"missing {path}")
    assert any(path in line for line in lines)
