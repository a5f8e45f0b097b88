"""Infos that repeat (3 or more of one check with the same fix in a chart) are printed once,
after the objects: the words their messages share and the fix once, then a `- ` line per place
with what each message says of its own."""

from __future__ import annotations

import io
from typing import Any

from seatrial.findings import (
    Cell,
    Finding,
    Location,
    ObjectRef,
    Severity,
    Summary,
    Suppression,
)
from seatrial.report.text import write

FIX = "give seatrial access to the registry"
DEFAULTS = (Cell("1.31"),)


def info(
    name: str,
    line: int,
    image: str,
    severity: Severity = Severity.INFO,
    container: str = "app",
    **extra: Any,
) -> Finding:
    fields: dict[str, Any] = {
        "check": "ST204",
        "slug": "image-unverifiable",
        "severity": severity,
        "message": f"image {image} could not be verified: offline",
        "object": ObjectRef("Deployment", name),
        "container": container,
        "source": Location(f"templates/{name}.yaml", line),
        "cells": DEFAULTS,
        "fix": FIX,
    }
    return Finding(**{**fields, **extra})


def report(*findings: Finding, show_suppressed: bool = False, **extra: Any) -> list[str]:
    out = io.StringIO()
    summary = Summary(findings=list(findings), cells_total=2, extra=extra)
    write(summary, out, show_suppressed=show_suppressed, color="never")
    return out.getvalue().splitlines()


def test_three_infos_of_one_check_are_one_block_with_the_fix_once() -> None:
    assert report(info("a", 3, "a:1"), info("b", 4, "b:1"), info("c", 5, "c:1")) == [
        "ST204 image-unverifiable: 3 infos (cells and details: --format json)",
        "  image … could not be verified: offline",
        "  fix: give seatrial access to the registry",
        "  - Deployment/a [app]  templates/a.yaml:3",
        "    a:1",
        "  - Deployment/b [app]  templates/b.yaml:4",
        "    b:1",
        "  - Deployment/c [app]  templates/c.yaml:5",
        "    c:1",
        "",
        "0 errors, 0 warnings, 3 infos in 2 cells (0 distinct renders, 0 objects)",
    ]


def test_two_infos_stay_under_their_objects() -> None:
    assert report(info("a", 3, "a:1"), info("b", 4, "b:1")) == [
        "Deployment/a",
        "  info    ST204 image-unverifiable [app]  templates/a.yaml:3",
        "          image a:1 could not be verified: offline",
        "          cells: defaults @ 1.31",
        "          fix: give seatrial access to the registry",
        "",
        "Deployment/b",
        "  info    ST204 image-unverifiable [app]  templates/b.yaml:4",
        "          image b:1 could not be verified: offline",
        "          cells: defaults @ 1.31",
        "          fix: give seatrial access to the registry",
        "",
        "0 errors, 0 warnings, 2 infos in 2 cells (0 distinct renders, 0 objects)",
    ]


def test_warnings_never_collapse() -> None:
    lines = report(*(info(n, 3, f"{n}:1", Severity.WARNING) for n in "abcd"))
    assert [line for line in lines if line.startswith("Deployment/")] == [
        "Deployment/a",
        "Deployment/b",
        "Deployment/c",
        "Deployment/d",
    ]
    assert sum(line.endswith("fix: give seatrial access to the registry") for line in lines) == 4
    assert not any("(cells and details" in line or line.startswith("  - ") for line in lines)


def test_infos_at_one_place_share_its_line() -> None:
    same = [info("job", 83, f"kubectl:v1.{v}", container="kubectl") for v in (30, 31, 32)]
    assert report(info("job", 44, "busybox", container="busybox"), *same)[:9] == [
        "ST204 image-unverifiable: 4 infos (cells and details: --format json)",
        "  image … could not be verified: offline",
        "  fix: give seatrial access to the registry",
        "  - Deployment/job [busybox]  templates/job.yaml:44",
        "    busybox",
        "  - Deployment/job [kubectl]  templates/job.yaml:83",
        "    kubectl:v1.30",
        "    kubectl:v1.31",
        "    kubectl:v1.32",
    ]


def test_an_object_left_with_only_collapsed_infos_has_no_header() -> None:
    warning = info("b", 9, "b:2", Severity.WARNING, check="ST202", slug="tag-follows", fix="pin")
    lines = report(info("a", 3, "a:1"), info("b", 4, "b:1"), info("c", 5, "c:1"), warning)
    assert lines[:6] == [
        "Deployment/b",
        "  warning ST202 tag-follows [app]  templates/b.yaml:9",
        "          image b:2 could not be verified: offline",
        "          cells: defaults @ 1.31",
        "          fix: pin",
        "",
    ]
    assert lines[6] == "ST204 image-unverifiable: 3 infos (cells and details: --format json)"
    assert "Deployment/a" not in lines and "Deployment/c" not in lines


def test_no_object_and_an_unknown_line_are_said_on_the_place_line() -> None:
    where = Location("templates/x.yaml", None, "line not found: 2 template lines")
    loose = info("x", 0, "x:1", object=None, source=where, container=None)
    lines = report(info("a", 3, "a:1"), info("b", 4, "b:1"), loose)
    assert lines[3:5] == [
        "  - (no object)  templates/x.yaml (line not found: 2 template lines)",
        "    x:1",
    ]


def test_suppressed_infos_do_not_count_towards_collapsing() -> None:
    muted = info("c", 5, "c:1", suppressed=Suppression("config"))
    lines = report(info("a", 3, "a:1"), info("b", 4, "b:1"), muted, show_suppressed=True)
    assert lines[0] == "Deployment/a" and "          suppressed by config" in lines


def test_each_chart_of_a_run_collapses_its_own() -> None:
    charts = [{"chart": "one", "info": 3}, {"chart": "two", "info": 2}]
    one = [info(n, 3, f"{n}:1", chart="one") for n in "abc"]
    two = [info(n, 3, f"{n}:1", chart="two") for n in "ab"]
    lines = report(*one, *two, charts=charts)
    assert lines[:3] == [
        "== one",
        "",
        "ST204 image-unverifiable: 3 infos (cells and details: --format json)",
    ]
    assert lines[lines.index("== two") :][2:4] == [
        "Deployment/a",
        "  info    ST204 image-unverifiable [app]  templates/a.yaml:3",
    ]


def test_the_block_header_is_bold_when_coloured() -> None:
    out = io.StringIO()
    found = [info(n, 3, f"{n}:1") for n in "abc"]
    write(Summary(findings=found), out, show_suppressed=False, color="always")
    head = "ST204 image-unverifiable: 3 infos (cells and details: --format json)"
    assert out.getvalue().startswith(f"\x1b[1m{head}\x1b[0m\n")


def test_messages_that_share_too_little_are_shown_whole() -> None:
    """Consul's ST101 infos share only `mode` and `requires:`: each keeps its message."""
    lines = report(
        *(
            info(n, 3, "", message=f"mode {n}.enabled=true requires: {n} needs TLS {n}")
            for n in "abc"
        )
    )
    assert lines[1:4] == [
        "  fix: give seatrial access to the registry",
        "  - Deployment/a [app]  templates/a.yaml:3",
        "    mode a.enabled=true requires: a needs TLS a",
    ]


def test_a_message_with_nothing_of_its_own_shows_every_message_whole() -> None:
    lines = report(info("a", 3, "x"), info("b", 4, "x"), info("c", 5, "x"))
    assert lines[1:4] == [
        "  fix: give seatrial access to the registry",
        "  - Deployment/a [app]  templates/a.yaml:3",
        "    image x could not be verified: offline",
    ]
