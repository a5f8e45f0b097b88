"""`--format github` (workflow commands) and `--format gitlab` (Code Quality), checked against
their documented formats on the S1 reproduction."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from tests.cli_runner import run
from tests.foundation.helpers import EXAMPLES, ROOT

from seatrial.findings import Finding, Location, ObjectRef, Severity, Summary
from seatrial.report.github import annotation

S1 = EXAMPLES / "s1-manager-kind"
SCHEMA = json.loads((ROOT / "tests" / "schemas" / "gitlab-codequality.json").read_text())
# ::command prop=value,prop=value::data  (docs.github.com, "Workflow commands for GitHub Actions")
COMMAND = re.compile(r"^::(error|warning|notice) ((?:[a-z]+=[^,:]*)(?:,[a-z]+=[^,:]*)*)::(.*)$")


@pytest.fixture
def in_repo() -> Iterator[None]:
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(old)


def unescape(text: str) -> str:
    return (
        text.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def test_github_annotations_point_at_the_checkout_path(in_repo: None) -> None:
    res = run("check", "--offline", str(S1.relative_to(ROOT)), "--format", "github")
    assert res.code == 1
    lines = res.out.splitlines()
    parsed = [COMMAND.match(line) for line in lines]
    assert all(parsed), lines
    first = parsed[0]
    assert first is not None
    props = dict(p.split("=", 1) for p in first.group(2).split(","))
    assert (first.group(1), props) == (
        "error",
        {
            "file": "examples/s1-manager-kind/templates/daemonset.yaml",
            "line": "22",
            "title": "ST102 mode-drift",
        },
    )
    body = unescape(first.group(3))
    assert body.startswith(
        "DaemonSet/release-name-capsule-controller-manager [manager]: "
        "container manager sets command [/manager]"
    )
    assert "\nFix: remove `command`" in body
    assert {m.group(1) for m in parsed if m} == {"error", "notice"}  # ST204 offline: notice


def test_github_escapes_data_and_properties() -> None:
    f = Finding(
        check="ST999",
        slug="a:b,c",
        severity=Severity.WARNING,
        message="100% broken\r\nsecond line",
        object=ObjectRef("Pod", "p"),
        source=Location("templates/a,b:c.yaml", 3),
    )
    line = annotation(Summary(findings=[f]), f)
    assert "\n" not in line and "\r" not in line
    m = COMMAND.match(line)
    assert m is not None, line
    props = dict(p.split("=", 1) for p in m.group(2).split(","))
    assert unescape(props["file"]) == "templates/a,b:c.yaml"
    assert unescape(props["title"]) == "ST999 a:b,c"
    assert unescape(m.group(3)) == "Pod/p: 100% broken\r\nsecond line"


def test_gitlab_code_quality_report_validates(in_repo: None) -> None:
    res = run("check", "--offline", str(S1.relative_to(ROOT)), "--format", "gitlab")
    assert res.code == 1
    issues = json.loads(res.out)
    jsonschema.validate(issues, SCHEMA)
    first = issues[0]
    assert (first["check_name"], first["severity"], first["location"]) == (
        "ST102 mode-drift",
        "critical",
        {"path": "examples/s1-manager-kind/templates/daemonset.yaml", "lines": {"begin": 22}},
    )
    assert {i["severity"] for i in issues} == {"critical", "info"}
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    again = json.loads(
        run("check", "--offline", str(S1.relative_to(ROOT)), "--format", "gitlab").out
    )
    assert [i["fingerprint"] for i in again] == fingerprints  # stable across runs
