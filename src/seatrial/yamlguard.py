"""YAML and JSON loading that refuses alias bombs ("billion laughs") and deep nesting.

PyYAML shares the node of an alias, so composing is cheap; the blow-up happens later, when the
document is walked or dumped. `guard_node` measures the expanded size of a composed node
(memoized, so linear in the distinct nodes) and raises a `yaml.YAMLError` with the line of the
document when aliases would expand it by more than `MAX_ALIAS_EXPANSION` nodes. Every loader
of user YAML goes through here, so the usual "file:line: invalid YAML" handling applies.

Every reader of untrusted YAML or JSON (charts, schemas, config, explain inputs, dumps, live
answers) also goes through `MAX_DEPTH`: a document nested deeper is refused here with one clear
error (`yaml.YAMLError` or `TooDeep`, a `ValueError`), instead of a RecursionError later in a
recursive walker or in `json.loads` itself.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

MAX_ALIAS_EXPANSION = 1_000_000
#: deepest nesting accepted in a YAML or JSON document (Kubernetes objects and schemas stay
#: far below; Python's recursion limit of 1000 frames is reached by walkers before 1000 levels)
MAX_DEPTH = 200

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ExcessiveAliasing(yaml.composer.ComposerError):
    """A document whose aliases expand it beyond `MAX_ALIAS_EXPANSION` nodes."""


def guard_node(node: yaml.Node | None) -> None:
    """Raise ExcessiveAliasing when `node` expands to far more nodes than it holds."""
    if node is None:
        return
    sizes: dict[int, int] = {}
    distinct = 0
    # iterative post-order walk over distinct nodes (a recursive one overflows on deep YAML)
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if done:
            total = 1
            for child in _children(current):
                total += sizes[id(child)]
                if total > MAX_ALIAS_EXPANSION + distinct:
                    break
            sizes[key] = total
            if total - distinct > MAX_ALIAS_EXPANSION:
                raise ExcessiveAliasing(
                    None,
                    None,
                    "excessive aliasing (the aliases expand to more than "
                    f"{MAX_ALIAS_EXPANSION:,} nodes)",
                    node.start_mark,
                )
            continue
        if key in sizes:
            continue
        sizes[key] = 0  # placeholder: a cycle (a recursive alias) counts once
        distinct += 1
        stack.append((current, True))
        stack.extend((child, False) for child in _children(current) if id(child) not in sizes)
    return


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


class TooDeep(ValueError):
    """A JSON document nested deeper than `MAX_DEPTH`."""


class ExcessiveNesting(yaml.composer.ComposerError):
    """A YAML document nested deeper than `MAX_DEPTH`."""


def check_depth(node: yaml.Node | None) -> None:
    """Raise ExcessiveNesting when the composed `node` nests deeper than `MAX_DEPTH`."""
    if node is None:
        return
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExcessiveNesting(
                None, None, f"nested deeper than {MAX_DEPTH} levels", current.start_mark
            )
        if id(current) in seen:
            continue
        seen.add(id(current))
        stack.extend((child, depth + 1) for child in _children(current))


def data_depth_ok(data: Any) -> bool:
    """Whether parsed JSON/YAML data nests at most `MAX_DEPTH` levels (iterative)."""
    stack: list[tuple[Any, int]] = [(data, 1)] if isinstance(data, dict | list) else []
    while stack:
        current, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return False
        values = current.values() if isinstance(current, dict) else current
        stack.extend((v, depth + 1) for v in values if isinstance(v, dict | list))
    return True


def json_loads(text: str | bytes) -> Any:
    """`json.loads`, refusing documents nested deeper than `MAX_DEPTH` with `TooDeep`
    (a ValueError, as the `json.JSONDecodeError` callers already handle)."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    if not data_depth_ok(data):
        raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels")
    return data


_STR = "tag:yaml.org,2002:str"
#: YAML 1.1's "value key" type: a plain `=`, which SafeConstructor only takes as a key
_VALUE = "tag:yaml.org,2002:value"
#: plain scalar -> its implicit tag (it depends on the text only)
_TAGS: dict[str, str] = {}


class SafeLoader(_Base):  # type: ignore[misc]
    """PyYAML's safe loader (C when available), with one difference: a plain `=` is the
    string "=" wherever it stands, as in Go's YAML, which Helm and kubectl read with (a
    values list of operators, the Prometheus operator's CRDs); PyYAML refuses it outside a
    mapping key. A plain scalar's implicit tag is memoized by its text (the C parser asks
    for one per scalar)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            tag = _TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if tag == _VALUE:
                    tag = _STR
                if len(_TAGS) < 100_000:
                    _TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


class GuardedLoader(SafeLoader):
    """The safe loader that checks each document for alias bombs."""

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        guard_node(node)
        check_depth(node)
        return node

    def get_node(self) -> Any:
        node = super().get_node()
        guard_node(node)
        check_depth(node)
        return node


def safe_load(text: str) -> Any:
    """`yaml.safe_load`, refusing alias bombs."""
    return yaml.load(text, Loader=GuardedLoader)


def safe_load_all(text: str) -> list[Any]:
    """`yaml.safe_load_all` as a list, refusing alias bombs."""
    return list(yaml.load_all(text, Loader=GuardedLoader))
