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


def test_the_normalized_reference_is_not_said_twice(tmp_path: Path) -> None:
    pod = POD.replace(REF, "busybox")
    reason = "docker.io/library/busybox:latest: offline, and never resolved into the cache"
    images: dict[str, ImageResult] = {"busybox": ImageProblem("unverifiable", reason)}
    (v,) = violations(image_unverifiable, matrix(cell(pod, images), images=images))
    assert v.message == (
        "image busybox could not be verified: offline, and never resolved into the cache"
    )
