"""Build check contexts directly from manifests (the way the engine does, without rendering)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from seatrial.checks.registry import (
    CellContext,
    CheckSpec,
    ContainerContext,
    Facts,
    Scope,
    Violation,
    WorkloadContext,
)
from seatrial.facts.scripts import OriginKind, ScriptOrigin
from seatrial.findings import Cell
from seatrial.images.index import read_image_file
from seatrial.objects.extract import ObjectSet
from seatrial.objects.parse import parse_objects
from seatrial.shell.analysis import Loaded, analyze
from seatrial.shell.gather import ScriptOptions, gather_scripts
from seatrial.shell.parse import bash_syntax

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"


@dataclass(frozen=True)
class Hit:
    kind: str
    name: str
    container: str | None
    violation: Violation


def load(path: Path, *, text: str | None = None, is_template: bool = False) -> ObjectSet:
    body = path.read_text() if text is None else text
    return ObjectSet.build(parse_objects(body, str(path), is_template=is_template))


def cell(
    objects: ObjectSet,
    images: Mapping[str, Any] | None = None,
    options: ScriptOptions | None = None,
) -> CellContext:
    imgs = dict(images or {})
    # the engine hands the gathering phase the image file reader; so does this helper
    options = replace(options or ScriptOptions(), read_image_file=read_image_file)
    scripts = gather_scripts(objects, imgs, options)
    return CellContext((Cell("1.31"),), objects, Facts(imgs, scripts))


def run(spec: CheckSpec, ctx: CellContext) -> list[Hit]:
    out: list[Hit] = []
    for w in ctx.objects.workloads:
        if spec.scope is Scope.WORKLOAD:
            out += [Hit(w.kind, w.name, None, v) for v in spec.func(WorkloadContext(w, ctx))]
            continue
        assert spec.scope is Scope.CONTAINER
        for c in w.pod.all_containers:
            out += [Hit(w.kind, w.name, c.name, v) for v in spec.func(ContainerContext(c, w, ctx))]
    return out


def unbound(
    text: str,
    *args: str,
    nounset: bool = False,
    files: Mapping[str, str] | None = None,
    path: str = "/scripts/main.sh",
    assigned: tuple[str, ...] = (),
) -> list[tuple[str, int]]:
    """(variable, line) of every unbound read of a script run with `args`."""
    sources = dict(files or {})

    def resolve(p: str) -> Loaded | None:
        if p in sources:
            return Loaded(sources[p], ScriptOrigin(OriginKind.LOCAL, p, p.lstrip("/"), p, 1))
        return None

    origin = ScriptOrigin(OriginKind.LOCAL, path, "main.sh", "test", 1)
    result = analyze(
        Loaded(text, origin),
        args,
        nounset=nounset,
        resolve=resolve,
        assigned=assigned,
        checker=bash_syntax,
    )
    assert not [p for p in result.problems if p.kind.value == "unparsable"], result.problems
    return [(r.name, r.line) for r in result.reads]
