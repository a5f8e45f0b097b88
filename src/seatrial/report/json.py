"""`--format json`: `{"findings": [...], "summary": {...}}` (schema in docs/json-schema.json)."""

from __future__ import annotations

import json
from typing import TextIO

from seatrial.findings import Summary, sorted_findings


def write(summary: Summary, stream: TextIO, show_suppressed: bool) -> None:
    findings = [
        f for f in sorted_findings(summary.findings) if show_suppressed or f.suppressed is None
    ]
    doc = {"findings": [f.to_json() for f in findings], "summary": summary.to_json()}
    # one write: json.dump writes each token, a syscall each when stdout is unbuffered
    # (PYTHONUNBUFFERED, common in CI images: kyverno's report was 58,000 writes)
    stream.write(json.dumps(doc, indent=2, sort_keys=False, default=str) + "\n")
