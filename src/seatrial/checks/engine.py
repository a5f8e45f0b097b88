"""Run the checks over a rendered matrix.

1. Build the typed views of every distinct render once.
2. Gather facts (all I/O, before any check runs): image facts for every image any enabled
   check needs, script texts per render.
3. Call each check per scope; each yields `Violation`s.
4. Turn violations into `Finding`s: locate the template line, merge the same finding across
   cells, and mark the inline suppressions (object annotation, template comment). The config
   (selection, severities, ignores) is applied by the one findings pipeline,
   `seatrial.commands.pipeline`, as for every other command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from seatrial import progress
from seatrial.checks.catalog import all_checks
from seatrial.checks.registry import (
    CellContext,
    CheckSpec,
    ContainerContext,
    Facts,
    MatrixContext,
    MissingDependency,
    RenderFailure,
    Scope,
    Violation,
    WorkloadContext,
)
from seatrial.facts.image import ImageResult
from seatrial.facts.scripts import ContainerScripts
from seatrial.findings import Cell, Finding, Location, Summary, Suppression
from seatrial.objects.extract import ObjectSet
from seatrial.objects.model import K8sObject
from seatrial.render.locate import locate, locate_text, normalize_ignore_key, suppressions_near
from seatrial.render.matrix import RenderedMatrix
from seatrial.source.load import ChartSource

if TYPE_CHECKING:  # imported where used: a run without images never loads the registry client
    from seatrial.images.gather import ImageOptions
    from seatrial.shell.gather import ScriptOptions

IGNORE_ANNOTATION = "seatrial.io/ignore"


@dataclass(frozen=True)
class EngineOptions:
    offline: bool = False
    images: ImageOptions | None = None
    scripts: ScriptOptions | None = None
    skip_images: bool = False


@dataclass
class _Pending:
    spec: CheckSpec
    violation: Violation
    obj: K8sObject | None
    container: str | None
    cells: set[Cell] = field(default_factory=set)


def select_checks(runs: Callable[[str], bool]) -> list[CheckSpec]:
    """The chart checks (not those of other commands) that `runs` selects."""
    return [s for s in all_checks() if s.scope is not Scope.COMMAND and runs(s.id)]


def _gather_images(sets: Sequence[ObjectSet], opts: EngineOptions) -> dict[str, ImageResult]:
    refs = sorted(
        {c.image for s in sets for w in s.workloads for c in w.pod.all_containers if c.image}
    )
    if not refs:
        return {}
    from seatrial.images.gather import ImageOptions, gather_images

    options = opts.images if opts.images is not None else ImageOptions(offline=opts.offline)
    return dict(gather_images(refs, options))


def _gather_scripts(
    objects: ObjectSet,
    images: dict[str, ImageResult],
    opts: EngineOptions,
    chart_files: Mapping[str, str],
) -> dict[tuple[str, str], ContainerScripts]:
    from seatrial.images.index import read_image_file
    from seatrial.shell.gather import ScriptOptions, gather_scripts

    options = opts.scripts if opts.scripts is not None else ScriptOptions()
    # chart files let a script loaded with .Files.Get point at its own line, and a script of a
    # kustomize build at its source file
    options = replace(
        options,
        chart_files=chart_files,
        read_image_file=read_image_file,
        locate=lambda obj, path, text: locate_text(obj, path, chart_files, text),
    )
    return dict(gather_scripts(objects, images, options))


def run_checks(
    matrix: RenderedMatrix, opts: EngineOptions, runs: Callable[[str], bool] = lambda _id: True
) -> Summary:
    """The findings of the checks `runs` selects, before the config is applied."""
    specs = select_checks(runs)
    sets = [ObjectSet.build(r.objects) for r in matrix.renders]
    images: dict[str, ImageResult] = {}
    if any(s.needs_images for s in specs) and not opts.skip_images:
        images = _gather_images(sets, opts)
    need_scripts = any(s.needs_scripts for s in specs)
    declared = matrix.source.values if isinstance(matrix.source, ChartSource) else {}
    contexts: list[CellContext] = []
    for render, objs in progress.track(
        zip(matrix.renders, sets, strict=True), "scripts", len(sets) if need_scripts else 0
    ):
        scripts = _gather_scripts(objs, images, opts, matrix.files) if need_scripts else {}
        facts = Facts(images, scripts, opts.offline, declared)
        contexts.append(CellContext(render.cells, objs, facts))
    upgrades = tuple(
        (ctx, CellContext(ctx.cells, ObjectSet.build(r.upgrade), ctx.facts))
        for ctx, r in zip(contexts, matrix.renders, strict=True)
        if r.upgrade is not None
    )
    mctx = MatrixContext(
        renders=tuple(contexts),
        failures=tuple(
            RenderFailure(f.cell, f.message, f.source)
            for f in matrix.failures
            if f.cell not in matrix.plan.companions
        ),
        upgrades=upgrades,
        missing_dependencies=tuple(
            MissingDependency(
                m.name, m.version, m.repository, m.reason, Location("Chart.yaml", m.line)
            )
            for m in matrix.missing
        ),
        mode_keys=matrix.plan.mode_keys,
        template_sources=matrix.files,
        facts=Facts(images, {}, opts.offline, declared),
        mode_pairs=tuple(matrix.plan.pairs),
        user_values=matrix.plan.user_values,
    )

    pending: dict[tuple[Any, ...], _Pending] = {}

    def collect(
        spec: CheckSpec,
        vs: Iterable[Violation],
        obj: K8sObject | None,
        container: str | None,
        cells: Sequence[Cell],
    ) -> None:
        for v in vs:
            o = v.obj or obj
            cname = v.container if v.container is not None else container
            key = (
                spec.id,
                o.key if o else None,
                cname,
                v.message,
                v.source,
                v.field if v.source is None else None,
            )
            entry = pending.setdefault(key, _Pending(spec, v, o, cname))
            entry.cells.update(v.cells if v.cells is not None else cells)

    for spec in specs:
        if spec.scope is Scope.MATRIX:
            collect(spec, spec.func(mctx), None, None, ())
            continue
        for ctx in contexts:
            if spec.scope is Scope.CELL:
                collect(spec, spec.func(ctx), None, None, ctx.cells)
                continue
            for w in ctx.objects.workloads:
                if spec.scope is Scope.WORKLOAD:
                    collect(spec, spec.func(WorkloadContext(w, ctx)), w.obj, None, ctx.cells)
                    continue
                for c in w.pod.all_containers:
                    collect(spec, spec.func(ContainerContext(c, w, ctx)), w.obj, c.name, ctx.cells)

    findings = [_finding(p, matrix) for p in pending.values()]
    cited = {f.source.file for f in findings if f.source} | {
        r.file for f in findings for r in f.related
    }
    # only chart templates: plain manifests may hold Secret data, which is never printed
    sources = {
        name: text
        for name, text in matrix.files.items()
        if name in cited and getattr(matrix.source, "kind", "") == "chart"
    }
    return Summary(
        findings=findings,
        cells_total=len(matrix.plan.cells) if matrix.renders or matrix.failures else 0,
        cells_distinct=len(matrix.renders),
        objects=sum(len(s.objects) for s in sets),
        extra={
            "engine": matrix.engine,
            **(
                {"skipped": skipped}
                if (
                    skipped := [
                        s.id
                        for s in specs
                        if s.needs_images and not s.needs_scripts and opts.skip_images
                    ]
                )
                else {}
            ),
        },
        attachments={
            "cells": [c.to_json() for c in matrix.plan.cells],
            "sources": sources,
            "workloads": _workload_cells(contexts),
            "root": _root_uri(matrix),
            "images": sorted(images),
        },
    )


def _root_uri(matrix: RenderedMatrix) -> str:
    """The folder finding paths are relative to (chart sources), as a file URI ending in /."""
    path = matrix.source.path
    if getattr(matrix.source, "kind", "") == "chart" and not path.is_dir():
        return ""  # a .tgz: its member paths have no folder on disk
    return (path if path.is_dir() else path.parent).resolve().as_uri() + "/"


def _workload_cells(contexts: Sequence[CellContext]) -> list[dict[str, Any]]:
    """Every workload with its containers and the cells that render it (for the HTML grid)."""
    seen: dict[str, dict[str, Any]] = {}
    for ctx in contexts:
        for w in ctx.objects.workloads:
            entry = seen.setdefault(
                w.obj.key, {"object": w.ref.label(), "containers": [], "cells": []}
            )
            for c in w.pod.all_containers:
                if c.name not in entry["containers"]:
                    entry["containers"].append(c.name)
            entry["cells"].extend(c.to_json() for c in ctx.cells)
    return list(seen.values())


def _finding(p: _Pending, matrix: RenderedMatrix) -> Finding:
    v, spec = p.violation, p.spec
    source = v.source
    if source is None and p.obj is not None:
        source = locate(p.obj, v.field, matrix.files)
    severity = v.severity or spec.severity
    finding = Finding(
        check=spec.id,
        slug=spec.slug,
        severity=severity,
        message=v.message,
        object=p.obj.ref if p.obj else None,
        container=p.container,
        source=source,
        cells=tuple(sorted(p.cells)),
        fix=v.fix,
        related=v.related,
    )
    return replace(finding, suppressed=_suppression(finding, p.obj, matrix))


def _annotation_ignores(obj: K8sObject) -> dict[str, str]:
    out: dict[str, str] = {}
    sources = [obj.annotations]
    tmpl = obj.body.get("spec", {})
    if isinstance(tmpl, dict) and isinstance(tmpl.get("template"), dict):
        md = tmpl["template"].get("metadata") or {}
        if isinstance(md, dict) and isinstance(md.get("annotations"), dict):
            sources.append({str(k): str(v) for k, v in md["annotations"].items()})
    for ann in sources:
        value = ann.get(IGNORE_ANNOTATION, "")
        for part in value.split(","):
            if part.strip():
                out[normalize_ignore_key(part)] = ann.get(IGNORE_ANNOTATION + "-reason", "")
    return out


def _suppressed_by(keys: dict[str, str], f: Finding) -> str | None:
    for key in (f.check, f"{f.check}/{f.container}" if f.container else None):
        if key is not None and key in keys:
            return keys[key]
    return None


def _suppression(f: Finding, obj: K8sObject | None, matrix: RenderedMatrix) -> Suppression | None:
    """The inline suppressions: the object's `seatrial.io/ignore` annotation, a template
    comment near the finding's line."""
    if obj is not None:
        reason = _suppressed_by(_annotation_ignores(obj), f)
        if reason is not None:
            return Suppression("annotation", reason)
    if f.source is not None:
        reason = _suppressed_by(suppressions_near(matrix.files, f.source), f)
        if reason is not None:
            return Suppression("template-comment", reason)
    return None
