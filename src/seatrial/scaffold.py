"""`seatrial init`: write a commented `.seatrial.yaml` for a chart.

The file shows the matrix seatrial discovered (as comments: the matrix is discovered again on
every run) and lists every check, commented out, under `checks.disable` and `severity`, so a
user turns a check off or changes its severity by removing one `#`.
"""

from __future__ import annotations

import fnmatch
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from seatrial import __version__
from seatrial.checks.registry import CheckSpec, Scope
from seatrial.cli_support import run_guarded
from seatrial.config import NAMES, parse_config
from seatrial.errors import UsageError
from seatrial.render.matrix import Plan
from seatrial.report.text import plural


def _matrix_comment(target: str, plan: Plan) -> list[str]:
    versions = sorted(plan.versions.values(), key=lambda v: (v.major, v.minor, v.patch))
    modes: dict[str, dict[str, Any]] = {}
    for c in plan.cells:
        modes.setdefault(c.name, c.values_dict())
    toggles = {t.key: t for t in plan.toggles}
    width = max(len(m) for m in modes)
    out = [
        f"# The matrix `seatrial check {target}` runs: {plural(len(plan.cells), 'cell')} = "
        f"{plural(len(modes), 'mode')} x {plural(len(versions), 'Kubernetes version')}.",
        "# It is discovered again on every run (`seatrial matrix` prints it); narrow it with",
        "# --kube-versions, --no-modes, -f or --set.",
        "#   kubernetes: " + ", ".join(v.label for v in versions),
    ]
    if plan.excluded:
        out.append(
            "#   excluded by the chart's kubeVersion: " + ", ".join(v.label for v in plan.excluded)
        )
    out.append("#   modes:")
    for mode, overrides in modes.items():
        line = f"#     {mode:<{width}}"
        toggle = next((toggles[k] for k in overrides if k in toggles), None)
        if toggle is not None:
            line += (
                f"  # toggle {toggle.key}, default {json.dumps(toggle.default, default=str)}"
                f" (from {toggle.origin})"
            )
        elif "values_file" in overrides:
            line += "  # chart-testing values file"
        out.append(line.rstrip())
    return out


def _check_lines(specs: tuple[CheckSpec, ...]) -> tuple[list[str], list[str]]:
    disable, severity = [], []
    for spec in specs:
        where = " (reported by its own command)" if spec.scope is Scope.COMMAND else ""
        disable.append(
            f"    # - {spec.id}  # {spec.slug} ({spec.severity.label}){where}: {spec.summary}"
        )
        severity.append(f"  # {spec.id}: {spec.severity.label:<8} # {spec.slug}")
    return disable, severity


def scaffold(
    target: str, plan: Plan | None, specs: tuple[CheckSpec, ...], chart_name: str = ""
) -> str:
    """The text of a `.seatrial.yaml` for `target`."""
    disable, severity = _check_lines(specs)
    about = f"chart {chart_name}" if chart_name else target
    lines = [
        f"# seatrial configuration for {about}, written by `seatrial init` "
        f"(seatrial {__version__}).",
        "# `seatrial check` reads .seatrial.yaml from the chart directory, then the working",
        "# directory (or --config PATH). Every setting below is optional. In the chart",
        "# directory, only the stricter settings apply unless `seatrial check` is given",
        "# --trust-chart-config (a chart must not silence the checks run on it).",
        "#",
        *(
            _matrix_comment(target, plan)
            if plan
            else ["# (no matrix: this target is not a chart, so it is checked as it is)"]
        ),
        "",
        "# Lowest severity that makes `seatrial check` exit 1: error, warning or info.",
        "fail-on: error",
        "",
        "checks:",
        "  # Remove the `#` before a check to turn it off.",
        "  disable:",
        *disable,
        "  # When this list is not empty, only the checks in it run.",
        "  enable: []",
        "",
        "# Change a check's severity: remove the `#` and write error, warning or info.",
        "severity:",
        *severity,
        "",
        "# Accept a finding on purpose; the reason is printed with --show-suppressed.",
        "ignore:",
        "  # - check: ST205",
        '  #   object: "Deployment/my-app-*"   # Kind/name, glob',
        '  #   container: "*"',
        '  #   reason: "the command is the documented entrypoint"',
        "",
    ]
    return "\n".join(lines)


@click.command("init")
@click.argument("target", default=".", metavar="[CHART|DIR|TGZ|FILE]")
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Write here (`-` for stdout; default: .seatrial.yaml in the chart "
    "directory, or in the working directory for other targets).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--kube-versions", metavar="SPEC", help="As for `seatrial check`.")
@click.option("--no-modes", is_flag=True, help="As for `seatrial check`.")
@run_guarded
def init(
    target: str, output: str | None, force: bool, kube_versions: str | None, no_modes: bool
) -> None:
    """Write a .seatrial.yaml with the discovered matrix and every check, commented."""
    from seatrial.checks.catalog import all_checks
    from seatrial.render.kube import parse_kube_versions
    from seatrial.render.matrix import MatrixOptions, plan_matrix
    from seatrial.source.load import ChartSource, load_source

    source = load_source(target)
    plan = None
    name = ""
    if isinstance(source, ChartSource):
        opts = MatrixOptions(
            kube_versions=parse_kube_versions(kube_versions) if kube_versions else None,
            discover_modes=not no_modes,
            offline=True,
        )
        plan = plan_matrix(source, opts)
        name = source.name
    text = scaffold(target, plan, all_checks(), name)
    dest = Path(output) if output and output != "-" else None
    # never write what `seatrial check` would then reject
    parse_config(text, dest or Path(NAMES[0]))
    if output == "-":
        sys.stdout.write(text)
        return
    if dest is None:
        base = (
            Path(target)
            if Path(target).is_dir() and isinstance(source, ChartSource)
            else Path.cwd()
        )
        dest = base / NAMES[0]
    if dest.is_symlink():  # even --force never writes through a link (it may be dangling)
        raise UsageError(f"{dest} is a symbolic link; refusing to write through it")
    if dest.exists() and not force:
        raise UsageError(f"{dest} exists (use --force to overwrite, or -o PATH)")
    try:
        # O_NOFOLLOW: a link swapped in after the check above is refused too
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise UsageError(f"{dest}: cannot write: {exc.strerror}") from None
    click.echo(f"wrote {dest}", err=True)
    chart_dir = Path(target)
    if (
        isinstance(source, ChartSource)
        and chart_dir.is_dir()
        and dest.resolve().parent == chart_dir.resolve()
    ):
        ignore = helmignore(chart_dir, dest.name)
        if ignore:
            click.echo(f"added {dest.name} to {ignore}: `helm package` leaves it out", err=True)


def helmignore(chart_dir: Path, name: str) -> Path | None:
    """Add `name` to the chart's .helmignore (creating it) unless a line already ignores it,
    so the config is not packaged with the chart. The file changed, or None."""
    path = chart_dir / ".helmignore"
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return None  # a .helmignore we cannot read is not rewritten
    patterns = [line.strip().lstrip("/") for line in text.splitlines()]
    if any(fnmatch.fnmatchcase(name, p) for p in patterns if p and p[0] not in "#!"):
        return None  # already ignored (`.seatrial.yaml`, `.seatrial.*`, `.*`)
    sep = "" if not text or text.endswith("\n") else "\n"
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(
                f"{sep}# seatrial's configuration (seatrial init), not part of the chart\n{name}\n"
            )
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
    return path
