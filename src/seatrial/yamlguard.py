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
import re
from collections.abc import Hashable
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


# Helm reads values files with Go's YAML (sigs.k8s.io/yaml over go-yaml v2): a plain scalar
# is a bool, a null or a special float by this table, else a number when Go's ParseInt (base
# 0, underscores dropped) or the YAML float pattern takes it, else a string. Timestamps and
# base-60 numbers stay strings; `y`, `n`, `1e3` and `0o17` do not.
_GO_WORDS: dict[str, Any] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE"), True),
    **dict.fromkeys(("on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE"), False),
    **dict.fromkeys(("off", "Off", "OFF"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), float("nan")),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), float("-inf")),
}
_GO_INT = re.compile(r"([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]+|0|[1-9][0-9]*)")
_GO_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
GO_TAG = "tag:seatrial,2026:go-plain"
_MERGE = "tag:yaml.org,2002:merge"


def go_scalar(text: str) -> Any:
    """A plain scalar of a values file as Helm reads it (see above)."""
    if text in _GO_WORDS:
        return _GO_WORDS[text]
    if text[0] == ".":
        return float(text) if _GO_FLOAT.fullmatch(text) else text
    if text[0] not in "+-0123456789":
        return text
    plain = text.replace("_", "")
    m = _GO_INT.fullmatch(plain)
    if m is not None:
        digits = m.group(2)
        octal = len(digits) > 1 and digits[0] == "0" and digits[1] in "01234567"
        n = int(digits, 8) if octal else int(digits, 0)
        n = -n if m.group(1) == "-" else n
        if -(2**63) <= n < 2**63 or (not m.group(1) and n < 2**64):
            return n
    if _GO_FLOAT.fullmatch(plain):
        return float(plain)
    return text


def go_key(key: Any) -> str:
    """A mapping key as sigs.k8s.io/yaml turns it into a JSON key (`y:` is "true")."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float) and key == key and key not in (float("inf"), float("-inf")):
        return _go_float(key)
    if key is None:
        raise yaml.constructor.ConstructorError(None, None, "unsupported map key null")
    return str(key)


def _go_float(f: float) -> str:
    """`strconv.FormatFloat(f, 'g', -1, 64)`: the shortest digits, `%e` form when the
    exponent is below -4 or at least 6."""
    import decimal

    _, digits, exp = decimal.Decimal(repr(abs(f))).normalize().as_tuple()
    d = "".join(map(str, digits)) or "0"
    if d == "0":
        return "-0" if str(f).startswith("-") else "0"
    dp = len(d) + int(exp)  # digits before the decimal point
    neg = "-" if f < 0 else ""
    if dp - 1 < -4 or dp - 1 >= 6:
        e = dp - 1
        mantissa = d[0] + ("." + d[1:] if len(d) > 1 else "")
        return f"{neg}{mantissa}e{'-' if e < 0 else '+'}{abs(e):02d}"
    if dp <= 0:
        return f"{neg}0.{'0' * -dp}{d}"
    if dp >= len(d):
        return f"{neg}{d}{'0' * (dp - len(d))}"
    return f"{neg}{d[:dp]}.{d[dp:]}"


class GoLoader(SafeLoader):
    """The safe loader reading plain scalars as Go's YAML does (`go_scalar`) and mapping
    keys as sigs.k8s.io/yaml turns them into JSON keys: Helm reads values files so, and
    Helm and kubectl read rendered manifests so before they reach the cluster. PyYAML made
    `2024-01-01` a date, `12:30` the number 750 and `n` the string "n" (false in Go)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return _MERGE if value == "<<" else GO_TAG
        return super().resolve(kind, value, implicit)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        """SafeConstructor's, with each key a JSON key as it is read (`1:` and `true:` are
        two keys here, one in a Python dict)."""
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)  # refused as PyYAML does
        self.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                )
            out[key if type(key) is str else go_key(key)] = self.construct_object(
                value_node, deep=deep
            )
        return out


GoLoader.add_constructor(GO_TAG, lambda loader, node: go_scalar(loader.construct_scalar(node)))


class HelmValuesLoader(GoLoader, GuardedLoader):
    """`GoLoader` with the guards: what seatrial hands the engine as a cell's values must
    mean what the file means to `helm template -f`."""


def load_values(text: str) -> list[Any]:
    """The documents of a values file as Helm reads them (`HelmValuesLoader`)."""
    return list(yaml.load_all(text, Loader=HelmValuesLoader))


def load_value(text: str) -> Any:
    """A one-document values file (a chart's values.yaml) as Helm reads it."""
    return yaml.load(text, Loader=HelmValuesLoader)


def safe_load_all(text: str) -> list[Any]:
    """`yaml.safe_load_all` as a list, refusing alias bombs."""
    return list(yaml.load_all(text, Loader=GuardedLoader))
