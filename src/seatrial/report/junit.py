"""`--format junit`: one testsuite per check, one testcase per finding. A finding at or above
`--fail-on` (default error; the config's `fail-on` when set) is a `<failure>`; one below it
passes, its text in `<system-out>`: the report fails exactly when the exit code is 1."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO
from xml.etree import ElementTree as ET

from seatrial.findings import Severity, Summary, sorted_findings


def write(
    summary: Summary, stream: TextIO, show_suppressed: bool, fail_on: Severity = Severity.ERROR
) -> None:
    findings = sorted(
        (f for f in sorted_findings(summary.findings) if f.suppressed is None),
        key=lambda f: f.check,
    )
    failing = sum(1 for f in findings if f.severity >= fail_on)
    root = ET.Element(
        "testsuites", name="seatrial", tests=str(len(findings)), failures=str(failing)
    )
    for check, group in groupby(findings, key=lambda f: f.check):
        items = list(group)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"{check} {items[0].slug}",
            tests=str(len(items)),
            failures=str(sum(1 for f in items if f.severity >= fail_on)),
        )
        for f in items:
            name = f.object.label() if f.object else (f.source.file if f.source else check)
            if f.container:
                name += f" [{f.container}]"
            case = ET.SubElement(
                suite,
                "testcase",
                classname=check,
                name=name,
                file=f.source.file if f.source else "",
            )
            where = f.source.label() if f.source else ""
            if f.severity >= fail_on:
                el = ET.SubElement(case, "failure", type=f.severity.label, message=f.message)
                el.text = f"{where}\n{f.message}\nfix: {f.fix}"
            else:
                el = ET.SubElement(case, "system-out")
                el.text = f"{f.severity.label}: {where}\n{f.message}\nfix: {f.fix}"
    if not findings:
        ET.SubElement(root, "testsuite", name="seatrial", tests="1", failures="0").append(
            ET.Element("testcase", classname="seatrial", name="no findings")
        )
    ET.indent(root)
    stream.write(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")
