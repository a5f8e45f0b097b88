"""Rules as data: one YAML file per failure class, validated at start, and the matcher.

A rule lists alternatives under `when`; an alternative matches when every key in it
matches the same subject (one container of a pod, a pod, a claim, a group of Jobs, or the
loose text lines of an input). Keys:

    container: {reason, message, exit_code, state}   current or last terminated state
    event:     {reason, message, type}                events about the pod (or container)
    condition: {type, status, reason, message}        pod conditions
    claim:     {phase}                                a PersistentVolumeClaim's status
    log:       REGEX                                  a container log line (or input line)
    code:      NAME (+ `min_count`)                   what regexes cannot say: patterns.py

Regexes are searched (not anchored) and their named groups become placeholders for the
explanation texts (`{path}`), beside the standard ones: container, pod, namespace, object,
image, exit_code, reason. A regex sees at most the first `MAX_MATCHED_CHARS` characters of a
line or message, so a rule that backtracks (`[^ ]+: x` searched in a 1 MB line is quadratic)
stays bounded; the built-in rules are also written to run in linear time (a boundary before
each unbounded run, no `.*` between two literals that may repeat).
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import jsonschema
import yaml

from seatrial import yamlguard
from seatrial.errors import ConfigError
from seatrial.explain.evidence import ContainerState, Event, Line, Pod
from seatrial.explain.patterns import repeated_segments

STANDARD_FIELDS = frozenset(
    {
        "container",
        "pod",
        "namespace",
        "object",
        "image",
        "exit_code",
        "reason",
        "count",
        "names",
        "prefix",
        "who",
    }
)
CODE_MATCHERS = frozenset({"repeated_segment", "sibling_jobs"})
#: characters of one line or message that a rule regex is searched in
MAX_MATCHED_CHARS = 8192

_REGEX = {"type": "string", "minLength": 1}
_TEXT = {"type": "string", "minLength": 10}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["class", "title", "when", "explain"],
    "properties": {
        "class": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
        "title": {"type": "string", "minLength": 5},
        "seed": {"type": "string", "pattern": "^S[1-5]$"},
        "related_check": {"type": ["string", "null"], "pattern": "^ST[1-6][0-9]{2}$"},
        "see_also": {"type": "array", "items": {"type": "string", "pattern": "^ST[1-6][0-9]{2}$"}},
        "subject": {"enum": ["pod", "claim", "jobs"]},
        "fallback": {"type": "boolean"},
        "when": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": False,
                "properties": {
                    "container": {
                        "type": "object",
                        "additionalProperties": False,
                        "minProperties": 1,
                        "properties": {
                            "reason": _REGEX,
                            "message": _REGEX,
                            "state": {"enum": ["waiting", "terminated", "last"]},
                            "exit_code": {
                                "type": "array",
                                "minItems": 1,
                                "items": {"type": "integer"},
                            },
                        },
                    },
                    "event": {
                        "type": "object",
                        "additionalProperties": False,
                        "minProperties": 1,
                        "properties": {
                            "reason": _REGEX,
                            "message": _REGEX,
                            "type": {"enum": ["Normal", "Warning"]},
                        },
                    },
                    "condition": {
                        "type": "object",
                        "additionalProperties": False,
                        "minProperties": 1,
                        "properties": {
                            "type": _REGEX,
                            "status": _REGEX,
                            "reason": _REGEX,
                            "message": _REGEX,
                        },
                    },
                    "claim": {
                        "type": "object",
                        "additionalProperties": False,
                        "minProperties": 1,
                        "properties": {"phase": _REGEX},
                    },
                    "log": _REGEX,
                    "code": {"enum": sorted(CODE_MATCHERS)},
                    "min_count": {"type": "integer", "minimum": 2},
                },
            },
        },
        "explain": {
            "type": "object",
            "additionalProperties": False,
            "required": ["symptom", "root_cause", "fix", "best_practice"],
            "properties": {
                "symptom": _TEXT,
                "root_cause": _TEXT,
                "fix": _TEXT,
                "best_practice": _TEXT,
            },
        },
    },
}


@dataclass(frozen=True)
class Alternative:
    container: Mapping[str, Any] | None = None
    event: Mapping[str, Any] | None = None
    condition: Mapping[str, Any] | None = None
    claim: Mapping[str, Any] | None = None
    log: re.Pattern[str] | None = None
    code: str | None = None
    min_count: int = 3


@dataclass(frozen=True)
class Rule:
    cls: str
    title: str
    related_check: str | None
    see_also: tuple[str, ...]
    subject: str
    fallback: bool
    seed: str
    when: tuple[Alternative, ...]
    explain: Mapping[str, str]
    file: str


@dataclass
class Hit:
    """One way a rule matched one subject."""

    captures: dict[str, str] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    container: str | None = None
    used_container: bool = False

    def merge(self, other: Hit) -> None:
        for k, v in other.captures.items():
            self.captures.setdefault(k, v)
        for line in other.lines:
            if line not in self.lines:
                self.lines.append(line)


# -- loading -----------------------------------------------------------------------------------


def _compile(text: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as exc:
        raise ConfigError(f"{where}: bad regex {text!r}: {exc}") from None


def _compile_fields(spec: Mapping[str, Any] | None, where: str) -> Mapping[str, Any] | None:
    if spec is None:
        return None
    return {
        k: (_compile(v, f"{where}.{k}") if isinstance(v, str) and k not in ("state",) else v)
        for k, v in spec.items()
    }


@functools.cache
def _validator() -> Any:
    """The rule schema's validator, checked and built once (not once per rule file)."""
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA)


def parse_rule(data: Any, file: str) -> Rule:
    """Validate one rule document; every problem is a ConfigError naming the file."""
    try:
        _validator().validate(data)
    except jsonschema.ValidationError as exc:
        path = "/".join(str(p) for p in exc.absolute_path) or "(top)"
        raise ConfigError(f"{file}: {path}: {exc.message}") from None
    alts: list[Alternative] = []
    captures: set[str] = set()
    for i, alt in enumerate(data["when"]):
        where = f"{file}: when/{i}"
        log = _compile(alt["log"], f"{where}/log") if "log" in alt else None
        compiled = Alternative(
            container=_compile_fields(alt.get("container"), f"{where}/container"),
            event=_compile_fields(alt.get("event"), f"{where}/event"),
            condition=_compile_fields(alt.get("condition"), f"{where}/condition"),
            claim=_compile_fields(alt.get("claim"), f"{where}/claim"),
            log=log,
            code=alt.get("code"),
            min_count=alt.get("min_count", 3),
        )
        for spec in (compiled.container, compiled.event, compiled.condition, compiled.claim):
            for v in (spec or {}).values():
                if isinstance(v, re.Pattern):
                    captures.update(v.groupindex)
        if log is not None:
            captures.update(log.groupindex)
        if compiled.code == "repeated_segment":
            captures.update({"segment", "token", "times"})
        alts.append(compiled)
    subject = data.get("subject", "pod")
    for alt in alts:
        if subject == "jobs" and alt.code != "sibling_jobs":
            raise ConfigError(f"{file}: a rule about jobs needs `code: sibling_jobs`")
        if alt.code == "sibling_jobs" and subject != "jobs":
            raise ConfigError(f"{file}: `code: sibling_jobs` needs `subject: jobs`")
        if alt.claim is not None and subject != "claim":
            raise ConfigError(f"{file}: a `claim` key needs `subject: claim`")
    allowed = captures | STANDARD_FIELDS
    for key, text in data["explain"].items():
        for _, name, _, _ in string.Formatter().parse(text):
            if name is not None and name not in allowed:
                raise ConfigError(f"{file}: explain/{key}: unknown placeholder {{{name}}}")
    return Rule(
        cls=data["class"],
        title=data["title"],
        related_check=data.get("related_check"),
        see_also=tuple(data.get("see_also", ())),
        subject=subject,
        fallback=bool(data.get("fallback", False)),
        seed=data.get("seed", ""),
        when=tuple(alts),
        explain=data["explain"],
        file=file,
    )


@functools.cache
def _packaged() -> tuple[tuple[str, str], ...]:
    pkg = resources.files("seatrial.explain") / "rules"
    return tuple(
        (f"rules/{p.name}", p.read_text(encoding="utf-8"))
        for p in sorted(pkg.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".yaml")
    )


@functools.cache
def _parse_cached(name: str, text: str) -> Rule:
    try:
        data = yamlguard.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not YAML: {str(exc).splitlines()[0]}") from None
    return parse_rule(data, name)


def load_rules(extra: Iterable[str] = ()) -> list[Rule]:
    """The packaged rules, then any user rule files; classes must be unique."""
    rules: list[Rule] = []
    sources = list(_packaged())
    for path in extra:
        try:
            with open(path, encoding="utf-8") as fh:
                sources.append((path, fh.read()))
        except OSError as exc:
            raise ConfigError(f"{path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text") from None
    seen: dict[str, str] = {}
    for name, text in sources:
        rule = _parse_cached(name, text)
        if rule.cls in seen:
            raise ConfigError(f"{name}: class {rule.cls!r} is already defined in {seen[rule.cls]}")
        seen[rule.cls] = name
        rules.append(rule)
    if not rules:
        raise ConfigError("no explain rules found")
    return rules


# -- matching ----------------------------------------------------------------------------------


def _search(pattern: Any, text: str) -> dict[str, str] | None:
    if not isinstance(pattern, re.Pattern):
        return {}
    m = pattern.search(text, 0, MAX_MATCHED_CHARS)
    if m is None:
        return None
    return {k: v for k, v in m.groupdict().items() if v is not None}


def _fields(spec: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for key, pattern in spec.items():
        if key in ("state", "exit_code"):
            continue
        got = _search(pattern, values.get(key, ""))
        if got is None:
            return None
        out.update(got)
    return out


def _match_container(spec: Mapping[str, Any], c: ContainerState) -> Hit | None:
    views: list[tuple[str, str, str, int | None, str]] = []
    if c.state:
        views.append((c.state, c.reason, c.message, c.exit_code, c.state))
    if c.last_reason or c.last_exit_code is not None:
        views.append(("last", c.last_reason, c.last_message, c.last_exit_code, "last"))
    lines = c.status_lines()
    for state, reason, message, code, _ in views:
        if "state" in spec and spec["state"] != state:
            continue
        if "exit_code" in spec and code not in spec["exit_code"]:
            continue
        got = _fields(spec, {"reason": reason, "message": message})
        if got is None:
            continue
        got.setdefault("reason", reason)
        if code is not None:
            got.setdefault("exit_code", str(code))
        line = next(
            (
                ln
                for ln in lines
                if (message and message in ln.text) or (reason and reason in ln.text)
            ),
            lines[0] if lines else None,
        )
        return Hit(got, [line] if line else [], c.name, True)
    return None


@functools.lru_cache(maxsize=65536)
def _reason_matches(pattern: re.Pattern[str], reason: str) -> bool:
    """Events repeat a few reasons: each (pattern, reason) is searched once."""
    return pattern.search(reason, 0, MAX_MATCHED_CHARS) is not None


def _match_events(spec: Mapping[str, Any], events: list[Event]) -> Hit | None:
    hit: Hit | None = None
    reason = spec.get("reason")
    for e in events:
        if "type" in spec and spec["type"] != e.type:
            continue
        if isinstance(reason, re.Pattern) and not _reason_matches(reason, e.reason):
            continue
        got = _fields(spec, {"reason": e.reason, "message": e.message})
        if got is None:
            continue
        if hit is None:
            hit = Hit(got, [], e.container(), e.container() is not None)
        hit.merge(Hit(got, [e.line()]))
        if len(hit.lines) >= 3:
            break
    return hit


def _match_lines(pattern: re.Pattern[str], lines: Iterable[Line]) -> Hit | None:
    hit: Hit | None = None
    for ln in lines:
        m = pattern.search(ln.text, 0, MAX_MATCHED_CHARS)
        if m is None:
            continue
        got = {k: v for k, v in m.groupdict().items() if v is not None}
        if hit is None:
            hit = Hit(got, [])
        hit.merge(Hit(got, [ln]))
        if len(hit.lines) >= 3:
            break
    return hit


def _match_repeats(lines: Iterable[Line]) -> Hit | None:
    hit: Hit | None = None
    for ln in lines:
        for rep in repeated_segments(ln.text[:MAX_MATCHED_CHARS]):
            got = {"segment": rep.segment, "token": rep.token, "times": str(rep.times)}
            if hit is None:
                hit = Hit(got, [])
            hit.merge(Hit(got, [ln]))
    return hit


def _combine(parts: list[Hit | None]) -> Hit | None:
    if any(p is None for p in parts):
        return None
    out = Hit()
    for p in parts:
        assert p is not None
        out.merge(p)
        out.used_container = out.used_container or p.used_container
        out.container = out.container or p.container
    return out


def match_container(
    alt: Alternative, pod: Pod, c: ContainerState, events: list[Event]
) -> Hit | None:
    """One alternative against one container of a pod (its state, logs and events)."""
    parts: list[Hit | None] = []
    if alt.container is not None:
        parts.append(_match_container(alt.container, c))
    if alt.event is not None:
        parts.append(_match_events(alt.event, events))
    if alt.condition is not None:
        parts.append(match_conditions(alt.condition, pod))
    if alt.log is not None:
        hit = _match_lines(alt.log, c.logs)
        if hit is not None:
            hit.used_container = True
        parts.append(hit)
    if alt.code == "repeated_segment":
        hit = _match_repeats([*c.logs, *c.status_lines()])
        if hit is not None:
            hit.used_container = True
        parts.append(hit)
    if alt.claim is not None or alt.code == "sibling_jobs":
        return None
    hit = _combine(parts)
    if hit is not None and hit.used_container:
        hit.container = c.name
    return hit


def match_conditions(spec: Mapping[str, Any], pod: Pod) -> Hit | None:
    for cond in pod.conditions:
        got = _fields(
            spec,
            {
                "type": cond.type,
                "status": cond.status,
                "reason": cond.reason,
                "message": cond.message,
            },
        )
        if got is not None:
            text = f"condition {cond.type}={cond.status} {cond.reason}: {cond.message}"
            return Hit(got, [Line(text.strip(), pod.origin)])
    return None


def match_pod(alt: Alternative, pod: Pod, events: list[Event]) -> Hit | None:
    """One alternative against the pod as a whole (events and conditions only)."""
    if alt.container is not None or alt.log is not None or alt.code or alt.claim is not None:
        return None
    parts: list[Hit | None] = []
    if alt.event is not None:
        parts.append(_match_events(alt.event, events))
    if alt.condition is not None:
        parts.append(match_conditions(alt.condition, pod))
    return _combine(parts)


def match_claim(alt: Alternative, phase: str, events: list[Event], origin: Line) -> Hit | None:
    parts: list[Hit | None] = []
    if alt.claim is not None:
        got = _fields(alt.claim, {"phase": phase})
        parts.append(Hit(got, [origin]) if got is not None else None)
    if alt.event is not None:
        parts.append(_match_events(alt.event, events))
    if alt.container is not None or alt.log is not None or alt.code or alt.condition:
        return None
    return _combine(parts) if parts else None


def match_text(alt: Alternative, lines: list[Line]) -> Hit | None:
    """Loose input lines (a pasted log or error): `log` regexes, `repeated_segment`, and
    `container`/`event` keys that constrain only the message."""
    parts: list[Hit | None] = []
    for spec in (alt.container, alt.event):
        if spec is None:
            continue
        if set(spec) != {"message"}:
            return None
        parts.append(_match_lines(spec["message"], lines))
    if alt.condition is not None or alt.claim is not None or alt.code == "sibling_jobs":
        return None
    if alt.log is not None:
        parts.append(_match_lines(alt.log, lines))
    if alt.code == "repeated_segment":
        parts.append(_match_repeats(lines))
    return _combine(parts) if parts else None
