"""`seatrial converge`: prove a container's script converges across restarts, upgrades and
cleanup, by running it in a bubblewrap sandbox on a scratch copy of the node state.

    seatrial converge [OPTIONS] --state DIR -- CMD ARGS...             (plain form)
    seatrial converge CHART --workload KIND/NAME --state DIR [OPTIONS]  (chart form)
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from seatrial.checks.registry import CheckSpec, Violation
from seatrial.checks.st501_not_converged import not_converged
from seatrial.checks.st502_cleanup_residue import cleanup_residue
from seatrial.checks.st503_run_failed import run_failed
from seatrial.checks.st504_restart_breaks import restart_breaks
from seatrial.cli_support import policy_options, registry_mirrors, run_guarded, script_paths
from seatrial.commands.pipeline import Policy, apply, conclude, load_policy, note
from seatrial.converge import report
from seatrial.converge.kit import parse_answers
from seatrial.converge.sandbox import Bind, Caps, Sandbox, host_shows
from seatrial.converge.scenarios import (
    SCENARIOS,
    Invocation,
    Limits,
    ScenarioResult,
    StateMount,
    mask,
    plan,
    run,
)
from seatrial.errors import UsageError
from seatrial.findings import Finding, Summary

if TYPE_CHECKING:
    from seatrial.converge.chart import ChartRun, ChartTargets


@dataclass(frozen=True)
class Target:
    """What the scenario runs: the install invocation, and the B and cleanup ones if any."""

    install: Invocation
    upgrade_to: Invocation | None = None
    cleanup: Invocation | None = None
    #: lines for the report header (which container, which placeholders)
    notes: tuple[str, ...] = ()


def parse_env(pairs: Sequence[str], flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"{flag} {pair!r}: expected KEY=VALUE")
        out[key] = value
    return out


def script_binds(pairs: Sequence[str]) -> tuple[Bind, ...]:
    """`--script-path IMAGE_DIR=LOCAL_DIR`: LOCAL_DIR shown read-only at IMAGE_DIR."""
    return tuple(
        Bind(dest, local.resolve(), image=True) for dest, local in script_paths(pairs).items()
    )


def _visible_cwd_binds(argv: Sequence[str]) -> tuple[str, tuple[Bind, ...]]:
    """The working directory for a plain-form run, and the read-only binds that make it and
    the files named by absolute path on the command line visible (the sandbox shows only a
    minimal part of this machine's root)."""
    cwd = os.getcwd()
    binds: list[Bind] = []
    home = os.path.expanduser("~")
    # never the whole home directory (or /): what it holds is not the script's to read
    if cwd != "/" and not host_shows(cwd) and not _is_within(home, cwd):
        binds.append(Bind(cwd, Path(cwd), image=True))
    for arg in argv:
        if (
            arg.startswith("/")
            and os.path.isfile(arg)
            and not host_shows(arg)
            and not (binds and arg.startswith(cwd + "/"))
        ):
            binds.append(Bind(arg, Path(arg), image=True))
    return cwd, tuple(binds)


def _is_within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip("/") + "/")


_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(text: str, flag: str) -> int:
    """`512M`, `2G`, `1048576`: bytes (binary units)."""
    number = text.strip().lower().removesuffix("ib").removesuffix("b")
    unit = number[-1:] if number[-1:] in _UNITS and number[-1:] else ""
    digits = number[:-1] if unit else number
    if not digits.isdigit() or int(digits) == 0:
        raise UsageError(f"{flag} {text!r}: expected a size such as 512M or 2G")
    return int(digits) * _UNITS[unit]


def parse_mounts(
    specs: Sequence[str], state: Path
) -> tuple[tuple[StateMount, ...], dict[str, Path]]:
    """`--mount NODE_PATH[=SEED_DIR]` (repeatable, or comma-separated): the node path is a
    persistent directory of the state, seeded from STATE/NODE_PATH or from SEED_DIR. Returns
    the mounts and the separate seeds (state path -> directory)."""
    mounts: list[StateMount] = []
    seeds: dict[str, Path] = {}
    for spec in (part for given in specs for part in given.split(",") if part):
        node, sep, seed_dir = spec.partition("=")
        parts = [p for p in node.split("/") if p not in ("", ".")]
        if not node.startswith("/") or not parts or ".." in parts:
            raise UsageError(
                f"--mount {spec!r}: expected an absolute NODE_PATH other than / "
                "without '..' (optionally =SEED_DIR)"
            )
        rel = "/".join(parts)
        if any(m.state_path == rel for m in mounts):
            raise UsageError(f"--mount {spec!r}: /{rel} is given twice")
        if sep:
            if not Path(seed_dir).is_dir():
                raise UsageError(f"--mount {spec!r}: {seed_dir} is not a directory")
            if os.path.lexists(state / rel):
                raise UsageError(
                    f"--mount {spec!r}: the state {state} already has {rel}; "
                    "give either the seed directory or the state path"
                )
            seeds[rel] = Path(seed_dir)
        mounts.append(StateMount("/" + rel, rel))
    return tuple(mounts), seeds


def plain_target(
    cmd: Sequence[str],
    *,
    mount_at: str,
    env: Mapping[str, str],
    env_a: Mapping[str, str],
    env_b: Mapping[str, str],
    cleanup_cmd: str | None,
    script_binds: tuple[Bind, ...],
    mounts: tuple[StateMount, ...] = (),
    node_kit: bool = False,
) -> Target:
    if not cmd:
        raise UsageError(
            "no command to run: put it after `--` (seatrial converge --state DIR "
            "-- CMD ARGS...), or give a chart with --workload"
        )
    if not mount_at.startswith("/"):
        raise UsageError(f"--mount-at {mount_at!r}: must be an absolute path")
    mounts = mounts or (StateMount(mount_at),)

    def inv(argv: Sequence[str], extra: Mapping[str, str], label: str) -> Invocation:
        cwd, binds = _visible_cwd_binds(argv)
        return Invocation(
            tuple(argv),
            {**env, **extra},
            mounts,
            binds + script_binds,
            cwd,
            label=label,
            node_kit=node_kit,
        )

    install = inv(cmd, env_a, "install")
    upgrade_to = inv(cmd, env_b, "B") if env_b else None
    cleanup = None
    if cleanup_cmd is not None:
        try:
            cleanup_argv = shlex.split(cleanup_cmd)
        except ValueError as exc:
            raise UsageError(f"--cleanup-cmd: {exc}") from None
        if not cleanup_argv:
            raise UsageError("--cleanup-cmd is empty")
        cleanup = inv(cleanup_argv, {}, "cleanup")
    return Target(install, upgrade_to, cleanup)


def findings_of(result: ScenarioResult) -> list[Finding]:
    """The findings of ST501-ST504 on a scenario's runs, before the config is applied."""
    out: list[Finding] = []
    if not result.results:
        return out
    # whose finding it is: the run that failed, the cleanup, or the install
    failing = result.results[-1].step.invocation
    secrets = tuple(s for step in result.steps for s in step.invocation.secrets)
    for spec, inv in (
        (run_failed, failing),
        (restart_breaks, failing),
        (not_converged, result.steps[0].invocation),
        (cleanup_residue, result.steps[-1].invocation),
    ):
        for v in spec.func(result):
            out.append(_finding(spec, v, inv, secrets))
    return out


def _finding(spec: CheckSpec, v: Violation, inv: Invocation, secrets: Sequence[str]) -> Finding:
    source = v.source or inv.defined_at
    related = tuple(r for r in (*v.related, inv.defined_at) if r is not None and r != source)
    return Finding(
        spec.id,
        spec.slug,
        v.severity or spec.severity,
        mask(v.message, secrets),
        object=inv.obj,
        container=v.container or inv.container,
        source=source,
        fix=v.fix,
        related=related,
    )


@click.command(
    "converge",
    context_settings={"help_option_names": ["-h", "--help"]},
    short_help="Run a container's script repeatedly in a sandbox; report what keeps changing.",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.option(
    "--state",
    "state",
    required=True,
    metavar="DIR",
    help="Seed node state (never modified: the runs use a scratch copy).",
)
@click.option(
    "--runs",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Runs in the restart scenario.",
)
@click.option("--scenario", type=click.Choice(SCENARIOS), default="restart", show_default=True)
@click.option(
    "--mount-at", default=None, help="Where the command sees the state (plain form; default /host)."
)
@click.option(
    "--mount",
    "mounts",
    multiple=True,
    metavar="NODE_PATH[=SEED_DIR]",
    help="Plain form: NODE_PATH is a persistent node directory (a hostPath), seeded "
    "from STATE/NODE_PATH or SEED_DIR; repeatable or comma-separated. Other "
    "paths get a fresh writable layer at every run.",
)
@click.option(
    "--node-kit/--no-node-kit",
    "node_kit",
    default=None,
    help="Recording stand-ins for kubectl, systemctl, nsenter, crictl, ctr, service "
    "(default: on in the chart form, off in the plain form).",
)
@click.option(
    "--node-kit-answer",
    "kit_answers",
    multiple=True,
    metavar="'CMD ARGS=FILE'",
    help="The node kit answers a call starting with CMD ARGS with FILE's content.",
)
@click.option(
    "--idle",
    type=click.FloatRange(min=0),
    default=3.0,
    show_default=True,
    help="A run idle this many seconds (a final `sleep infinity`, `wait`, "
    "`tail -f`) is started: snapshot, then stop it; 0: never.",
)
@click.option(
    "--budget",
    type=click.FloatRange(min=1),
    default=1800.0,
    show_default=True,
    help="Seconds all runs together may take.",
)
@click.option("--env", "env", multiple=True, metavar="K=V", help="Env for every run.")
@click.option(
    "--env-a",
    "env_a",
    multiple=True,
    metavar="K=V",
    help="Env of the first run of --scenario upgrade (cell A).",
)
@click.option(
    "--env-b",
    "env_b",
    multiple=True,
    metavar="K=V",
    help="Env of the later runs of --scenario upgrade (cell B).",
)
@click.option(
    "--cleanup-cmd",
    default=None,
    metavar="CMD",
    help="Cleanup command line for --scenario cleanup (plain form).",
)
@click.option(
    "--allow-residue",
    multiple=True,
    metavar="GLOB",
    help="State paths cleanup may leave or change (relative, or as the command sees them).",
)
@click.option(
    "--script-path",
    "script_paths",
    multiple=True,
    metavar="IMAGE_DIR=LOCAL_DIR",
    help="Show LOCAL_DIR read-only at IMAGE_DIR inside the sandbox.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=600.0,
    show_default=True,
    help="Time limit of the first run, seconds; later runs get 3x the first run's "
    "time (at least 30s), at most this.",
)
@click.option(
    "--output-limit",
    type=click.IntRange(min=1024),
    default=1 << 20,
    show_default=True,
    help="Output limit per run, bytes.",
)
@click.option(
    "--memory-limit",
    default="2G",
    show_default=True,
    metavar="SIZE",
    help="Address space of each process of a run (RLIMIT_AS).",
)
@click.option(
    "--pids-limit",
    type=click.IntRange(min=8),
    default=512,
    show_default=True,
    help="Processes and threads a run may start.",
)
@click.option(
    "--state-limit",
    default="1G",
    show_default=True,
    metavar="SIZE",
    help="Bytes a run may add to the disk holding the state, and the largest file.",
)
@click.option(
    "--workload",
    default=None,
    metavar="KIND/NAME",
    help="Chart form: the workload whose container to run.",
)
@click.option(
    "--container",
    default=None,
    help="Chart form: the container (default: the "
    "only one, or the first init container that runs a script).",
)
@click.option("--set", "sets", multiple=True, metavar="K=V", help="Chart form: value overrides.")
@click.option(
    "--set-b",
    "sets_b",
    multiple=True,
    metavar="K=V",
    help="Chart form, --scenario upgrade: overrides of cell B on top of --set.",
)
@click.option("--kube-version", default=None, help="Chart form: Kubernetes version to render.")
@click.option(
    "--cleanup-workload",
    default=None,
    metavar="KIND/NAME",
    help="Chart form, --scenario cleanup: the cleanup workload.",
)
@click.option("--cleanup-container", default=None, help="Chart form: its container.")
@click.option(
    "--script-from-image",
    is_flag=True,
    help="Chart form: read the program and script the container runs (or its image "
    "ENTRYPOINT) from the image in its registry.",
)
@click.option(
    "--rootfs-from-image",
    is_flag=True,
    help="Chart form: unpack the image's filesystem and use it as the sandbox root "
    "(the image's shell and tools run, not this machine's).",
)
@click.option(
    "--registry-mirror",
    multiple=True,
    metavar="SRC=DST",
    help="With an image option: pull SRC registry's images from DST.",
)
@click.option(
    "--plain-http",
    multiple=True,
    metavar="HOST",
    help="With an image option: plain HTTP to this registry (loopback always is).",
)
@click.option("--offline", is_flag=True, help="With an image option: use only the cache.")
@click.option(
    "--platform",
    default="linux/amd64",
    show_default=True,
    help="With an image option: platform picked from multi-arch images.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "sarif", "junit")),
    default="text",
    show_default=True,
)
@policy_options(chart=True)
@run_guarded
def converge(
    args: tuple[str, ...],
    state: str,
    runs: int,
    scenario: str,
    mount_at: str | None,
    mounts: tuple[str, ...],
    node_kit: bool | None,
    kit_answers: tuple[str, ...],
    idle: float,
    budget: float,
    env: tuple[str, ...],
    env_a: tuple[str, ...],
    env_b: tuple[str, ...],
    cleanup_cmd: str | None,
    allow_residue: tuple[str, ...],
    script_paths: tuple[str, ...],
    timeout: float,
    output_limit: int,
    memory_limit: str,
    pids_limit: int,
    state_limit: str,
    workload: str | None,
    container: str | None,
    sets: tuple[str, ...],
    sets_b: tuple[str, ...],
    kube_version: str | None,
    cleanup_workload: str | None,
    cleanup_container: str | None,
    script_from_image: bool,
    rootfs_from_image: bool,
    registry_mirror: tuple[str, ...],
    plain_http: tuple[str, ...],
    offline: bool,
    platform: str,
    fmt: str,
    fail_on: str | None,
    config_path: str | None,
    trust_chart_config: bool,
    only: str | None,
    disable: str | None,
    show_suppressed: bool,
) -> None:
    """Run a container's command several times in a bubblewrap sandbox, on a scratch copy of
    the node state (--state), and report what keeps changing after the first run (ST501),
    what cleanup leaves behind (ST502) and runs that fail (ST503).

    \b
    Plain form:  seatrial converge --state DIR [--mount-at /host] -- CMD ARGS...
    Chart form:  seatrial converge CHART --workload KIND/NAME --state DIR
    """
    policy = load_policy(
        config_path,
        Path(args[0]) if workload is not None and args else None,
        trust_chart_config=trust_chart_config,
        only=only,
        disable=disable,
        fail_on=fail_on,
    )
    seed = Path(state)
    if not seed.is_dir():
        raise UsageError(f"--state {state}: not a directory")
    binds = script_binds(script_paths)
    base_env = parse_env(env, "--env")
    caps = Caps(
        parse_size(memory_limit, "--memory-limit"),
        pids_limit,
        parse_size(state_limit, "--state-limit"),
    )
    if scenario != "restart" and runs != 3:
        raise UsageError("--runs applies to --scenario restart only")
    chart = None
    extra_seeds: dict[str, Path] = {}
    answers = parse_answers(kit_answers)
    if workload is None:
        for flag, given in (
            ("--set", sets),
            ("--set-b", sets_b),
            ("--container", container),
            ("--cleanup-workload", cleanup_workload),
            ("--script-from-image", script_from_image),
            ("--rootfs-from-image", rootfs_from_image),
        ):
            if given:
                raise UsageError(f"{flag} needs the chart form (CHART --workload KIND/NAME)")
        if args and Path(args[0]).is_dir():
            what = "a chart" if (Path(args[0]) / "Chart.yaml").is_file() else "a directory"
            raise UsageError(
                f"{args[0]} is {what}, not a command: the chart form needs --workload KIND/NAME"
            )
        if mounts and mount_at is not None:
            raise UsageError(
                "--mount and --mount-at exclude each other: with --mount each "
                "node path is mounted where the node has it"
            )
        state_mounts, extra_seeds = parse_mounts(mounts, seed)
        target = plain_target(
            args,
            mount_at=mount_at or "/host",
            env=base_env,
            env_a=parse_env(env_a, "--env-a"),
            env_b=parse_env(env_b, "--env-b"),
            cleanup_cmd=cleanup_cmd,
            script_binds=binds,
            mounts=state_mounts,
            node_kit=bool(node_kit),
        )
    else:
        from seatrial.converge.chart import chart_targets

        if len(args) != 1:
            raise UsageError(
                f"the chart form takes exactly one CHART and no command (got {len(args)} arguments)"
            )
        if cleanup_cmd is not None:
            raise UsageError(
                "--cleanup-cmd is for the plain form; in the chart form use "
                "--cleanup-workload KIND/NAME"
            )
        image_options = None
        if script_from_image or rootfs_from_image:
            from seatrial.images.gather import ImageOptions

            image_options = ImageOptions(
                offline=offline,
                platform=platform,
                mirrors=registry_mirrors(registry_mirror),
                plain_http=frozenset(plain_http),
            )
        chart = chart_targets(
            args[0],
            workload=workload,
            container=container,
            sets=sets,
            sets_b=sets_b,
            kube_version=kube_version,
            cleanup_workload=cleanup_workload,
            cleanup_container=cleanup_container,
            env=base_env,
            env_a=parse_env(env_a, "--env-a"),
            env_b=parse_env(env_b, "--env-b"),
            script_binds=binds,
            scenario=scenario,
            image_options=image_options,
            rootfs=rootfs_from_image,
        )
        if mounts or mount_at is not None:
            raise UsageError(
                "--mount and --mount-at are for the plain form; in the chart form "
                "the workload's hostPath volumes are the mounts"
            )
        target = chart_target(chart, node_kit is not False)
    try:
        steps = plan(
            scenario, runs, target.install, upgrade_to=target.upgrade_to, cleanup=target.cleanup
        )
        limits = Limits(timeout, output_limit, caps, budget=budget, idle=idle)
        result = run(
            scenario,
            steps,
            seed,
            Sandbox(),
            limits,
            state_label=state,
            allow_residue=allow_residue,
            answers=answers,
            extra_seeds=extra_seeds,
        )
    finally:
        if chart is not None:
            chart.close()
    sys.exit(_report(result, target, policy, fmt, show_suppressed))


def _report(
    result: ScenarioResult, target: Target, policy: Policy, fmt: str, show_suppressed: bool
) -> int:
    """Print the runs and the findings (through the one findings pipeline); the exit code."""
    from seatrial.report import emit

    summary = Summary(
        apply(findings_of(result), policy),
        extra={"converge": report.runs_json(result, target.notes)},
    )
    code = conclude(summary, policy)
    note(policy)
    if fmt == "text":
        report.write_runs(result, sys.stdout, target.notes)
    emit(summary, fmt, sys.stdout, fail_on=policy.fail_on, show_suppressed=show_suppressed)
    return code


def chart_target(chart: ChartTargets, node_kit: bool = True) -> Target:
    from seatrial.converge.chart import describe

    runs = [r for r in (chart.install, chart.upgrade_to, chart.cleanup) if r is not None]

    def inv(r: ChartRun | None) -> Invocation | None:
        return replace(r.invocation, node_kit=node_kit) if r is not None else None

    install = inv(chart.install)
    assert install is not None
    return Target(
        install,
        inv(chart.upgrade_to),
        inv(chart.cleanup),
        notes=tuple(f"{r.invocation.label}: {describe(r)}" for r in runs),
    )
