"""YAML loading that refuses alias bombs ("billion laughs").

PyYAML shares the node of an alias, so composing is cheap; the blow-up happens later, when the
document is walked or dumped. `guard_node` measures the expanded size of a composed node
(memoized, so linear in the distinct nodes) and raises a `yaml.YAMLError` with the line of the
document when aliases would expand it by more than `MAX_ALIAS_EXPANSION` nodes. Every loader
of user YAML goes through here, so the usual "file:line: invalid YAML" handling applies.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_ALIAS_EXPANSION = 1_000_000

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


class GuardedLoader(_Base):  # type: ignore[misc]
    """The safe loader (C when available) that checks each document for alias bombs."""

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        guard_node(node)
        return node

    def get_node(self) -> Any:
        node = super().get_node()
        guard_node(node)
        return node


def safe_load(text: str) -> Any:
    """`yaml.safe_load`, refusing alias bombs."""
    return yaml.load(text, Loader=GuardedLoader)


def safe_load_all(text: str) -> list[Any]:
    """`yaml.safe_load_all` as a list, refusing alias bombs."""
    return list(yaml.load_all(text, Loader=GuardedLoader))
