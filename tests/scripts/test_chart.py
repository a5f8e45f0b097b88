"""A chart: scripts rendered into a ConfigMap are located in the chart's own files."""

from __future__ import annotations

from tests.scripts.support import FIXTURES, cell, run

from seatrial.checks.st301_unbound_script_variable import unbound_script_variable as st301
from seatrial.findings import Location
from seatrial.render.api import render_one
from seatrial.shell.gather import ScriptOptions

CHART = FIXTURES / "charts" / "kata-s5"


def _hits(options: ScriptOptions) -> list[tuple[str, str | None, str, Location | None]]:
    ctx = cell(render_one(str(CHART), kube_version="1.31"), options=options)
    return [
        (h.name, h.container, h.violation.message.split(" ", 1)[0], h.violation.source)
        for h in run(st301, ctx)
    ]


def test_chart_scripts_are_located_in_chart_files() -> None:
    # every text file of the chart, as the engine is to pass them (RenderedMatrix.files)
    files = {
        p.relative_to(CHART).as_posix(): p.read_text() for p in CHART.rglob("*") if p.is_file()
    }
    assert _hits(ScriptOptions(chart_files=files)) == [
        # through {{ .Files.Get "scripts/kata-deploy.sh" }}: the chart's script file
        ("kata-cleanup", "kata-cleanup", "SHIMS", Location("scripts/kata-deploy.sh", 39)),
        # inline in the template: the template line
        ("kata-deploy", "health", "KATA_DIR", Location("templates/scripts.yaml", 11)),
    ]


def test_without_chart_files_the_line_is_not_guessed() -> None:
    got = _hits(ScriptOptions())
    assert [
        (name, src.file if src else None, src.line if src else 0) for name, _, _, src in got
    ] == [
        ("kata-cleanup", "templates/scripts.yaml", None),
        ("kata-deploy", "templates/scripts.yaml", None),
    ]
    assert got[0][3] is not None and got[0][3].note.endswith("key kata-deploy.sh) line 39")
