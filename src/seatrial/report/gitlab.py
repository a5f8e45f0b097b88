"""`--format gitlab`: a GitLab Code Quality report (`artifacts: reports: codequality:`).

A JSON array of issues with `description`, `check_name`, `fingerprint`, `severity` and
`location.path` / `location.lines.begin`, as GitLab's Code Quality documentation specifies.
Severities: error -> critical, warning -> major, info -> info. The fingerprint is stable across
runs (check, object, container, path and message; not the line, so an edit above a finding does
not make it "new"). Suppressed findings are left out.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, TextIO

from seatrial.findings import Finding, Severity, Summary, sorted_findings
from seatrial.report.paths import one_line, repo_path

_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def issue(summary: Summary, f: Finding, salt: str = "") -> dict[str, Any]:
    path = repo_path(summary, f) or "."
    who = f"{f.object.kind}/{f.object.name}" if f.object else ""
    if who and f.container:
        who += f" [{f.container}]"
    description = one_line((f"{who}: " if who else "") + f.message)
    key = "\0".join((f.check, who, path, f.message, salt))
    return {
        "type": "issue",
        "check_name": f"{f.check} {f.slug}",
        "description": description,
        "categories": ["Bug Risk"],
        "severity": _SEVERITY[f.severity],
        "fingerprint": hashlib.sha256(key.encode()).hexdigest()[:32],
        "location": {"path": path, "lines": {"begin": (f.source.line if f.source else None) or 1}},
    }


def write(summary: Summary, stream: TextIO, show_suppressed: bool) -> None:
    issues: list[dict[str, Any]] = []
    seen: set[str] = set()
    for f in sorted_findings(summary.findings):
        if f.suppressed is not None:
            continue
        one = issue(summary, f)
        if one["fingerprint"] in seen:  # GitLab shows only the first issue of a fingerprint
            one = issue(summary, f, salt=f"{f.source.line if f.source else ''}#{len(issues)}")
        seen.add(one["fingerprint"])
        issues.append(one)
    stream.write(json.dumps(issues, indent=2))  # one write: stdout may be unbuffered
    stream.write("\n")
