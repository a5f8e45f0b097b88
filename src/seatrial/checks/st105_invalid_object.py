"""ST105 invalid-object."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from seatrial.checks.registry import CellContext, Scope, Violation, check
from seatrial.findings import Severity
from seatrial.objects.extract import POD_SPEC_PATHS, get_field
from seatrial.objects.model import FieldPath, K8sObject

_LISTS = ("command", "args", "env", "envFrom", "volumeMounts", "ports")


def _problems(obj: K8sObject) -> Iterator[tuple[str, FieldPath]]:
    body = obj.body
    if not obj.api_version:
        yield "has no apiVersion", ("kind",)
    md = body.get("metadata")
    if not isinstance(md, Mapping):
        yield "has no metadata mapping", ("metadata",)
    elif not (md.get("name") or md.get("generateName")):
        yield "has no metadata.name", ("metadata",)
    spec_path = POD_SPEC_PATHS.get(obj.kind)
    if spec_path is None:
        return
    spec = get_field(body, spec_path)
    if not isinstance(spec, Mapping):
        yield f"has no pod spec at {'.'.join(map(str, spec_path))}", spec_path
        return
    containers = spec.get("containers")
    if not isinstance(containers, list) or not containers:
        yield "has no containers", (*spec_path, "containers")
    for group in ("initContainers", "containers"):
        items = spec.get(group)
        if items is None or not isinstance(items, list):
            if items is not None:
                yield f"{group} is not a list", (*spec_path, group)
            continue
        for i, c in enumerate(items):
            where: FieldPath = (*spec_path, group, i)
            if not isinstance(c, Mapping):
                yield f"{group}[{i}] is not a mapping ({type(c).__name__})", where
                continue
            label = f"{group}[{i}]" + (f" ({c['name']})" if c.get("name") else "")
            if not c.get("name"):
                yield f"{label} has no name", where
            if not c.get("image"):
                yield f"{label} has no image", where
            for key in _LISTS:
                if key in c and c[key] is not None and not isinstance(c[key], list):
                    yield f"{label}.{key} is not a list", (*where, key)
            for j, e in enumerate(c.get("env") or [] if isinstance(c.get("env"), list) else []):
                if not isinstance(e, Mapping) or not e.get("name"):
                    yield f"{label}.env[{j}] has no name", (*where, "env", j)


@check("ST105", "invalid-object", Severity.ERROR, scope=Scope.CELL)
def invalid_object(ctx: CellContext) -> Iterator[Violation]:
    """A rendered object is not a valid Kubernetes object: the API server rejects it.

    Checks the shape every workload needs: apiVersion, metadata.name, a pod spec, containers
    that are mappings with a name and an image, list fields that are lists, env entries with
    names. Other checks skip what they cannot read, so without this the chart would pass.

    ## Why is this bad?
    `helm install` fails with a validation error (`unknown object type "nil"`, `cannot
    unmarshal string into Go struct field Container.command of type []string`) in the cells
    that render it, typically after a values change that only some modes exercise.

    ## Example
        containers:
          - {{ .Values.sidecar }}          # renders a string, not a container
        command: {{ .Values.command }}     # renders a string, not a list

    ## Fix
    Render the field from a mapping/list (`toYaml ... | nindent`), and give every container a
    name and an image.
    """
    for obj in ctx.objects.objects:
        for message, field in _problems(obj):
            yield Violation(
                f"{obj.kind} {obj.name or '(unnamed)'} {message}",
                field=field,
                obj=obj,
                fix="fix the template so the field renders with the type Kubernetes expects",
            )
