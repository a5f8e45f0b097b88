"""`--format text`: grouped by object; colour only on a tty and never with NO_COLOR."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import Any, TextIO

from seatrial.findings import Cell, Finding, Severity, Summary, sorted_findings

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("SEATRIAL_NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


def _versions_label(versions: list[str], every: list[str]) -> str:
    """"all versions", or runs of consecutive versions of the run: "1.30-1.32, 1.35"."""
    if not every or not set(versions) <= set(every):  # no run to compare with: list them
        return ", ".join(sorted(set(versions), key=_version_key))
    if set(versions) == set(every):
        return "all versions"
    order = every
    runs: list[list[str]] = []
    for v in order:
        if v not in versions:
            continue
        if runs and order.index(v) == order.index(runs[-1][-1]) + 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


#: past this many modes with the same versions, a finding names how many instead of which
MAX_MODES_NAMED = 3


def cells_label(cells: tuple[Cell, ...], total: int = 0,
                universe: Sequence[Mapping[str, Any]] = ()) -> str:
    """Compact: "manager.kind=DaemonSet @ all versions", "defaults @ 1.32-1.35",
    "in 37 of 45 modes @ all versions (see --format json)". `universe` is every cell of the
    run (cell JSON), which says what "all" means; JSON output keeps the full list."""
    if total and len(cells) == total:
        return "all cells"
    every = sorted({str(c.get("kube_version")) for c in universe}, key=_version_key)
    modes_total = len({str(c.get("name")) for c in universe})
    by_mode: dict[str, list[str]] = {}
    for c in sorted(cells):
        by_mode.setdefault(c.name, []).append(c.kube_version)
    by_versions: dict[str, list[str]] = {}
    for mode, versions in by_mode.items():
        by_versions.setdefault(_versions_label(versions, every), []).append(mode)
    parts = []
    for versions_label, modes in by_versions.items():
        if len(modes) > MAX_MODES_NAMED:
            of = f" of {modes_total}" if modes_total else ""
            parts.append(f"in {len(modes)}{of} modes @ {versions_label} (see --format json)")
        else:
            parts.append(f"{', '.join(modes)} @ {versions_label}")
    return "; ".join(parts)


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

    universe = summary.listed_cells()

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
                label = cells_label(f.cells, summary.cells_total, universe)
                stream.write(f"          cells: {label}\n")
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
    scope = ""
    if summary.cells_total:
        scope = (f" in {summary.cells_total} cells ({summary.cells_distinct} distinct renders, "
                 f"{summary.objects} objects)")
    stream.write(", ".join(parts) + tail + scope + "\n")
    if summary.extra.get("skipped"):
        stream.write(f"not run (--no-images): {', '.join(summary.extra['skipped'])}\n")
