"""ST204 image-unverifiable: the image could not be checked (offline, auth, network)."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import cell, image, matrix, violations
from tests.checks.test_st201_image_not_found import POD, REF

from seatrial.checks.registry import MatrixContext
from seatrial.checks.st204_image_unverifiable import image_unverifiable
from seatrial.facts.image import ImageProblem, ImageResult


def _run(images: dict[str, ImageResult]) -> MatrixContext:
    return matrix(cell(POD, images), images=images)


def failing(tmp: Path) -> MatrixContext:
    return _run({REF: ImageProblem("unverifiable", "registry answered 401 Unauthorized")})


def passing(tmp: Path) -> MatrixContext:
    return _run({REF: image(REF, entrypoint=("/app",), executables=("/app",))})


def test_the_reason_is_said(tmp_path: Path) -> None:
    (v,) = violations(image_unverifiable, failing(tmp_path))
    assert REF in v.message and "401 Unauthorized" in v.message
