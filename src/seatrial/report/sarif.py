"""`--format sarif`: SARIF 2.1.0 for code scanning. Locations are chart files and lines."""

from __future__ import annotations

import json
from typing import Any, TextIO

from seatrial import __version__
from seatrial.findings import Finding, Severity, Summary, sorted_findings

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _location(f: Finding, base: str) -> dict[str, Any]:
    artifact: dict[str, Any] = {"uri": f.source.file if f.source else "."}
    if base:
        artifact["uriBaseId"] = "CHARTROOT"
    phys: dict[str, Any] = {"artifactLocation": artifact}
    if f.source and f.source.line:
        phys["region"] = {"startLine": f.source.line}
    loc: dict[str, Any] = {"physicalLocation": phys}
    if f.object:
        name = f.object.label() + (f"/{f.container}" if f.container else "")
        loc["logicalLocations"] = [{"name": name, "kind": "resource"}]
    return loc


def _result(f: Finding, rule_index: int, base: str) -> dict[str, Any]:
    text = f.message + (f" Fix: {f.fix}" if f.fix else "")
    result: dict[str, Any] = {
        "ruleId": f.check,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": text},
        "locations": [_location(f, base)],
        "properties": {"cells": [c.to_json() for c in f.cells]},
    }
    if f.suppressed:
        result["suppressions"] = [
            {
                "kind": "external" if f.suppressed.by == "config" else "inSource",
                "justification": f.suppressed.reason,
            }
        ]
    return result


def build(summary: Summary, show_suppressed: bool = True) -> dict[str, Any]:
    findings = [
        f for f in sorted_findings(summary.findings) if show_suppressed or f.suppressed is None
    ]
    rules: dict[str, int] = {}
    rule_objs: list[dict[str, Any]] = []
    for f in findings:
        if f.check not in rules:
            rules[f.check] = len(rule_objs)
            rule_objs.append(
                {
                    "id": f.check,
                    "name": f.slug,
                    "shortDescription": {"text": f.slug.replace("-", " ")},
                    "defaultConfiguration": {"level": _LEVEL[f.severity]},
                }
            )
    base = str(summary.attachments.get("root") or "")
    run: dict[str, Any] = {}
    if base:
        # paths are relative to the chart: consumers resolve them through this base
        run["originalUriBaseIds"] = {"CHARTROOT": {"uri": base}}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                **run,
                "tool": {
                    "driver": {
                        "name": "seatrial",
                        "version": __version__,
                        "informationUri": "https://github.com/seatrial/seatrial",
                        "rules": rule_objs,
                    }
                },
                "results": [_result(f, rules[f.check], base) for f in findings],
            }
        ],
    }


def write(summary: Summary, stream: TextIO, show_suppressed: bool) -> None:
    stream.write(json.dumps(build(summary, show_suppressed=True), indent=2))  # one write
    stream.write("\n")
