"""`seatrial assets`: index archives installed together and report names provided twice."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from seatrial.assets.analysis import MATCHES, AssetSet, ambiguous_lookups, duplicates
from seatrial.assets.archive import ArchiveIndex, index_archive
from seatrial.assets.download import fetch, verify
from seatrial.assets.inputs import ARCHES, AssetSource, asset_sources
from seatrial.checks.registry import CheckSpec
from seatrial.checks.st601_duplicate_provider import duplicate_provider
from seatrial.checks.st602_ambiguous_lookup import ambiguous_lookup
from seatrial.cli_support import policy_options, run_guarded
from seatrial.commands.pipeline import apply, conclude, load_policy, note
from seatrial.errors import RegistryError
from seatrial.findings import Finding, Location, Summary
from seatrial.report import emit

# Imported directly, not through the catalog: this command runs only its own checks, and
# must not depend on every other check module importing cleanly.
CHECKS = (duplicate_provider, ambiguous_lookup)


def load(sources: list[AssetSource], offline: bool = False) -> tuple[ArchiveIndex, ...]:
    """Download (into the cache) and index every source. Archives are named by their file name,
    or by their full location when two share one."""
    counts = Counter(s.filename for s in sources)
    indexes = []
    for src in sources:
        name = src.filename if counts[src.filename] == 1 else src.shown
        if src.is_url:
            path = fetch(src.location, src.sha256, offline=offline)
        else:
            path = Path(src.location)
            if src.sha256:
                verify(path, src.sha256, src.location)
        indexes.append(index_archive(path, name, origin=src.shown))
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


def image_findings(
    refs: tuple[str, ...], arch: str, offline: bool
) -> tuple[list[Finding], list[dict[str, str]]]:
    """ST603 over each image's own PATH (its Env, else the runtime default)."""
    from seatrial.checks.st603_shadowed_executable import shadow_messages, shadowed_executable
    from seatrial.facts.image import ImageFacts
    from seatrial.images.gather import ImageOptions, gather_images

    spec = shadowed_executable
    results = gather_images(
        refs, ImageOptions(offline=offline, platform=f"linux/{arch}", progress=sys.stderr.isatty())
    )
    findings: list[Finding] = []
    described = []
    for ref in refs:
        image = results[ref]
        if not isinstance(image, ImageFacts):
            raise RegistryError(f"image {ref}: {image.reason}")
        described.append(
            {"ref": ref, "resolved": image.resolved, "digest": image.digest, "path": image.path_env}
        )
        for message, fix in shadow_messages(image.files, image.path_env, "the image's PATH", ref):
            findings.append(
                Finding(
                    spec.id,
                    spec.slug,
                    spec.severity,
                    message,
                    source=Location(ref, None, "Env PATH"),
                    fix=fix,
                )
            )
    return findings, described


@click.command("assets")
@click.argument("sources", nargs=-1, metavar="ARCHIVE|URL|CLUSTER.yaml...")
@click.option(
    "--with",
    "extra",
    multiple=True,
    metavar="URL|FILE",
    help="An asset the installer adds on its own (kOps adds a separate crictl).",
)
@click.option(
    "--arch",
    type=click.Choice(ARCHES),
    default="amd64",
    show_default=True,
    help="Which package URLs of a cluster spec to use.",
)
@click.option(
    "--key",
    "keys",
    multiple=True,
    metavar="NAME",
    help="A lookup key to test for ambiguity (default: every command name).",
)
@click.option(
    "--match",
    "match",
    type=click.Choice(MATCHES),
    default="basename",
    show_default=True,
    help="How the installer matches a key (ST602): the whole base name (as kOps "
    "nodeup does), a substring of it, or a regular expression over the path.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "junit"]),
    default="text",
    show_default=True,
)
@policy_options(chart=False)
@click.option(
    "--image",
    "images",
    multiple=True,
    metavar="REF",
    help="Also report programs an image has in several PATH directories (ST603).",
)
@click.option(
    "--offline", is_flag=True, help="Touch no network: URLs and --image data only from the cache."
)
@run_guarded
def assets(
    sources: tuple[str, ...],
    extra: tuple[str, ...],
    arch: str,
    keys: tuple[str, ...],
    match: str,
    fmt: str,
    fail_on: str | None,
    config_path: str | None,
    images: tuple[str, ...],
    offline: bool,
    only: str | None,
    disable: str | None,
    show_suppressed: bool,
) -> None:
    """Index archives installed together (files, URLs, a kOps cluster spec) without extracting
    them, and report every name more than one of them provides (ST601) and lookup keys that
    match several files (ST602). With --image, also programs shadowed on an image's PATH
    (ST603).

    Archives may carry an expected hash: URL#sha256=<hex>. Exit 0 when clean, 1 on findings at
    or above --fail-on, 2 on broken input. The `ignore` entries of `.seatrial.yaml` match
    their `object` glob against the archive name, its file name, or the image reference.
    """
    policy = load_policy(config_path, None, only=only, disable=disable, fail_on=fail_on)
    if sources or extra or not images:
        summary = analyse(
            AssetSet(load(asset_sources(sources, extra, arch), offline), tuple(keys), match)
        )
    else:
        summary = Summary()
    if images:
        found, described = image_findings(images, arch, offline)
        summary.findings.extend(found)
        summary.extra["images"] = described
    summary.findings = apply(summary.findings, policy)
    code = conclude(summary, policy)
    note(policy)
    emit(summary, fmt, sys.stdout, fail_on=policy.fail_on, show_suppressed=show_suppressed)
    click.get_current_context().exit(code)
