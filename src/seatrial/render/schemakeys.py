"""What of a cell's values a chart's `values.schema.json` can look at.

Helm validates every render's values against the schemas of the chart and its subcharts,
whatever the templates read: two cells that differ only at a path no kept template reads,
one of them breaking the schema there, must not share a render (render/deps.py
`Analysis.render_key`). A schema looks at few paths (bitnami's nginx: eight), so keying
the whole values whenever a schema exists would throw away most of the sharing.

`schema_paths` walks a schema and returns the value paths it can look at, each either
*whole* (any change of the value there can change the verdict) or *shape* (only whether the
value there is a mapping: `type: object` whose properties are walked one by one). The walk
is conservative: a keyword it does not follow (`$ref` outside the document, `allOf`,
`patternProperties`, `additionalProperties: false`, `required` ...) makes the whole value at
its path part of the key; an unreadable schema makes the whole values part of it.
Annotations (`title`, `description`, `default`, bitnami's `form`) look at nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ValuePath = tuple[str, ...]

#: keywords that constrain the value where they stand (its type, length, items, keys ...)
_WHOLE = frozenset(
    {
        "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
        "exclusiveMinimum", "maxLength", "minLength", "pattern", "format", "items",
        "prefixItems", "additionalItems", "contains", "maxItems", "minItems", "uniqueItems",
        "maxContains", "minContains", "unevaluatedItems", "maxProperties", "minProperties",
        "dependentRequired", "dependentSchemas", "dependencies", "propertyNames",
        "patternProperties", "unevaluatedProperties", "allOf", "anyOf", "oneOf", "not", "if",
        "then", "else", "$dynamicRef", "$recursiveRef", "contentEncoding", "contentMediaType",
        "contentSchema",
    }
)  # fmt: skip

#: how deep local `$ref`s are followed before the value there is keyed whole
_REF_DEPTH = 16


@dataclass(frozen=True)
class SchemaPath:
    """A value path a schema looks at: `whole` the value there, or only its shape."""

    path: ValuePath
    whole: bool


def chart_schema_paths(chart: Path, prefixes: list[ValuePath]) -> list[SchemaPath] | None:
    """The paths of the top chart's values that `chart`'s schema looks at; `prefixes`: where
    its values live among the top chart's (`()` for the top chart, a subchart's alias). A
    subchart's `global` paths are the top chart's too (Helm copies globals down). [] without
    a schema; None when the whole values are looked at (the top chart's schema constrains
    its root, or a schema cannot be read)."""
    file = chart / "values.schema.json"
    if not file.is_file():
        return []
    try:
        schema = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    own = schema_paths(schema)
    out: list[SchemaPath] = []
    for prefix in prefixes:
        for p in own:
            if not prefix and not p.path and p.whole:
                return None
            out.append(SchemaPath(prefix + p.path, p.whole))
            if not prefix:
                continue
            if not p.path and p.whole:
                out.append(SchemaPath(("global",), True))
            elif p.path[:1] == ("global",):
                out.append(p)
    return out


def schema_paths(schema: Any) -> list[SchemaPath]:
    """The value paths `schema` looks at, relative to its own values (`()`: its root)."""
    try:
        return list(_walk(schema, (), schema, 0))
    except RecursionError:
        return [SchemaPath((), True)]


def _walk(node: Any, at: ValuePath, root: Any, depth: int) -> Iterator[SchemaPath]:
    if node is True or node == {}:
        return
    if not isinstance(node, Mapping):
        yield SchemaPath(at, True)  # `false`, or not a schema
        return
    ref = node.get("$ref")
    if ref is not None:
        target = _local(root, ref) if depth < _REF_DEPTH else None
        if target is None:
            yield SchemaPath(at, True)
            return
        yield from _walk(target, at, root, depth + 1)
    if any(k in _WHOLE for k in node):
        yield SchemaPath(at, True)
        return
    extra = node.get("additionalProperties", True)
    if extra is not True and extra != {}:
        yield SchemaPath(at, True)
        return
    kind = node.get("type")
    props = node.get("properties")
    if kind is not None and kind != "object":
        yield SchemaPath(at, True)
        return
    if props is not None and not isinstance(props, Mapping):
        yield SchemaPath(at, True)
        return
    required = node.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        yield SchemaPath(at, True)
        return
    if kind == "object" or props or required:
        yield SchemaPath(at, False)
    for name in required:
        yield SchemaPath((*at, name), False)  # present or absent: its shape tells
    for name, sub in (props or {}).items():
        yield from _walk(sub, (*at, str(name)), root, depth)


def _local(root: Any, ref: Any) -> Any:
    """The schema a local `$ref` (`#/$defs/x`, `#/definitions/x`) points at; None otherwise."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    node = root
    for part in ref[1:].split("/")[1:] if ref != "#" else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node
