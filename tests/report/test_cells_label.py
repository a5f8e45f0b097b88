"""The text report names cells compactly; JSON keeps every cell."""

from __future__ import annotations

from seatrial.findings import Cell
from seatrial.report.text import cells_label

VERSIONS = ("1.30", "1.31", "1.32", "1.33", "1.34", "1.35")
MODES = ("defaults", "a=1", "b=1", "c=1", "d=1", "e=1")
UNIVERSE = [{"name": m, "kube_version": v, "values": {}} for m in MODES for v in VERSIONS]


def cell(mode: str, version: str) -> Cell:
    values = () if mode == "defaults" else ((mode.split("=")[0], 1),)
    return Cell(kube_version=version, values=values, name=mode)


def test_a_mode_in_every_version_says_all_versions() -> None:
    cells = tuple(cell("a=1", v) for v in VERSIONS)
    assert cells_label(cells, len(UNIVERSE), UNIVERSE) == "a=1 @ all versions"


def test_consecutive_versions_become_ranges() -> None:
    cells = tuple(cell("defaults", v) for v in ("1.30", "1.32", "1.33", "1.34"))
    assert cells_label(cells, len(UNIVERSE), UNIVERSE) == "defaults @ 1.30, 1.32-1.34"


def test_many_modes_are_counted_not_listed() -> None:
    cells = tuple(cell(m, v) for m in MODES[:5] for v in VERSIONS)
    assert cells_label(cells, len(UNIVERSE), UNIVERSE) == (
        "in 5 of 6 modes @ all versions (see --format json)"
    )
    few = tuple(cell(m, v) for m in MODES[1:3] for v in VERSIONS)
    assert cells_label(few, len(UNIVERSE), UNIVERSE) == "a=1, b=1 @ all versions"


def test_every_cell_and_no_universe() -> None:
    every = tuple(cell(m, v) for m in MODES for v in VERSIONS)
    assert cells_label(every, len(UNIVERSE), UNIVERSE) == "all cells"
    # without the run's cells nothing says which versions lie between: listed, not ranged
    assert cells_label((cell("a=1", "1.35"), cell("a=1", "1.30"))) == "a=1 @ 1.30, 1.35"
