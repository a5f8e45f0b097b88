"""`--format html`: the page's content (parsed) and its behaviour in headless Chromium."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.ecosystem.browser import Browser, find_chromium

from seatrial.findings import Cell, Finding, Location, ObjectRef, Severity, Summary, Suppression
from seatrial.report import emit

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
S1 = ROOT / "examples" / "s1-manager-kind"
HOSTILE = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'

DS = ObjectRef("DaemonSet", "agent", api_version="apps/v1")
DEP = ObjectRef("Deployment", "web", api_version="apps/v1")
TEMPLATE = "\n".join(f"line {n}" for n in range(1, 31))


def cells(mode: str, *versions: str) -> tuple[Cell, ...]:
    values = () if mode == "defaults" else ((mode.split("=")[0], mode.split("=")[1]),)
    return tuple(Cell(v, values, mode) for v in versions)


ALL_CELLS = cells("defaults", "1.31", "1.32") + cells("kind=DaemonSet", "1.31", "1.32")


def summary(findings: list[Finding], **attachments: object) -> Summary:
    return Summary(findings=findings, cells_total=len(ALL_CELLS), cells_distinct=3, objects=2,
                   attachments=dict(attachments))


def page(s: Summary, show_suppressed: bool = False) -> str:
    out = io.StringIO()
    emit(s, "html", out, show_suppressed=show_suppressed)
    return out.getvalue()


class Grid(HTMLParser):
    """Reads the grid back: {(mode, kube, column index): (class, data-findings)}."""

    def __init__(self) -> None:
        super().__init__()
        self.squares: dict[tuple[str, str, int], tuple[str, str]] = {}
        self.head: list[str] = []
        self.scripts: list[str] = []
        self.urls: list[str] = []
        self._mode = self._kube = ""
        self._col = 0
        self._in: str | None = None
        self._td_class = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]
        cls = a.get("class") or ""
        if tag == "tr":
            self._col = 0
        elif (tag == "th" and cls in ("mode", "kube") and "rowspan" not in a) or (
                tag == "th" and cls == "mode"):
            self._in = cls
        elif tag == "th" and cls == "object":
            self._in = "object"
        elif tag == "td":
            self._td_class = cls
            if cls == "absent":
                self.squares[(self._mode, self._kube, self._col)] = ("absent", "")
                self._col += 1
        elif tag == "button" and self._td_class.startswith("cell"):
            self.squares[(self._mode, self._kube, self._col)] = (
                self._td_class.split()[1], a.get("data-findings") or "")
            self._col += 1
        elif tag == "script":
            self._in = "script"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "script"):
            self._in = None
        elif tag == "td":
            self._td_class = ""

    def handle_data(self, data: str) -> None:
        if self._in == "mode" and data.strip() and data.strip() != "Mode":
            self._mode = data.strip()
        elif self._in == "kube" and data.strip() and data.strip() != "Kubernetes":
            self._kube = data.strip()
        elif self._in == "object":
            self.head.append(data.strip())
        elif self._in == "script":
            self.scripts.append(data)


def parse(text: str) -> Grid:
    g = Grid()
    g.feed(text)
    return g


def test_grid_colours_each_square_by_its_worst_finding() -> None:
    err = Finding("ST102", "mode-drift", Severity.ERROR, "drift", DS, "agent",
                  Location("templates/ds.yaml", 12), cells("kind=DaemonSet", "1.32"))
    warn = Finding("ST202", "tag-follows-cluster-version", Severity.WARNING, "tag", DS, "agent",
                   Location("templates/ds.yaml", 14), cells("kind=DaemonSet", "1.31", "1.32"))
    info = Finding("ST205", "entrypoint-overridden", Severity.INFO, "cmd", DEP, "web",
                   Location("templates/web.yaml", 3), ())  # no cells: the whole run
    g = parse(page(summary([err, warn, info], cells=[c.to_json() for c in ALL_CELLS])))
    assert g.head == ["DaemonSet/agent", "Deployment/web"]
    colours = {k: v[0] for k, v in g.squares.items()}
    assert colours == {
        ("defaults", "1.31", 0): "ok", ("defaults", "1.31", 1): "info",
        ("defaults", "1.32", 0): "ok", ("defaults", "1.32", 1): "info",
        ("kind=DaemonSet", "1.31", 0): "warning", ("kind=DaemonSet", "1.31", 1): "info",
        ("kind=DaemonSet", "1.32", 0): "error", ("kind=DaemonSet", "1.32", 1): "info",
    }
    # the error square lists both DaemonSet findings (sorted: error first)
    assert g.squares[("kind=DaemonSet", "1.32", 0)][1] == "f0 f1"


def test_rows_come_from_findings_when_no_cell_list_is_attached() -> None:
    err = Finding("ST102", "mode-drift", Severity.ERROR, "drift", DS, None,
                  Location("templates/ds.yaml", 12), cells("kind=DaemonSet", "1.9", "1.10"))
    g = parse(page(summary([err])))
    # versions sort as numbers, not strings; an object-level finding gets a "(pod)" column
    assert list(g.squares) == [("kind=DaemonSet", "1.9", 0), ("kind=DaemonSet", "1.10", 0)]
    assert ">(pod)</th>" in page(summary([err]))


def test_workloads_attachment_adds_clean_columns_and_marks_absent_cells() -> None:
    err = Finding("ST102", "mode-drift", Severity.ERROR, "drift", DS, "agent",
                  Location("templates/ds.yaml", 12), cells("kind=DaemonSet", "1.31"))
    workloads = [
        {"object": "DaemonSet/agent", "containers": ["agent"],
         "cells": [c.to_json() for c in cells("kind=DaemonSet", "1.31", "1.32")]},
        {"object": "Deployment/web", "containers": ["web", "sidecar"]},
    ]
    g = parse(page(summary([err], cells=[c.to_json() for c in ALL_CELLS], workloads=workloads)))
    assert g.head == ["DaemonSet/agent", "Deployment/web"]
    assert g.squares[("defaults", "1.31", 0)] == ("absent", "")
    assert g.squares[("kind=DaemonSet", "1.31", 0)] == ("error", "f0")
    assert g.squares[("kind=DaemonSet", "1.32", 0)] == ("ok", "")
    assert g.squares[("defaults", "1.32", 2)] == ("ok", "")  # Deployment/web [web]


def test_excerpt_highlights_the_flagged_line_and_escapes_the_template() -> None:
    text = TEMPLATE.replace("line 12", "command: [{{ .Values.cmd | quote }}] <b>&amp;</b>")
    err = Finding("ST102", "mode-drift", Severity.ERROR, "drift", DS, "agent",
                  Location("templates/ds.yaml", 12), cells("kind=DaemonSet", "1.32"))
    out = page(summary([err], sources={"templates/ds.yaml": text}))
    lines = re.findall(r'<span class="(ln(?: hit)?)" data-n="(\d+)">([^<]*)</span>', out)
    assert [(n, cls) for cls, n, _ in lines] == [
        (str(n), "ln hit" if n == 12 else "ln") for n in range(8, 17)]
    assert lines[4][2] == "command: [{{ .Values.cmd | quote }}] &lt;b&gt;&amp;amp;&lt;/b&gt;"


def test_without_sources_the_location_is_shown_and_no_excerpt() -> None:
    err = Finding("ST102", "mode-drift", Severity.ERROR, "drift", DS, "agent",
                  Location("templates/ds.yaml", 12), cells("kind=DaemonSet", "1.32"))
    out = page(summary([err]))
    assert "templates/ds.yaml:12" in out
    assert "excerpt" not in out.split("<body>")[1]


def test_hostile_chart_content_is_escaped_everywhere() -> None:
    bad = Finding("ST102", HOSTILE, Severity.ERROR, HOSTILE, ObjectRef("DaemonSet", HOSTILE),
                  HOSTILE, Location(HOSTILE, 1), (Cell("1.32", (("k", HOSTILE),), HOSTILE),),
                  fix=HOSTILE, related=(Location(HOSTILE, 2),))
    out = page(summary([bad], sources={HOSTILE: HOSTILE}, cells=[{"name": HOSTILE}]))
    g = parse(out)
    assert "__pwned" not in "".join(g.scripts)
    assert g.urls == []
    assert "<img" not in out and "onerror=\"" not in out
    # the page's own script is the only one, and the CSP admits only it
    assert out.count("<script>") == 1
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+';", out)


def test_suppressed_findings_are_listed_only_on_request_and_never_colour_the_grid() -> None:
    sup = Finding("ST205", "entrypoint-overridden", Severity.ERROR, "accepted", DEP, "web",
                  Location("templates/web.yaml", 3), cells("defaults", "1.31"),
                  suppressed=Suppression("config", "known"))
    assert "accepted" not in page(summary([sup]))
    out = page(summary([sup], cells=[c.to_json() for c in ALL_CELLS]), show_suppressed=True)
    assert "Suppressed by config: known" in out
    assert 'class="cell error"' not in out


# --- the real page in a real browser ---------------------------------------------------------

chromium = find_chromium()
needs_browser = pytest.mark.skipif(chromium is None, reason="chromium is not installed")


def visible_findings(b: Browser) -> list[str]:
    """Text of the findings a user can see now: not hidden, opened, with a non-empty box."""
    shown: list[str] = b.eval(
        "[...document.querySelectorAll('details.finding')].filter(d => !d.hidden && d.open"
        " && d.querySelector('.message').getBoundingClientRect().height > 0)"
        ".map(d => d.innerText)")
    return shown


@needs_browser
def test_clicking_a_red_square_shows_its_finding_in_chromium(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    # offline with an empty cache: the images cannot be verified (ST204 infos) and
    # the DaemonSet mode's command drifts (ST102 error, red)
    env = {**os.environ, "SEATRIAL_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-m", "seatrial.cli", "check", str(S1), "--offline", "--format",
         "html", "-o", str(report)], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 1, proc.stderr
    assert chromium is not None
    with Browser(chromium, width=1440, height=900) as b:
        b.goto(report.as_uri())
        assert b.eval("document.title") == "seatrial report"
        red = b.eval("[...document.querySelectorAll('td.cell.error button')]"
                     ".map(e => e.getAttribute('aria-label'))")
        # only the DaemonSet's container is red, and only in the DaemonSet mode
        amber = b.eval("[...document.querySelectorAll('td.cell.info button')]"
                       ".map(e => e.getAttribute('aria-label'))")
        assert len(amber) == 12 and all(a.startswith("Deployment/") for a in amber), amber
        assert len(red) == 6 and all(
            label.startswith("DaemonSet/") and "manager.kind=DaemonSet @" in label
            for label in red), red
        assert visible_findings(b) == []  # closed until asked
        b.click("td.cell.error button")
        shown = visible_findings(b)
        assert len(shown) == 2
        assert "ST204 image-unverifiable" in shown[1]
        assert "ST102 mode-drift" in shown[0]
        assert "container manager sets command [/manager] in the DaemonSet mode" in shown[0]
        assert "Fix: remove `command`" in shown[0]
        hit = b.eval("document.querySelector('details.finding:not([hidden]) .ln.hit')"
                     ".getAttribute('data-n')")
        assert hit == "22"
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "html-report.png"
        b.screenshot(shot)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if os.environ.get("SEATRIAL_UPDATE_SCREENSHOT"):
            (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, ROOT / "docs" / "img" / "report.png")
        # each workload is hatched where its mode does not render it: the DaemonSet in the
        # 12 Deployment-mode cells, the Deployment in the 6 DaemonSet-mode cells
        assert b.eval("document.querySelectorAll('td.absent').length") == 18
        # the page loaded nothing but itself
        assert b.requested_urls() == [report.as_uri()]


@needs_browser
def test_hostile_content_does_not_run_in_chromium(tmp_path: Path) -> None:
    bad = Finding("ST102", "mode-drift", Severity.ERROR, HOSTILE, ObjectRef("DaemonSet", "x"),
                  "c", Location("templates/x.yaml", 1), (Cell("1.32", (), HOSTILE),),
                  fix=HOSTILE)
    report = tmp_path / "hostile.html"
    report.write_text(page(summary([bad], sources={"templates/x.yaml": HOSTILE})),
                      encoding="utf-8")
    assert chromium is not None
    with Browser(chromium) as b:
        b.goto(report.as_uri())
        b.click("td.cell.error button")
        assert b.eval("typeof window.__pwned") == "undefined"
        assert HOSTILE in visible_findings(b)[0]
        assert b.eval("document.querySelectorAll('img').length") == 0
