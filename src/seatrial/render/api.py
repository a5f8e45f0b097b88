"""Rendering for the other commands (converge, explain): one cell, typed objects."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from seatrial.errors import RenderError
from seatrial.objects.extract import ObjectSet
from seatrial.render.kube import parse_kube_versions
from seatrial.render.matrix import MatrixOptions, render_matrix
from seatrial.source.load import load_source


def render_one(
    path: str,
    values: dict[str, Any] | None = None,
    kube_version: str | None = None,
    *,
    helm_bin: str | None = None,
) -> ObjectSet:
    """Render `path` (chart, .tgz, manifests, kustomization) once with `values` layered over
    the chart defaults, at `kube_version` (default: the newest the chart supports)."""
    source = load_source(path)
    versions = parse_kube_versions(kube_version) if kube_version else None
    with values_file(values) as value_files:
        opts = MatrixOptions(
            kube_versions=versions,
            value_files=value_files,
            helm_bin=helm_bin,
            offline=True,
            discover_modes=False,
            upgrades=False,
        )
        matrix = render_matrix(source, opts)
    newest = max(matrix.plan.versions.values())
    for r in matrix.renders:
        if any(c.kube_version == newest.label for c in r.cells):
            return ObjectSet.build(r.objects)
    if matrix.failures:
        raise RenderError(f"{path}: render failed: {matrix.failures[0].message}")
    raise RenderError(f"{path}: nothing rendered")


@contextmanager
def values_file(values: dict[str, Any] | None) -> Iterator[tuple[str, ...]]:
    """`values` as a values file readable only by this user, in a private directory removed
    on the way out: values may hold secrets."""
    if not values:
        yield ()
        return
    tmp = tempfile.mkdtemp(prefix="seatrial-values-")  # mode 0700
    try:
        file = os.path.join(tmp, "values.json")
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(values, fh)
        yield (file,)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
