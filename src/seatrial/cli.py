"""Argument parsing and exit codes only. 0: nothing at or above --fail-on; 1: findings;
2: usage or input error (one line on stderr, never a traceback)."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from seatrial import __version__
from seatrial.cli_support import (
    one_line_usage_error,
    policy_options,
    registry_mirrors,
    run_guarded,
    script_paths,
)
from seatrial.errors import UsageError
from seatrial.report import FORMATS

#: subcommands living next to the layers they use, loaded only when called
LAZY_COMMANDS = {
    "converge": "seatrial.commands.converge:converge",
    "assets": "seatrial.commands.assets:assets",
    "explain": "seatrial.commands.explain:explain",
    "init": "seatrial.scaffold:init",
    "completion": "seatrial.completion:completion",
}


class LazyGroup(click.Group):
    """Subcommands loaded when called; usage errors (the group's and every subcommand's)
    printed on one line."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise one_line_usage_error(exc, click.Context(self)) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise one_line_usage_error(exc, ctx) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        for name, target in LAZY_COMMANDS.items():
            module = target.split(":")[0]
            if importlib.util.find_spec(module) is not None:
                names.add(name)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[cmd_name].split(":")
            try:
                cmd = getattr(importlib.import_module(module), attr)
            except (ImportError, AttributeError):
                return None
            return cmd if isinstance(cmd, click.Command) else None
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
)
@click.version_option(__version__, prog_name="seatrial")
def main() -> None:
    """Sea-trial Kubernetes deployments before they ship: every mode, every Kubernetes
    version, the real images and the scripts they run."""


def entry() -> None:
    """The `seatrial` executable: `main`, then the exit handlers (temporary directories, a
    render worker never used) and an exit that skips tearing down every object the run
    built (~0.1 s after a large chart). Tests call `main` itself."""
    import atexit

    try:
        main()
        code: int = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            code = code or 1
    os._exit(code)


# Helm's defaults, without importing the render modules before a command runs.
RELEASE_NAME = "release-name"
NAMESPACE = "default"


def _meta_option(*decls: str, **kw: Any) -> Callable[..., Any]:
    """An option kept in ctx.meta (read by _matrix_options), not passed to the command."""
    name = decls[-1]
    return click.option(
        *decls[:-1],
        expose_value=False,
        callback=lambda ctx, _p, v: ctx.meta.__setitem__(name, v),
        **kw,
    )


def render_options(f: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.argument("targets", nargs=-1, metavar="[CHART|DIR|TGZ|FILE|URL|REPO/CHART]..."),
        _meta_option(
            "--version",
            "chart_version",
            metavar="VERSION",
            help="Version of an oci:// or REPO/CHART target (default: the newest).",
        ),
        click.option(
            "-f",
            "--values",
            "values",
            multiple=True,
            metavar="FILE",
            help="Values file layered over the chart defaults (repeatable).",
        ),
        click.option(
            "--set",
            "set_values",
            multiple=True,
            metavar="KEY=VAL",
            help="Set a value as helm --set does (repeatable).",
        ),
        _meta_option(
            "--set-string",
            "set_string",
            multiple=True,
            metavar="KEY=VAL",
            help="Set a STRING value as helm --set-string does (repeatable).",
        ),
        _meta_option(
            "--set-json",
            "set_json",
            multiple=True,
            metavar="KEY=JSON",
            help="Set a JSON value as helm --set-json does (repeatable).",
        ),
        _meta_option(
            "--set-file",
            "set_file",
            multiple=True,
            metavar="KEY=PATH",
            help="Set a value to a file's content as helm --set-file does (repeatable).",
        ),
        _meta_option(
            "-n",
            "--namespace",
            "namespace",
            default=NAMESPACE,
            show_default=True,
            help="Namespace of the release (.Release.Namespace).",
        ),
        _meta_option(
            "--release-name",
            "release_name",
            default=RELEASE_NAME,
            show_default=True,
            help="Name of the release (.Release.Name).",
        ),
        _meta_option(
            "-a",
            "--api-versions",
            "api_versions",
            multiple=True,
            metavar="GROUP/VERSION[/KIND]",
            help="Add to .Capabilities.APIVersions of every cell (repeatable).",
        ),
        click.option(
            "--kube-versions",
            metavar="SPEC",
            help="1.29,1.30 or 1.27-1.33 (default: newest 6 the chart supports).",
        ),
        click.option(
            "--helm-bin",
            metavar="PATH",
            envvar="SEATRIAL_HELM_BIN",
            help="Render with this helm CLI instead of the embedded engine.",
        ),
        click.option(
            "--offline", is_flag=True, help="Touch no network: registries only through the cache."
        ),
        click.option("--no-modes", is_flag=True, help="Only the defaults and ci/ values."),
        click.option(
            "--max-probes",
            type=click.IntRange(min=0),
            default=None,
            metavar="N",
            help="Toggle values to try beyond the defaults and ci/ values "
            "(default 48; workload switches first).",
        ),
        click.option(
            "--render-timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=30.0,
            show_default=True,
            metavar="SECONDS",
            expose_value=False,
            callback=lambda ctx, _p, v: ctx.meta.__setitem__("render_timeout", v),
            help="Stop a render after this long (a template that loops).",
        ),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _pull_options(
    targets: list[str],
    offline: bool,
    registry_mirror: tuple[str, ...] = (),
    plain_http: tuple[str, ...] = (),
) -> Any:
    """How remote targets are pulled: --version, mirrors, and credentials as for images."""
    from seatrial.images.auth import credentials_for
    from seatrial.source.pull import PullOptions, remote_kind

    def login(host: str) -> tuple[str, str] | None:
        found = credentials_for(host)
        return (found.username, found.password) if found else None

    version = click.get_current_context().meta.get("chart_version")
    if version and not any(remote_kind(t) in ("oci", "repo") for t in targets):
        raise UsageError("--version applies to oci:// and REPO/CHART targets")
    return PullOptions(
        version=version,
        offline=offline,
        mirrors=registry_mirrors(registry_mirror),
        plain_http=frozenset(plain_http),
        credentials=login,
    )


def _matrix_options(
    values: tuple[str, ...],
    set_values: tuple[str, ...],
    kube_versions: str | None,
    helm_bin: str | None,
    offline: bool,
    no_modes: bool,
    max_probes: int | None = None,
    registry_mirror: tuple[str, ...] = (),
    plain_http: tuple[str, ...] = (),
) -> Any:
    from seatrial.render.kube import parse_kube_versions
    from seatrial.render.matrix import MatrixOptions

    meta = click.get_current_context().meta
    opts = MatrixOptions(
        kube_versions=parse_kube_versions(kube_versions) if kube_versions else None,
        value_files=values,
        set_values=set_values,
        helm_bin=helm_bin,
        offline=offline,
        discover_modes=not no_modes,
        set_string=tuple(meta.get("set_string", ())),
        set_json=tuple(meta.get("set_json", ())),
        set_file=tuple(meta.get("set_file", ())),
        namespace=meta.get("namespace") or NAMESPACE,
        release_name=meta.get("release_name") or RELEASE_NAME,
        api_versions=tuple(meta.get("api_versions", ())),
        render_timeout=meta.get("render_timeout", 30.0),
        mirrors=tuple(registry_mirrors(registry_mirror).items()),
        plain_http=frozenset(plain_http),
    )
    if max_probes is not None:
        from dataclasses import replace

        opts = replace(opts, max_probes=max_probes)
    return opts


@main.command()
@render_options
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(FORMATS))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@policy_options(chart=True)
@click.option(
    "--platform",
    default="linux/amd64",
    show_default=True,
    help="Platform picked from multi-arch images.",
)
@click.option(
    "--registry-mirror",
    multiple=True,
    metavar="SRC=DST",
    help="Pull SRC registry's images from DST (docker.io=127.0.0.1:5000).",
)
@click.option(
    "--plain-http",
    multiple=True,
    metavar="HOST",
    help="Talk plain HTTP to this registry (loopback always is).",
)
@click.option(
    "--script-path",
    multiple=True,
    metavar="IMAGE_DIR=LOCAL_DIR",
    help="Read scripts the image has at IMAGE_DIR from LOCAL_DIR.",
)
@click.option(
    "--no-images",
    is_flag=True,
    help="Do not open images: the image checks "
    "(ST2xx) are skipped; --offline still checks against the cache.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; only the exit code.")
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="SEATRIAL_NO_CACHE",
    help="Neither reuse nor keep results in the persistent cache.",
)
@click.option(
    "--color",
    "color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    envvar="SEATRIAL_COLOR",
    help="Colour the text report: auto is on a terminal without NO_COLOR.",
)
@click.option("-v", "--verbose", is_flag=True, help="List the probe values dropped (on stderr).")
@run_guarded
def check(
    targets: tuple[str, ...],
    values: tuple[str, ...],
    set_values: tuple[str, ...],
    kube_versions: str | None,
    helm_bin: str | None,
    offline: bool,
    no_modes: bool,
    max_probes: int | None,
    verbose: bool,
    fmt: str,
    output: str | None,
    fail_on: str | None,
    config_path: str | None,
    trust_chart_config: bool,
    only: str | None,
    disable: str | None,
    show_suppressed: bool,
    platform: str,
    registry_mirror: tuple[str, ...],
    plain_http: tuple[str, ...],
    script_path: tuple[str, ...],
    no_images: bool,
    quiet: bool,
    no_cache: bool,
    color: str,
) -> None:
    """Render every mode and Kubernetes version, open the images, follow the scripts, and
    report what would break."""
    if helm_bin is None:  # the render worker starts while the rest is imported and planned
        from seatrial.render.pool import prestart

        prestart()
    from seatrial import progress
    from seatrial.checks.engine import EngineOptions
    from seatrial.commands.check import (
        CheckRequest,
        TargetResult,
        chart_dir,
        merge_summaries,
        run,
        run_many,
    )
    from seatrial.commands.pipeline import Policy, load_policy, note
    from seatrial.findings import Severity
    from seatrial.report import emit
    from seatrial.source.discover import expand_targets

    progress.enable(not quiet)  # bars on stderr, only when it is a terminal
    expanded = expand_targets(targets)

    def policy_for(target: str) -> Policy:
        """Each chart's own config (found from its folder up to the repository root)."""
        return load_policy(
            config_path,
            chart_dir(target),
            trust_chart_config=trust_chart_config,
            only=only,
            disable=disable,
            fail_on=fail_on,
        )

    images = scripts = None
    if not no_images:
        from seatrial.images.gather import ImageOptions

        images = ImageOptions(
            offline=offline,
            platform=platform,
            mirrors=registry_mirrors(registry_mirror),
            plain_http=frozenset(plain_http),
            progress=sys.stderr.isatty() and not quiet,
        )
    if script_path:
        from seatrial.shell.gather import ScriptOptions

        scripts = ScriptOptions(script_paths=script_paths(script_path))
    results: list[TargetResult] = []
    req = CheckRequest(
        expanded[0],
        _matrix_options(
            values,
            set_values,
            kube_versions,
            helm_bin,
            offline,
            no_modes,
            max_probes,
            registry_mirror,
            plain_http,
        ),
        EngineOptions(offline=offline, images=images, scripts=scripts, skip_images=no_images),
        policy_for(expanded[0]) if len(expanded) == 1 else Policy(),
        cache=not no_cache,
        pull=_pull_options(expanded, offline, registry_mirror, plain_http),
    )
    if len(expanded) == 1:
        summary, code = run(req)
        policies = [req.policy]
    else:
        results = run_many(expanded, req, policy_for)
        code = 0
        for r in results:
            if r.error:
                click.echo(f"seatrial: error: {r.error}", err=True)
                code = 2
            code = max(code, r.code)  # each chart against its own config's fail-on
        policies = [r.policy for r in results if r.policy is not None]
        summary = merge_summaries(results)
    for policy in {p.config.note: p for p in policies}.values():
        note(policy)
    threshold = min((p.fail_on for p in policies), default=Severity.ERROR)
    if not quiet:
        if output:
            try:
                fh = open(output, "w", encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                raise UsageError(f"-o {output}: cannot write: {exc.strerror}") from None
            with fh:
                emit(
                    summary,
                    fmt,
                    fh,
                    show_suppressed=show_suppressed,
                    color=color,
                    fail_on=threshold,
                )
        else:
            emit(
                summary,
                fmt,
                sys.stdout,
                show_suppressed=show_suppressed,
                color=color,
                fail_on=threshold,
            )
    if verbose:
        for line in summary.attachments.get("probes_dropped", []):
            click.echo(f"dropped probe: {line}", err=True)
    sys.exit(code)


@main.command()
@render_options
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "json"]))
@run_guarded
def matrix(
    targets: tuple[str, ...],
    values: tuple[str, ...],
    set_values: tuple[str, ...],
    kube_versions: str | None,
    helm_bin: str | None,
    offline: bool,
    no_modes: bool,
    max_probes: int | None,
    fmt: str,
) -> None:
    """Print the cells (value overrides x Kubernetes version) that `check` exercises."""
    from seatrial.api import local_target
    from seatrial.redact import Redactor, clean, scrub
    from seatrial.render.matrix import plan_matrix
    from seatrial.source.load import load_source

    if len(targets) > 1:
        raise UsageError("matrix takes one target")
    opts = _matrix_options(
        values, set_values, kube_versions, helm_bin, offline, no_modes, max_probes
    )
    target = targets[0] if targets else "."
    source = load_source(local_target(target, _pull_options([target], offline)), offline=offline)
    plan = plan_matrix(source, opts)
    if fmt == "json":
        text = json.dumps(
            scrub(
                {
                    "cells": [c.to_json() for c in plan.cells],
                    "kube_versions": sorted(plan.versions),
                    "excluded_kube_versions": [v.label for v in plan.excluded],
                    "toggles": [
                        {
                            "key": t.key,
                            "default": t.default,
                            "values": list(t.values),
                            "origin": t.origin,
                        }
                        for t in plan.toggles
                    ],
                    "toggles_left_out": plan.toggles_left_out,
                },
                Redactor.current(),
            ),
            indent=2,
            default=str,
        )
        sys.stdout.write(text + "\n")  # one write: stdout may be unbuffered
        return
    modes: dict[str, list[str]] = {}
    for c in plan.cells:
        modes.setdefault(c.name, []).append(c.kube_version)
    from seatrial.report.text import plural

    click.echo(
        f"{plural(len(plan.cells), 'cell')}: {plural(len(modes), 'mode')} x "
        f"{plural(len(plan.versions), 'Kubernetes version')} "
        f"({', '.join(sorted(plan.versions, key=_minor))})"
    )
    for t in plan.toggles:
        click.echo(clean(f"  toggle {t.key} (default {t.default!r}; from {t.origin})"))
    if plan.toggles_left_out:
        click.echo(
            f"  {plan.toggles_left_out} toggle values left out by the probe budget "
            "(--max-probes N raises it)"
        )
    workloads = _workloads_by_mode(source, opts)
    for name in modes:
        click.echo(clean(f"  {name}: {', '.join(workloads.get(name, [])) or 'no workloads'}"))
    if plan.excluded:
        click.echo("excluded by kubeVersion: " + ", ".join(v.label for v in plan.excluded))


def _workloads_by_mode(source: Any, opts: Any) -> dict[str, list[str]]:
    """Render once to show which workloads each mode produces (or that it fails)."""
    from dataclasses import replace

    from seatrial.objects.extract import workload
    from seatrial.render.matrix import render_matrix

    m = render_matrix(source, replace(opts, upgrades=False))
    out: dict[str, set[str]] = {}
    for r in m.renders:
        names = {f"{w.kind}/{w.name}" for w in (workload(o) for o in r.objects) if w}
        for c in r.cells:
            out.setdefault(c.name, set()).update(names)
    for f in m.failures:
        out.setdefault(f.cell.name, set()).add("(render failed)")
    return {k: sorted(v) for k, v in out.items()}


def _minor(label: str) -> tuple[int, ...]:
    return tuple(int(x) for x in label.split("-")[0].split("."))


@main.command("checks")
@click.argument("check_id", required=False)
@run_guarded
def checks_cmd(check_id: str | None) -> None:
    """List the checks, or print one check's documentation."""
    from seatrial.checks.catalog import all_checks, by_id

    if check_id:
        spec = by_id(check_id)
        if spec is None:
            raise UsageError(f"no check {check_id!r} (see `seatrial checks`)")
        click.echo(f"{spec.id} {spec.slug} ({spec.severity.label})\n\n{spec.doc}")
        return
    for spec in all_checks():
        click.echo(f"{spec.id}  {spec.slug:<32} {spec.severity.label:<8} {spec.summary}")


@main.command()
def version() -> None:
    """Print seatrial's version and the embedded Helm engine's."""
    from seatrial.render.helm import sdk_version

    click.echo(
        f"seatrial {__version__} (helm engine {sdk_version()}, python {sys.version.split()[0]})"
    )


if __name__ == "__main__":  # pragma: no cover
    entry()
