"""Discover the chart's workload modes: the toggles its templates and schema branch on.

Sources, in the chart itself: enums in `values.schema.json`; comparisons in templates
(`eq .Values.manager.kind "DaemonSet"`, `ne`), conditions (`if .Values.x.enabled`, `if not`,
`with`, `and`/`or` inside them), `ternary`, `default "X" .Values.y` (the literal is a mode
value), and dependency `condition`s. Only the top-level chart's manifest templates are read
(not NOTES.txt): subcharts are rendered as their parent configures them.

A condition is a mode when it switches behaviour, not when it passes configuration through:
booleans (and unset `*.enabled`/`*.create` keys) anywhere; any other value only when its
`if`/`with` gates a whole object (the action starts a line at column 0 of a manifest
template). `with .Values.nodeSelector` inside a pod spec is configuration, not a mode.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from seatrial.source.load import ChartSource

MAX_TOGGLE_VALUES = 48
PROBE = "seatrial-probe"

_PATH = r"(?:\$[A-Za-z_]\w*|\$)?\.Values((?:\.[A-Za-z_][\w-]*)+)"
_LIT = r"(\"(?:[^\"\\]|\\.)*\"|'[^']*'|-?\d+(?:\.\d+)?|true|false)"
_CMP_A = re.compile(rf"\b(eq|ne)\s+\(?\s*{_PATH}\s*\)?\s+{_LIT}")
_CMP_B = re.compile(rf"\b(eq|ne)\s+{_LIT}\s+\(?\s*{_PATH}")
_ACTION = re.compile(r"\{\{-?\s*(if|else\s+if|with)\s+(.*?)-?\}\}", re.S)
_NUM_CMP = re.compile(
    rf"\b(gt|ge|lt|le)\s+\(?\s*{_PATH}(?:\s*\|\s*(?:int|int64|float64))?\s*\)?\s+(-?\d+)\b")
_TERNARY = re.compile(rf"\bternary\s+(?:\S+)\s+(?:\S+)\s+{_PATH}")
_TERNARY_PIPE = re.compile(rf"{_PATH}\s*\|\s*ternary\b")
_DEFAULT = re.compile(rf"\bdefault\s+{_LIT}\s+{_PATH}")
_PATH_RE = re.compile(_PATH)


@dataclass(frozen=True)
class Toggle:
    """One value key the chart branches on, the values worth trying, and why."""

    key: str
    values: tuple[Any, ...]
    default: Any
    origin: str


def _literal(text: str) -> Any:
    if text[0] in "\"'":
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    return float(text) if "." in text else int(text)


def get_path(values: Mapping[str, Any], key: str) -> Any:
    cur: Any = values
    for part in key.split("."):
        if not isinstance(cur, Mapping) or part not in cur:
            return None
        cur = cur[part]
    return cur


def set_path(values: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """A copy of `values` with the dotted `key` set (intermediate maps created)."""
    out = dict(values)
    cur = out
    parts = key.split(".")
    for part in parts[:-1]:
        nxt = cur.get(part)
        nxt = dict(nxt) if isinstance(nxt, Mapping) else {}
        cur[part] = nxt
        cur = nxt
    cur[parts[-1]] = value
    return out


def _flip(default: Any) -> Any:
    """A value that takes the other branch of `if`/`with` on `default`."""
    if isinstance(default, Mapping):
        return None if default else {"seatrial.io/probe": "true"}
    if isinstance(default, list):
        return None if default else [PROBE]
    if isinstance(default, str):
        return "" if default else PROBE
    if isinstance(default, bool) or default is None:
        return not default
    if isinstance(default, int | float):
        return 0 if default else 1
    return None


_BOOLISH = ("enabled", "enable", "create", "install", "deploy")


def _switch(key: str, default: Any, object_level: bool) -> tuple[bool, Any]:
    """(is a mode, the value that takes the other branch)."""
    if isinstance(default, bool):
        return True, not default
    if default is None and key.rsplit(".", 1)[-1].lower() in _BOOLISH:
        return True, True
    if object_level:
        return True, _flip(default)
    return False, None


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _schema_enums(schema: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, list[Any]]]:
    props = schema.get("properties")
    if not isinstance(props, Mapping):
        return
    for name, sub in props.items():
        if not isinstance(sub, Mapping):
            continue
        key = f"{prefix}{name}"
        if isinstance(sub.get("enum"), list):
            yield key, list(sub["enum"])
        yield from _schema_enums(sub, key + ".")


def discover(chart: ChartSource) -> list[Toggle]:
    """Every toggle, with the non-default values to try, in a stable order."""
    found: dict[str, tuple[list[Any], str]] = {}
    values = chart.values

    def add(key: str, value: Any, origin: str) -> None:
        vals, _ = found.setdefault(key, ([], origin))
        if value not in vals:
            vals.append(value)

    if chart.schema:
        for key, enum in _schema_enums(chart.schema):
            for v in enum:
                add(key, v, "values.schema.json enum")

    for path, text in sorted(chart.files.items()):
        if not path.startswith("templates/") or not path.endswith((".yaml", ".yml", ".tpl")):
            continue
        manifest = not path.endswith(".tpl")
        for rx in (_CMP_A, _CMP_B):
            for m in rx.finditer(text):
                key, lit = (m.group(2), m.group(3)) if rx is _CMP_A else (m.group(3), m.group(2))
                add(key.lstrip("."), _literal(lit), f"{path}:{_line(text, m.start())} {m.group(1)}")
        for m in _ACTION.finditer(text):
            cond = m.group(2)
            compared = {k.group(2) for rx in (_CMP_A,) for k in rx.finditer(cond)}
            compared |= {k.group(3) for k in _CMP_B.finditer(cond)}
            object_level = manifest and m.start() == text.rfind("\n", 0, m.start()) + 1
            for pm in _PATH_RE.finditer(cond):
                key = pm.group(1).lstrip(".")
                if pm.group(1) in compared:
                    continue
                is_mode, value = _switch(key, get_path(values, key), object_level)
                if is_mode:
                    add(key, value, f"{path}:{_line(text, m.start())} {m.group(1).split()[0]}")
        for m in _NUM_CMP.finditer(text):
            # a value on the other side of the bound from the default
            op, key, bound = m.group(1), m.group(2).lstrip("."), int(m.group(3))
            default = get_path(values, key)
            inside = {"gt": bound + 1, "ge": bound, "lt": bound - 1, "le": bound}[op]
            outside = {"gt": bound, "ge": bound - 1, "lt": bound, "le": bound + 1}[op]
            number = default if isinstance(default, int | float) else None
            holds = number is not None and {"gt": number > bound, "ge": number >= bound,
                                            "lt": number < bound, "le": number <= bound}[op]
            add(key, outside if holds else inside, f"{path}:{_line(text, m.start())} {op}")
        for rx in (_TERNARY, _TERNARY_PIPE):
            for m in rx.finditer(text):
                key = m.group(1).lstrip(".")
                is_mode, value = _switch(key, get_path(values, key), False)
                if is_mode:
                    add(key, value, f"{path}:{_line(text, m.start())} ternary")
        for m in _DEFAULT.finditer(text):
            key = m.group(2).lstrip(".")
            literal = _literal(m.group(1))
            if get_path(values, key) not in (None, "") and literal != get_path(values, key):
                add(key, literal, f"{path}:{_line(text, m.start())} default")

    for dep in chart.metadata.get("dependencies") or []:
        cond = dep.get("condition") if isinstance(dep, Mapping) else None
        if isinstance(cond, str) and cond.strip():
            key = cond.split(",")[0].strip()
            add(key, _switch(key, get_path(values, key), True)[1],
                f"Chart.yaml dependency {dep.get('name')}")

    toggles: list[Toggle] = []
    budget = MAX_TOGGLE_VALUES
    for key in sorted(found):
        vals, origin = found[key]
        default = get_path(values, key)
        tries = tuple(v for v in vals if v != default)
        if not tries or budget <= 0:
            continue
        tries = tries[:budget]
        budget -= len(tries)
        toggles.append(Toggle(key, tries, default, origin))
    return toggles
