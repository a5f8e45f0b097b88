"""`--format html`: one self-contained page (no network) with the matrix as a grid.

The page has two panes that scroll on their own, so the findings stay on screen whatever row
is clicked. On the left, the grid: one row per mode carrying the worst finding across its
Kubernetes versions, expandable to one row per version; columns grouped by object, one per
container. Headers and the mode column stay put while the grid scrolls. On the right, the
findings, filtered by severity, by check and by a search box; a click on a grid square shows
that square's findings, each with message, fix and the template excerpt around the flagged
line.

Everything that comes from the chart is escaped, and a Content-Security-Policy that allows
only this page's own script and style (by hash) and no network keeps the page inert even if
escaping were ever missed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from seatrial.findings import Finding, Severity, Summary, sorted_findings
from seatrial.report.text import cells_label, plural

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
html, body { height: 100%; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  margin: 0; background: #fff; display: flex; flex-direction: column; overflow: hidden; }
header { flex: none; padding: 12px 20px 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 18px; margin: 0 0 2px; }
h2 { font-size: 15px; margin: 0; }
.counts { color: var(--muted); margin: 0; }
.counts b.error { color: var(--err); } .counts b.warning { color: #9a6700; }
.counts b.info { color: var(--info); }
main { flex: 1 1 auto; min-height: 0; display: flex; }
#matrix { flex: 1 1 58%; min-width: 0; display: flex; flex-direction: column; }
#grid-pane { flex: 1 1 auto; min-height: 0; overflow: auto; }
#side { flex: 0 0 min(600px, 42%); min-width: 0; overflow: auto; border-left: 1px solid
  var(--line); padding: 0 16px 16px; }
@media (max-width: 800px) { main { flex-direction: column; }
  #matrix { flex: 1 1 55%; min-height: 0; } #side { flex: 1 1 45%; min-height: 0; border-left: 0;
  border-top: 1px solid var(--line); } }
.bar { position: sticky; top: 0; z-index: 5; background: #fff; padding: 10px 0 8px;
  border-bottom: 1px solid var(--line); margin-bottom: 8px; }
.bar .row { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center;
  margin: 6px 0 0; }
#matrix .bar { position: static; flex: none; padding: 10px 12px 8px; margin: 0; }
.bar label { white-space: nowrap; }
.bar button, .bar select, .bar input { font: inherit; font-size: 12px; }
#search { flex: 1 1 160px; min-width: 120px; padding: 2px 6px; }
#filter { color: var(--muted); }
table.grid { border-collapse: separate; border-spacing: 0; margin: 0 12px 12px 0; }
.grid th, .grid td { border-right: 1px solid var(--line); border-bottom: 1px solid var(--line);
  padding: 0; text-align: center; }
.grid thead { position: sticky; top: 0; z-index: 3; }
.grid thead th { background: var(--none); font-weight: 600; padding: 4px 8px; font-size: 12px;
  border-top: 1px solid var(--line); }
.grid thead th.object { min-width: 10em; max-width: 240px; overflow-wrap: break-word; }
.grid th.mode { position: sticky; left: 0; z-index: 2; background: #fff; text-align: left;
  font-weight: 400; font-size: 12px; padding: 0 8px 0 4px; border-left: 1px solid var(--line); }
.grid th.mode div { display: flex; align-items: baseline; gap: 6px; width: 25em; }
.grid th.mode .name { flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
.grid th.mode .vers { flex: none; }
.grid thead th.mode { z-index: 4; background: var(--none); font-weight: 600; }
.grid tr.group th.mode { font-weight: 600; }
.grid tr.ver th.mode { padding-left: 34px; color: var(--muted); }
.grid th.mode .vers { color: var(--muted); font-weight: 400; }
.grid td.cell { height: 1px; }
button.toggle { flex: none; width: 22px; border: 0; background: none; cursor: pointer; padding: 0;
  font: inherit; color: var(--muted); }
button.toggle::before { content: "\\25b8"; }
button.toggle[aria-expanded="true"]::before { content: "\\25be"; }
.grid tr.single th.mode { padding-left: 26px; }
.grid td.cell button { display: block; width: 100%; min-width: 92px; height: 100%;
  min-height: 26px;
  border: 0; cursor: pointer; font: inherit; font-size: 12px; background: var(--ok);
  color: #1a7f37; }
.grid td.cell.error button { background: var(--err); color: #fff; font-weight: 600; }
.grid td.cell.warning button { background: var(--warn); color: #000; }
.grid td.cell.info button { background: var(--info); color: #fff; }
.grid td.cell.filtered button { opacity: .25; }
.grid td.absent { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #eaeef2 4px,
  #eaeef2 8px); color: var(--muted); font-size: 12px; min-width: 92px; }
.grid td.cell.selected button { outline: 3px solid #000; outline-offset: -3px; }
.legend { color: var(--muted); font-size: 12px; margin: 0; }
.legend span { display: inline-block; width: 12px; height: 12px; vertical-align: -2px;
  margin: 0 4px 0 12px; border: 1px solid var(--line); }
.legend .error { background: var(--err); } .legend .warning { background: var(--warn); }
.legend .info { background: var(--info); } .legend .ok { background: var(--ok); }
.legend .absent { background: #eaeef2; }
details.finding { border: 1px solid var(--line); border-left: 6px solid var(--line);
  border-radius: 6px; margin: 0 0 8px; padding: 6px 10px; }
details.finding.error { border-left-color: var(--err); }
details.finding.warning { border-left-color: var(--warn); }
details.finding.info { border-left-color: var(--info); }
details.finding.suppressed { opacity: .65; }
details.finding summary { cursor: pointer; overflow-wrap: anywhere; }
.sev { font-weight: 700; text-transform: uppercase; font-size: 11px; }
.sev.error { color: var(--err); } .sev.warning { color: #9a6700; } .sev.info { color: var(--info); }
.where, .cells, .muted { color: var(--muted); }
.message { margin: 8px 0 4px; font-weight: 600; overflow-wrap: anywhere; }
.fix { margin: 4px 0; overflow-wrap: anywhere; }
.cells { overflow-wrap: anywhere; }
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
  var side = document.getElementById('side');
  var list = document.getElementById('findings');
  var items = [].slice.call(list.querySelectorAll('details.finding'));
  var note = document.getElementById('filter-note');
  var all = document.getElementById('show-all');
  var count = document.getElementById('shown-count');
  var search = document.getElementById('search');
  var check = document.getElementById('check');
  var sevs = [].slice.call(document.querySelectorAll('input.sev-filter'));
  var squares = [].slice.call(document.querySelectorAll('td.cell button'));
  var selected = null;
  var label = 'All findings';
  function passes(d) {
    var on = {};
    sevs.forEach(function (s) { on[s.value] = s.checked; });
    if (on[d.getAttribute('data-sev')] === false) { return false; }
    if (check.value && d.getAttribute('data-check') !== check.value) { return false; }
    var text = d.textContent.toLowerCase();
    return search.value.toLowerCase().split(/\\s+/).filter(Boolean).every(function (t) {
      return text.indexOf(t) >= 0;
    });
  }
  function apply() {
    var ok = {};
    var n = 0;
    var chosen = 0;
    items.forEach(function (d) {
      var p = passes(d);
      if (p) { ok[d.id] = true; }
      var mine = selected === null || selected.indexOf(d.id) >= 0;
      if (mine) { chosen += 1; }
      d.hidden = !(p && mine);
      if (p && mine) { n += 1; }
    });
    count.textContent = n + ' of ' + items.length + ' shown';
    note.textContent = label + (chosen > n ? ' (' + (chosen - n) + ' hidden by the filters)' : '');
    squares.forEach(function (b) {
      var ids = (b.getAttribute('data-findings') || '').split(' ').filter(Boolean);
      b.parentNode.classList.toggle('filtered', ids.length > 0 && !ids.some(function (i) {
        return ok[i];
      }));
    });
  }
  function select(ids, text) {
    selected = ids;
    label = text;
    items.forEach(function (d) { d.open = ids !== null && ids.indexOf(d.id) >= 0; });
    all.hidden = ids === null;
    apply();
    side.scrollTop = 0;
  }
  squares.forEach(function (b) {
    b.addEventListener('click', function () {
      document.querySelectorAll('td.cell.selected').forEach(function (td) {
        td.classList.remove('selected');
      });
      b.parentNode.classList.add('selected');
      var ids = (b.getAttribute('data-findings') || '').split(' ').filter(Boolean);
      var where = b.getAttribute('aria-label');
      select(ids, ids.length ? where : where + ': no findings');
    });
  });
  all.addEventListener('click', function () {
    document.querySelectorAll('td.cell.selected').forEach(function (td) {
      td.classList.remove('selected');
    });
    select(null, 'All findings');
  });
  function expand(t, open) {
    t.setAttribute('aria-expanded', open ? 'true' : 'false');
    document.querySelectorAll('tr.ver[data-group="' + t.getAttribute('data-group') + '"]')
      .forEach(function (tr) { tr.hidden = !open; });
  }
  var toggles = [].slice.call(document.querySelectorAll('button.toggle'));
  toggles.forEach(function (t) {
    t.addEventListener('click', function () {
      expand(t, t.getAttribute('aria-expanded') !== 'true');
    });
  });
  [['expand-all', true], ['collapse-all', false]].forEach(function (pair) {
    var b = document.getElementById(pair[0]);
    if (b) {
      b.addEventListener('click', function () {
        toggles.forEach(function (t) { expand(t, pair[1]); });
      });
    }
  });
  search.addEventListener('input', apply);
  check.addEventListener('change', apply);
  sevs.forEach(function (s) { s.addEventListener('change', apply); });
  apply();
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
    extra = sorted(
        {(c.name, c.kube_version) for f in findings for c in f.cells} - set(rows),
        key=lambda k: (k[0], _version_key(k[1])),
    )
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
                for c in cells
                if isinstance(c, Mapping)
            )
    return cols, present


def _grid(summary: Summary, shown: list[Finding]) -> _Grid:
    active = [(i, f) for i, f in enumerate(shown) if f.suppressed is None]
    rows = _cell_rows(summary, (f for _, f in active))
    known, present = _workloads(summary)
    cols = sorted(
        known | {_column(f) for _, f in active}, key=lambda c: (c[0] == CHART_COLUMN, c[0], c[1])
    )
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
        f'<details class="{classes}" id="f{i}" data-sev="{sev}" data-check="{_esc(f.check)}">',
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


def _square(grid: _Grid, shown: list[Finding], rows: list[RowKey], col: ColKey, at: str) -> str:
    """One grid square over `rows` (one cell, or every version of a mode) at `at`."""
    obj = col[0]
    where = obj + (f" [{col[1]}]" if col[1] else "") + f" in {at}"
    ids = sorted({i for row in rows for i in grid.hits.get((row, col), [])})
    if ids:
        worst = max(shown[i].severity for i in ids)
        text = f"{len(ids)} {worst.label}" if len(ids) == 1 else f"{len(ids)} findings"
        if len(rows) > 1:
            hit = sum(1 for row in rows if grid.hits.get((row, col)))
            if hit < len(rows):
                text += f" ({hit}/{len(rows)})"
                where += f" ({hit} of {len(rows)} versions)"
        return (
            f'<td class="cell {worst.label}"><button type="button" '
            f'data-findings="{" ".join(f"f{i}" for i in ids)}" '
            f'aria-label="{_esc(where)}" title="{_esc(where)}">{_esc(text)}</button></td>'
        )
    if obj in grid.present and not any(row in grid.present[obj] for row in rows):
        return f'<td class="absent" title="{_esc(obj)} is not rendered in {_esc(at)}">&ndash;</td>'
    return (
        f'<td class="cell ok"><button type="button" data-findings="" '
        f'aria-label="{_esc(where)}" title="{_esc(where)}">ok</button></td>'
    )


def _grid_html(grid: _Grid, shown: list[Finding]) -> str:
    if not grid.cols:
        return '<p class="muted">No findings in any cell.</p>'
    objects = list(dict.fromkeys(obj for obj, _ in grid.cols))
    modes: dict[str, list[RowKey]] = {}
    for row in grid.rows:
        modes.setdefault(row[0], []).append(row)
    most = max((len(rows) for rows in modes.values()), default=0)
    each = f'<br><span class="vers">{most} versions each</span>' if most > 1 else ""
    head1 = [f'<th class="mode" rowspan="2">Mode / Kubernetes version{each}</th>']
    head2 = []
    for obj in objects:
        containers = [c for o, c in grid.cols if o == obj]
        head1.append(
            f'<th class="object" colspan="{len(containers)}">'
            f"{_esc(obj).replace('/', '/<wbr>', 1)}</th>"
        )
        head2 += [f"<th>{_esc(c) if c else '(pod)'}</th>" for c in containers]

    body = []
    for g, (mode, rows) in enumerate(modes.items()):
        if len(rows) == 1:
            kube = rows[0][1]
            at = f" @ {kube}" if kube else ""
            head = (
                f'<th class="mode" title="{_esc(mode)}{_esc(at)}"><div>'
                f'<span class="name">{_esc(mode)}</span>'
                f'<span class="vers">{_esc(at)}</span></div></th>'
            )
            tds = [_square(grid, shown, rows, col, f"{mode}{at}") for col in grid.cols]
            body.append(
                f'<tr class="group single" data-name="{_esc(mode)}" '
                f'data-kube="{_esc(kube)}">{head}{"".join(tds)}</tr>'
            )
            continue
        span = f"{rows[0][1]}-{rows[-1][1]}"
        # the usual count is said once in the header; a mode with fewer versions says its own
        vers = f'<span class="vers">{len(rows)} versions</span>' if len(rows) < most else ""
        head = (
            f'<th class="mode" title="{_esc(mode)}"><div><button type="button" '
            f'class="toggle" aria-expanded="false" data-group="g{g}" '
            f'aria-label="versions of {_esc(mode)}"></button>'
            f'<span class="name">{_esc(mode)}</span>'
            f"{vers}</div></th>"
        )
        tds = [_square(grid, shown, rows, col, f"{mode} @ {span}") for col in grid.cols]
        body.append(
            f'<tr class="group" data-name="{_esc(mode)}" data-kube="" '
            f'data-group="g{g}">{head}{"".join(tds)}</tr>'
        )
        for row in rows:
            kube = row[1]
            tds = [_square(grid, shown, [row], col, f"{mode} @ {kube}") for col in grid.cols]
            body.append(
                f'<tr class="ver" data-group="g{g}" data-name="{_esc(mode)}" '
                f'data-kube="{_esc(kube)}" hidden>'
                f'<th class="mode"><div>{_esc(kube)}</div></th>{"".join(tds)}</tr>'
            )
    return (
        f'<table class="grid"><thead><tr>{"".join(head1)}</tr><tr>{"".join(head2)}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )


def _legend(grid_html: str) -> str:
    absent = '<span class="absent"></span>not rendered' if 'class="absent"' in grid_html else ""
    return (
        '<p class="legend">worst finding:<span class="error"></span>error'
        '<span class="warning"></span>warning<span class="info"></span>info'
        f'<span class="ok"></span>none{absent}</p>'
    )


def _filters(shown: list[Finding]) -> str:
    sev_counts = Counter(f.severity for f in shown)
    boxes = "".join(
        f'<label><input type="checkbox" class="sev-filter" value="{s.label}" checked> '
        f"{s.label} ({sev_counts[s]})</label>"
        for s in sorted(Severity, reverse=True)
    )
    checks: Counter[tuple[str, str]] = Counter((f.check, f.slug) for f in shown)
    options = "".join(
        f'<option value="{_esc(c)}">{_esc(c)} {_esc(slug)} ({n})</option>'
        for (c, slug), n in sorted(checks.items())
    )
    return (
        f'<div class="row">{boxes}<select id="check" aria-label="check">'
        f'<option value="">all checks</option>{options}</select></div>'
        '<div class="row"><input type="search" id="search" placeholder="search findings"'
        ' aria-label="search findings"><span id="shown-count" class="muted"></span></div>'
    )


def render(summary: Summary, show_suppressed: bool = False) -> str:
    """The whole page as a string."""
    shown = [
        f for f in sorted_findings(summary.findings) if show_suppressed or f.suppressed is None
    ]
    sources = summary.attachments.get("sources") or summary.extra.get("sources") or {}
    if not isinstance(sources, Mapping):
        sources = {}
    grid = _grid(summary, shown)
    counts = summary.counts()
    count_parts = [
        f'<b class="{s.label}">{counts[s.label]}</b> {s.label}'
        + ("s" if counts[s.label] != 1 else "")
        for s in sorted(Severity, reverse=True)
    ]
    if counts["suppressed"]:
        count_parts.append(f"{counts['suppressed']} suppressed")
    scope = ""
    if summary.cells_total:
        modes = len({name for name, _ in grid.rows})
        scope = (
            f" in {plural(summary.cells_total, 'cell')} ({plural(modes, 'mode')}, "
            f"{plural(summary.cells_distinct, 'distinct render')}, "
            f"{plural(summary.objects, 'object')})"
        )
    engine = summary.extra.get("engine")
    if engine:
        scope += f"; rendered by {_esc(engine)}"
    findings_html = "\n".join(_finding_html(i, f, summary, sources) for i, f in enumerate(shown))
    grid_html = _grid_html(grid, shown)
    expand = (
        '<button type="button" id="expand-all">expand all</button> '
        '<button type="button" id="collapse-all">collapse all</button>'
        if 'class="toggle"' in grid_html
        else ""
    )
    csp = (
        f"default-src 'none'; style-src {_csp_hash(_CSS)}; script-src {_csp_hash(_JS)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
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
<header>
<h1>seatrial report</h1>
<p class="counts">{", ".join(count_parts)}{scope}</p>
</header>
<main>
<section id="matrix">
<div class="bar"><h2>Matrix</h2>
<div class="row">{expand}{_legend(grid_html)}</div></div>
<div id="grid-pane">
{grid_html}
</div>
</section>
<section id="side">
<div class="bar"><h2>Findings</h2>
{_filters(shown)}
<div class="row" id="filter"><span id="filter-note">All findings</span>
<button type="button" id="show-all" hidden>show all</button></div></div>
<div id="findings">
{findings_html or '<p class="muted">No findings.</p>'}
</div>
</section>
</main>
<script>{_JS}</script>
</body>
</html>
"""


def write(summary: Summary, stream: TextIO, show_suppressed: bool) -> None:
    stream.write(render(summary, show_suppressed))
