"""`--format junit`: one testsuite per check, one failing testcase per finding."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO
from xml.etree import ElementTree as ET

from seatrial.findings import Severity, Summary, sorted_findings


def write(summary: Summary, stream: TextIO, show_suppressed: bool) -> None:
    findings = sorted(
        (f for f in sorted_findings(summary.findings) if f.suppressed is None),
        key=lambda f: f.check,
    )
    root = ET.Element("testsuites", name="seatrial", tests=str(len(findings)),
                      failures=str(len(findings)))
    for check, group in groupby(findings, key=lambda f: f.check):
        items = list(group)
        suite = ET.SubElement(root, "testsuite", name=f"{check} {items[0].slug}",
                              tests=str(len(items)), failures=str(len(items)))
        for f in items:
            name = f.object.label() if f.object else (f.source.file if f.source else check)
            if f.container:
                name += f" [{f.container}]"
            case = ET.SubElement(suite, "testcase", classname=check, name=name,
                                 file=f.source.file if f.source else "")
            tag = "failure" if f.severity >= Severity.WARNING else "system-out"
            el = ET.SubElement(case, tag, type=f.severity.label,
                               message=f.message) if tag == "failure" else ET.SubElement(case, tag)
            where = f.source.label() if f.source else ""
            el.text = f"{where}\n{f.message}\nfix: {f.fix}"
    if not findings:
        ET.SubElement(root, "testsuite", name="seatrial", tests="1", failures="0").append(
            ET.Element("testcase", classname="seatrial", name="no findings"))
    ET.indent(root)
    stream.write(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")
