"""`seatrial check`: render the matrix, run the chart checks, hand the findings to the one
pipeline (`commands.pipeline`). `seatrial.api` re-exports its public functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from seatrial.checks.engine import EngineOptions, run_checks
from seatrial.commands.pipeline import Policy, apply, conclude, load_policy
from seatrial.errors import RenderError, SeatrialError
from seatrial.findings import Location, Summary
from seatrial.render.kube import parse_kube_versions
from seatrial.render.matrix import (
    MatrixOptions,
    RenderedMatrix,
    every_cell_failed,
    render_matrix,
)
from seatrial.source.load import load_source
from seatrial.source.pull import PullOptions, pull, remote_kind


@dataclass(frozen=True)
class CheckRequest:
    target: str
    matrix: MatrixOptions = field(default_factory=MatrixOptions)
    engine: EngineOptions = field(default_factory=EngineOptions)
    #: the config and the selection, from `commands.pipeline.load_policy`
    policy: Policy = field(default_factory=Policy)
    #: reuse and keep results in the persistent cache (seatrial.runcache)
    cache: bool = False
    #: how a remote target (oci://, REPO/NAME, a chart URL) is pulled; see source/pull.py
    pull: PullOptions = field(default_factory=PullOptions)


def render(target: str, opts: MatrixOptions) -> RenderedMatrix:
    """Load and render every cell; exit-2 errors when nothing could be rendered."""
    source = load_source(target, offline=opts.offline)
    matrix = render_matrix(source, opts)
    if not matrix.renders:
        raise RenderError(f"{target}: {every_cell_failed(matrix)}")
    if not any(r.objects for r in matrix.renders):
        missing = ", ".join(
            f"{m.name} {m.version}".strip() + f" ({m.reason})" for m in matrix.missing
        )
        why = (
            f" (its dependencies {missing} are missing from charts/: run `helm dependency "
            "build` or vendor them)"
            if missing
            else ""
        )
        raise RenderError(f"{target}: rendered zero Kubernetes objects in every cell{why}")
    return matrix


def chart_dir(target: str) -> Path | None:
    """The directory whose `.seatrial.yaml` is the chart's own (see `seatrial.config`)."""
    return Path(target) if Path(target).is_dir() else None


def local_target(target: str, opts: PullOptions) -> str:
    """`target` itself, or the scratch archive a remote target was pulled to."""
    return str(pull(target, opts)) if remote_kind(target) else target


def run(req: CheckRequest) -> tuple[Summary, int]:
    """The summary, with the config applied, and the exit code."""
    if remote_kind(req.target):
        pulled = local_target(req.target, req.pull)
        try:
            return run(replace(req, target=pulled, pull=PullOptions()))
        except SeatrialError as exc:  # name what the user gave, not the scratch archive
            raise type(exc)(str(exc).replace(pulled, req.target)) from None
    summary = _cached_run(req)
    summary.findings = apply(summary.findings, req.policy)
    code = conclude(summary, req.policy)
    return summary, code


def _cached_run(req: CheckRequest) -> Summary:
    """Render and check, or the stored result of the same run (seatrial.runcache). What is
    stored is the checks' result before the pipeline applies the config (the key holds the
    whole policy, so a changed config or selection misses)."""
    from seatrial import runcache

    key = (
        runcache.key(req.target, req, req.policy)
        if req.cache and runcache.cacheable(req.target, req)
        else None
    )
    images = req.engine.images
    if images is None and not req.engine.skip_images:
        from seatrial.images.gather import ImageOptions

        images = ImageOptions(offline=req.engine.offline)
    if key is not None:
        hit = runcache.load(key, images)
        if hit is not None:
            from seatrial.render.pool import discard_spare

            discard_spare()  # nothing to render
            return hit
    matrix = render(req.target, req.matrix)
    summary = run_checks(matrix, req.engine, req.policy.runs)
    _note_probes(summary, matrix)
    if key is not None:
        from seatrial.redact import Redactor, scrub
        from seatrial.report import public_names

        # what a report would show: the secrets this run saw are not remembered by a later
        # run that takes the result from the cache
        clean = scrub(summary, Redactor.current(public=public_names(summary)))
        runcache.store(key, clean, summary.attachments.get("images") or (), images)
    return summary


def _note_probes(summary: Summary, matrix: RenderedMatrix) -> None:
    """No silent caps: how many made-up values were dropped, how many the budget left out."""
    plan = matrix.plan
    dropped: dict[str, tuple[list[str], str]] = {}
    for cell, message in plan.dropped:
        dropped.setdefault(cell.name, ([], " ".join(message.split())))[0].append(cell.kube_version)
    if dropped:
        summary.extra["probes_dropped"] = len(dropped)
        summary.attachments["probes_dropped"] = [
            f"{name} @ {', '.join(versions)}: {message}"
            for name, (versions, message) in sorted(dropped.items())
        ]
    if plan.toggles_left_out:
        summary.extra["toggles_left_out"] = plan.toggles_left_out


def check_chart(
    path: str,
    *,
    values: dict[str, Any] | None = None,
    kube_versions: list[str] | None = None,
    only: list[str] | None = None,
    offline: bool = True,
    registry_mirrors: dict[str, str] | None = None,
    script_paths: dict[str, str] | None = None,
    config_path: str | None = None,
) -> Summary:
    """Check a chart and return the summary (used by `explain` to link back): the config
    (`config_path`, else the chart's own stricter settings, else the working directory's)
    applies as it does for `seatrial check`."""
    from seatrial.render.api import values_file

    versions = parse_kube_versions(",".join(kube_versions)) if kube_versions else None
    images = None
    if registry_mirrors is not None or not offline:
        from seatrial.images.gather import ImageOptions

        images = ImageOptions(offline=offline, mirrors=dict(registry_mirrors or {}))
    scripts = None
    if script_paths:
        from seatrial.shell.gather import ScriptOptions

        scripts = ScriptOptions(script_paths={k: Path(v) for k, v in script_paths.items()})
    # the values (they may hold `--set` secrets) exist on disk only while the check runs
    with values_file(values) as value_files:
        req = CheckRequest(
            path,
            MatrixOptions(kube_versions=versions, value_files=value_files, offline=offline),
            EngineOptions(offline=offline, images=images, scripts=scripts),
            load_policy(config_path, chart_dir(path), only=only),
        )
        return run(req)[0]


@dataclass
class TargetResult:
    """One target of a run: its summary, policy and exit code, or the one-line error that
    stopped it."""

    target: str
    summary: Summary | None = None
    policy: Policy | None = None
    code: int = 0
    error: str = ""


def run_many(
    targets: list[str], req: CheckRequest, policy_for: Callable[[str], Policy]
) -> list[TargetResult]:
    """`run` for each target (the request's own target and policy ignored: each chart gets
    its own config); an error stops its target only (exit 2 at the end), the other targets
    are still checked."""
    out = []
    for target in targets:
        try:
            policy = policy_for(target)
            summary, code = run(replace(req, target=target, policy=policy))
        except SeatrialError as exc:
            out.append(
                TargetResult(
                    target, error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                )
            )
            continue
        out.append(TargetResult(target, summary, policy, code))
    return out


def merge_summaries(results: list[TargetResult]) -> Summary:
    """One report for several charts: each finding names its chart (`chart`), and its paths
    are relative to the charts' common folder (the working directory when they are below it),
    which becomes the report's root; counters add up."""
    import os

    done = [r for r in results if r.summary is not None]
    dirs = [Path(r.target).resolve() for r in done if Path(r.target).is_dir()]
    cwd = Path.cwd().resolve()
    base = cwd
    if dirs and not all(d.is_relative_to(cwd) for d in dirs):
        base = Path(os.path.commonpath(dirs))
    merged = Summary()

    def moved(loc: Location | None, prefix: str) -> Location | None:
        if loc is None or not prefix:
            return loc
        return replace(loc, file=f"{prefix}/{loc.file}" if loc.file else prefix)

    for r in done:
        s = r.summary
        assert s is not None
        path = Path(r.target).resolve()
        prefix = ""
        if path.is_dir():
            prefix = (
                path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()
            )
            prefix = "" if prefix == "." else prefix
        for f in s.findings:
            merged.findings.append(
                replace(
                    f,
                    chart=r.target,
                    source=moved(f.source, prefix),
                    related=tuple(
                        x for x in (moved(loc, prefix) for loc in f.related) if x is not None
                    ),
                )
            )
        merged.cells_total += s.cells_total
        merged.cells_distinct += s.cells_distinct
        merged.objects += s.objects
        for key, value in s.extra.items():
            if isinstance(value, int) and not isinstance(value, bool):
                merged.extra[key] = merged.extra.get(key, 0) + value
            else:
                merged.extra.setdefault(key, value)
        for key in ("cells", "workloads"):
            merged.attachments.setdefault(key, []).extend(s.attachments.get(key) or [])
        for rel, text in (s.attachments.get("sources") or {}).items():
            merged.attachments.setdefault("sources", {})[f"{prefix}/{rel}" if prefix else rel] = (
                text
            )
        for key in ("probes_dropped",):
            merged.attachments.setdefault(key, []).extend(
                f"{r.target}: {line}" for line in s.attachments.get(key) or []
            )
    merged.attachments["root"] = base.as_uri() + "/"
    merged.extra["charts"] = [
        {
            "chart": r.target,
            **(
                {"failed": r.error}
                if r.error
                else {k: v for k, v in r.summary.counts().items()}
                if r.summary
                else {}
            ),
        }
        for r in results
    ]
    return merged
