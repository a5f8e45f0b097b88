"""ST201 and ST202 grouping across cells, on contexts built directly (no CLI): which cells a
finding lists, and that tags changing with a mode (not the Kubernetes version) stay quiet."""

from __future__ import annotations

from seatrial.checks.registry import CellContext, Facts, MatrixContext
from seatrial.checks.st201_image_not_found import image_not_found
from seatrial.checks.st202_tag_follows_cluster_version import tag_follows_cluster_version
from seatrial.facts.image import ImageProblem
from seatrial.findings import Cell
from seatrial.objects.extract import ObjectSet
from seatrial.objects.parse import parse_objects

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: crds
spec:
  template:
    spec:
      containers:
        - name: kubectl
          image: {image}
"""


def matrix(images: dict[Cell, str], facts: dict[str, object]) -> MatrixContext:
    renders = tuple(
        CellContext(
            (cell,),
            ObjectSet.build(parse_objects(JOB.format(image=image), "job.yaml", is_template=True)),
            Facts(facts),
        )
        for cell, image in images.items()
    )
    return MatrixContext(renders, (), (), (), frozenset(), {}, Facts(facts))


def cell(kube: str, mode: str = "defaults") -> Cell:
    values = () if mode == "defaults" else (("mode", mode),)
    return Cell(kube, values, mode)


MISSING = ImageProblem("not-found", "tag not published", ("v1.31",))


def test_tag_follows_version_within_each_mode_only() -> None:
    images = {
        cell("1.30"): "k:v1.30",
        cell("1.31"): "k:v1.31",
        cell("1.30", "ha"): "k:pinned",
        cell("1.31", "ha"): "k:pinned",
    }
    (v,) = tag_follows_cluster_version.func(matrix(images, {"k:v1.30": MISSING}))
    assert v.cells == (cell("1.30"), cell("1.31"))
    assert v.message == (
        "the image tag of container kubectl follows the Kubernetes version "
        "(1.30: v1.30, 1.31: v1.31); not published: v1.30"
    )
    assert v.field == ("spec", "template", "spec", "containers", 0, "image")
    assert v.obj is not None and v.obj.kind == "Job"


def test_tag_changing_with_mode_is_not_st202() -> None:
    images = {cell("1.30"): "k:a", cell("1.30", "ha"): "k:b"}
    assert list(tag_follows_cluster_version.func(matrix(images, {}))) == []
    assert list(tag_follows_cluster_version.func(matrix({cell("1.30"): "k:a"}, {}))) == []


def test_not_found_groups_cells_and_labels_modes() -> None:
    images = {
        cell("1.32"): "k:v1.32",
        cell("1.32", "ha"): "k:v1.32",
        cell("1.31"): "k:v1.31",
        cell("1.33"): "k:v1.33",
    }
    (v,) = image_not_found.func(matrix(images, {"k:v1.32": MISSING, "k:v1.33": MISSING}))
    assert v.cells == tuple(sorted([cell("1.32"), cell("1.32", "ha"), cell("1.33")]))
    assert v.message == (
        "images do not exist: k:v1.32 on Kubernetes 1.32 (defaults, ha); "
        "k:v1.33 on Kubernetes 1.33; nearest published tags: v1.31"
    )
