"""Discover the chart's workload modes: the toggles its templates and schema branch on.

Sources, in the chart itself: enums in `values.schema.json`; comparisons in templates
(`eq .Values.manager.kind "DaemonSet"`, `ne`), conditions (`if .Values.x.enabled`, `if not`,
`with`, `and`/`or` inside them), `ternary`, `default "X" .Values.y` (the literal is a mode
value), and dependency `condition`s. Only the top-level chart's manifest templates are read
(not NOTES.txt): subcharts are rendered as their parent configures them.

A condition is a mode when it switches behaviour, not when it passes configuration through:
booleans (and unset `*.enabled`/`*.create` keys) anywhere; any other value only when its
`if`/`with` gates a whole object (the action starts a line at column 0 of a manifest
template). `with .Values.nodeSelector` inside a pod spec is configuration, not a mode. A value
used only as an argument (`omit`, `hasKey`, `index`, `pick`, `dig`) is not tested for truth.

Values the chart vouches for: schema `enum` members, literals compared with `eq`/`ne`, the
literal of `default "X"`, and the opposite of a boolean default. Any other value is a **probe**
that seatrial synthesizes, shaped as the chart expects it: the schema's `type`/`items`, else
the default's type, else the templates' use of it (`range` -> a list or a map of maps whose
fields are those read, `tpl`/`indent`/`trim`/`eq "x"` -> a string, `.field` -> a map). A probe
never is `true` beside an enum or a non-boolean type, nor `null` for a map whose sub-keys are
read. A probe carries the other fitting shapes to try when its first one does not render.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from seatrial.render.deps import ACTION as _ANY_ACTION
from seatrial.source.load import ChartSource

MAX_TOGGLE_VALUES = 48
PROBE = "seatrial-probe"
PROBE_MAP = {"seatrial.io/probe": "true"}

_PATH = r"(?:\$[A-Za-z_]\w*|\$)?\.Values((?:\.[A-Za-z_][\w-]*)+)"
_LIT = r"(\"(?:[^\"\\]|\\.)*\"|'[^']*'|-?\d+(?:\.\d+)?|true|false)"
_CMP_A = re.compile(rf"\b(eq|ne)\s+\(?\s*{_PATH}\s*\)?\s+{_LIT}")
_CMP_B = re.compile(rf"\b(eq|ne)\s+{_LIT}\s+\(?\s*{_PATH}")
_ACTION = re.compile(r"\{\{-?\s*(if|else\s+if|with)\s+(.*?)-?\}\}", re.S)
_NUM_CMP = re.compile(
    rf"\b(gt|ge|lt|le)\s+\(?\s*{_PATH}(?:\s*\|\s*(?:int|int64|float64))?\s*\)?\s+(-?\d+)\b"
)
_TERNARY = re.compile(rf"\bternary\s+(?:\S+)\s+(?:\S+)\s+{_PATH}")
_TERNARY_PIPE = re.compile(rf"{_PATH}\s*\|\s*ternary\b")
_DEFAULT = re.compile(rf"\bdefault\s+{_LIT}\s+{_PATH}")
_PATH_RE = re.compile(_PATH)
_TOKEN = re.compile(r"\"(?:[^\"\\]|\\.)*\"|`[^`]*`|'[^']*'|:=|[()|]|[^\s()|]+")
_VALUES_TOKEN = re.compile(r"^(?:\$[A-Za-z_]\w*|\$)?\.Values((?:\.[A-Za-z_][\w-]*)+)$")
_RANGE = re.compile(
    rf"\{{\{{-?\s*range\s+(?:(\$\w+)\s*(?:,\s*(\$\w+)\s*)?:=\s*)?\(?\s*{_PATH}\s*\)?\s*-?\}}\}}"
)
_VAR_FIELD = re.compile(r"(\$\w+)((?:\.[A-Za-z_][\w-]*)+)")
_DOT_FIELD = re.compile(r"(?<![\w$)\]])\.([A-Za-z_][\w-]*)")
_BLOCK_OPEN = re.compile(r"^(if|with|range|define|block)\b")
_STRING_FUNCS = frozenset(
    {
        "tpl",
        "trim",
        "trimSuffix",
        "trimPrefix",
        "indent",
        "nindent",
        "lower",
        "upper",
        "title",
        "b64enc",
        "hasPrefix",
        "hasSuffix",
        "trunc",
        "replace",
        "split",
        "splitList",
        "regexMatch",
        "contains",
        "printf",
        "print",
        "quote",
        "squote",
    }
)
_STRUCT_FUNCS = frozenset({"toYaml", "toJson", "toPrettyJson", "toRawJson"})
_TRUTH_FUNCS = frozenset({"and", "or", "not", "empty"})
_BUILTIN_FIELDS = frozenset({"Values", "Release", "Chart", "Capabilities", "Template", "Files"})
#: keys that switch a workload's kind or gate a workload get the toggle budget first
_WORKLOAD_KINDS = ("Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob")
_WORKLOAD_KEY = re.compile(r"(?:^|\.)(?:kind|useStatefulSet|statefulset|daemonset)(?:\.|$)", re.I)


@dataclass(frozen=True)
class Toggle:
    """One value key the chart branches on, the values worth trying, and why.

    `shapes` holds, for each value in `values`, None when the chart vouches for it, or the
    other shapes to try (possibly none) when it is a probe seatrial synthesized."""

    key: str
    values: tuple[Any, ...]
    default: Any
    origin: str
    shapes: tuple[tuple[Any, ...] | None, ...] = ()

    def is_probe(self, i: int) -> bool:
        return i < len(self.shapes) and self.shapes[i] is not None

    def alternates(self, i: int) -> tuple[Any, ...]:
        shapes = self.shapes[i] if i < len(self.shapes) else None
        return shapes or ()


@dataclass
class Discovery:
    toggles: list[Toggle]
    #: toggle values the budget left out (`--max-probes` raises it)
    left_out: int = 0


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


_BOOLISH = ("enabled", "enable", "create", "install", "deploy")


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


def schema_at(schema: Mapping[str, Any] | None, key: str) -> Mapping[str, Any] | None:
    """The schema node describing the dotted `key` (local `$ref`s followed), or None."""
    node: Any = schema
    for part in key.split("."):
        node = _deref(schema, node)
        props = node.get("properties") if isinstance(node, Mapping) else None
        if not isinstance(props, Mapping) or not isinstance(props.get(part), Mapping):
            return None
        node = props[part]
    node = _deref(schema, node)
    return node if isinstance(node, Mapping) else None


def _deref(root: Mapping[str, Any] | None, node: Any) -> Any:
    for _ in range(8):
        ref = node.get("$ref") if isinstance(node, Mapping) else None
        if not isinstance(ref, str) or not ref.startswith("#/") or root is None:
            return node
        cur: Any = root
        for part in ref[2:].split("/"):
            cur = cur.get(part) if isinstance(cur, Mapping) else None
        node = cur
    return node


def _schema_types(node: Mapping[str, Any] | None) -> list[str]:
    if node is None:
        return []
    t = node.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str) and x != "null"]
    return []


# --- what the templates do with each value -------------------------------------------------


def _tokens(expr: str) -> list[Any]:
    """A Go template action as nested lists: parentheses become sub-lists; `|` stays a token."""
    stack: list[list[Any]] = [[]]
    for tok in _TOKEN.findall(expr):
        if tok == "(":
            stack.append([])
        elif tok == ")":
            if len(stack) > 1:
                inner = stack.pop()
                stack[-1].append(inner)
        else:
            stack[-1].append(tok)
    while len(stack) > 1:
        inner = stack.pop()
        stack[-1].append(inner)
    return stack[0]


def _stages(expr: list[Any]) -> list[list[Any]]:
    out: list[list[Any]] = [[]]
    for tok in expr:
        if tok == "|":
            out.append([])
        else:
            out[-1].append(tok)
    if len(out[0]) >= 2 and out[0][1] in (":=", "="):
        out[0] = out[0][2:]
    return out


def _values_key(tok: Any) -> str | None:
    m = _VALUES_TOKEN.match(tok) if isinstance(tok, str) else None
    return m.group(1).lstrip(".") if m else None


def truth_paths(expr: list[Any]) -> Iterator[str]:
    """Value keys an `if`/`with` condition tests for truth: the condition itself, or an
    operand of `and`/`or`/`not`/`empty`; never a value passed as an argument to another
    function (`omit .Values.x "a"`, `index .Values.x "k"`, `hasKey`, `pick`, `dig`)."""
    stages = _stages(expr)
    if len(stages) != 1:
        return
    cmd = stages[0]
    operands = (
        cmd
        if len(cmd) == 1
        else (cmd[1:] if cmd and isinstance(cmd[0], str) and cmd[0] in _TRUTH_FUNCS else [])
    )
    for arg in operands:
        if isinstance(arg, list):
            yield from truth_paths(arg)
        elif (key := _values_key(arg)) is not None:
            yield key


def _uses_by(expr: list[Any], funcs: frozenset[str]) -> Iterator[str]:
    """Path tokens (`.Values.x`, `$v.url`, `.name`) that one of `funcs` receives."""
    stages = _stages(expr)
    for i, stage in enumerate(stages):
        if stage and isinstance(stage[0], str) and stage[0] in funcs:
            for arg in stage[1:]:
                if isinstance(arg, str) and arg.startswith(("$", ".")):
                    yield arg
            if i > 0 and len(stages[i - 1]) == 1 and isinstance(stages[i - 1][0], str):
                yield stages[i - 1][0]
        for arg in stage:
            if isinstance(arg, list):
                yield from _uses_by(arg, funcs)


@functools.lru_cache(maxsize=8192)
def _truth_keys(expr: str) -> tuple[str, ...]:
    """`truth_paths` of one condition, memoized (charts repeat their conditions)."""
    return tuple(truth_paths(_tokens(expr)))


@functools.lru_cache(maxsize=8192)
def _action_uses(action: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The path tokens one action hands to string functions and to structure functions
    (memoized: charts repeat the same actions, `include "x.labels" . | nindent 4`, often)."""
    tree = _tokens(action)
    return tuple(_uses_by(tree, _STRING_FUNCS)), tuple(_uses_by(tree, _STRUCT_FUNCS))


@dataclass
class _Uses:
    """Per value key: how the templates use it."""

    strings: set[str] = field(default_factory=set)
    structured: set[str] = field(default_factory=set)
    #: key -> ("list" | "pairs") and the fields read from each element
    ranged: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    read_below: set[str] = field(default_factory=set)
    workload_gates: set[str] = field(default_factory=set)


def _range_bodies(text: str) -> Iterator[tuple[str, str | None, bool, str]]:
    """(value key, element variable or None, ranged as key/value pairs, body text) for each
    `range` over a value."""
    for m in _RANGE.finditer(text):
        depth, end = 1, len(text)
        for a in _ANY_ACTION.finditer(text, m.end()):
            word = a.group(1).strip()
            if _BLOCK_OPEN.match(word):
                depth += 1
            elif word == "end" or word.startswith("end "):
                depth -= 1
                if depth == 0:
                    end = a.start()
                    break
        yield (
            m.group(3).lstrip("."),
            m.group(2) or m.group(1),
            m.group(2) is not None,
            text[m.end() : end],
        )


def _element_fields(body: str, var: str | None) -> set[str]:
    fields: set[str] = set()
    if var:
        for vm in _VAR_FIELD.finditer(body):
            if vm.group(1) == var:
                fields.add(vm.group(2).split(".")[1])
        return fields
    depth = 0
    for a in _ANY_ACTION.finditer(body):
        inner = a.group(1).strip()
        if re.match(r"^(with|range|define)\b", inner):
            depth += 1
        elif inner == "end" and depth:
            depth -= 1
        if depth:
            continue
        for fm in _DOT_FIELD.finditer(inner):
            if fm.group(1) not in _BUILTIN_FIELDS:
                fields.add(fm.group(1))
    return fields


class _Actions:
    """A template's actions (`{{ ... }}`) alone, joined by NUL (no pattern crosses it), with
    the way back to positions in the template: the patterns of this module only match
    inside actions, and scanning a 1.4 MB CRD template's plain text took ~37 ms a pattern."""

    def __init__(self, spans: list[tuple[int, str]]) -> None:
        self.spans = spans  # (where it starts in the template, the action)
        self.starts: list[int] = []  # where each action starts in `text` (joined)
        self.origins: list[int] = []  # where it starts in the template
        at = 0
        for origin, action in spans:
            self.starts.append(at)
            self.origins.append(origin)
            at += len(action) + 1
        self.text = "\0".join(a for _, a in spans)

    def only(self, *words: str, also: str = "") -> _Actions:
        """The actions holding one of `words` (and `also`): a pattern that needs one of
        them scans these alone (most of a template's actions hold none)."""
        spans = [(o, a) for o, a in self.spans if also in a] if also else self.spans
        if len(words) == 1:
            return _Actions([(o, a) for o, a in spans if words[0] in a])
        rx = re.compile("|".join(map(re.escape, words)))
        return _Actions([(o, a) for o, a in spans if rx.search(a)])

    def origin(self, pos: int) -> int:
        """The template position of `pos` in the joined text."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.origins[i] + pos - self.starts[i]


@functools.lru_cache(maxsize=512)
def _actions_of(text: str) -> _Actions:
    return _Actions([(m.start(), m.group(0)) for m in _ANY_ACTION.finditer(text)])


_READ_BELOW = re.compile(rf"\b(?:index|hasKey|pick|dig)\s+\(?\s*{_PATH}")


def _collect_uses(chart: ChartSource) -> _Uses:
    uses = _Uses()
    for path, text in sorted(chart.files.items()):
        if not path.startswith("templates/") or not path.endswith((".yaml", ".yml", ".tpl")):
            continue
        for key, var, pair, body in _range_bodies(text):
            uses.ranged.setdefault(key, ("pairs" if pair else "list", set()))[1].update(
                _element_fields(body, var)
            )
            for a in _ANY_ACTION.finditer(body):
                for tok in _action_uses(a.group(1))[0]:
                    head, _, rest = tok.partition(".")
                    name = rest.split(".")[0]
                    if name and head == (var or "") and name not in _BUILTIN_FIELDS:
                        uses.strings.add(f"{key}[].{name}")
        actions = _actions_of(text)
        for _, action in actions.spans:
            inner = _ANY_ACTION.match(action)
            assert inner is not None  # a span is one whole action
            as_string, as_struct = _action_uses(inner.group(1))
            uses.strings.update(k for tok in as_string if (k := _values_key(tok)) is not None)
            uses.structured.update(k for tok in as_struct if (k := _values_key(tok)) is not None)
        with_values = actions.only("Values").text
        for pm in _PATH_RE.finditer(with_values):
            parts = pm.group(1).lstrip(".").split(".")
            for i in range(1, len(parts)):
                uses.read_below.add(".".join(parts[:i]))
        for im in _READ_BELOW.finditer(actions.only("index", "hasKey", "pick", "dig").text):
            uses.read_below.add(im.group(1).lstrip("."))
        if not path.endswith(".tpl") and re.search(
            rf"^kind:\s*({'|'.join(_WORKLOAD_KINDS)})\s*$", text, re.M
        ):
            for m in _ACTION.finditer(text):
                if m.start() == text.rfind("\n", 0, m.start()) + 1:
                    uses.workload_gates.update(truth_paths(_tokens(m.group(2))))
    return uses


# --- shapes ------------------------------------------------------------------------------------


def _element(uses: _Uses, key: str, fields: set[str]) -> dict[str, Any]:
    return {f: (PROBE if f"{key}[].{f}" in uses.strings else {}) for f in sorted(fields)}


def _collection_shapes(uses: _Uses, key: str, kinds: list[str]) -> list[Any]:
    """Truthy list/map probes; elements shaped from the fields templates read."""
    how, fields = uses.ranged.get(key, ("", set()))
    # elements whose fields are read are maps with those fields; others most often scalars
    elements = [_element(uses, key, fields)] if fields else [PROBE, {}]
    out: list[Any] = []
    for kind in kinds:
        if kind == "array":
            out += [[e] for e in elements]
        elif kind == "object":
            out += [{PROBE: e} for e in elements] if how else [dict(PROBE_MAP)]
    return out


def truthy_shapes(
    key: str, default: Any, schema: Mapping[str, Any] | None, uses: _Uses
) -> list[Any]:
    """Fitting truthy probes for `key`, best first: schema type, else the default's type, else
    the templates' use. Empty when no fitting shape is known (an enum is never guessed)."""
    node = schema_at(schema, key)
    if node is not None and isinstance(node.get("enum"), list):
        return []
    kinds = _schema_types(node)
    if not kinds and default is not None:
        kinds = [_type_of(default)]
    if not kinds:
        if key in uses.ranged:
            kinds = ["array", "object"] if uses.ranged[key][0] == "list" else ["object", "array"]
        elif key in uses.strings:
            kinds = ["string"]
        elif key in uses.read_below:
            kinds = ["object"]
        elif key.rsplit(".", 1)[-1].lower() in _BOOLISH:
            kinds = ["boolean"]
        elif key in uses.structured:
            kinds = ["object", "array"]
        else:
            kinds = ["string", "boolean"]
    if key in uses.strings and "string" in kinds:
        kinds = ["string"] + [k for k in kinds if k != "string"]
    out: list[Any] = []
    for kind in kinds:
        if kind == "boolean":
            out.append(True)
        elif kind == "string":
            out.append(PROBE)
        elif kind in ("integer", "number"):
            out.append(1)
        elif kind in ("array", "object"):
            out += _collection_shapes(uses, key, [kind])
    return out


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, int | float):
        return "number"
    return "string"


def _falsy(key: str, default: Any, uses: _Uses) -> list[Any]:
    """A value taking the other branch from a truthy default (Helm merges maps, so only
    `null` empties one: never for a map whose sub-keys templates read)."""
    if isinstance(default, Mapping):
        return [] if key in uses.read_below else [None]
    if isinstance(default, list):
        return [[]]
    if isinstance(default, str):
        return [""]
    if isinstance(default, int | float):
        return [0]
    return []


def _truthy(value: Any) -> bool:
    return bool(value) if value is not None else False


# --- discovery ---------------------------------------------------------------------------------


@dataclass
class _Found:
    origin: str
    vouched: list[Any] = field(default_factory=list)
    #: the condition wants the branch that the default does not take
    flip: bool = False
    numeric: list[Any] = field(default_factory=list)


def _discover_template(
    path: str, text: str, values: Mapping[str, Any], found: dict[str, _Found], uses: _Uses
) -> None:
    newlines: list[int] = []  # found on the first use
    every = _actions_of(text)

    def at(m: re.Match[str], what: str, actions: _Actions) -> str:
        if not newlines:
            newlines.extend(n.start() for n in re.finditer("\n", text))
        return f"{path}:{bisect.bisect_left(newlines, actions.origin(m.start())) + 1} {what}"

    def vouch(key: str, value: Any, origin: str) -> None:
        entry = found.setdefault(key, _Found(origin))
        if value not in entry.vouched:
            entry.vouched.append(value)

    def flip(key: str, origin: str) -> None:
        found.setdefault(key, _Found(origin)).flip = True

    manifest = not path.endswith(".tpl")
    # each pattern over the actions holding its words (all but _ACTION need `.Values`)
    cmp = every.only("eq", "ne", also="Values")
    for rx in (_CMP_A, _CMP_B):
        for m in rx.finditer(cmp.text):
            key, lit = (m.group(2), m.group(3)) if rx is _CMP_A else (m.group(3), m.group(2))
            vouch(key.lstrip("."), _literal(lit), at(m, m.group(1), cmp))
    conditions = every.only("if", "with")
    for m in _ACTION.finditer(conditions.text):
        start = conditions.origin(m.start())
        object_level = manifest and start == text.rfind("\n", 0, start) + 1
        for key in _truth_keys(m.group(2)):
            default = get_path(values, key)
            boolish = key.rsplit(".", 1)[-1].lower() in _BOOLISH
            if isinstance(default, bool) or (default is None and boolish) or object_level:
                flip(key, at(m, m.group(1).split()[0], conditions))
    numeric = every.only("gt", "ge", "lt", "le", also="Values")
    for m in _NUM_CMP.finditer(numeric.text):
        # a value on the other side of the bound from the default
        op, key, bound = m.group(1), m.group(2).lstrip("."), int(m.group(3))
        default = get_path(values, key)
        inside = {"gt": bound + 1, "ge": bound, "lt": bound - 1, "le": bound}[op]
        outside = {"gt": bound, "ge": bound - 1, "lt": bound, "le": bound + 1}[op]
        number = default if isinstance(default, int | float) else None
        holds = (
            number is not None
            and {
                "gt": number > bound,
                "ge": number >= bound,
                "lt": number < bound,
                "le": number <= bound,
            }[op]
        )
        entry = found.setdefault(key, _Found(at(m, op, numeric)))
        value = outside if holds else inside
        if value not in entry.numeric:
            entry.numeric.append(value)
    ternaries = every.only("ternary", also="Values")
    for rx in (_TERNARY, _TERNARY_PIPE):
        for m in rx.finditer(ternaries.text):
            key = m.group(1).lstrip(".")
            default = get_path(values, key)
            if isinstance(default, bool) or (
                default is None and key.rsplit(".", 1)[-1].lower() in _BOOLISH
            ):
                flip(key, at(m, "ternary", ternaries))
    defaults = every.only("default", also="Values")
    for m in _DEFAULT.finditer(defaults.text):
        key = m.group(2).lstrip(".")
        literal = _literal(m.group(1))
        if get_path(values, key) not in (None, "") and literal != get_path(values, key):
            vouch(key, literal, at(m, "default", defaults))


def _values_for(
    key: str, entry: _Found, default: Any, schema: Mapping[str, Any] | None, uses: _Uses
) -> list[tuple[Any, tuple[Any, ...] | None]]:
    """(value, None when vouched else the probe's other shapes), without the default."""
    out: list[tuple[Any, tuple[Any, ...] | None]] = [
        (v, None) for v in entry.vouched if v != default
    ]
    if entry.numeric:
        out += [(v, ()) for v in entry.numeric if v != default]
    if not entry.flip:
        return out
    other_branch = not _truthy(default)
    if any(_truthy(v) == other_branch for v, _ in out):
        return out  # a vouched value already takes the other branch
    if isinstance(default, bool):
        return [*out, (not default, None)]
    node = schema_at(schema, key)
    if node is not None and isinstance(node.get("enum"), list):
        return out  # only the enum's members are worth trying
    shapes = (
        truthy_shapes(key, default, schema, uses) if other_branch else _falsy(key, default, uses)
    )
    if shapes:
        out.append((shapes[0], tuple(shapes[1:])))
    return out


def _priority(key: str, entry: _Found, uses: _Uses) -> bool:
    if _WORKLOAD_KEY.search(key) or key in uses.workload_gates:
        return True
    return any(isinstance(v, str) and v in _WORKLOAD_KINDS for v in entry.vouched)


def discover_all(chart: ChartSource, budget: int = MAX_TOGGLE_VALUES) -> Discovery:
    """Every toggle, with the non-default values to try, in a stable order. The budget goes
    first to toggles that switch a workload's kind or gate a workload, then to the rest."""
    found: dict[str, _Found] = {}
    values = chart.values
    uses = _collect_uses(chart)

    if chart.schema:
        for key, enum in _schema_enums(chart.schema):
            for v in enum:
                entry = found.setdefault(key, _Found("values.schema.json enum"))
                if v not in entry.vouched:
                    entry.vouched.append(v)

    for path, text in sorted(chart.files.items()):
        if path.startswith("templates/") and path.endswith((".yaml", ".yml", ".tpl")):
            _discover_template(path, text, values, found, uses)

    for dep in chart.metadata.get("dependencies") or []:
        cond = dep.get("condition") if isinstance(dep, Mapping) else None
        if isinstance(cond, str) and cond.strip():
            key = cond.split(",")[0].strip()
            found.setdefault(key, _Found(f"Chart.yaml dependency {dep.get('name')}")).flip = True

    ordered = sorted(found, key=lambda k: (not _priority(k, found[k], uses), k))
    chosen: dict[str, Toggle] = {}
    left_out = 0
    for key in ordered:
        entry = found[key]
        default = get_path(values, key)
        tries = _values_for(key, entry, default, chart.schema, uses)
        if not tries:
            continue
        if budget < len(tries):
            left_out += len(tries) - max(budget, 0)
            tries = tries[: max(budget, 0)]
            if not tries:
                continue
        budget -= len(tries)
        chosen[key] = Toggle(
            key, tuple(v for v, _ in tries), default, entry.origin, tuple(s for _, s in tries)
        )
    return Discovery([chosen[k] for k in sorted(chosen)], left_out)


def discover(chart: ChartSource, budget: int = MAX_TOGGLE_VALUES) -> list[Toggle]:
    return discover_all(chart, budget).toggles


def seed_required(schema: Mapping[str, Any] | None, values: Mapping[str, Any]) -> dict[str, Any]:
    """Overrides giving each schema-`required` property missing from `values` a fitting value
    (its first enum member, else its default, else one of its type), so that one required key
    does not fail every cell."""
    seeds: dict[str, Any] = {}

    def walk(node: Any, prefix: str, present: Any) -> None:
        node = _deref(schema, node)
        if not isinstance(node, Mapping):
            return
        props = node.get("properties")
        required = node.get("required")
        for name in required if isinstance(required, list) else []:
            if not isinstance(name, str):
                continue
            sub = _deref(schema, props.get(name)) if isinstance(props, Mapping) else None
            here = present.get(name) if isinstance(present, Mapping) else None
            if here is None:
                value = _seed(sub if isinstance(sub, Mapping) else None)
                seeds[prefix + name] = value
                here = value
            walk(sub, f"{prefix}{name}.", here)

    walk(schema, "", values)
    return seeds


def _seed(node: Mapping[str, Any] | None) -> Any:
    if node is None:
        return PROBE
    if isinstance(node.get("enum"), list) and node["enum"]:
        return node["enum"][0]
    if "default" in node:
        return node["default"]
    kind = (_schema_types(node) or ["string"])[0]
    return {"boolean": False, "integer": 1, "number": 1, "array": [], "object": {}}.get(kind, PROBE)
