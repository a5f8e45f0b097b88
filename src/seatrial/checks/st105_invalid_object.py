"""ST105 invalid-object."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from seatrial.checks.registry import CellContext, Scope, Violation, check
from seatrial.findings import Cell, Severity
from seatrial.objects.extract import POD_SPEC_PATHS, get_field
from seatrial.objects.model import FieldPath, K8sObject
from seatrial.render.modepairs import leaves
from seatrial.render.modes import PROBE, PROBE_MAP, get_path

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

    Not reported: a field holding a value seatrial made up to probe a mode (the chart never
    vouched for its shape), such as an `env` entry made from a probe list
    (`extraEnvVars=['seatrial-probe']`). Reported as info, in a mode that only switches
    something on: an object without a name when values.yaml leaves a `name` beside that
    switch empty (`backendconfig.name:`), a container without an image when values.yaml
    leaves an image value empty under a path naming the feature or the container
    (`image.openshift.oauthProxy.repository: ""` for `openshift.enabled`): a value to set
    with the mode.

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
            if field[:1] not in (("kind",), ("metadata",)) and _made_up(get_field(obj.body, field)):
                continue  # the shape of a probe value seatrial made up, not the chart's
            text = f"{obj.kind} {obj.name or '(unnamed)'} {message}"
            empty = None
            if message == "has no metadata.name":
                empty = _left_empty(ctx.cells, ctx.facts.chart_values, _empty_name)
            elif message.endswith(" has no image"):
                container = get_field(obj.body, field)
                named = container.get("name") if isinstance(container, Mapping) else None
                empty = _left_empty(
                    ctx.cells, ctx.facts.chart_values, _empty_image(str(named or ""))
                )
            if empty is not None:
                mode, path = empty
                yield Violation(
                    f"{text} in mode {mode}: values.yaml leaves {path} empty, to be set with it",
                    field=field,
                    obj=obj,
                    severity=Severity.INFO,
                    fix=f"nothing to fix if {path} is meant to be set with the mode; "
                    "`required` tells users in words",
                )
                continue
            yield Violation(
                text,
                field=field,
                obj=obj,
                fix="fix the template so the field renders with the type Kubernetes expects",
            )


def _made_up(value: Any) -> bool:
    """Whether `value` is, or holds, a probe value seatrial made up (render/modes.py)."""
    if isinstance(value, str):
        return value == PROBE
    if isinstance(value, Mapping):
        return any(k == PROBE or k in PROBE_MAP or _made_up(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_made_up(v) for v in value)
    return False


def _left_empty(
    cells: tuple[Cell, ...],
    values: Mapping[str, Any],
    find: Callable[[Mapping[str, Any], str], str | None],
) -> tuple[str, str] | None:
    """For an object rendered only by modes that switch one value on (`x.enabled=true`): the
    value the chart's values.yaml leaves empty for that switch, as `find` looks for it from
    the switch's parent path (`_empty_name`, `_empty_image`), as (mode, path); None
    otherwise."""
    keys = [k for k in (c.toggled() for c in cells) if k is not None]
    if not cells or len(keys) != len(cells):
        return None
    for key in keys:
        parent = key.rsplit(".", 1)[0] if "." in key else ""
        found = find(values, parent)
        if found is not None:
            return ", ".join(sorted({c.name for c in cells})), found
    return None


#: the keys of an image reference in values files, the one to name first
_IMAGE_KEYS = ("repository", "image", "tag", "registry")


def _empty_image(container: str) -> Callable[[Mapping[str, Any], str], str | None]:
    """A finder for `_left_empty`: an image value (`repository`, `image`, ...) values.yaml
    leaves empty under a path naming the switch's feature or the container
    (longhorn: `openshift.enabled` and `image.openshift.oauthProxy.repository: ""` for the
    `oauth-proxy` container): the image to set with the mode."""
    wanted = _squash(container)

    def find(values: Mapping[str, Any], parent: str) -> str | None:
        names = {_squash(p) for p in parent.split(".") if p} | ({wanted} if wanted else set())
        found: list[tuple[str, ...]] = [
            path
            for path in (tuple(k.split(".")) for k, v in leaves(values) if v in (None, ""))
            if path[-1] in _IMAGE_KEYS and names & {_squash(p) for p in path[:-1]}
        ]
        if not found:
            return None
        ranked = sorted(found, key=lambda p: _IMAGE_KEYS.index(p[-1]))
        return ".".join(ranked[0])

    return find


def _squash(name: str) -> str:
    return name.replace("-", "").replace("_", "").lower()


def _empty_name(values: Mapping[str, Any], path: str) -> str | None:
    """`path.name` when empty, or `path.LIST[i].name` for a list right under `path` (a
    placeholder item); not deeper (`x.serviceAccount.name: ""` means "generate one")."""
    data = get_path(values, path) if path else values
    if not isinstance(data, Mapping):
        return None
    prefix = f"{path}." if path else ""
    if "name" in data and data["name"] in (None, ""):
        return f"{prefix}name"
    for key, items in data.items():
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, Mapping) and "name" in item and item["name"] in (None, ""):
                return f"{prefix}{key}[{i}].name"
    return None
