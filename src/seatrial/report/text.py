"""`--format text`: grouped by object; colour only on a tty and never with NO_COLOR."""

from __future__ import annotations

import os
from collections import Counter
from itertools import groupby
from typing import TextIO

from seatrial.findings import Cell, Finding, Severity, Summary, sorted_findings

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("SEATRIAL_NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def cells_label(cells: tuple[Cell, ...], total: int = 0) -> str:
    """Kube versions grouped per mode: "defaults @ 1.30, 1.31; manager.kind=DaemonSet @ 1.31"."""
    if total and len(cells) == total:
        return "all cells"
    by_mode: dict[str, list[str]] = {}
    for c in sorted(cells):
        by_mode.setdefault(c.name, []).append(c.kube_version)
    return "; ".join(f"{mode} @ {', '.join(vs)}" for mode, vs in by_mode.items())


def _indent(text: str, pad: str = "          ") -> str:
    """Multi-line messages (before/after lines, a run's last output) stay under their finding."""
    return "".join(f"{pad}{line}\n" for line in text.splitlines() or [""])


def write(summary: Summary, stream: TextIO, show_suppressed: bool) -> None:
    colour = _use_colour(stream)

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    findings = [
        f for f in sorted_findings(summary.findings) if show_suppressed or f.suppressed is None
    ]

    def group_key(f: Finding) -> str:
        return f.object.label() if f.object else (f.source.file if f.source else "")

    for label, group in groupby(findings, key=group_key):
        stream.write(paint(label or "(no object)", "1") + "\n")
        for f in group:
            sev = paint(f"{f.severity.label:<7}", _COLOURS[f.severity])
            where = f.source.label() if f.source else ""
            if f.source and f.source.line is None and f.source.note:
                where += f" ({f.source.note})"
            head = f"  {sev} {f.check} {f.slug}"
            if f.container:
                head += f" [{f.container}]"
            stream.write(f"{head}  {where}\n")
            stream.write(_indent(f.message))
            if f.cells:
                stream.write(f"          cells: {cells_label(f.cells, summary.cells_total)}\n")
            if f.fix:
                stream.write(f"          fix: {f.fix}\n")
            for rel in f.related:
                stream.write(f"          see: {rel.label()}\n")
            if f.suppressed:
                reason = f": {f.suppressed.reason}" if f.suppressed.reason else ""
                stream.write(f"          suppressed by {f.suppressed.by}{reason}\n")
        stream.write("\n")
    counts = summary.counts()
    parts = [f"{counts[s.label]} {s.label}" + ("s" if counts[s.label] != 1 else "")
             for s in sorted(Severity, reverse=True)]
    tail = f", {counts['suppressed']} suppressed" if counts["suppressed"] else ""
    if counts["suppressed"]:
        by = Counter(f.suppressed.by for f in summary.findings if f.suppressed)
        tail += " (" + ", ".join(f"{n} by {k}" for k, n in sorted(by.items())) + ")"
    scope = ""
    if summary.cells_total:
        scope = (f" in {summary.cells_total} cells ({summary.cells_distinct} distinct renders, "
                 f"{summary.objects} objects)")
    stream.write(", ".join(parts) + tail + scope + "\n")
    config = summary.extra.get("config")
    if config:
        parts = [f"disables {', '.join(config['disabled'])}" if "disabled" in config else "",
                 f"runs only {', '.join(config['only'])}" if "only" in config else "",
                 "lowers " + ", ".join(f"{k} to {v}" for k, v in config["lowered"].items())
                 if "lowered" in config else "",
                 f"has {config['ignore_rules']} ignore rule(s)" if "ignore_rules" in config
                 else ""]
        stream.write(f"config {config.get('file') or '(command line)'}: "
                     + "; ".join(p for p in parts if p) + "\n")
    if summary.extra.get("skipped"):
        stream.write(f"not run (--no-images): {', '.join(summary.extra['skipped'])}\n")
