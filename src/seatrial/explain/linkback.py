"""Link a runtime diagnosis back to the chart: run its related static check on the chart
(`--chart`, or the chart decoded from the Helm release Secret in the input, with the
release's values and the cluster's Kubernetes version) and take the finding about the
failing object: its template or script line becomes the diagnosis' `source`."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from seatrial.errors import SeatrialError
from seatrial.explain.diagnose import Diagnosis
from seatrial.explain.evidence import Evidence
from seatrial.explain.release import HelmRelease, releases_in, write_chart
from seatrial.findings import Finding, Location, ObjectRef, Summary

# Checks produced by other commands than `seatrial check`: say where to run them instead.
COMMAND_CHECKS = {
    "ST501": "seatrial converge",
    "ST502": "seatrial converge",
    "ST503": "seatrial converge",
    "ST504": "seatrial converge",
    "ST601": "seatrial assets",
    "ST602": "seatrial assets",
    "ST603": "seatrial assets",
}

#: runs the chart checks (`seatrial.commands.check.check_chart`, given by the command: this
#: package sits below the checks)
CheckChart = Callable[..., Summary]


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[-.]", name) if t]


def _name_score(live: str, rendered: str) -> int:
    """How well a rendered object name matches a live one: exact beats a shared tail of
    name tokens (a different release name prefix), which beats nothing."""
    if live == rendered:
        return 1000
    a, b = _tokens(live.removesuffix("-*")), _tokens(rendered)
    shared = 0
    while shared < min(len(a), len(b)) and a[-1 - shared] == b[-1 - shared]:
        shared += 1
    return shared


def pick_finding(d: Diagnosis, findings: list[Finding]) -> Finding | None:
    """The finding of the related check (else a see-also check) about the failing object."""
    checks = [c for c in (d.related_check, *d.see_also) if c]
    targets = [r for r in (d.owner, d.object) if r is not None]
    best: tuple[int, int, int, int, int] | None = None
    chosen: Finding | None = None
    for f in findings:
        if f.suppressed is not None or f.check not in checks or f.object is None:
            continue
        kind_match = [t for t in targets if t.kind == f.object.kind]
        if targets and not kind_match:
            continue
        score = max((_name_score(t.name, f.object.name) for t in kind_match), default=0)
        same_kind = [
            g
            for g in findings
            if g.check == f.check and g.object is not None and g.object.kind == f.object.kind
        ]
        if score == 0 and len(same_kind) != 1:
            continue
        container = 1 if d.container and f.container == d.container else 0
        key = (
            -checks.index(f.check),
            score,
            container,
            int(f.severity),
            1 if f.source and f.source.line else 0,
        )
        if best is None or key > best:
            best, chosen = key, f
    return chosen


class _Charts:
    """The chart each diagnosis links to, written once per release, checked once."""

    def __init__(
        self,
        ev: Evidence,
        chart: str | None,
        tmp: Path,
        offline: bool,
        mirrors: dict[str, str] | None,
        check_chart: CheckChart,
    ) -> None:
        self.ev = ev
        self.chart = chart
        self.tmp = tmp
        self.offline = offline
        self.mirrors = mirrors
        self.check_chart = check_chart
        self.releases = releases_in(ev)
        self.written: dict[tuple[str, str], Path] = {}
        self.summaries: dict[tuple[str, str, tuple[str, ...]], Summary | str] = {}

    def release_for(self, d: Diagnosis) -> HelmRelease | None:
        ns = (d.object or d.owner or ObjectRef("", "")).namespace
        matches = [
            r
            for (rns, name), r in self.releases.items()
            if name == d.release and (not ns or rns in ("", ns))
        ]
        if matches:
            return matches[0]
        if len(self.releases) == 1 and not d.release:
            return next(iter(self.releases.values()))
        return None

    def target(self, d: Diagnosis) -> tuple[str, dict[str, Any] | None, str] | None:
        """(chart path, values, label) for a diagnosis, or None when no chart is known."""
        if self.chart:
            return self.chart, None, f"chart {self.chart}"
        rel = self.release_for(d)
        if rel is None:
            return None
        key = (rel.namespace, rel.name)
        if key not in self.written:
            self.written[key] = write_chart(rel, self.tmp / f"{rel.name}-r{rel.revision}")
        return str(self.written[key]), rel.config, f"chart decoded from {rel.label()}"

    def summary(
        self, path: str, values: dict[str, Any] | None, checks: tuple[str, ...]
    ) -> Summary | str:
        key = (path, json.dumps(values, sort_keys=True, default=str), checks)
        if key not in self.summaries:
            try:
                self.summaries[key] = self.check_chart(
                    path,
                    values=values,
                    kube_versions=self.ev.kube_versions or None,
                    only=list(checks),
                    offline=self.offline,
                    registry_mirrors=self.mirrors,
                )
            except SeatrialError as exc:
                self.summaries[key] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            except Exception as exc:  # a bug in a check must not hide the diagnosis itself
                self.summaries[key] = f"the checks crashed ({type(exc).__name__}: {exc})"
        return self.summaries[key]


def _relative(loc: Location, root: str) -> Location:
    prefix = root.rstrip("/") + "/"
    if loc.file.startswith(prefix):
        return Location(loc.file[len(prefix) :], loc.line, loc.note)
    return loc


def _command_note(d: Diagnosis, chart: str | None) -> str:
    check = str(d.related_check)
    command = COMMAND_CHECKS[check]
    note = f"{check} is reported by `{command}`, not by a chart check"
    if command == "seatrial converge" and d.owner is not None and d.owner.kind != "Pod":
        return (
            f"{note}: run `seatrial converge {chart or 'CHART'} --workload "
            f"{d.owner.kind}/{d.owner.name} --state DIR`"
        )
    if command == "seatrial assets":
        return f"{note}: run `seatrial assets` on the archives installed together"
    return note


def link_back(
    diagnoses: list[Diagnosis],
    ev: Evidence,
    *,
    chart: str | None,
    check_chart: CheckChart | None,
    offline: bool = True,
    mirrors: dict[str, str] | None = None,
) -> None:
    """Point each diagnosis at its chart line, with the finding `check_chart` gives (None:
    the static checks are not available)."""
    _link_definitions([d for d in diagnoses if not d.related_check], ev, chart)
    todo = [d for d in diagnoses if d.related_check]
    if not todo:
        return
    with tempfile.TemporaryDirectory(prefix="seatrial-release-") as tmp:
        charts = (
            _Charts(ev, chart, Path(tmp), offline, mirrors, check_chart) if check_chart else None
        )
        for d in todo:
            checks = tuple(
                c for c in (d.related_check, *d.see_also) if c and c not in COMMAND_CHECKS
            )
            if not checks:
                d.link_note = _command_note(d, chart)
                continue
            if charts is None:
                d.link_note = "the static checks are not available in this installation"
                continue
            target = charts.target(d)
            if target is None:
                d.link_note = (
                    "no chart known: pass --chart PATH, or include the Helm release "
                    "Secret (sh.helm.release.v1.NAME.vN) in the input"
                )
                continue
            path, values, label = target
            all_checks = tuple(
                sorted(
                    {
                        c
                        for x in todo
                        for c in (x.related_check, *x.see_also)
                        if c and c not in COMMAND_CHECKS
                    }
                )
            )
            found: Finding | None = None
            # The release's own values first (its mode), then the chart's full matrix.
            for vals in [values, None] if values else [None]:
                summary = charts.summary(path, vals, all_checks)
                if isinstance(summary, str):
                    d.link_note = f"{label}: the checks could not run: {summary}"
                    break
                found = pick_finding(d, summary.findings)
                if found is not None:
                    break
            if d.link_note:
                continue
            if found is None:
                d.link_note = (
                    f"{label}: {', '.join(checks)} report nothing about "
                    f"{(d.owner or d.object or ObjectRef('', 'the input')).label()}"
                )
                continue
            d.source = _relative(found.source, path) if found.source else None
            d.related_sources = [_relative(r, path) for r in found.related]
            d.link_note = f"{label}: {found.check} {found.slug}: {found.message}" + (
                f"; fix: {found.fix}" if found.fix else ""
            )


_POD_CONTROLLERS = ("DaemonSet", "Deployment", "StatefulSet", "ReplicaSet", "Job", "CronJob")


def _link_definitions(diagnoses: list[Diagnosis], ev: Evidence, chart: str | None) -> None:
    """A diagnosis no rule links to a check still points at where its controller is defined
    in the chart (given with --chart): the container's template line."""
    from seatrial.explain.defined import defined_at

    for d in diagnoses:
        owner = d.owner
        if not chart or owner is None or owner.kind not in _POD_CONTROLLERS or d.source:
            continue
        loc = defined_at(chart, None, owner, d.container)
        if loc is None:
            continue
        d.source = loc
        what = f", container {d.container}" if d.container else ""
        d.link_note = (
            f"chart {chart}: {owner.kind}/{owner.name} is defined at {loc.file}:{loc.line}{what}"
        )
