"""ST603 shadowed-executable: the pure PATH walk over a hand-built file index, and the check end
to end through `seatrial check` on an image pushed to the real registry."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import pytest
from testkit.oci import File, Symlink, push_image
from tests.cli_runner import invoke
from tests.conftest import Registry

from seatrial.checks.st603_shadowed_executable import shadowed
from seatrial.facts.files import DIR, FILE, SYMLINK, FileEntry, FileIndex

DEFAULT = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def index(files: dict[str, str | int]) -> FileIndex:
    """path -> mode (a file) or target (a symlink); parent directories are added."""
    entries = {"/": FileEntry("/", DIR, 0o755)}
    for path, spec in files.items():
        parent = posixpath.dirname(path)
        while parent not in entries:
            entries[parent] = FileEntry(parent, DIR, 0o755)
            parent = posixpath.dirname(parent)
        entries[path] = (
            FileEntry(path, SYMLINK, 0o777, target=spec)
            if isinstance(spec, str)
            else FileEntry(path, FILE, spec, size=1)
        )
    return FileIndex(entries)


USRMERGE = {"/bin": "usr/bin", "/sbin": "usr/sbin", "/usr/bin/sh": 0o755}


def test_two_copies_first_directory_wins() -> None:
    files = index({**USRMERGE, "/usr/local/bin/crictl": 0o755, "/usr/bin/crictl": 0o755})
    assert shadowed(files, DEFAULT) == [("crictl", ["/usr/local/bin/crictl", "/usr/bin/crictl"])]
    assert shadowed(files, "/usr/bin:/usr/local/bin") == [
        ("crictl", ["/usr/bin/crictl", "/usr/local/bin/crictl"])
    ]


def test_same_directory_through_symlink_and_aliases_are_not_shadowing() -> None:
    files = index(
        {
            **USRMERGE,
            "/usr/local/bin/sh": "/usr/bin/sh",
            "/usr/bin/ls": 0o755,
            "/opt/tool/bin/tool": 0o755,
            "/usr/local/bin/tool": "../../../opt/tool/bin/tool",
            "/usr/bin/tool": "/opt/tool/bin/tool",
        }
    )
    assert shadowed(files, DEFAULT) == []


def test_non_executables_missing_dirs_and_relative_entries_are_ignored() -> None:
    files = index(
        {
            "/usr/bin/tool": 0o755,
            "/usr/local/bin/tool": 0o644,
            "/app/tool": 0o755,
            "/usr/local/sbin/tool": "missing-target",
        }
    )
    assert shadowed(files, "/nowhere:/usr/local/sbin:/usr/local/bin:app:/usr/bin") == []


PODS = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
    - name: main
      image: {image}
      command: ["/usr/bin/sh"]
{env}"""


def test_st603_end_to_end(registry: Registry, tmp_path: Path) -> None:
    push_image(
        registry.url,
        "st603/tools",
        "1",
        files={
            "/usr/bin/sh": File(b"sh", 0o755),
            "/bin": Symlink("usr/bin"),
            "/usr/bin/crictl": File(b"crictl 1.28", 0o755),
            "/usr/local/bin/crictl": File(b"crictl 1.29", 0o755),
            "/usr/local/bin/sh": Symlink("/usr/bin/sh"),
        },
    )
    image = f"{registry.host}/st603/tools:1"
    env = "      env:\n        - name: PATH\n          value: {}\n"
    docs = [
        PODS.format(name="image-path", image=image, env=""),
        # the same image with its own PATH in a second workload: still one finding
        PODS.format(name="image-path-2", image=image, env=""),
        PODS.format(name="env-path", image=image, env=env.format("/usr/bin:/usr/local/bin")),
        PODS.format(name="one-dir", image=image, env=env.format("/usr/bin:/bin")),
    ]
    manifest = tmp_path / "pods.yaml"
    manifest.write_text("---\n".join(docs))
    res = invoke(
        "check",
        str(manifest),
        "--format",
        "json",
        "--only",
        "ST603",
        "--fail-on",
        "warning",
        env={"SEATRIAL_CACHE_DIR": str(tmp_path / "cache")},
        catch_exceptions=False,
    )
    assert res.exit_code == 1, res.stderr
    lines = manifest.read_text().splitlines()

    def line_of(pod: str, needle: str) -> int:
        start = lines.index(f"  name: {pod}")
        return next(i for i, ln in enumerate(lines[start:], start + 1) if needle in ln)

    findings = json.loads(res.stdout)["findings"]
    got = {
        (f["check"], f["severity"], f["object"]["name"], f["source"]["line"], f["message"])
        for f in findings
    }
    assert got == {
        (
            "ST603",
            "warning",
            "image-path",
            line_of("image-path", "image:"),
            f"crictl is in 2 directories of the image's PATH ({DEFAULT}) in image {image}: "
            "/usr/local/bin/crictl runs, shadowing /usr/bin/crictl (also run by Pod/image-path-2)",
        ),
        (
            "ST603",
            "warning",
            "env-path",
            line_of("env-path", "- name: PATH"),
            f"crictl is in 2 directories of the container's PATH (/usr/bin:/usr/local/bin) in image "
            f"{image}: /usr/bin/crictl runs, shadowing /usr/local/bin/crictl",
        ),
    }
    image_level = next(f for f in findings if f["object"]["name"] == "image-path")
    assert [(r["file"], r["line"]) for r in image_level["related"]] == [
        (image_level["source"]["file"], line_of("image-path-2", "image:"))
    ]


def test_assets_image_option_reports_st603_on_the_image_path(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEATRIAL_CACHE_DIR", str(tmp_path / "cache"))
    push_image(
        registry.url,
        "st603/assets",
        "1",
        env=["PATH=/opt/bin:/usr/bin"],
        files={
            "/usr/bin/helm": File(b"helm 3.13", 0o755),
            "/opt/bin/helm": File(b"helm 3.14", 0o755),
            "/usr/bin/kubectl": File(b"kubectl", 0o755),
        },
    )
    image = f"{registry.host}/st603/assets:1"
    res = invoke("assets", "--image", image, "--format", "json")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert [
        (f["check"], f["severity"], f["source"]["file"], f["message"]) for f in doc["findings"]
    ] == [
        (
            "ST603",
            "warning",
            image,
            f"helm is in 2 directories of the image's PATH "
            f"(/opt/bin:/usr/bin) in image {image}: /opt/bin/helm runs, shadowing /usr/bin/helm",
        )
    ]
    assert invoke("assets", "--image", image, "--fail-on", "warning").exit_code == 1
    missing = invoke("assets", "--image", f"{registry.host}/st603/none:1")
    assert missing.exit_code == 2 and missing.stderr.startswith("seatrial: error: image ")


# --- the fixtures the meta-test runs (tests/test_meta.py) ----------------------------------

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: node-tools
spec:
  containers:
    - name: c
      image: reg.example/tools:1
"""


def _run(files: dict[str, str | int]) -> object:
    from tests.checks.harness import cell, matrix

    from seatrial.facts.image import ImageFacts

    ref = "reg.example/tools:1"
    images = {ref: ImageFacts(ref, ref, "sha256:0", None, None, (), "", "", index(files))}
    return matrix(cell(POD, images), images=images)


def failing(tmp: Path) -> object:
    return _run({**USRMERGE, "/usr/local/bin/crictl": 0o755, "/usr/bin/crictl": 0o755})


def passing(tmp: Path) -> object:
    return _run({**USRMERGE, "/usr/local/bin/crictl": 0o755})
