"""ST201 image-not-found: the registry says the image does not exist."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import cell, image, matrix, violations

from seatrial.checks.registry import MatrixContext
from seatrial.checks.st201_image_not_found import image_not_found
from seatrial.facts.image import ImageProblem, ImageResult

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: reg.example/app:1.2.3
"""
REF = "reg.example/app:1.2.3"


def _run(images: dict[str, ImageResult]) -> MatrixContext:
    return matrix(cell(POD, images), images=images)


def failing(tmp: Path) -> MatrixContext:
    return _run({REF: ImageProblem("not-found", "manifest unknown", ("1.2.2", "1.3.0"))})


def passing(tmp: Path) -> MatrixContext:
    return _run({REF: image(REF, entrypoint=("/app",), executables=("/app",))})


def test_the_missing_image_is_named_with_the_nearest_tags(tmp_path: Path) -> None:
    (v,) = violations(image_not_found, failing(tmp_path))
    assert REF in v.message and "1.2.2" in v.message + v.fix
