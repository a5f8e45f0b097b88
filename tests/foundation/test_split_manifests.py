"""The YAML stream splitter matches Helm's `releaseutil.SplitManifests`, proven against the real
helm CLI on every chart of the corpus (same objects per render) and on the `---#` case."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.cli_runner import run
from tests.foundation.helpers import CHARTS, ROOT

from seatrial.objects.parse import parse_objects, split_documents
from seatrial.render.deps import analyze
from seatrial.render.kube import api_versions_for, parse_kube_versions
from seatrial.render.matrix import (
    MatrixOptions,
    _without_dependencies,
    missing_dependencies,
    render_matrix,
)
from seatrial.source.load import ChartSource, load_source

HELM = "/usr/local/bin/helm"
CORPUS = sorted(p for p in (ROOT / "tests" / "corpus").iterdir() if (p / "Chart.yaml").is_file())
#: one Kubernetes version is enough here: the splitter does not depend on it
KUBE = "1.34"  # longhorn asks for >= 1.34

ObjectKey = tuple[str, str, str, str]
#: helm's output is read only for kinds and names: libyaml's parser (kyverno renders 3.5 MB)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_a_comment_glued_to_the_separator_starts_a_new_document() -> None:
    text = (
        "kind: ClusterRole\nmetadata:\n  name: a\n"
        "---# Permission to approve CertificateRequests\n"
        "kind: ClusterRole\nmetadata:\n  name: b\n---\nkind: ServiceAccount\n"
    )
    assert split_documents(text) == [
        (0, "kind: ClusterRole\nmetadata:\n  name: a"),
        (3, "# Permission to approve CertificateRequests\nkind: ClusterRole\nmetadata:\n  name: b"),
        (8, "kind: ServiceAccount"),
    ]
    b = parse_objects(text, "rbac.yaml", is_template=False)[1]
    # the file line of a field stays exact although the document starts after `---`
    assert (b.name, b.doc_line + b.lines[("metadata", "name")]) == ("b", 7)


@pytest.mark.parametrize(
    ("text", "docs"),
    [
        # `^` anchors only at the start of the (trimmed) stream, as in Go
        ("  \n---\nkind: A\n", [(2, "kind: A")]),
        # content on the separator line is the next document's first line
        ("kind: A\n--- kind: B\n", [(0, "kind: A"), (1, "kind: B")]),
        # an indented `---` is inside a block scalar, never a separator
        (
            "kind: A\ndata:\n  x: |\n    ---\n    y\n",
            [(0, "kind: A\ndata:\n  x: |\n    ---\n    y")],
        ),
        # trailing spaces before `\n---` are eaten, and so is the blank line after it: the next
        # `---` has no newline left before it and stays in the document (where YAML reads it as
        # the document start), exactly as Go's regexp leaves it to Helm
        ("kind: A   \n---\n   \n---\nkind: B", [(0, "kind: A"), (3, "---\nkind: B")]),
        # two separators in a row leave a bare `---` document (YAML: empty, no object)
        ("kind: A\n---\n---\n\n---\nkind: C", [(0, "kind: A"), (2, "---"), (5, "kind: C")]),
        ("", []),
    ],
)
def test_split_follows_helm_regex_and_trimming(text: str, docs: list[tuple[int, str]]) -> None:
    assert split_documents(text) == docs


def test_plain_manifests_keep_the_newline_that_ends_a_block_scalar() -> None:
    text = "kind: A\ndata:\n  s: |\n    x\n---# next\nkind: B\n"
    # Helm trims every document (the installed script loses its last newline); kubectl does not
    assert split_documents(text) == [(0, "kind: A\ndata:\n  s: |\n    x"), (4, "# next\nkind: B")]
    assert split_documents(text, trim=False) == [
        (0, "kind: A\ndata:\n  s: |\n    x\n"),
        (4, "# next\nkind: B\n"),
    ]


def test_fixture_chart_with_glued_comment_renders_every_object() -> None:
    res = run("check", CHARTS / "split-comment", "--offline", "--no-images", "--format", "json")
    assert res.code == 0, res.out
    assert res.findings() == []
    assert res.json()["summary"]["objects"] == 5  # 3 with the approver, 2 without


def _helm_objects(
    chart: Path, values: dict[str, Any], kube_helm: str, api_versions: list[str]
) -> list[ObjectKey] | str:
    """The objects `helm template` prints, read from its own `---` / `# Source:` framing: each
    manifest Helm prints has already been split by Helm, so its content holds no `\\n---`."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(values, fh)
    cmd = [
        HELM,
        "template",
        "release-name",
        str(chart),
        "--namespace",
        "default",
        "--kube-version",
        kube_helm,
        "-f",
        fh.name,
    ]
    for api in api_versions:
        cmd += ["--api-versions", api]
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env={**os.environ, "HELM_NO_PLUGINS": "1"},
        )
    finally:
        os.unlink(fh.name)
    if proc.returncode != 0:
        return proc.stderr.strip()
    out: list[ObjectKey] = []
    for chunk in re.split(r"(?m)^---\n", proc.stdout):
        head, _, content = chunk.partition("\n")
        if not head.startswith("# Source: "):
            assert not chunk.strip(), chunk[:200]
            continue
        source = head.removeprefix("# Source: ").split("/", 1)[1]
        body = yaml.load(content, Loader=_LOADER)
        if not isinstance(body, dict) or "kind" not in body:
            continue
        # seatrial expands `*List` documents into their items
        items = body.get("items") if str(body["kind"]).endswith("List") else None
        for obj in items if isinstance(items, list) else [body]:
            if isinstance(obj, dict) and "kind" in obj:
                md = obj.get("metadata") or {}
                out.append(
                    (
                        str(obj["kind"]),
                        str(md.get("name") or md.get("generateName") or ""),
                        str(md.get("namespace") or ""),
                        source,
                    )
                )
    return out


def _helm_copy(chart: ChartSource) -> tuple[Path, Path | None]:
    """The chart as the helm CLI can render it: without dependencies missing from charts/
    (the CLI refuses them, the SDK renders without them)."""
    missing = {m.name for m in missing_dependencies(chart)}
    if not missing:
        return chart.path, None
    copy = _without_dependencies(chart, missing)
    return copy, copy.parent


def _compare(chart_dir: Path, discover_modes: bool) -> tuple[int, list[str]]:
    source = load_source(str(chart_dir))
    assert isinstance(source, ChartSource)
    kube = parse_kube_versions(KUBE)
    matrix = render_matrix(
        source,
        MatrixOptions(
            kube_versions=kube, offline=True, discover_modes=discover_modes, upgrades=False
        ),
    )
    helm_chart, scratch = _helm_copy(source)
    kv = kube[0]
    problems: list[str] = []
    compared = 0
    # a template with random output may name its objects at random (jenkins' test Pods):
    # those are compared by kind, namespace and template
    analysis = analyze(chart_dir)
    random = analysis.random if analysis is not None else set()

    def named(key: ObjectKey) -> ObjectKey:
        return (key[0], "<random>", *key[2:]) if key[3] in random else key

    try:
        for render in matrix.renders:
            ours = Counter(named((o.kind, o.name, o.namespace, o.source)) for o in render.objects)
            for cell in render.cells:
                found = _helm_objects(
                    helm_chart, matrix.plan.values[cell], kv.helm, api_versions_for(kv)
                )
                theirs = found if isinstance(found, str) else [named(k) for k in found]
                compared += 1
                if isinstance(theirs, str):
                    problems.append(f"{cell.name}: helm fails, seatrial renders: {theirs}")
                elif Counter(theirs) != ours:
                    only_helm = sorted((Counter(theirs) - ours).elements())
                    only_ours = sorted((ours - Counter(theirs)).elements())
                    problems.append(
                        f"{cell.name}: only helm {only_helm}, only seatrial {only_ours}"
                    )
        for failure in matrix.failures:
            theirs = _helm_objects(
                helm_chart, matrix.plan.values[failure.cell], kv.helm, api_versions_for(kv)
            )
            compared += 1
            if not isinstance(theirs, str):
                problems.append(
                    f"{failure.cell.name}: seatrial fails ({failure.message}), "
                    f"helm renders {len(theirs)} objects"
                )
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return compared, problems


needs_helm = pytest.mark.skipif(not Path(HELM).is_file(), reason=f"no helm CLI at {HELM}")


@needs_helm
@pytest.mark.parametrize("chart", CORPUS, ids=[p.name for p in CORPUS])
def test_same_objects_as_helm_template_on_the_corpus(chart: Path) -> None:
    """Defaults and every `ci/*-values.yaml` (SEATRIAL_DIFF_ALL_CELLS=1: every mode cell too)."""
    compared, problems = _compare(chart, bool(os.environ.get("SEATRIAL_DIFF_ALL_CELLS")))
    assert compared >= 1
    assert problems == []


@needs_helm
def test_same_objects_as_helm_template_on_the_glued_comment_fixture() -> None:
    compared, problems = _compare(CHARTS / "split-comment", True)
    assert (compared, problems) == (2, [])
