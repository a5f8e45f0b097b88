"""Rendering for the other commands (converge, explain): one cell, typed objects."""

from __future__ import annotations

from typing import Any

from seatrial.errors import RenderError
from seatrial.objects.extract import ObjectSet
from seatrial.render.kube import parse_kube_versions
from seatrial.render.matrix import MatrixOptions, render_matrix
from seatrial.source.load import load_source


def render_one(path: str, values: dict[str, Any] | None = None,
               kube_version: str | None = None, *, helm_bin: str | None = None) -> ObjectSet:
    """Render `path` (chart, .tgz, manifests, kustomization) once with `values` layered over
    the chart defaults, at `kube_version` (default: the newest the chart supports)."""
    import json
    import tempfile

    source = load_source(path)
    versions = parse_kube_versions(kube_version) if kube_version else None
    value_files: tuple[str, ...] = ()
    if values:
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
            json.dump(values, fh)
            value_files = (fh.name,)
    opts = MatrixOptions(kube_versions=versions, value_files=value_files, helm_bin=helm_bin,
                         offline=True, discover_modes=False, upgrades=False)
    matrix = render_matrix(source, opts)
    newest = max(matrix.plan.versions.values())
    for r in matrix.renders:
        if any(c.kube_version == newest.label for c in r.cells):
            return ObjectSet.build(r.objects)
    if matrix.failures:
        raise RenderError(f"{path}: render failed: {matrix.failures[0].message}")
    raise RenderError(f"{path}: nothing rendered")
