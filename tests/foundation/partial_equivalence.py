"""Proof that partial renders (render/deps.py) give what whole renders give.

`mismatches(path)` renders the matrix the normal way (defaults cells whole, every other cell
from a trimmed copy merged over its base) and then every selected cell whole, in this process,
and compares the objects of each template. Lines that differ between two whole renders of the
same cell (a random password, a generated certificate) are masked; anything else that differs
is a mismatch: the dependency analysis missed a value path.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from seatrial.findings import Cell
from seatrial.objects.model import K8sObject
from seatrial.render.helm import RenderRequest, SdkEngine, TemplateError
from seatrial.render.kube import api_versions_for
from seatrial.render.matrix import MatrixOptions, _objects, render_matrix
from seatrial.source.load import load_source


def _by_source(objs: Iterable[K8sObject]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for o in objs:
        out.setdefault(o.source, []).append(o.text)
    return out


def _random_lines(one: Iterable[K8sObject], two: Iterable[K8sObject]) -> dict[str, set[int]]:
    """Per template, the lines that differ between two whole renders of one cell."""
    a, b = _by_source(one), _by_source(two)
    out: dict[str, set[int]] = {}
    for src in a.keys() & b.keys():
        la, lb = ("\n".join(x[src]).splitlines() for x in (a, b))
        if len(la) == len(lb):
            out[src] = {i for i, (x, y) in enumerate(zip(la, lb, strict=True)) if x != y}
    return out


def _compare(
    what: str,
    got: Iterable[K8sObject],
    whole: Iterable[K8sObject],
    again: Callable[[], list[K8sObject]],
    random: dict[str, set[int]] | None = None,
) -> list[str]:
    a, b = _by_source(got), _by_source(whole)
    if a == b:
        return []
    if random is not None:  # differs only on lines that differ between two renders anyway?
        fine = True
        for src in set(a) | set(b):
            if a.get(src) == b.get(src):
                continue
            la, lb = ("\n".join(x.get(src, [])).splitlines() for x in (a, b))
            fine = (
                fine
                and src in random
                and len(la) == len(lb)
                and all(
                    i in random[src] for i, (x, y) in enumerate(zip(la, lb, strict=True)) if x != y
                )
            )
        if fine:
            return []
    c = _by_source(again())  # a second whole render: what differs there is random
    later: dict[str, list[str]] | None = None
    bad: list[str] = []
    for src in sorted(set(a) | set(b)):
        if a.get(src) == b.get(src):
            continue
        la, lb, lc = ("\n".join(x.get(src, [])).splitlines() for x in (a, b, c))
        if len(la) != len(lb) or len(lb) != len(lc):
            bad.append(f"{what}: {src}: {len(la)} lines partial, {len(lb)} whole")
            continue
        for i, (x, y, z) in enumerate(zip(la, lb, lc, strict=True)):
            if x != y and y == z:
                # `now` differs between renders only a second apart or more: render once
                # more, past the next second, before calling it a mismatch
                if later is None:
                    time.sleep(1.1)
                    later = _by_source(again())
                ld = "\n".join(later.get(src, [])).splitlines()
                if len(ld) == len(lb) and ld[i] != y:
                    continue
                bad.append(f"{what}: {src} line {i + 1}: partial {x!r}, whole {y!r}")
                break
    return bad


def mismatches(
    path: str | Path,
    keep: Callable[[Cell], bool] = lambda c: True,
    opts: MatrixOptions | None = None,
    upgrades: bool = True,
) -> list[str]:
    opts = opts or MatrixOptions(offline=True, upgrades=upgrades)
    source = load_source(str(path), offline=True)
    matrix = render_matrix(source, opts)
    plan = matrix.plan
    engine = SdkEngine(source.helm_path)
    name = source.name

    def render(cell: Cell, upgrade: bool = False) -> dict[str, str] | str:
        kv = plan.versions[cell.kube_version]
        try:
            return engine.render(
                RenderRequest(plan.values[cell], kv.helm, tuple(api_versions_for(kv)), upgrade)
            )
        except TemplateError as exc:
            return str(exc)

    def objs(out: dict[str, str] | str) -> list[K8sObject]:
        assert not isinstance(out, str), out
        return _objects(out, name)

    failed = {f.cell: f.message for f in matrix.failures}
    bad: list[str] = []
    random: dict[str, dict[str, set[int]]] = {}  # kube version -> template -> lines
    for cell in plan.cells:
        if cell.name == "defaults" and keep(cell) and cell not in failed:
            random[cell.kube_version] = _random_lines(objs(render(cell)), objs(render(cell)))
    try:
        for r in matrix.renders:
            for cell in r.cells:
                if not keep(cell):
                    continue
                whole = render(cell)
                if isinstance(whole, str):
                    bad.append(
                        f"{cell.name} @ {cell.kube_version}: whole render failed, "
                        f"partial did not: {whole[:200]}"
                    )
                    continue
                bad += _compare(
                    f"{cell.name} @ {cell.kube_version}",
                    r.objects,
                    objs(whole),
                    lambda c=cell: objs(render(c)),
                    random.get(cell.kube_version),
                )
            first = r.cells[0]
            if r.upgrade is not None and keep(first):
                up: Any = render(first, True)
                bad += _compare(
                    f"upgrade {first.name} @ {first.kube_version}",
                    r.upgrade,
                    objs(up),
                    lambda c=first: objs(render(c, True)),
                )
        for cell, message in failed.items():
            if keep(cell) and not isinstance(render(cell), str):
                bad.append(
                    f"{cell.name} @ {cell.kube_version}: partial failed, whole did "
                    f"not: {message[:200]}"
                )
    finally:
        engine.close()
    return bad


if __name__ == "__main__":
    import sys

    found = [m for chart in sys.argv[1:] for m in mismatches(chart)]
    print("\n".join(found) or "partial renders equal whole renders")
    sys.exit(1 if found else 0)
