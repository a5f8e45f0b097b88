"""What regexes cannot express: repeated segments in a path or value, and sibling objects
piling up under one name prefix. Rules name these with `code: <name>`."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# A unit is a separator followed by a word; a repeat is k consecutive units seen again.
_UNIT = re.compile(r"[-_./]?[^-_./\s\"'`:;,=()\[\]{}<>]+")
_TOKEN = re.compile(r"[^\s\"'`:;,()\[\]{}<>]+")
# Kubernetes' generated-name alphabet (no vowels, no 0/1/3) and length.
_GENERATED = re.compile(r"^(?P<prefix>.+)-[bcdfghjklmnpqrstvwxz2456789]{5}$")


@dataclass(frozen=True)
class Repeat:
    token: str
    segment: str
    times: int


def repeated_segments(text: str) -> list[Repeat]:
    """Segments repeated back to back inside one token: `-cicd-cicd`,
    `-installation-prefix-installation-prefix`. A unit must contain a letter, so dates and
    version numbers (`-01-01`, `1.1.1`) and `../..` do not count."""
    found: list[Repeat] = []
    for token in _TOKEN.findall(text):
        units = _UNIT.findall(token)
        start = 0
        while start < len(units) - 1:
            run = _run_at(units, start)
            if run is None:
                start += 1
                continue
            k, times = run
            found.append(Repeat(token, "".join(units[start : start + k]), times))
            start += k * times
    return found


def _run_at(units: list[str], start: int) -> tuple[int, int] | None:
    """The shortest unit sequence starting at `start` that repeats back to back."""
    for k in (1, 2, 3):
        unit = units[start : start + k]
        joined = "".join(unit)
        if len(unit) < k or joined[:1] not in ("-", "_", ".", "/") or len(joined) < 3:
            continue
        if not any(c.isalpha() for c in joined):
            continue
        times = 1
        while units[start + times * k : start + (times + 1) * k] == unit:
            times += 1
        if times >= 2:
            return k, times
    return None


@dataclass(frozen=True)
class SiblingGroup:
    kind: str
    namespace: str
    prefix: str
    names: tuple[str, ...]


def sibling_groups(objects: Iterable[tuple[str, str, str]], min_count: int) -> list[SiblingGroup]:
    """Group (kind, namespace, name) by the prefix before a generated 5-character suffix and
    keep groups of at least `min_count` members."""
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for kind, ns, name in objects:
        m = _GENERATED.match(name)
        if m:
            groups[(kind, ns, m.group("prefix"))].append(name)
    return [
        SiblingGroup(kind, ns, prefix, tuple(sorted(names)))
        for (kind, ns, prefix), names in sorted(groups.items())
        if len(names) >= min_count
    ]


def job_names(
    jobs: Iterable[Mapping[str, Any]], pod_owners: Iterable[tuple[str, str, str]]
) -> set[tuple[str, str, str]]:
    """Every Job seen: Job objects, and the Jobs pods name as owners (a cluster-info dump has
    pods but no Jobs)."""
    out: set[tuple[str, str, str]] = set()
    for job in jobs:
        md = job.get("metadata")
        if isinstance(md, Mapping) and isinstance(md.get("name"), str):
            out.add(("Job", str(md.get("namespace") or ""), md["name"]))
    out.update(o for o in pod_owners if o[0] == "Job")
    return out
