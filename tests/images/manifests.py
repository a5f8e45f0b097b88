"""Plain Pod manifests for check tests, and where a field landed in them."""

from __future__ import annotations

from pathlib import Path

PODS = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
{volumes}  containers:
    - name: main
      image: {image}
{body}"""


def pod(name: str, image: str, body: str, volumes: str = "") -> str:
    return PODS.format(name=name, image=image, body=body, volumes=volumes)


def line(path: Path, pod_name: str, needle: str) -> int:
    lines = path.read_text().splitlines()
    start = next(i for i, ln in enumerate(lines) if ln == f"  name: {pod_name}")
    return next(i for i, ln in enumerate(lines[start:], start + 1) if needle in ln)
