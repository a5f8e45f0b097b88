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
    return Summary(
        findings=findings,
        cells_total=len(ALL_CELLS),
        cells_distinct=3,
        objects=2,
        attachments=dict(attachments),
    )


def page(s: Summary, show_suppressed: bool = False) -> str:
    out = io.StringIO()
    emit(s, "html", out, show_suppressed=show_suppressed)
    return out.getvalue()


class Grid(HTMLParser):
    """Reads the grid back: {(mode, kube, column index): (class, data-findings, text)}; a mode
    row over several Kubernetes versions has kube ""."""

    def __init__(self) -> None:
        super().__init__()
        self.squares: dict[tuple[str, str, int], tuple[str, str]] = {}
        self.texts: dict[tuple[str, str, int], str] = {}
        self.titles: dict[tuple[str, str, int], str] = {}
        self.head: list[str] = []
        self.scripts: list[str] = []
        self.urls: list[str] = []
        self.hidden_rows: list[tuple[str, str]] = []
        self._row = ("", "")
        self._col = 0
        self._in: str | None = None
        self._td_class = ""
        self._object = ""

    def _key(self) -> tuple[str, str, int]:
        return (*self._row, self._col)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]
        cls = a.get("class") or ""
        if tag == "tr":
            self._col = 0
            if "data-name" in a:
                self._row = (a["data-name"] or "", a.get("data-kube") or "")
                if "hidden" in a:
                    self.hidden_rows.append(self._row)
        elif tag == "th" and cls == "object":
            self._in = "object"
            self._object = ""
        elif tag == "td":
            self._td_class = cls
            if cls == "absent":
                self.squares[self._key()] = ("absent", "")
                self._col += 1
        elif tag == "button" and self._td_class.startswith("cell"):
            self.squares[self._key()] = (self._td_class.split()[1], a.get("data-findings") or "")
            self.titles[self._key()] = a.get("title") or ""
            self._in = "button"
        elif tag == "script":
            self._in = "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._in == "object":
            self.head.append(self._object)
        if tag in ("th", "script"):
            self._in = None
        elif tag == "button" and self._in == "button":
            self._in = None
            self._col += 1
        elif tag == "td":
            self._td_class = ""

    def handle_data(self, data: str) -> None:
        if self._in == "object":
            self._object += data
        elif self._in == "button":
            key = (*self._row, self._col)
            self.texts[key] = self.texts.get(key, "") + data
        elif self._in == "script":
            self.scripts.append(data)


def parse(text: str) -> Grid:
    g = Grid()
    g.feed(text)
    return g


def test_grid_colours_each_square_by_its_worst_finding() -> None:
    err = Finding(
        "ST102",
        "mode-drift",
        Severity.ERROR,
        "drift",
        DS,
        "agent",
        Location("templates/ds.yaml", 12),
        cells("kind=DaemonSet", "1.32"),
    )
    warn = Finding(
        "ST202",
        "tag-follows-cluster-version",
        Severity.WARNING,
        "tag",
        DS,
        "agent",
        Location("templates/ds.yaml", 14),
        cells("kind=DaemonSet", "1.31", "1.32"),
    )
    info = Finding(
        "ST205",
        "entrypoint-overridden",
        Severity.INFO,
        "cmd",
        DEP,
        "web",
        Location("templates/web.yaml", 3),
        (),
    )  # no cells: the whole run
    g = parse(page(summary([err, warn, info], cells=[c.to_json() for c in ALL_CELLS])))
    assert g.head == ["DaemonSet/agent", "Deployment/web"]
    colours = {k: v[0] for k, v in g.squares.items()}
    assert colours == {
        # one row per mode, the worst finding across its versions
        ("defaults", "", 0): "ok",
        ("defaults", "", 1): "info",
        ("kind=DaemonSet", "", 0): "error",
        ("kind=DaemonSet", "", 1): "info",
        # then one row per version, hidden until the mode is expanded
        ("defaults", "1.31", 0): "ok",
        ("defaults", "1.31", 1): "info",
        ("defaults", "1.32", 0): "ok",
        ("defaults", "1.32", 1): "info",
        ("kind=DaemonSet", "1.31", 0): "warning",
        ("kind=DaemonSet", "1.31", 1): "info",
        ("kind=DaemonSet", "1.32", 0): "error",
        ("kind=DaemonSet", "1.32", 1): "info",
    }
    assert g.hidden_rows == [
        ("defaults", "1.31"),
        ("defaults", "1.32"),
        ("kind=DaemonSet", "1.31"),
        ("kind=DaemonSet", "1.32"),
    ]
    # the error square lists both DaemonSet findings (sorted: error first)
    assert g.squares[("kind=DaemonSet", "1.32", 0)][1] == "f0 f1"
    assert g.squares[("kind=DaemonSet", "", 0)][1] == "f0 f1"
    assert g.texts[("kind=DaemonSet", "", 0)] == "2 findings"
    assert g.texts[("kind=DaemonSet", "1.31", 0)] == "1 warning"


def test_a_mode_row_says_in_how_many_of_its_versions_a_square_has_findings() -> None:
    err = Finding(
        "ST102",
        "mode-drift",
        Severity.ERROR,
        "drift",
        DS,
        "agent",
        Location("templates/ds.yaml", 12),
        cells("kind=DaemonSet", "1.32"),
    )
    g = parse(page(summary([err], cells=[c.to_json() for c in ALL_CELLS])))
    assert g.texts[("kind=DaemonSet", "", 0)] == "1 error (1/2)"
    assert g.titles[("kind=DaemonSet", "", 0)] == (
        "DaemonSet/agent [agent] in kind=DaemonSet @ 1.31-1.32 (1 of 2 versions)"
    )
    assert g.squares[("kind=DaemonSet", "1.31", 0)] == ("ok", "")


def test_a_mode_with_one_version_is_a_single_row() -> None:
    err = Finding(
        "ST102",
        "mode-drift",
        Severity.ERROR,
        "drift",
        DS,
        "agent",
        Location("templates/ds.yaml", 12),
        cells("kind=DaemonSet", "1.32"),
    )
    out = page(summary([err], cells=[c.to_json() for c in cells("kind=DaemonSet", "1.32")]))
    g = parse(out)
    assert g.squares == {("kind=DaemonSet", "1.32", 0): ("error", "f0")}
    assert g.hidden_rows == []
    assert 'class="toggle"' not in out and 'id="expand-all"' not in out


def test_filters_list_each_severity_and_check_with_counts() -> None:
    err = Finding(
        "ST102",
        "mode-drift",
        Severity.ERROR,
        "drift",
        DS,
        "agent",
        Location("templates/ds.yaml", 12),
        cells("kind=DaemonSet", "1.32"),
    )
    info = Finding(
        "ST205",
        "entrypoint-overridden",
        Severity.INFO,
        "cmd",
        DEP,
        "web",
        Location("templates/web.yaml", 3),
        (),
    )
    out = page(summary([err, info]))
    assert re.findall(r'value="(\w+)" checked> \w+ \((\d+)\)', out) == [
        ("error", "1"),
        ("warning", "0"),
        ("info", "1"),
    ]
    assert re.findall(r'<option value="([^"]*)">([^<]*)</option>', out) == [
        ("", "all checks"),
        ("ST102", "ST102 mode-drift (1)"),
        ("ST205", "ST205 entrypoint-overridden (1)"),
    ]
    assert re.findall(
        r'<details class="finding \w+" id="(f\d)" data-sev="(\w+)" '
        r'data-check="(\w+)">',
        out,
    ) == [("f0", "error", "ST102"), ("f1", "info", "ST205")]


def test_rows_come_from_findings_when_no_cell_list_is_attached() -> None:
    err = Finding(
        "ST102",
        "mode-drift",
        Severity.ERROR,
        "drift",
        DS,
        None,
        Location("templates/ds.yaml", 12),
        cells("kind=DaemonSet", "1.9", "1.10"),
    )
    g = parse(page(summary([err])))
    # versions sort as numbers, not strings; an object-level finding gets a "(pod)" column
    assert list(g.squares) == [
        ("kind=DaemonSet", "", 0),
        ("kind=DaemonSet", "1.9", 0),
        ("kind=DaemonSet", "1.10", 0),
    ]
    assert ">(pod)</th>" in page(summary([err]))


def test_workloads_attachment_adds_clean_columns_and_marks_absent_cells() -> None:
    err = Finding(
        "ST102",
        "mode-drift",
        Severity.ERROR,
        "drift",
        DS,
        "agent",
        Location("templates/ds.yaml", 12),
        cells("kind=DaemonSet", "1.31"),
    )
    workloads = [
        {
            "object": "DaemonSet/agent",
            "containers": ["agent"],
            "cells": [c.to_json() for c in cells("kind=DaemonSet", "1.31", "1.32")],
        },
        {"object": "Deployment/web", "containers": ["web", "sidecar"]},
    ]
    g = parse(page(summary([err], cells=[c.to_json() for c in ALL_CELLS], workloads=workloads)))
    assert g.head == ["DaemonSet/agent", "Deployment/web"]
    assert g.squares[("defaults", "1.31", 0)] == ("absent", "")
    assert g.squares[("kind=DaemonSet", "1.31", 0)] == ("error", "f0")
    assert g.squares[("kind=DaemonSet", "1.32", 0)] == ("ok", "")
    assert g.squares[("defaults", "1.32", 2)] == ("ok", "")  # Deployment/web [web]
    # a mode row is hatched only when no version of the mode renders the object
    assert g.squares[("defaults", "", 0)] == ("absent", "")
    assert g.squares[("kind=DaemonSet", "", 0)] == ("error", "f0")


def test_excerpt_highlights_the_flagged_line_and_escapes_the_template() -> None:
    text = TEMPLATE.replace("line 12", "command: [{{ .Values.cmd | quote }}] <b>&amp;</b>")
    err = Finding(
        "ST102",
        "mode-drift",
        Severity.ERROR,
        "drift",
        DS,
        "agent",
        Location("templates/ds.yaml", 12),
        cells("kind=DaemonSet", "1.32"),
    )
    out = page(summary([err], sources={"templates/ds.yaml": text}))
    lines = re.findall(r'<span class="(ln(?: hit)?)" data-n="(\d+)">([^<]*)</span>', out)
    assert [(n, cls) for cls, n, _ in lines] == [
        (str(n), "ln hit" if n == 12 else "ln") for n in range(8, 17)
    ]
    assert lines[4][2] == "command: [{{ .Values.cmd | quote }}] &lt;b&gt;&amp;amp;&lt;/b&gt;"


def test_without_sources_the_location_is_shown_and_no_excerpt() -> None:
    err = Finding(
        "ST102",
        "mode-drift",
        Severity.ERROR,
        "drift",
        DS,
        "agent",
        Location("templates/ds.yaml", 12),
        cells("kind=DaemonSet", "1.32"),
    )
    out = page(summary([err]))
    assert "templates/ds.yaml:12" in out
    assert "excerpt" not in out.split("<body>")[1]


def test_hostile_chart_content_is_escaped_everywhere() -> None:
    bad = Finding(
        "ST102",
        HOSTILE,
        Severity.ERROR,
        HOSTILE,
        ObjectRef("DaemonSet", HOSTILE),
        HOSTILE,
        Location(HOSTILE, 1),
        (Cell("1.32", (("k", HOSTILE),), HOSTILE),),
        fix=HOSTILE,
        related=(Location(HOSTILE, 2),),
    )
    out = page(summary([bad], sources={HOSTILE: HOSTILE}, cells=[{"name": HOSTILE}]))
    g = parse(out)
    assert "__pwned" not in "".join(g.scripts)
    assert g.urls == []
    assert "<img" not in out and 'onerror="' not in out
    # the page's own script is the only one, and the CSP admits only it
    assert out.count("<script>") == 1
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+';", out)


def test_suppressed_findings_are_listed_only_on_request_and_never_colour_the_grid() -> None:
    sup = Finding(
        "ST205",
        "entrypoint-overridden",
        Severity.ERROR,
        "accepted",
        DEP,
        "web",
        Location("templates/web.yaml", 3),
        cells("defaults", "1.31"),
        suppressed=Suppression("config", "known"),
    )
    assert "accepted" not in page(summary([sup]))
    out = page(summary([sup], cells=[c.to_json() for c in ALL_CELLS]), show_suppressed=True)
    assert "Suppressed by config: known" in out
    assert 'class="cell error"' not in out


# --- the real page in a real browser ---------------------------------------------------------

chromium = find_chromium()
needs_browser = pytest.mark.skipif(chromium is None, reason="chromium is not installed")


def visible_text(b: Browser) -> list[str]:
    """Text of the findings not hidden (open or not)."""
    shown: list[str] = b.eval(
        "[...document.querySelectorAll('details.finding')]"
        ".filter(d => !d.hidden).map(d => d.textContent)"
    )
    return shown


def visible_findings(b: Browser) -> list[str]:
    """Text of the findings a user can see now: not hidden, opened, with a non-empty box."""
    shown: list[str] = b.eval(
        "[...document.querySelectorAll('details.finding')].filter(d => !d.hidden && d.open"
        " && d.querySelector('.message').getBoundingClientRect().height > 0)"
        ".map(d => d.innerText)"
    )
    return shown


def check_html(target: Path, report: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # offline with an empty cache: the images cannot be verified (ST204 infos)
    env = {**os.environ, "SEATRIAL_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "seatrial.cli",
            "check",
            str(target),
            "--offline",
            "--format",
            "html",
            "-o",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@needs_browser
def test_clicking_a_red_square_shows_its_finding_in_chromium(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    # the DaemonSet mode's command drifts (ST102 error, red)
    proc = check_html(S1, report, tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert chromium is not None
    with Browser(chromium, width=1440, height=900) as b:
        b.goto(report.as_uri())
        assert b.eval("document.title") == "seatrial report"
        red = b.eval(
            "[...document.querySelectorAll('tr.ver td.cell.error button')]"
            ".map(e => e.getAttribute('aria-label'))"
        )
        amber = b.eval(
            "[...document.querySelectorAll('tr.ver td.cell.info button')]"
            ".map(e => e.getAttribute('aria-label'))"
        )
        # only the DaemonSet's container is red, and only in the DaemonSet mode
        assert len(amber) == 12 and all(a.startswith("Deployment/") for a in amber), amber
        assert len(red) == 6 and all(
            label.startswith("DaemonSet/") and "manager.kind=DaemonSet @" in label for label in red
        ), red
        # versions are folded into their mode's row until expanded: one red square on screen
        assert (
            b.eval(
                "[...document.querySelectorAll('td.cell.error button')]"
                ".filter(e => e.getBoundingClientRect().height > 0).length"
            )
            == 1
        )
        assert visible_findings(b) == []  # closed until asked
        b.click("td.cell.error button")
        shown = visible_findings(b)
        # the image's ST204 is reported once, on the Deployment (it names the DaemonSet)
        assert len(shown) == 1
        assert "ST102 mode-drift" in shown[0]
        assert "container manager sets command [/manager] in the DaemonSet mode" in shown[0]
        assert "Fix: remove `command`" in shown[0]
        hit = b.eval(
            "document.querySelector('details.finding:not([hidden]) .ln.hit').getAttribute('data-n')"
        )
        assert hit == "22"
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "html-report-s1.png"
        b.screenshot(shot)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        # each workload is hatched where its mode does not render it: the DaemonSet in the
        # 12 Deployment-mode cells, the Deployment in the 6 DaemonSet-mode cells (and in the
        # rows of those 3 modes)
        assert b.eval("document.querySelectorAll('tr.ver td.absent').length") == 18
        assert b.eval("document.querySelectorAll('tr.group td.absent').length") == 3
        # the page loaded nothing but itself
        assert b.requested_urls() == [report.as_uri()]


# argo-cd: two true warnings (ST103 redis-ha missing, ST401 on argocd-secret) among infos
CORPUS_CHART = ROOT / "tests" / "corpus" / "argo-cd"


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("corpus-html")
    report = tmp / "argo-cd.html"
    proc = check_html(CORPUS_CHART, report, tmp)
    assert proc.returncode == 0, proc.stderr  # a warning and infos: nothing at --fail-on error
    return report


def rect(b: Browser, selector: str) -> dict[str, float]:
    box: dict[str, float] = b.eval(
        f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, height: r.height,"
        " width: r.width}; })()"
    )
    return box


def shown_ids(b: Browser) -> list[str]:
    ids: list[str] = b.eval(
        "[...document.querySelectorAll('details.finding')].filter(d => !d.hidden).map(d => d.id)"
    )
    return ids


COUNT_SEV = (
    "[...document.querySelectorAll('details.finding')]"
    ".filter(d => d.getAttribute('data-sev') === %r).length"
)


@needs_browser
@pytest.mark.parametrize("width", [1440, 700])  # side by side; stacked on a narrow screen
def test_a_click_on_the_last_row_of_a_real_chart_shows_its_finding_on_screen(
    corpus_report: Path, width: int
) -> None:
    assert chromium is not None
    with Browser(chromium, width=width, height=900) as b:
        b.goto(corpus_report.as_uri())
        # one row per mode until expanded, one per mode and Kubernetes version after
        groups = b.eval("document.querySelectorAll('tr.group').length")
        versions = b.eval("document.querySelectorAll('tr.ver').length")
        assert groups > 40 and versions > groups
        b.click("#expand-all")
        assert b.eval("document.querySelectorAll('tr.ver:not([hidden])').length") == versions
        last = "tbody tr:last-child td.cell:is(.error, .warning, .info) button"
        wanted = b.eval(f"document.querySelector({last!r}).getAttribute('data-findings')")
        b.click(last)
        # the grid scrolled in its own pane, the page did not
        assert b.eval("document.getElementById('grid-pane').scrollTop") > 5000
        assert b.eval("window.scrollY") == 0
        height = b.eval("window.innerHeight")
        assert shown_ids(b) == wanted.split()
        box = rect(b, "details.finding:not([hidden]) .message")
        assert box["height"] > 0 and box["top"] >= 0 and box["bottom"] <= height, box
        # headers and the mode column stayed in place while the grid scrolled
        pane = rect(b, "#grid-pane")
        assert rect(b, ".grid thead")["top"] == pytest.approx(pane["top"], abs=1)
        assert rect(b, "tbody tr:last-child th.mode")["left"] == pytest.approx(pane["left"], abs=1)
        if width < 800:  # the findings pane sits below the grid pane, both on screen
            assert rect(b, "#side")["top"] >= pane["top"] + pane["height"] - 1
            assert rect(b, "#side")["top"] < height / 2 + 100
        # collapse: back to one row per mode
        b.click("#collapse-all")
        assert b.eval("document.querySelectorAll('tr.ver:not([hidden])').length") == 0


@needs_browser
def test_filters_and_search_pick_the_findings_of_a_real_chart(corpus_report: Path) -> None:
    assert chromium is not None
    with Browser(chromium, width=1440, height=900) as b:
        b.goto(corpus_report.as_uri())
        everything = shown_ids(b)
        n, warnings, infos = (
            len(everything),
            b.eval(COUNT_SEV % "warning"),
            b.eval(COUNT_SEV % "info"),
        )
        assert warnings >= 1 and infos >= 1 and n == warnings + infos
        count = "document.getElementById('shown-count').textContent"
        assert b.eval(count) == f"{n} of {n} shown"
        sev = (
            "[...document.querySelectorAll('details.finding:not([hidden])')]"
            ".map(d => d.getAttribute('data-sev') + ' ' + d.getAttribute('data-check'))"
        )
        # severity: drop the infos, the warnings stay
        b.click("input.sev-filter[value=info]")
        kept = b.eval(sev)
        assert len(kept) == warnings and all(k.startswith("warning ") for k in kept)
        assert b.eval(count) == f"{warnings} of {n} shown"
        # squares whose findings are all filtered out fade; warning squares do not
        assert b.eval("document.querySelectorAll('tr.group td.cell.warning.filtered').length") == 0
        assert (
            b.eval("document.querySelectorAll('tr.group td.cell.info:not(.filtered)').length") == 0
        )
        b.click("input.sev-filter[value=info]")
        assert shown_ids(b) == everything
        # check: only ST204
        b.eval(
            "(() => { const s = document.getElementById('check'); s.value = 'ST204';"
            " s.dispatchEvent(new Event('change')); })()"
        )
        only = b.eval(sev)
        assert only and all(k == "info ST204" for k in only)
        b.eval(
            "(() => { const s = document.getElementById('check'); s.value = '';"
            " s.dispatchEvent(new Event('change')); })()"
        )
        # search: typed text, every word must match
        b.click("#search")
        b.page("Input.insertText", text="argocd-secret")
        found = visible_text(b)
        assert found and all("argocd-secret" in t for t in found)
        b.page("Input.insertText", text=" nosuchword")
        assert shown_ids(b) == []
        assert b.eval(count) == f"0 of {n} shown"
        b.eval(
            "(() => { const s = document.getElementById('search'); s.value = '';"
            " s.dispatchEvent(new Event('input')); })()"
        )
        assert shown_ids(b) == everything
        # a clicked square keeps its selection under a filter, and says what the filter hides
        b.click("tr.group td.cell.warning button")
        picked = len(shown_ids(b))
        b.click("input.sev-filter[value=warning]")
        assert len(shown_ids(b)) < picked
        assert b.eval("document.getElementById('filter-note').textContent").endswith(
            "hidden by the filters)"
        )
        b.click("#show-all")
        assert len(shown_ids(b)) == infos


@needs_browser
def test_readme_screenshot_of_a_real_chart(corpus_report: Path) -> None:
    """The README's picture: argo-cd, the mode whose admin password rotates its Secret's
    mtime at every upgrade expanded, its ST401 warning clicked (written to docs/img/ with
    SEATRIAL_UPDATE_SCREENSHOT=1)."""
    assert chromium is not None
    with Browser(chromium, width=1440, height=900) as b:
        b.goto(corpus_report.as_uri())
        group = b.eval(
            "[...document.querySelectorAll('tr.group')].find(tr => [...tr"
            ".querySelectorAll('td.cell.warning button')].some(x => x"
            ".getAttribute('aria-label').startsWith('Secret/argocd-secret')))"
            ".dataset.group"
        )
        b.click(f"tr.group[data-group={group}] button.toggle")
        b.click("tr.ver:not([hidden]) td.cell.warning button")
        shown = visible_findings(b)
        assert "ST401 upgrade-not-idempotent" in shown[0]
        assert (
            b.eval(
                "document.querySelector('details.finding:not([hidden]) .ln.hit')"
                ".getAttribute('data-n')"
            )
            == "43"
        )
        b.eval("document.getElementById('grid-pane').scrollTop = 0")
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "html-report.png"
        b.screenshot(shot)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if os.environ.get("SEATRIAL_UPDATE_SCREENSHOT"):
            (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, ROOT / "docs" / "img" / "report.png")


@needs_browser
def test_hostile_content_does_not_run_in_chromium(tmp_path: Path) -> None:
    bad = Finding(
        "ST102",
        "mode-drift",
        Severity.ERROR,
        HOSTILE,
        ObjectRef("DaemonSet", "x"),
        "c",
        Location("templates/x.yaml", 1),
        (Cell("1.32", (), HOSTILE),),
        fix=HOSTILE,
    )
    report = tmp_path / "hostile.html"
    report.write_text(page(summary([bad], sources={"templates/x.yaml": HOSTILE})), encoding="utf-8")
    assert chromium is not None
    with Browser(chromium) as b:
        b.goto(report.as_uri())
        b.click("td.cell.error button")
        assert b.eval("typeof window.__pwned") == "undefined"
        assert HOSTILE in visible_findings(b)[0]
        assert b.eval("document.querySelectorAll('img').length") == 0
