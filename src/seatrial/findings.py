"""Findings: the only contract reporters see.

A `Finding` is one problem, on one object (and optionally one container), at one source
location, listing every matrix `Cell` where it occurs. Reporters never see rendered YAML,
images or scripts: only these immutable records and a `Summary`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    """Ordered so that `max()` gives the worst."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


@dataclass(frozen=True, order=True)
class Cell:
    """One point of the matrix: a Kubernetes version and the value overrides of a mode.

    `values` holds the overrides as sorted (dotted key, value) pairs so cells are hashable
    and print the same way everywhere. `name` is a short human label ("defaults",
    "manager.kind=DaemonSet", "ci/daemonset-values.yaml").
    """

    kube_version: str
    values: tuple[tuple[str, Any], ...] = ()
    name: str = "defaults"

    def values_dict(self) -> dict[str, Any]:
        return dict(self.values)

    def label(self) -> str:
        return f"{self.name} @ {self.kube_version}"

    def toggled(self) -> str | None:
        """The one value key a mode cell changes from the defaults; None for the defaults, a
        values file (`ci/x-values.yaml`) or a cell of several values."""
        if len(self.values) != 1 or self.values[0][0] == "values_file":
            return None
        return str(self.values[0][0])

    def values_file(self) -> str | None:
        """The values file a cell was made from alone (`ci/x-values.yaml`); None otherwise."""
        if len(self.values) != 1 or self.values[0][0] != "values_file":
            return None
        return str(self.values[0][1])

    def to_json(self) -> dict[str, Any]:
        return {"kube_version": self.kube_version, "values": self.values_dict(), "name": self.name}


@dataclass(frozen=True, order=True)
class ObjectRef:
    """A Kubernetes object as users name it."""

    kind: str
    name: str
    namespace: str = ""
    api_version: str = ""

    def label(self) -> str:
        return f"{self.kind}/{self.name}" + (f" (ns {self.namespace})" if self.namespace else "")

    def to_json(self) -> dict[str, str]:
        return {
            "apiVersion": self.api_version,
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
        }


@dataclass(frozen=True, order=True)
class Location:
    """A place in the user's files. `line` is None when it could not be found (never guessed);
    `note` then says why."""

    file: str
    line: int | None = None
    note: str = ""

    def label(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "line": self.line}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Suppression:
    """Why a finding is not counted: the mechanism and the user's reason."""

    by: str  # "config", "annotation" or "template-comment"
    reason: str = ""


@dataclass(frozen=True)
class Finding:
    check: str
    slug: str
    severity: Severity
    message: str
    object: ObjectRef | None = None
    container: str | None = None
    source: Location | None = None
    cells: tuple[Cell, ...] = ()
    fix: str = ""
    related: tuple[Location, ...] = ()
    suppressed: Suppression | None = None
    #: the target it was found in, when a run checks several (paths then start with its folder)
    chart: str = ""

    def sort_key(self) -> tuple[Any, ...]:
        obj = self.object or ObjectRef("", "")
        src = self.source or Location("")
        return (
            self.chart,
            obj.kind,
            obj.name,
            -int(self.severity),
            self.check,
            src.file,
            src.line or 0,
            self.message,
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "check": self.check,
            "slug": self.slug,
            "severity": self.severity.label,
            "message": self.message,
            "object": self.object.to_json() if self.object else None,
            "container": self.container,
            "source": self.source.to_json() if self.source else None,
            "cells": [c.to_json() for c in self.cells],
            "fix": self.fix,
        }
        if self.related:
            out["related"] = [r.to_json() for r in self.related]
        if self.suppressed:
            out["suppressed"] = {"by": self.suppressed.by, "reason": self.suppressed.reason}
        if self.chart:
            out["chart"] = self.chart
        return out


@dataclass
class Summary:
    """Owns the counters and the exit code (as black's Report does)."""

    findings: list[Finding] = field(default_factory=list)
    cells_total: int = 0
    cells_distinct: int = 0
    objects: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    #: for reporters that show more than findings (HTML): "cells" (every cell, as JSON) and
    #: "sources" (template file -> text, for excerpts). Never serialized as such.
    attachments: dict[str, Any] = field(default_factory=dict)

    def listed_cells(self) -> list[Mapping[str, Any]]:
        """Every cell of the run as cell JSON (empty when the command had no matrix)."""
        listed = self.attachments.get("cells") or self.extra.get("cells") or []
        return [c for c in listed if isinstance(c, Mapping)]

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    def counts(self) -> Mapping[str, int]:
        out = {s.label: 0 for s in sorted(Severity, reverse=True)}
        for f in self.active:
            out[f.severity.label] += 1
        out["suppressed"] = len(self.findings) - len(self.active)
        return out

    def exit_code(self, fail_on: Severity) -> int:
        return 1 if any(f.severity >= fail_on for f in self.active) else 0

    def to_json(self) -> dict[str, Any]:
        return {
            **self.counts(),
            "cells": self.cells_total,
            "distinct_renders": self.cells_distinct,
            "objects": self.objects,
            **self.extra,
        }


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
