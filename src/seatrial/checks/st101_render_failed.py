"""ST101 render-failed."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from seatrial import yamlguard
from seatrial.checks.registry import MatrixContext, RenderFailure, Scope, Violation, check
from seatrial.findings import Cell, Location, Severity
from seatrial.render.matrix import CONSTRAINT, DEFAULTS, dependency_cause, is_constraint
from seatrial.render.modes import get_path

#: Go's words for a template given no value: `tpl` or a string function handed a nil value,
#: or a field read below one
_NIL = re.compile(
    r"at <\$?\w*\.Values\.(?P<path>[\w.]+)>:\s+(?:wrong type for value; expected [\w ]+; "
    r"got interface \{\}|(?P<below>nil pointer evaluating interface \{\}\.\w+))\s*$"
)


@check("ST101", "render-failed", Severity.ERROR, scope=Scope.MATRIX)
def render_failed(ctx: MatrixContext) -> Iterator[Violation]:
    """A cell of the matrix does not render: `helm install` fails there.

    ## Why is this bad?
    Users who pick that mode or run that Kubernetes version cannot install the chart at all.
    `helm lint` and CI usually render only the defaults, so the failure ships.

    ## Example
        {{ required "manager.image is required in DaemonSet mode" .Values.manager.image }}

    ## Fix
    Give the value a working default, guard the template with `if`, or declare the
    constraint (`kubeVersion` in Chart.yaml, an enum in values.schema.json) so users are told
    before rendering.

    ## Which cells count
    Only cells whose values the chart vouches for are errors: its defaults, its
    `ci/*-values.yaml`, the user's `-f`/`--set`, and the values its schema and templates name
    (enum members, literals compared with `eq`/`ne`, the opposite of a boolean default). A value
    seatrial made up (a probe) that no fitting shape renders is dropped and counted in the
    summary, never reported. The chart's own `fail`/`required` message in a cell that changes
    one value is a constraint the chart declares: reported as info ("mode X requires ...").
    So is a mode that fails for want of a value the chart's values.yaml declares empty
    (`mountPath: null` beside `enabled: false`: set it with the mode), and the chart's own
    `fail`/`required` message in its defaults when no values were given (the chart asks its
    users for values; the modes that fail on top of such defaults, whatever their message,
    cannot be judged and are part of that finding).
    Failures caused by a dependency missing from `charts/` are reported once, with ST103.
    """
    missing = [d.name for d in ctx.missing_dependencies]
    #: each Kubernetes version's defaults cell failure: the cells failing the same way are
    #: reported with it
    base = {f.cell.kube_version: f.message for f in ctx.failures if f.cell.name == DEFAULTS}
    groups: dict[tuple[str, str], list[RenderFailure]] = {}
    for failure in ctx.failures:
        if dependency_cause(failure.message, missing):
            continue
        message, toggled = failure.message, failure.cell.toggled() is not None
        first = base.get(failure.cell.kube_version)
        asked = first is not None and not ctx.user_values and is_constraint(first)
        unset = _unset(failure, ctx.facts.chart_values) if toggled else None
        if first == message:
            kind = "defaults" if asked else "error"
        elif asked and toggled:
            # a mode on top of defaults that do not render cannot be judged (loki's
            # enterprise.enabled=true fails first on the same missing bucket names)
            kind, message = "defaults", first or message
        elif is_constraint(message) and toggled:
            kind = "declared"
        elif unset is not None:
            kind = f"unset {unset}"
        else:
            kind = "error"
        groups.setdefault((message, kind), []).append(failure)
    for (message, kind), failures in groups.items():
        source = next(
            (f.source for f in failures if f.cell.name == DEFAULTS and f.source is not None),
            failures[0].source,
        ) or Location("Chart.yaml", None, "Helm named no template line")
        cells = tuple(f.cell for f in failures)
        modes = ", ".join(sorted({c.name for c in cells}))
        # one line: bitnami's validation messages span several (`\nVALUES VALIDATION:\n...`)
        asks = " ".join(message[len(CONSTRAINT) :].split("): ", 1)[-1].split())
        if kind == "defaults":
            text = f"the chart's defaults do not render: it asks for values: {asks}"
            fix = "give the values it asks for (-f): the modes are then checked on them"
        elif kind == "declared":
            text = f"mode {modes} requires: {asks}"
            fix = (
                "nothing to fix if the requirement is intended; a schema `if`/`then` or a "
                "values.yaml comment tells users before they render"
            )
        elif kind.startswith("unset "):
            path = kind.removeprefix("unset ")
            text = f"mode {modes} requires a value for {path} (null in values.yaml): {message}"
            fix = (
                f"nothing to fix if {path} is meant to be set with the mode; "
                "`required` or a schema `if`/`then` tells users in words"
            )
        else:
            text = f"render failed: {message}{_documents(cells, ctx.template_sources)}"
            fix = "fix the template or values for these cells, or declare them unsupported"
        yield Violation(
            text,
            source=source,
            cells=cells,
            severity=None if kind == "error" else Severity.INFO,
            fix=fix,
        )


def _documents(cells: tuple[Cell, ...], files: Mapping[str, str]) -> str:
    """A note when the failing cells are one values file holding several YAML documents:
    Helm 4 merges them all in order, where Helm 3 read only the first (kyverno's
    ci/openreports-values.yaml holds four test cases, the last one invalid on purpose)."""
    names = {c.values_file() for c in cells}
    name = names.pop() if len(names) == 1 else None
    if name is None:
        return ""
    try:
        docs = [d for d in yamlguard.load_values(files.get(name, "")) if d is not None]
    except (yaml.YAMLError, ValueError):
        return ""
    if len(docs) < 2:
        return ""
    return (
        f" ({name} holds {len(docs)} YAML documents: Helm 4 merges them all in order, "
        "Helm 3 read only the first)"
    )


def _unset(failure: RenderFailure, values: Mapping[str, Any]) -> str | None:
    """The value a template of the chart itself failed on for having none, when the chart's
    values.yaml declares it empty (`key: null`, or `key:`); None otherwise."""
    if failure.source is None or not failure.source.file.startswith("templates/"):
        return None
    found = _NIL.search(failure.message)
    if found is None:
        return None
    path = found.group("path").split(".")
    if found.group("below"):  # `.a.b` failed reading `b`: `a` has no value
        path = path[:-1]
    parent = get_path(values, ".".join(path[:-1])) if len(path) > 1 else values
    if not isinstance(parent, Mapping) or path[-1] not in parent or parent[path[-1]] is not None:
        return None
    return ".".join(path)
