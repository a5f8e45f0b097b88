"""`seatrial check`: render the matrix, run the chart checks, hand the findings to the one
pipeline (`commands.pipeline`). `seatrial.api` re-exports its public functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seatrial.checks.engine import EngineOptions, run_checks
from seatrial.commands.pipeline import Policy, apply, conclude, load_policy
from seatrial.errors import RenderError
from seatrial.findings import Summary
from seatrial.render.kube import parse_kube_versions
from seatrial.render.matrix import (
    MatrixOptions,
    RenderedMatrix,
    every_cell_failed,
    render_matrix,
)
from seatrial.source.load import load_source


@dataclass(frozen=True)
class CheckRequest:
    target: str
    matrix: MatrixOptions = field(default_factory=MatrixOptions)
    engine: EngineOptions = field(default_factory=EngineOptions)
    #: the config and the selection, from `commands.pipeline.load_policy`
    policy: Policy = field(default_factory=Policy)


def render(target: str, opts: MatrixOptions) -> RenderedMatrix:
    """Load and render every cell; exit-2 errors when nothing could be rendered."""
    source = load_source(target, offline=opts.offline)
    matrix = render_matrix(source, opts)
    if not matrix.renders:
        raise RenderError(f"{target}: {every_cell_failed(matrix)}")
    if not any(r.objects for r in matrix.renders):
        raise RenderError(f"{target}: rendered zero Kubernetes objects in every cell")
    return matrix


def chart_dir(target: str) -> Path | None:
    """The directory whose `.seatrial.yaml` is the chart's own (see `seatrial.config`)."""
    return Path(target) if Path(target).is_dir() else None


def run(req: CheckRequest) -> tuple[Summary, int]:
    """The summary, with the config applied, and the exit code."""
    matrix = render(req.target, req.matrix)
    summary = run_checks(matrix, req.engine, req.policy.runs)
    summary.findings = apply(summary.findings, req.policy)
    code = conclude(summary, req.policy)
    _note_probes(summary, matrix)
    return summary, code


def _note_probes(summary: Summary, matrix: RenderedMatrix) -> None:
    """No silent caps: how many made-up values were dropped, how many the budget left out."""
    plan = matrix.plan
    dropped: dict[str, tuple[list[str], str]] = {}
    for cell, message in plan.dropped:
        dropped.setdefault(cell.name, ([], " ".join(message.split())))[0].append(
            cell.kube_version)
    if dropped:
        summary.extra["probes_dropped"] = len(dropped)
        summary.attachments["probes_dropped"] = [
            f"{name} @ {', '.join(versions)}: {message}"
            for name, (versions, message) in sorted(dropped.items())]
    if plan.toggles_left_out:
        summary.extra["toggles_left_out"] = plan.toggles_left_out


def check_chart(path: str, *, values: dict[str, Any] | None = None,
                kube_versions: list[str] | None = None, only: list[str] | None = None,
                offline: bool = True, registry_mirrors: dict[str, str] | None = None,
                script_paths: dict[str, str] | None = None,
                config_path: str | None = None) -> Summary:
    """Check a chart and return the summary (used by `explain` to link back): the config
    (`config_path`, else the chart's own stricter settings, else the working directory's)
    applies as it does for `seatrial check`."""
    import json
    import tempfile

    value_files: tuple[str, ...] = ()
    if values:
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
            json.dump(values, fh)
            value_files = (fh.name,)
    versions = parse_kube_versions(",".join(kube_versions)) if kube_versions else None
    images = None
    if registry_mirrors is not None or not offline:
        from seatrial.images.gather import ImageOptions

        images = ImageOptions(offline=offline, mirrors=dict(registry_mirrors or {}))
    scripts = None
    if script_paths:
        from seatrial.shell.gather import ScriptOptions

        scripts = ScriptOptions(script_paths={k: Path(v) for k, v in script_paths.items()})
    req = CheckRequest(
        path,
        MatrixOptions(kube_versions=versions, value_files=value_files, offline=offline),
        EngineOptions(offline=offline, images=images, scripts=scripts),
        load_policy(config_path, chart_dir(path), only=only),
    )
    return run(req)[0]
