"""`.seatrial.yaml`: enable/disable checks, severity overrides, ignores with reasons.

    fail-on: error            # error | warning | info
    checks:
      disable: [ST205]
      enable: []              # when non-empty, only these run
    severity:
      ST402: error
    ignore:
      - check: ST203
        object: "DaemonSet/legacy-*"   # kind/name glob; namespace not matched
        container: "*"
        reason: "legacy image, tracked in #123"

Looked up in order: `--config PATH`; the chart directory's own (see below) over the nearest
one in a folder above the chart, up to the folder holding `.git` (the repository root, as
ruff looks up its config); else the working directory's, or the nearest above it up to its
repository root. Above a chart that is in no git repository, no folder is searched.

The file is validated against `config.schema.json` (shipped in the package, copied in
docs/): an unknown key, an unknown check id or a wrong type is an error naming the file, the
line and the nearest valid name.

A `.seatrial.yaml` inside the checked chart comes with the chart, so it must not be able to
silence the checks run on that chart. Unless `--trust-chart-config` is given, only its parts
that make the check stricter apply (a severity raised above the check's default, a lower
`fail-on`); its `disable`, `enable`, `ignore` and lowered severities are dropped, and one note
line on stderr says so. Config from `--config` or the working directory applies in full.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    import jsonschema

from seatrial import yamlguard
from seatrial.errors import ConfigError, read_user_text
from seatrial.findings import Severity

NAMES = (".seatrial.yaml", ".seatrial.yml")
SCHEMA_PATH = Path(__file__).with_name("config.schema.json")


@dataclass(frozen=True)
class Ignore:
    check: str
    object: str = "*"
    container: str = "*"
    reason: str = ""

    def matches(self, check_id: str, object_label: str, container: str | None) -> bool:
        return (
            fnmatch.fnmatchcase(check_id, self.check.upper())
            and fnmatch.fnmatchcase(object_label, self.object)
            and (self.container == "*" or fnmatch.fnmatchcase(container or "", self.container))
        )


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    disable: frozenset[str] = frozenset()
    enable: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    ignores: tuple[Ignore, ...] = ()
    fail_on: Severity | None = None
    #: one line for stderr when part of a file was not applied (an untrusted chart config)
    note: str = ""

    def enabled(self, check_id: str) -> bool:
        if self.enable and check_id not in self.enable:
            return False
        return check_id not in self.disable

    def in_effect(self, defaults: Mapping[str, Severity]) -> dict[str, Any]:
        """The suppressions and overrides this config applies, for the summary (empty: none)."""
        out: dict[str, Any] = {}
        if self.disable:
            out["disabled"] = sorted(self.disable)
        if self.enable:
            out["only"] = sorted(self.enable)
        lowered = {
            k: v.label
            for k, v in sorted(self.severity.items())
            if k in defaults and v < defaults[k]
        }
        if lowered:
            out["lowered"] = lowered
        if self.ignores:
            out["ignore_rules"] = len(self.ignores)
        if out:
            out = {"file": str(self.path) if self.path is not None else "", **out}
        return out


# --- validation ----------------------------------------------------------------------------


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of `.seatrial.yaml` (also published as docs/config.schema.json)."""
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


def _node_at(root: yaml.Node | None, path: list[Any], key: bool = False) -> yaml.Node | None:
    """The composed node at `path` (the key node of the last step when `key`)."""
    node = root
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == str(step)), None)
            if pair is None:
                return node
            node = pair[0] if key and last else pair[1]
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
        else:
            return node
    return node


def _where(path: list[Any]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "the top level"


def _suggest(name: str, choices: list[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=cutoff)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


def _schema_error(
    err: jsonschema.ValidationError, root: yaml.Node | None, path: Path, known: list[str]
) -> ConfigError:
    where = list(err.absolute_path)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = list(err.schema.get("properties", {}))
        unknown = sorted(str(k) for k in err.instance if k not in allowed)[0]
        node = _node_at(root, [*where, unknown], key=True)
        under = f"under {_where(where)}" if where else "at the top level"
        return _at(path, node, f"unknown key {unknown!r} {under}{_suggest(unknown, allowed)}")
    node = _node_at(root, where)
    if "propertyNames" in err.schema_path:  # a bad key: point at it, not at its mapping
        node = _node_at(root, [*where, err.instance], key=True)
        where = [*where, err.instance]
    if err.validator == "enum":
        levels = ["error", "warning", "info"]
        return _at(
            path,
            node,
            f"{_where(where)}: {err.instance!r} is not one of error, "
            f"warning, info{_suggest(str(err.instance).lower(), levels)}",
        )
    if err.validator == "type":
        wanted = (
            err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        )
        names = {"object": "a mapping", "array": "a list", "string": "a string"}
        expected = " or ".join(names[t] for t in wanted if t in names)
        return _at(
            path, node, f"{_where(where)}: expected {expected}, got {_type_name(err.instance)}"
        )
    if err.validator == "required":
        return _at(path, node, f"{_where(where)}: {err.message}")
    if err.validator == "pattern":
        return _at(
            path,
            node,
            f"{_where(where)}: no check {err.instance!r}"
            f"{_suggest(str(err.instance).upper(), known, 0.8)}"
            " (see `seatrial checks`)",
        )
    return _at(path, node, f"{_where(where)}: {err.message}")


def _at(path: Path, node: yaml.Node | None, message: str) -> ConfigError:
    line = f":{node.start_mark.line + 1}" if node is not None else ""
    return ConfigError(f"{path}{line}: {message}")


def _check_ids(data: dict[str, Any], root: yaml.Node | None, path: Path, known: list[str]) -> None:
    """Every id names a check (an ignore may use a glob that matches at least one)."""
    places: list[tuple[list[Any], str, bool]] = []
    checks = data.get("checks") or {}
    for key in ("disable", "enable"):
        places += [(["checks", key, i], v, False) for i, v in enumerate(checks.get(key) or [])]
    places += [(["severity", k], k, True) for k in (data.get("severity") or {})]
    places += [
        (["ignore", i, "check"], item["check"], False)
        for i, item in enumerate(data.get("ignore") or [])
    ]
    for where, value, is_key in places:
        pattern = value.upper()
        if any(fnmatch.fnmatchcase(k, pattern) for k in known):
            continue
        node = _node_at(root, where, key=is_key)
        raise _at(
            path,
            node,
            f"{_where(where)}: no check {value!r}"
            f"{_suggest(pattern, known, 0.8)} (see `seatrial checks`)",
        )


def parse_config(text: str, path: Path, known: Mapping[str, Severity] | None = None) -> Config:
    """Validate and read a config file. `known` maps every check id to its default severity
    (ids are checked against it when given)."""
    try:
        root = yaml.compose(text, Loader=yamlguard.GuardedLoader)
        data = yamlguard.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None)
        raise ConfigError(
            f"{path}{line}: invalid YAML{f': {problem}' if problem else ''}"
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _at(path, root, f"expected a mapping, got {_type_name(data)}")
    import jsonschema  # only for a config file: ~40 ms to import

    errors = sorted(
        jsonschema.Draft202012Validator(schema()).iter_errors(data),
        key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path]),
    )
    if errors:
        raise _schema_error(errors[0], root, path, sorted(known or ()))
    if known is not None:
        _check_ids(data, root, path, sorted(known))
    checks = data.get("checks") or {}
    return Config(
        path,
        frozenset(v.upper() for v in checks.get("disable") or []),
        frozenset(v.upper() for v in checks.get("enable") or []),
        {str(k).upper(): Severity.parse(v) for k, v in (data.get("severity") or {}).items()},
        tuple(
            Ignore(
                item["check"],
                item.get("object", "*"),
                item.get("container", "*"),
                item.get("reason", ""),
            )
            for item in data.get("ignore") or []
        ),
        Severity.parse(data["fail-on"]) if data.get("fail-on") else None,
    )


def check_flag_ids(flag: str, value: str | None, known: Mapping[str, str]) -> frozenset[str]:
    """The ids of a `--only`/`--disable` flag (ids or slugs, comma separated), as ids;
    ConfigError naming the nearest valid one for an unknown name. `known`: lower-case id or
    slug -> id."""
    out = set()
    for name in (x.strip() for x in (value or "").split(",")):
        if not name:
            continue
        if name.lower() not in known:
            ids = sorted(set(known.values()))
            raise ConfigError(
                f"{flag}: no check {name!r}{_suggest(name.upper(), ids, 0.8)}"
                " (see `seatrial checks`)"
            )
        out.add(known[name.lower()])
    return frozenset(out)


# --- lookup and trust ----------------------------------------------------------------------


def stricter_only(config: Config, defaults: Mapping[str, Severity], base: Config) -> Config:
    """`base` with only the parts of `config` that make the checks stricter."""
    raised = {k: v for k, v in config.severity.items() if k in defaults and v > defaults[k]}
    fail_on = base.fail_on
    if config.fail_on is not None and config.fail_on < (base.fail_on or Severity.ERROR):
        fail_on = config.fail_on
    dropped = [
        what
        for what, present in (
            ("disable", config.disable),
            ("enable", config.enable),
            ("ignore", config.ignores),
            ("lowered severities", len(raised) != len(config.severity)),
        )
        if present
    ]
    note = ""
    if dropped:
        note = (
            f"{config.path} is inside the checked chart, so its {', '.join(dropped)} "
            f"{'is' if len(dropped) == 1 else 'are'} not applied "
            "(--trust-chart-config applies them)"
        )
    return replace(base, severity={**base.severity, **raised}, fail_on=fail_on, note=note)


def _found_in(directory: Path) -> Path | None:
    for name in NAMES:
        p = directory / name
        if p.is_file():
            return p
    return None


def _inside(path: Path, directory: Path) -> bool:
    return path.resolve().is_relative_to(directory.resolve())


def discover(start: Path) -> Path | None:
    """The nearest config in `start` or a folder above it, looking no higher than the folder
    that holds `.git` (the repository root, as ruff does); None when no repository root is
    above `start` (a config in some unrelated parent folder never applies)."""
    found = None
    for directory in (start, *start.parents):
        found = found or _found_in(directory)
        if (directory / ".git").exists():
            return found
    return None


def load_config(
    explicit: str | None,
    chart_dir: Path | None,
    *,
    trust_chart: bool = False,
    known: Mapping[str, Severity] | None = None,
) -> Config:
    """The config in effect: `--config`, else the chart's own (all of it only when trusted)
    over the nearest one above the chart up to its repository root, else the working
    directory's (or the nearest above it, up to its repository root). `known` as for
    `parse_config`."""
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(f"{explicit}: no such config file")
        return parse_config(_read(p), p, known)
    chart_dir = chart_dir.resolve() if chart_dir and chart_dir.is_dir() else None
    in_chart = _found_in(chart_dir) if chart_dir else None
    if in_chart is not None and trust_chart:
        return parse_config(_read(in_chart), in_chart, known)
    here = None
    if chart_dir is not None and not (chart_dir / ".git").exists():
        here = discover(chart_dir.parent)
    if here is None:
        cwd = Path.cwd().resolve()
        here = _found_in(cwd) or discover(cwd)
        if here is not None and chart_dir is not None and _inside(here, chart_dir):
            here = None  # the working directory is (inside) the chart: that file is the chart's
    base = parse_config(_read(here), here, known) if here is not None else Config()
    if in_chart is None:
        return base
    chart_config = parse_config(_read(in_chart), in_chart, known)
    return stricter_only(chart_config, known or {}, base)


def _read(path: Path) -> str:
    return read_user_text(path, ConfigError)
