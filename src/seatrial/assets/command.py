"""`seatrial assets`: index archives installed together and report names provided twice."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from seatrial.assets.analysis import AssetSet, ambiguous_lookups, duplicates
from seatrial.assets.archive import ArchiveIndex, index_archive
from seatrial.assets.download import fetch, verify
from seatrial.assets.inputs import ARCHES, AssetSource, expand
from seatrial.checks.registry import CheckSpec
from seatrial.checks.st601_duplicate_provider import duplicate_provider
from seatrial.checks.st602_ambiguous_lookup import ambiguous_lookup
from seatrial.cli_support import run_guarded
from seatrial.findings import Finding, Severity, Summary
from seatrial.report import emit

# Imported directly, not through the catalog: this command runs only its own checks, and
# must not depend on every other check module importing cleanly.
CHECKS = (duplicate_provider, ambiguous_lookup)


def load(sources: list[AssetSource]) -> tuple[ArchiveIndex, ...]:
    """Download (into the cache) and index every source. Archives are named by their file name,
    or by their full location when two share one."""
    counts = Counter(s.filename for s in sources)
    indexes = []
    for src in sources:
        name = src.filename if counts[src.filename] == 1 else src.location
        if src.is_url:
            path = fetch(src.location, src.sha256)
        else:
            path = Path(src.location)
            if src.sha256:
                verify(path, src.sha256, src.location)
        indexes.append(index_archive(path, name, origin=src.location))
    return tuple(indexes)


def findings_of(spec: CheckSpec, assets: AssetSet) -> list[Finding]:
    return [
        Finding(
            check=spec.id,
            slug=spec.slug,
            severity=v.severity or spec.severity,
            message=v.message,
            source=v.source,
            fix=v.fix,
            related=v.related,
        )
        for v in spec.func(assets)
    ]


def analyse(assets: AssetSet) -> Summary:
    findings: list[Finding] = []
    for spec in CHECKS:
        findings.extend(findings_of(spec, assets))
    extra = {
        "archives": [a.to_json() for a in assets.archives],
        "duplicates": [d.to_json() for d in duplicates(assets)],
        "ambiguous_lookups": [a.to_json() for a in ambiguous_lookups(assets)],
    }
    return Summary(findings=findings, extra=extra)


@click.command("assets")
@click.argument("sources", nargs=-1, metavar="ARCHIVE|URL|CLUSTER.yaml...")
@click.option("--with", "extra", multiple=True, metavar="URL|FILE",
              help="An asset the installer adds on its own (kOps adds a separate crictl).")
@click.option("--arch", type=click.Choice(ARCHES), default="amd64", show_default=True,
              help="Which package URLs of a cluster spec to use.")
@click.option("--key", "keys", multiple=True, metavar="NAME",
              help="A lookup key to test for ambiguity (default: every command name).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit"]),
              default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error",
              show_default=True, help="Exit 1 when a finding is at least this severe.")
@run_guarded
def assets(
    sources: tuple[str, ...],
    extra: tuple[str, ...],
    arch: str,
    keys: tuple[str, ...],
    fmt: str,
    fail_on: str,
) -> None:
    """Index archives installed together (files, URLs, a kOps cluster spec) without extracting
    them, and report every name more than one of them provides (ST601) and lookup keys that
    match several files (ST602).

    Archives may carry an expected hash: URL#sha256=<hex>. Exit 0 when clean, 1 on findings at
    or above --fail-on, 2 on broken input.
    """
    assets_set = AssetSet(load(expand(sources, extra, arch)), tuple(keys))
    summary = analyse(assets_set)
    emit(summary, fmt, sys.stdout)
    click.get_current_context().exit(summary.exit_code(Severity.parse(fail_on)))
