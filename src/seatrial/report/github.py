"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

    ::error file=charts/app/templates/daemonset.yaml,line=22,title=ST102 mode-drift::...

Paths are relative to the working directory (run seatrial from the checkout's root, as a
workflow step does). Data is escaped as the runner expects (`%`, CR, LF; in properties also
`:` and `,`). Suppressed findings are not annotated.
"""

from __future__ import annotations

from typing import TextIO

from seatrial.findings import Finding, Severity, Summary, sorted_findings
from seatrial.report.paths import repo_path

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(summary: Summary, f: Finding) -> str:
    props = []
    path = repo_path(summary, f)
    if path:
        props.append(f"file={escape_property(path)}")
        if f.source and f.source.line:
            props.append(f"line={f.source.line}")
    props.append(f"title={escape_property(f'{f.check} {f.slug}')}")
    where = f"{f.object.kind}/{f.object.name}" if f.object else ""
    if where and f.container:
        where += f" [{f.container}]"
    body = (f"{where}: " if where else "") + f.message + (f"\nFix: {f.fix}" if f.fix else "")
    return f"::{_COMMAND[f.severity]} {','.join(props)}::{escape_data(body)}"


def write(summary: Summary, stream: TextIO, show_suppressed: bool) -> None:
    for f in sorted_findings(summary.findings):
        if f.suppressed is None:
            stream.write(annotation(summary, f) + "\n")
