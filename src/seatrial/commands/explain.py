"""`seatrial explain`: from a runtime symptom to its root cause and the chart line."""

from __future__ import annotations

import functools
import sys

import click

from seatrial.cli_support import registry_mirrors, run_guarded
from seatrial.errors import UsageError
from seatrial.explain.diagnose import Diagnosis, diagnose
from seatrial.explain.evidence import Evidence, EvidenceBuilder
from seatrial.explain.inputs.files import read_path, read_stdin
from seatrial.explain.output import FORMATS, write
from seatrial.explain.rules import Rule, load_rules


def gather(
    inputs: tuple[str, ...],
    *,
    live: bool,
    context: str | None,
    namespace: str | None,
    release: str | None,
    selector: str | None,
    kubeconfig: str | None,
) -> Evidence:
    b = EvidenceBuilder()
    for path in inputs:
        if path == "-":
            read_stdin(sys.stdin, b)
        else:
            read_path(path, b)
    if live:
        from seatrial.explain.inputs.live import read_live

        read_live(
            b,
            context=context,
            namespace=namespace,
            release=release,
            selector=selector,
            kubeconfig=kubeconfig,
        )
    return b.build()


def explain_evidence(
    ev: Evidence,
    rules: list[Rule],
    *,
    chart: str | None = None,
    offline: bool = True,
    link: bool = True,
    mirrors: dict[str, str] | None = None,
    config_path: str | None = None,
) -> list[Diagnosis]:
    """Diagnose, then link each diagnosis back to its chart line when a chart is known (the
    related checks run as `seatrial check` runs them, config included)."""
    from seatrial.explain.release import releases_in

    releases_in(ev)  # decodes release values early so that they are redacted
    diagnoses = diagnose(ev, rules)
    if link:
        from seatrial.commands.check import check_chart
        from seatrial.explain.linkback import link_back

        link_back(
            diagnoses,
            ev,
            chart=chart,
            offline=offline,
            mirrors=mirrors,
            check_chart=functools.partial(check_chart, config_path=config_path),
        )
    return diagnoses


@click.command("explain")
@click.argument("inputs", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--chart",
    type=click.Path(),
    default=None,
    help="Chart directory or .tgz to link the failure back to (default: the chart in "
    "a Helm release Secret found in the input).",
)
@click.option("--no-link", is_flag=True, help="Do not run the related static checks.")
@click.option(
    "--online", is_flag=True, help="Let the related checks reach registries (default: offline)."
)
@click.option(
    "--registry-mirror",
    "mirrors",
    multiple=True,
    metavar="REGISTRY=MIRROR",
    help="Pull REGISTRY's images from MIRROR for the related checks (implies "
    "--online); repeatable.",
)
@click.option(
    "--config",
    "config_path",
    metavar="PATH",
    help="A .seatrial.yaml for the related checks (default: the chart's stricter "
    "settings, else the working directory's).",
)
@click.option(
    "--rules",
    "rule_files",
    multiple=True,
    type=click.Path(),
    help="Extra rule file (YAML, one failure class); repeatable.",
)
@click.option(
    "--live",
    is_flag=True,
    help="Read the cluster through kubeconfig (implied by --context, --release and --selector).",
)
@click.option("--kubeconfig", default=None, help="Kubeconfig file (default: $KUBECONFIG).")
@click.option("--context", default=None, help="Kubeconfig context for live mode.")
@click.option("-n", "--namespace", default=None, help="Namespace for live mode.")
@click.option("--release", default=None, help="Helm release whose pods to explain (live).")
@click.option("-l", "--selector", default=None, help="Label selector of pods (live).")
@run_guarded
def explain(
    inputs: tuple[str, ...],
    fmt: str,
    chart: str | None,
    no_link: bool,
    online: bool,
    mirrors: tuple[str, ...],
    config_path: str | None,
    rule_files: tuple[str, ...],
    live: bool,
    kubeconfig: str | None,
    context: str | None,
    namespace: str | None,
    release: str | None,
    selector: str | None,
) -> None:
    """Explain why pods fail: root cause, fix and the chart line, from logs, `kubectl describe`
    or `get -o json|yaml` output, a cluster-info dump, a support bundle (directory or archive)
    or a live cluster. INPUTS are files or directories; `-` (or a pipe) reads stdin.

    Exit code: 0 when nothing is failing, 1 when there is at least one diagnosis, 2 on an
    input or usage error."""
    live = live or bool(context or release or selector)
    if not inputs and not live:
        if sys.stdin.isatty():
            raise UsageError(
                "give INPUTS (files, directories or -), pipe text in, or use "
                "--live / --context / --release / --selector"
            )
        inputs = ("-",)
    rules = load_rules(rule_files)  # validated before any input is read
    if not no_link:
        from seatrial.commands.pipeline import load_policy

        load_policy(config_path)  # a broken config is an error before any input is read
    mirror_map = registry_mirrors(mirrors)
    ev = gather(
        inputs,
        live=live,
        context=context,
        namespace=namespace,
        release=release,
        selector=selector,
        kubeconfig=kubeconfig,
    )
    diagnoses = explain_evidence(
        ev,
        rules,
        chart=chart,
        offline=not (online or mirror_map),
        link=not no_link,
        mirrors=mirror_map or None,
        config_path=config_path,
    )
    write(diagnoses, fmt, sys.stdout, ev.secret_values, ev.sources)
    sys.exit(1 if diagnoses else 0)
