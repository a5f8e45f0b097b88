"""ST202 tag-follows-cluster-version: the image tag is computed from the Kubernetes version,
so each cluster version pulls another image (here the newer one is not published)."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import cell, image, matrix, violations

from seatrial.checks.registry import MatrixContext
from seatrial.checks.st202_tag_follows_cluster_version import tag_follows_cluster_version
from seatrial.facts.image import ImageProblem, ImageResult
from seatrial.findings import Cell

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: kubectl
spec:
  containers:
    - name: c
      image: reg.example/kubectl:{tag}
"""


def _run(tags: dict[str, str], images: dict[str, ImageResult]) -> MatrixContext:
    return matrix(
        *(cell(POD.format(tag=tag), images, Cell(kube)) for kube, tag in tags.items()),
        images=images,
    )


def failing(tmp: Path) -> MatrixContext:
    return _run(
        {"1.30": "v1.30", "1.31": "v1.31"},
        {
            "reg.example/kubectl:v1.30": image("reg.example/kubectl:v1.30"),
            "reg.example/kubectl:v1.31": ImageProblem("not-found", "manifest unknown"),
        },
    )


def passing(tmp: Path) -> MatrixContext:
    return _run(
        {"1.30": "v1.30", "1.31": "v1.30"},
        {"reg.example/kubectl:v1.30": image("reg.example/kubectl:v1.30")},
    )


def test_the_tags_per_cluster_version_are_listed(tmp_path: Path) -> None:
    (v,) = violations(tag_follows_cluster_version, failing(tmp_path))
    assert "1.30: v1.30, 1.31: v1.31" in v.message
