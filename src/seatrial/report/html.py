"""`--format html`: one self-contained page (no network) with the matrix as a grid.

Rows are the cells of the matrix (mode x Kubernetes version), columns the workloads and their
containers; each grid square takes the colour of its worst finding. Clicking a square shows
its findings, each with message, fix and the template excerpt around the flagged line.

Everything that comes from the chart is escaped, and a Content-Security-Policy that allows
only this page's own script and style (by hash) and no network keeps the page inert even if
escaping were ever missed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from seatrial.findings import Finding, Severity, Summary, sorted_findings
from seatrial.report.text import cells_label, scope_label

#: lines shown around the flagged template line
CONTEXT_LINES = 4

#: column of findings that name no object (a cell that fails to render, a missing dependency)
CHART_COLUMN = "chart"

RowKey = tuple[str, str]  # (mode name, Kubernetes version)
ColKey = tuple[str, str]  # (object label, container name or "")

_CSS = """
:root { --err: #cf222e; --warn: #d4a72c; --info: #218bff; --ok: #dafbe1; --none: #f6f8fa;
  --line: #d0d7de; --fg: #1f2328; --muted: #59636e; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  margin: 0; padding: 20px 28px; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
.counts { color: var(--muted); margin: 0 0 16px; }
.counts b.error { color: var(--err); } .counts b.warning { color: #9a6700; }
.counts b.info { color: var(--info); }
table.grid { border-collapse: collapse; }
.layout { display: flex; flex-wrap: wrap; gap: 0 28px; align-items: flex-start; }
.layout > section { min-width: 0; }
.layout > section.side { flex: 1 1 380px; position: sticky; top: 0; }
.grid th, .grid td { border: 1px solid var(--line); padding: 0; text-align: center; }
.grid th { background: var(--none); font-weight: 600; padding: 4px 8px; font-size: 12px; }
.grid th.mode, .grid th.kube { text-align: left; white-space: nowrap; }
.grid thead th.object { max-width: 260px; overflow-wrap: anywhere; }
.grid td.cell button { display: block; width: 100%; min-width: 92px; height: 30px;
  border: 0; cursor: pointer; font: inherit; font-size: 12px; background: var(--ok);
  color: #1a7f37; }
.grid td.cell.error button { background: var(--err); color: #fff; font-weight: 600; }
.grid td.cell.warning button { background: var(--warn); color: #000; }
.grid td.cell.info button { background: var(--info); color: #fff; }
.grid td.absent { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #eaeef2 4px,
  #eaeef2 8px); color: var(--muted); font-size: 12px; min-width: 92px; }
.grid td.cell.selected button { outline: 3px solid #000; outline-offset: -3px; }
.legend { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
.legend span { display: inline-block; width: 12px; height: 12px; vertical-align: -2px;
  margin: 0 4px 0 12px; border: 1px solid var(--line); }
.legend .error { background: var(--err); } .legend .warning { background: var(--warn); }
.legend .info { background: var(--info); } .legend .ok { background: var(--ok); }
.legend .absent { background: #eaeef2; }
#filter { margin: 8px 0; color: var(--muted); }
#show-all { margin-left: 8px; font: inherit; font-size: 12px; cursor: pointer; }
details.finding { border: 1px solid var(--line); border-left: 6px solid var(--line);
  border-radius: 6px; margin: 0 0 8px; padding: 6px 10px; }
details.finding.error { border-left-color: var(--err); }
details.finding.warning { border-left-color: var(--warn); }
details.finding.info { border-left-color: var(--info); }
details.finding.suppressed { opacity: .65; }
details.finding summary { cursor: pointer; }
.sev { font-weight: 700; text-transform: uppercase; font-size: 11px; }
.sev.error { color: var(--err); } .sev.warning { color: #9a6700; } .sev.info { color: var(--info); }
.where, .cells, .muted { color: var(--muted); }
.message { margin: 8px 0 4px; font-weight: 600; }
.fix { margin: 4px 0; }
pre.excerpt { background: var(--none); border: 1px solid var(--line); border-radius: 6px;
  padding: 6px 0; overflow-x: auto; font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace;
  margin: 8px 0 4px; }
pre.excerpt span.ln { display: block; padding: 0 10px; white-space: pre; }
pre.excerpt span.ln::before { content: attr(data-n); display: inline-block; width: 3.5em;
  color: var(--muted); }
pre.excerpt span.ln.hit { background: #fff8c5; box-shadow: inset 3px 0 0 var(--err); }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
"""

_JS = """
(function () {
  var list = document.getElementById('findings');
  var note = document.getElementById('filter-note');
  var all = document.getElementById('show-all');
  function show(ids, label) {
    var keep = ids === null ? null : ids.split(' ').filter(Boolean);
    list.querySelectorAll('details.finding').forEach(function (d) {
      var on = keep === null || keep.indexOf(d.id) >= 0;
      d.hidden = !on;
      d.open = keep !== null && on;
    });
    note.textContent = label;
    all.hidden = keep === null;
  }
  document.querySelectorAll('td.cell button').forEach(function (b) {
    b.addEventListener('click', function () {
      document.querySelectorAll('td.cell.selected').forEach(function (td) {
        td.classList.remove('selected');
      });
      b.parentNode.classList.add('selected');
      var ids = b.getAttribute('data-findings');
      var label = b.getAttribute('aria-label');
      show(ids, ids ? label : label + ': no findings');
    });
  });
  all.addEventListener('click', function () {
    document.querySelectorAll('td.cell.selected').forEach(function (td) {
      td.classList.remove('selected');
    });
    show(null, 'All findings');
  });
})();
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _version_key(version: str) -> tuple[Any, ...]:
    parts = re.findall(r"\d+", version)
    return (tuple(int(p) for p in parts), version)


@dataclass(frozen=True)
class _Grid:
    rows: list[RowKey]
    cols: list[ColKey]
    #: (row, col) -> indexes into the shown findings
    hits: dict[tuple[RowKey, ColKey], list[int]]
    #: object label -> the rows where it is rendered (absent: rendered everywhere or unknown)
    present: dict[str, set[RowKey]]


def _column(f: Finding) -> ColKey:
    return (f.object.label() if f.object else CHART_COLUMN, f.container or "")


def _cell_rows(summary: Summary, findings: Iterable[Finding]) -> list[RowKey]:
    """Every cell of the run, in plan order; cells only seen in findings are added."""
    listed = summary.attachments.get("cells") or summary.extra.get("cells") or []
    rows: list[RowKey] = []
    for item in listed:
        if isinstance(item, Mapping):
            key = (str(item.get("name", "defaults")), str(item.get("kube_version", "")))
            if key not in rows:
                rows.append(key)
    extra = sorted({(c.name, c.kube_version) for f in findings for c in f.cells} - set(rows),
                   key=lambda k: (k[0], _version_key(k[1])))
    rows += extra
    modes = list(dict.fromkeys(name for name, _ in rows))
    return sorted(rows, key=lambda k: (modes.index(k[0]), _version_key(k[1])))


def _workloads(summary: Summary) -> tuple[set[ColKey], dict[str, set[RowKey]]]:
    """Columns for clean workloads too, and where each is rendered, when the engine attaches
    `workloads`: [{"object": "Kind/name", "containers": [...], "cells": [cell JSON, ...]}]."""
    cols: set[ColKey] = set()
    present: dict[str, set[RowKey]] = {}
    for item in summary.attachments.get("workloads") or []:
        if not isinstance(item, Mapping) or not item.get("object"):
            continue
        obj = str(item["object"])
        cols.update((obj, str(c)) for c in item.get("containers") or [""])
        cells = item.get("cells")
        if isinstance(cells, list):
            present.setdefault(obj, set()).update(
                (str(c.get("name", "defaults")), str(c.get("kube_version", "")))
                for c in cells if isinstance(c, Mapping))
    return cols, present


def _grid(summary: Summary, shown: list[Finding]) -> _Grid:
    active = [(i, f) for i, f in enumerate(shown) if f.suppressed is None]
    rows = _cell_rows(summary, (f for _, f in active))
    known, present = _workloads(summary)
    cols = sorted(known | {_column(f) for _, f in active},
                  key=lambda c: (c[0] == CHART_COLUMN, c[0], c[1]))
    hits: dict[tuple[RowKey, ColKey], list[int]] = {}
    for i, f in active:
        # a finding without cells holds for the whole run
        where = [(c.name, c.kube_version) for c in f.cells] if f.cells else rows
        for row in where:
            hits.setdefault((row, _column(f)), []).append(i)
    return _Grid(rows, cols, hits, present)


def _excerpt(f: Finding, sources: Mapping[str, Any]) -> str:
    if f.source is None or not f.source.line:
        return ""
    text = sources.get(f.source.file)
    if not isinstance(text, str):
        return ""
    lines = text.splitlines()
    hit = f.source.line
    if hit > len(lines):
        return ""
    first, last = max(1, hit - CONTEXT_LINES), min(len(lines), hit + CONTEXT_LINES)
    out = []
    for n in range(first, last + 1):
        cls = "ln hit" if n == hit else "ln"
        out.append(f'<span class="{cls}" data-n="{n}">{_esc(lines[n - 1])}</span>')
    return f'<pre class="excerpt" aria-label="{_esc(f.source.file)}">{"".join(out)}</pre>'


def _finding_html(i: int, f: Finding, summary: Summary, sources: Mapping[str, Any]) -> str:
    sev = f.severity.label
    obj = f.object.label() if f.object else CHART_COLUMN
    container = f" [{_esc(f.container)}]" if f.container else ""
    where = ""
    if f.source:
        where = _esc(f.source.label())
        if f.source.line is None and f.source.note:
            where += f" ({_esc(f.source.note)})"
    classes = f"finding {sev}" + (" suppressed" if f.suppressed else "")
    parts = [
        f'<details class="{classes}" id="f{i}">',
        f'<summary><span class="sev {sev}">{sev}</span> <code>{_esc(f.check)}</code> '
        f"{_esc(f.slug)} &middot; {_esc(obj)}{container} "
        f'<span class="where">{where}</span></summary>',
        f'<p class="message">{_esc(f.message)}</p>',
    ]
    if f.fix:
        parts.append(f'<p class="fix"><b>Fix:</b> {_esc(f.fix)}</p>')
    parts.append(_excerpt(f, sources))
    if f.cells:
        label = cells_label(f.cells, summary.cells_total, summary.listed_cells())
        parts.append(f'<p class="cells">Cells: {_esc(label)}</p>')
    if f.related:
        refs = ", ".join(f"<code>{_esc(r.label())}</code>" for r in f.related)
        parts.append(f'<p class="muted">See also: {refs}</p>')
    if f.suppressed:
        reason = f": {_esc(f.suppressed.reason)}" if f.suppressed.reason else ""
        parts.append(f'<p class="muted">Suppressed by {_esc(f.suppressed.by)}{reason}</p>')
    parts.append("</details>")
    return "\n".join(p for p in parts if p)


def _grid_html(grid: _Grid, shown: list[Finding]) -> str:
    if not grid.cols:
        return '<p class="muted">No findings in any cell.</p>'
    objects = list(dict.fromkeys(obj for obj, _ in grid.cols))
    head1 = ['<th class="mode" rowspan="2">Mode</th>',
             '<th class="kube" rowspan="2">Kubernetes</th>']
    head2 = []
    for obj in objects:
        containers = [c for o, c in grid.cols if o == obj]
        head1.append(f'<th class="object" colspan="{len(containers)}">{_esc(obj)}</th>')
        head2 += [f"<th>{_esc(c) if c else '(pod)'}</th>" for c in containers]
    body = []
    modes = [name for name, _ in grid.rows]
    for r, row in enumerate(grid.rows):
        mode, kube = row
        tds = []
        if r == 0 or grid.rows[r - 1][0] != mode:
            tds.append(f'<th class="mode" rowspan="{modes.count(mode)}">{_esc(mode)}</th>')
        tds.append(f'<th class="kube">{_esc(kube)}</th>')
        for col in grid.cols:
            ids = grid.hits.get((row, col), [])
            where = f"{col[0]}" + (f" [{col[1]}]" if col[1] else "") + f" in {mode} @ {kube}"
            if ids:
                worst = max(shown[i].severity for i in ids)
                n = len(ids)
                text = f"{n} {worst.label}" if n == 1 else f"{n} findings"
                tds.append(
                    f'<td class="cell {worst.label}"><button type="button" '
                    f'data-findings="{" ".join(f"f{i}" for i in ids)}" '
                    f'aria-label="{_esc(where)}" title="{_esc(where)}">{_esc(text)}</button></td>')
            elif col[0] in grid.present and row not in grid.present[col[0]]:
                tds.append(f'<td class="absent" title="{_esc(col[0])} is not rendered in '
                           f'{_esc(mode)} @ {_esc(kube)}">&ndash;</td>')
            else:
                tds.append(f'<td class="cell ok"><button type="button" data-findings="" '
                           f'aria-label="{_esc(where)}" title="{_esc(where)}">ok</button></td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    absent = '<span class="absent"></span>not rendered' if 'class="absent"' in "".join(body) \
        else ""
    legend = ('<p class="legend">worst finding:<span class="error"></span>error'
              '<span class="warning"></span>warning<span class="info"></span>info'
              f'<span class="ok"></span>none{absent}</p>')
    return (f'<table class="grid"><thead><tr>{"".join(head1)}</tr><tr>{"".join(head2)}</tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table>{legend}')


def render(summary: Summary, show_suppressed: bool = False) -> str:
    """The whole page as a string."""
    shown = [f for f in sorted_findings(summary.findings)
             if show_suppressed or f.suppressed is None]
    sources = summary.attachments.get("sources") or summary.extra.get("sources") or {}
    if not isinstance(sources, Mapping):
        sources = {}
    grid = _grid(summary, shown)
    counts = summary.counts()
    count_parts = [f'<b class="{s.label}">{counts[s.label]}</b> {s.label}'
                   + ("s" if counts[s.label] != 1 else "")
                   for s in sorted(Severity, reverse=True)]
    if counts["suppressed"]:
        count_parts.append(f"{counts['suppressed']} suppressed")
    scope = scope_label(summary)
    engine = summary.extra.get("engine")
    if engine:
        scope += f"; rendered by {_esc(engine)}"
    findings_html = "\n".join(_finding_html(i, f, summary, sources) for i, f in enumerate(shown))
    csp = (f"default-src 'none'; style-src {_csp_hash(_CSS)}; script-src {_csp_hash(_JS)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>seatrial report</title>
<style>{_CSS}</style>
</head>
<body>
<h1>seatrial report</h1>
<p class="counts">{", ".join(count_parts)}{scope}</p>
<div class="layout">
<section>
<h2>Matrix</h2>
{_grid_html(grid, shown)}
</section>
<section class="side">
<h2>Findings</h2>
<p id="filter"><span id="filter-note">All findings</span>
<button type="button" id="show-all" hidden>show all</button></p>
<div id="findings">
{findings_html or '<p class="muted">No findings.</p>'}
</div>
</section>
</div>
<script>{_JS}</script>
</body>
</html>
"""


def write(summary: Summary, stream: TextIO, show_suppressed: bool) -> None:
    stream.write(render(summary, show_suppressed))
