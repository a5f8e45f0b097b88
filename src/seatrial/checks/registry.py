"""How a check is declared, and what it is given.

A check is a pure function. It never opens a file, a socket or a process: the engine gathers
image facts and script texts first, then calls each check with a read-only context, and the
check yields `Violation`s (what is wrong, and which field). The engine adds the check id, the
object, the file and line, the cells, suppression and severity overrides.

Scopes:
    CONTAINER  f(ctx: ContainerContext)  once per container of every workload, per distinct render
    WORKLOAD   f(ctx: WorkloadContext)   once per workload, per distinct render
    CELL       f(ctx: CellContext)       once per distinct render (cross-object checks)
    MATRIX     f(ctx: MatrixContext)     once per run (cross-cell checks: drift, install vs upgrade)
    COMMAND    f(result)                  not run by `check`: called by another command (converge,
                                          assets) on its own result; listed and documented the same
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from seatrial.facts.image import ImageResult
from seatrial.facts.scripts import ContainerScripts
from seatrial.findings import Cell, Location, Severity
from seatrial.objects.extract import ObjectSet
from seatrial.objects.model import Container, FieldPath, K8sObject, Workload


class Scope(enum.Enum):
    CONTAINER = "container"
    WORKLOAD = "workload"
    CELL = "cell"
    MATRIX = "matrix"
    COMMAND = "command"


@dataclass(frozen=True)
class Violation:
    """What a check returns. `field` is the object's field path the finding is about (the engine
    turns it into a template line); `source` overrides that with an explicit location (a script
    line). MATRIX checks set `obj` and `cells`; CELL checks set `obj`."""

    message: str
    field: FieldPath | None = None
    fix: str = ""
    severity: Severity | None = None
    source: Location | None = None
    related: tuple[Location, ...] = ()
    obj: K8sObject | None = None
    container: str | None = None
    cells: tuple[Cell, ...] | None = None


@dataclass(frozen=True)
class Facts:
    """What the engine gathered before checks run (all I/O happens before this exists).

    `images` maps an image reference as written in the manifest to what the registry said
    (`seatrial.facts.image.ImageResult`); `scripts` maps (object key, container name) to the
    scripts that container runs (`seatrial.facts.scripts.ContainerScripts`): plain data, no
    readers. Both are empty when the corresponding gathering was not needed or disabled.
    """

    images: Mapping[str, ImageResult] = field(default_factory=dict)
    scripts: Mapping[tuple[str, str], ContainerScripts] = field(default_factory=dict)
    offline: bool = False
    #: the chart's own values.yaml (empty for manifests): what the chart declares
    chart_values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CellContext:
    """One distinct render, and every cell that rendered to it."""

    cells: tuple[Cell, ...]
    objects: ObjectSet
    facts: Facts


@dataclass(frozen=True)
class WorkloadContext:
    workload: Workload
    cell: CellContext


@dataclass(frozen=True)
class ContainerContext:
    container: Container
    workload: Workload
    cell: CellContext

    @property
    def facts(self) -> Facts:
        return self.cell.facts


@dataclass(frozen=True)
class RenderFailure:
    cell: Cell
    message: str
    source: Location | None


@dataclass(frozen=True)
class MissingDependency:
    name: str
    version: str
    repository: str
    reason: str
    source: Location


@dataclass(frozen=True)
class MatrixContext:
    """The whole run: each distinct render, the cells that failed, the upgrade renders
    (revision 2, same values) paired with their install renders, and chart-level facts."""

    renders: tuple[CellContext, ...]
    failures: tuple[RenderFailure, ...]
    upgrades: tuple[tuple[CellContext, CellContext], ...]
    missing_dependencies: tuple[MissingDependency, ...]
    mode_keys: frozenset[str]
    template_sources: Mapping[str, str]
    facts: Facts
    #: (mode cell, reference cell, key): cells whose values differ only in that mode key
    mode_pairs: tuple[tuple[Cell, Cell, str], ...] = ()
    #: the user gave values (-f, --set...): the defaults cells are the user's configuration,
    #: else the chart's own defaults
    user_values: bool = False


#: a check: one of the contexts above (per its scope) in, violations out
CheckFunc = Callable[..., Iterable[Violation]]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    slug: str
    severity: Severity
    scope: Scope
    func: CheckFunc
    needs_images: bool = False
    needs_scripts: bool = False

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        """The docstring's first paragraph, on one line."""
        first = self.doc.split("\n\n", 1)[0] if self.doc else self.slug
        return " ".join(first.split())


def check(
    id: str,
    slug: str,
    severity: Severity,
    *,
    scope: Scope,
    needs_images: bool = False,
    needs_scripts: bool = False,
) -> Callable[[CheckFunc], CheckSpec]:
    """Declare a check. The decorated function's docstring is its user documentation, with
    sections "## Why is this bad?", "## Example" and "## Fix"."""

    def wrap(func: CheckFunc) -> CheckSpec:
        return CheckSpec(id, slug, severity, scope, func, needs_images, needs_scripts)

    return wrap
