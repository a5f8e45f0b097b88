"""Partial renders equal whole renders on every corpus chart (see render/deps.py).

Every mode of each chart is rendered whole again, in this process, at the oldest and the newest
Kubernetes version of its matrix (only the newest on the three large charts: all cells would take
minutes; other versions differ from these only by `.Capabilities`, and every defaults cell, the
base of its version, is rendered whole anyway), and compared template by template with what
the matrix produced from trimmed charts; so is the upgrade render of each distinct output at
those versions. `python -m tests.foundation.partial_equivalence CHART` checks every cell.
"""

from __future__ import annotations

import pytest

from seatrial.findings import Cell
from tests.corpus.snapshot import CORPUS, charts
from tests.foundation.partial_equivalence import mismatches


LARGE = ("argo-cd", "kube-prometheus-stack", "kyverno")


def _ends(chart: str) -> set[str]:
    from seatrial.render.matrix import MatrixOptions, plan_matrix
    from seatrial.source.load import load_source

    plan = plan_matrix(load_source(str(CORPUS / chart), offline=True),
                       MatrixOptions(offline=True))
    versions = sorted(plan.versions.values())
    if chart in LARGE:
        return {versions[-1].label}
    return {versions[0].label, versions[-1].label}


@pytest.mark.parametrize("chart", charts())
def test_partial_renders_equal_whole_renders(chart: str) -> None:
    ends = _ends(chart)

    def keep(cell: Cell) -> bool:
        return cell.kube_version in ends

    assert mismatches(CORPUS / chart, keep) == []
