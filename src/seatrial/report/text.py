"""`--format text`: grouped by object (by chart first when a run checks several). Each finding
is a line with its severity, check, container and `file:line`, then its message, the cells it
occurs in (`cells:`), the fix (`fix:`) and the other lines involved (`see:`).

Infos that repeat (at least `COLLAPSE_AT` of one check with the same fix in a chart, such as
one ST204 per image not verified `--offline`) are not printed under their objects but once,
after them: the check and how many, the words all their messages share (`image … could not be
verified: offline, ...`) and the shared fix, then per object, container and location a `- `
line with what the message of each info there says of its own. Their cells and related lines are in
`--format json`. Errors and warnings are always printed under their objects; those of one
object that differ only in their container are one block, the containers in its head and
`…` for the container's name in the message.

Colour (`--color`): `auto` on a terminal unless NO_COLOR (or SEATRIAL_NO_COLOR) is set,
`always` even in a pipe or file (CI logs that render ANSI), `never`."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from itertools import groupby
from typing import Any, TextIO

from seatrial.findings import (
    Cell,
    Finding,
    Location,
    ObjectRef,
    Severity,
    Summary,
    sorted_findings,
)

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _use_colour(stream: TextIO, color: str = "auto") -> bool:
    if color in ("always", "never"):
        return color == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("SEATRIAL_NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def plural(n: int, noun: str) -> str:
    """ "1 cell", "2 cells", "1 distinct render"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def scope_label(summary: Summary) -> str:
    """ " in 12 cells (6 distinct renders, 40 objects)", or "" when nothing was rendered."""
    if not summary.cells_total:
        return ""
    return (
        f" in {plural(summary.cells_total, 'cell')} "
        f"({plural(summary.cells_distinct, 'distinct render')}, "
        f"{plural(summary.objects, 'object')})"
    )


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


def _versions_label(versions: list[str], every: list[str]) -> str:
    """ "all versions", or runs of consecutive versions of the run: "1.30-1.32, 1.35"."""
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


def cells_label(
    cells: tuple[Cell, ...], total: int = 0, universe: Sequence[Mapping[str, Any]] = ()
) -> str:
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


PAD = " " * 10
#: the width when not writing to a terminal (CI logs, files)
DEFAULT_WIDTH = 100
#: a message longer than this many lines is cut (the JSON report keeps all of it)
MAX_MESSAGE_LINES = 10


def _width(stream: TextIO) -> int:
    if getattr(stream, "isatty", lambda: False)():
        return max(60, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    return DEFAULT_WIDTH


def _indent(
    text: str, width: int, pad: str = PAD, first: str = "", max_lines: int = MAX_MESSAGE_LINES
) -> str:
    """Multi-line messages (before/after lines, a run's last output) stay under their finding,
    wrapped to the width; words longer than a line (paths, URLs) are not broken."""
    lines: list[str] = []
    for n, raw in enumerate(text.splitlines() or [""]):
        lead = pad + (first if n == 0 else " " * len(first))
        rest = pad + " " * len(first) + ("  " if raw.startswith(" ") else "")
        lines += textwrap.wrap(
            raw,
            width,
            initial_indent=lead,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
            drop_whitespace=True,
        ) or [lead.rstrip()]
    if len(lines) > max_lines:
        cut = len(lines) - max_lines + 1
        lines = [*lines[: max_lines - 1], f"{pad}... ({cut} more lines in --format json)"]
    return "".join(f"{line}\n" for line in lines)


def _charts_line(charts: Sequence[Mapping[str, Any]]) -> str:
    """Per target of a run over several: its counts, or the error that stopped it."""
    out = []
    for c in charts:
        if c.get("failed"):
            failed = str(c["failed"])
            head = "" if failed.startswith(f"{c['chart']}: ") else f"{c['chart']}: "
            out.append(f"not checked: {head}{failed}\n")
            continue
        counts = ", ".join(
            plural(int(c.get(s.label, 0)), s.label) for s in sorted(Severity, reverse=True)
        )
        out.append(f"{c['chart']}: {counts}\n")
    return "".join(out)


#: this many infos of one check with the same fix in a chart are printed once, together
COLLAPSE_AT = 3

_Paint = Callable[[str, str], str]


def _where(source: Location | None) -> str:
    """ "templates/a.yaml:12", or the file and why its line is unknown."""
    if source is None:
        return ""
    if source.line is None and source.note:
        return f"{source.label()} ({source.note})"
    return source.label()


def _head(head: str, where: str, width: int, pad: str, shown: int | None = None) -> str:
    """A head line and its location, the location on a line of its own (`at ...`, under
    `pad`) when both do not fit in `width`; `shown` is the head's width on screen (without
    colour)."""
    if not where:
        return head.rstrip() + "\n"
    if (shown if shown is not None else len(head)) + 2 + len(where) <= width:
        return f"{head}  {where}\n"
    return f"{head}\n{pad}at {where}\n"


def _finding(
    f: Finding,
    width: int,
    paint: _Paint,
    cells: Callable[[Finding], str],
    containers: Sequence[str] = (),
    where: str | None = None,
) -> str:
    """One finding under its object: head line, message, cells, fix, related, suppression.
    With several `containers` (`_merged`): their names in the head (on a line of their own
    when too wide), `where` for its lines, and `…` for the container's name in the message."""
    label = f"{f.severity.label:<7}"
    sev = paint(label, _COLOURS[f.severity])
    head = f"  {sev} {f.check} {f.slug}"
    names = list(containers) or ([f.container] if f.container else [])
    message, extra = f.message, []
    if len(names) > 1:
        message = f.message.replace(f.container or "", "…")
        listed = ", ".join(names)
        if len(head) - len(sev) + len(label) + len(listed) + 3 > width:
            names = [f"{len(names)} containers"]
            extra.append(_indent(listed, width, first="containers: "))
    if names:
        head += f" [{', '.join(names)}]"
    shown = len(head) - len(sev) + len(label)
    out = [
        _head(head, where if where is not None else _where(f.source), width, PAD, shown),
        *extra,
        _indent(message, width),
    ]
    if f.cells:
        out.append(_indent(cells(f), width, first="cells: "))
    if f.fix:
        out.append(_indent(f.fix, width, first="fix: "))
    out += [f"{PAD}see: {rel.label()}\n" for rel in f.related]
    if f.suppressed:
        reason = f": {f.suppressed.reason}" if f.suppressed.reason else ""
        out.append(f"{PAD}suppressed by {f.suppressed.by}{reason}\n")
    return "".join(out)


def _by_container(shown: Sequence[Finding]) -> list[list[Finding]]:
    """The findings of one object, those that differ only in their container (and its name
    in their message, and their line) together: velero's kubectl Job tags five containers
    with the cluster version, one warning each in JSON, one block here."""
    groups: dict[tuple[Any, ...], list[Finding]] = {}
    for f in shown:
        if f.container and f.suppressed is None:
            key: tuple[Any, ...] = (
                f.check,
                f.severity,
                f.fix,
                f.cells,
                f.related,
                f.source.file if f.source else "",
                f.message.replace(f.container, "\0"),
            )
        else:
            key = (id(f),)
        groups.setdefault(key, []).append(f)
    return list(groups.values())


def _merged(
    group: Sequence[Finding], width: int, paint: _Paint, cells: Callable[[Finding], str]
) -> str:
    """Findings of one object that differ only in their container, as one (`_finding`):
    the containers in the head, each distinct line once."""
    first = group[0]
    if len(group) == 1:
        return _finding(first, width, paint, cells)
    lines = list(dict.fromkeys(f.source.line for f in group if f.source and f.source.line))
    source = first.source
    where = None
    if source is not None and len(lines) > 1:
        where = f"{source.file}:" + ", :".join(str(n) for n in lines)
    names = [f.container or "" for f in group]
    return _finding(first, width, paint, cells, containers=names, where=where)


def _collapsible(findings: Sequence[Finding]) -> list[list[Finding]]:
    """The infos of one chart printed once per (check, fix) rather than under their objects."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.severity is Severity.INFO and f.suppressed is None:
            groups.setdefault((f.check, f.fix), []).append(f)
    return [g for _, g in sorted(groups.items()) if len(g) >= COLLAPSE_AT]


#: words the messages of a collapsed block must share to be shown once (`_shared_words`)
SHARED_WORDS = 3


def _shared_words(messages: Sequence[str]) -> tuple[int, int]:
    """How many leading and trailing words every message shares, when together they are at
    least `SHARED_WORDS` and each message keeps a word of its own; (0, 0) otherwise (and for
    multi-line messages)."""
    if any("\n" in m for m in messages):
        return 0, 0
    words = [m.split(" ") for m in messages]
    shortest = min(len(w) for w in words)
    lead = 0
    while lead < shortest and all(w[lead] == words[0][lead] for w in words):
        lead += 1
    trail = 0
    while trail < shortest - lead and all(w[-1 - trail] == words[0][-1 - trail] for w in words):
        trail += 1
    if lead + trail < SHARED_WORDS or lead + trail >= shortest:
        return 0, 0
    return lead, trail


def _collapsed(group: Sequence[Finding], width: int, paint: _Paint) -> str:
    """Infos of one check and fix: the words their messages share and the fix once, then
    what each message says of its own under its place."""
    first = group[0]
    head = f"{first.check} {first.slug}: {plural(len(group), 'info')}"
    out = [paint(f"{head} (cells and details: --format json)", "1") + "\n"]
    lead, trail = _shared_words([f.message for f in group])
    if lead or trail:
        words = first.message.split(" ")
        shared = " ".join([*words[:lead], "…", *words[len(words) - trail :]])
        out.append(_indent(shared, width, pad="  "))
    if first.fix:
        out.append(_indent(first.fix, width, pad="  ", first="fix: "))
    by_place: dict[tuple[ObjectRef | None, str | None, Location | None], list[str]] = {}
    for f in group:
        words = f.message.split(" ")
        own = " ".join(words[lead : len(words) - trail]) if lead or trail else f.message
        by_place.setdefault((f.object, f.container, f.source), []).append(own)
    for (obj, container, source), messages in by_place.items():
        place = f"  - {obj.label() if obj else '(no object)'}"
        if container:
            place += f" [{container}]"
        out.append(_head(place, _where(source), width, "    "))
        out += [_indent(message, width, pad="    ") for message in messages]
    return "".join(out) + "\n"


def write(summary: Summary, stream: TextIO, show_suppressed: bool, color: str = "auto") -> None:
    colour = _use_colour(stream, color)
    width = _width(stream)

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    findings = [
        f for f in sorted_findings(summary.findings) if show_suppressed or f.suppressed is None
    ]

    universe = summary.listed_cells()

    def cells(f: Finding) -> str:
        return cells_label(f.cells, summary.cells_total, universe)

    def group_key(f: Finding) -> str:
        return f.object.label() if f.object else (f.source.file if f.source else "")

    charts = summary.extra.get("charts") or []
    for in_chart, of_chart in groupby(findings, key=lambda f: f.chart):
        if charts:
            stream.write(paint(f"== {in_chart}", "1") + "\n\n")
        in_order = list(of_chart)
        collapsed = _collapsible(in_order)
        elsewhere = {id(f) for infos in collapsed for f in infos}
        for label, group in groupby(in_order, key=group_key):
            shown = [f for f in group if id(f) not in elsewhere]
            if not shown:  # every finding of the object is in a collapsed block
                continue
            stream.write(paint(label or "(no object)", "1") + "\n")
            blocks = _by_container(shown)
            stream.write("".join(_merged(g, width, paint, cells) for g in blocks) + "\n")
        for infos in collapsed:
            stream.write(_collapsed(infos, width, paint))
    counts = summary.counts()
    parts = [
        f"{counts[s.label]} {s.label}" + ("s" if counts[s.label] != 1 else "")
        for s in sorted(Severity, reverse=True)
    ]
    tail = f", {counts['suppressed']} suppressed" if counts["suppressed"] else ""
    if counts["suppressed"]:
        by = Counter(f.suppressed.by for f in summary.findings if f.suppressed)
        tail += " (" + ", ".join(f"{n} by {k}" for k, n in sorted(by.items())) + ")"
    if charts:
        stream.write(_charts_line(charts))
    stream.write(", ".join(parts) + tail + scope_label(summary) + "\n")
    if summary.extra.get("probes_dropped"):
        n = summary.extra["probes_dropped"]
        stream.write(
            f"{n} probe value{'s' if n != 1 else ''} dropped: no shape the chart "
            "accepts rendered (--verbose lists them)\n"
        )
    if summary.extra.get("toggles_left_out"):
        n = summary.extra["toggles_left_out"]
        stream.write(
            f"{n} toggle value{'s' if n != 1 else ''} left out by the probe budget "
            "(--max-probes N raises it)\n"
        )
    config = summary.extra.get("config")
    if config:
        parts = [
            f"disables {', '.join(config['disabled'])}" if "disabled" in config else "",
            f"runs only {', '.join(config['only'])}" if "only" in config else "",
            "lowers " + ", ".join(f"{k} to {v}" for k, v in config["lowered"].items())
            if "lowered" in config
            else "",
            f"has {config['ignore_rules']} ignore rule(s)" if "ignore_rules" in config else "",
        ]
        stream.write(
            f"config {config.get('file') or '(command line)'}: "
            + "; ".join(p for p in parts if p)
            + "\n"
        )
    if summary.extra.get("skipped"):
        stream.write(f"not run (--no-images): {', '.join(summary.extra['skipped'])}\n")
