"""Pairs of cells that differ only in one mode key, for the checks that compare modes (ST102).

A toggle cell (`manager.kind=DaemonSet`) differs from the defaults cell only in its key. A
chart-testing `ci/*-values.yaml` usually changes a workload kind *and* other values
(`kind: DaemonSet` plus `metrics.enabled: true`); comparing it with the defaults would blame the
mode for what the other values do. So each ci file that switches a workload kind gets a
companion cell: the same file with that key removed (the kind reset to the chart's default),
and the pair (ci cell, companion) differs only in the kind key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from seatrial.render.modes import get_path

WORKLOAD_KINDS = frozenset({"deployment", "daemonset", "statefulset"})
#: a boolean key that switches the workload kind: `statefulSet.enabled`, `useDaemonSet`, ...
_KIND_SWITCH = re.compile(r"(?i)(?:^|\.)(?:use)?(?:statefulset|daemonset)(?:\.enabled)?$")


def leaves(values: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of a values mapping as (dotted key, value); an empty mapping is a leaf."""
    for k, v in values.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and v:
            yield from leaves(v, key + ".")
        else:
            yield key, v


def kind_switches(ci_values: Mapping[str, Any], defaults: Mapping[str, Any]) -> list[str]:
    """Keys a ci values file sets, away from the default, that switch a workload kind: a
    string naming a workload kind, or a boolean whose key names one."""
    out = []
    for key, value in leaves(ci_values):
        if value == get_path(defaults, key):
            continue
        names_kind = isinstance(value, str) and value.lower() in WORKLOAD_KINDS
        if names_kind or (isinstance(value, bool) and _KIND_SWITCH.search(key)):
            out.append(key)
    return out


def without(values: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A copy of `values` without the dotted `key` (so the chart's default applies)."""
    head, _, rest = key.partition(".")
    out = dict(values)
    if not rest:
        out.pop(head, None)
    elif isinstance(out.get(head), Mapping):
        out[head] = without(out[head], rest)
    return out
