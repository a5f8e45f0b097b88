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

Looked up in order: `--config PATH`, the chart directory, the working directory.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from seatrial import yamlguard
from seatrial.errors import ConfigError, read_user_text
from seatrial.findings import Severity

NAMES = (".seatrial.yaml", ".seatrial.yml")


@dataclass(frozen=True)
class Ignore:
    check: str
    object: str = "*"
    container: str = "*"
    reason: str = ""

    def matches(self, check_id: str, object_label: str, container: str | None) -> bool:
        return (fnmatch.fnmatchcase(check_id, self.check.upper())
                and fnmatch.fnmatchcase(object_label, self.object)
                and (self.container == "*" or fnmatch.fnmatchcase(container or "",
                                                                  self.container)))


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    disable: frozenset[str] = frozenset()
    enable: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    ignores: tuple[Ignore, ...] = ()
    fail_on: Severity | None = None

    def enabled(self, check_id: str) -> bool:
        if self.enable and check_id not in self.enable:
            return False
        return check_id not in self.disable


def _ids(value: Any, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of check ids")
    return frozenset(v.upper() for v in value)


def parse_config(text: str, path: Path) -> Config:
    try:
        data = yamlguard.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{line}: invalid YAML") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping")
    unknown = set(data) - {"fail-on", "checks", "severity", "ignore"}
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    checks = data.get("checks") or {}
    if not isinstance(checks, dict):
        raise ConfigError(f"{path}: `checks` must be a mapping with enable/disable")
    try:
        severity = {str(k).upper(): Severity.parse(str(v))
                    for k, v in (data.get("severity") or {}).items()}
        fail_on = Severity.parse(str(data["fail-on"])) if data.get("fail-on") else None
    except (ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    ignores = []
    for i, item in enumerate(data.get("ignore") or []):
        if not isinstance(item, dict) or not item.get("check"):
            raise ConfigError(f"{path}: ignore[{i}] needs at least `check`")
        ignores.append(Ignore(str(item["check"]), str(item.get("object", "*")),
                              str(item.get("container", "*")), str(item.get("reason", ""))))
    return Config(path, _ids(checks.get("disable"), f"{path}: checks.disable"),
                  _ids(checks.get("enable"), f"{path}: checks.enable"), severity,
                  tuple(ignores), fail_on)


def load_config(explicit: str | None, chart_dir: Path | None) -> Config:
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(f"{explicit}: no such config file")
        return parse_config(_read(p), p)
    for d in ([chart_dir] if chart_dir and chart_dir.is_dir() else []) + [Path.cwd()]:
        for name in NAMES:
            p = d / name
            if p.is_file():
                return parse_config(_read(p), p)
    return Config()


def _read(path: Path) -> str:
    return read_user_text(path, ConfigError)
