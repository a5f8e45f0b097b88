"""--rootfs-from-image: the image's filesystem is the sandbox root. The image is built from
this machine's bash, coreutils and sed (with their libraries) and served by the real
registry on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from testkit.oci import Entry, File, Symlink, push_image
from tests.conftest import Registry
from tests.converge.support import FIXTURES, brief, invoke, invoke_json

TOOLS = ("bash", "sed", "mkdir", "chmod", "rm", "env")
SCRIPT = "/opt/kata-artifacts/scripts/kata-deploy.sh"


def _add_host_path(files: dict[str, Entry], path: str) -> None:
    """`path` as this machine has it, symlinks along the way included."""
    parts = [p for p in path.split("/") if p]
    current = ""
    for i, part in enumerate(parts):
        current += "/" + part
        if os.path.islink(current):
            target = os.readlink(current)
            files[current] = Symlink(target)
            base = (
                target if target.startswith("/") else os.path.join(os.path.dirname(current), target)
            )
            _add_host_path(files, os.path.normpath("/".join([base, *parts[i + 1 :]])))
            return
    files[current] = File(Path(current).read_bytes(), os.stat(current).st_mode & 0o777)


def tools_layer() -> dict[str, Entry]:
    files: dict[str, Entry] = {}
    for tool in TOOLS:
        program = shutil.which(tool)
        assert program is not None, tool
        _add_host_path(files, program)
        ldd = subprocess.run(["ldd", program], capture_output=True, text=True, check=True)
        for line in ldd.stdout.splitlines():
            words = [w for w in line.split() if w.startswith("/")]
            if words:
                _add_host_path(files, words[0])
    return files


@pytest.fixture(scope="module")
def kata_image(registry: Registry) -> str:
    files = tools_layer()
    files[SCRIPT] = File((FIXTURES / "kata-chart-scripts" / "kata-deploy.sh").read_bytes(), 0o755)
    push_image(registry.url, "converge/kata-rootfs", "v1", files=files)
    return f"{registry.host}/converge/kata-rootfs"


@pytest.fixture(autouse=True)
def _in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(FIXTURES)
    yield


def test_kata_deploy_runs_from_its_image_filesystem(kata_image: str) -> None:
    code, doc = invoke_json(
        "kata-chart",
        "--workload",
        "DaemonSet/kata-deploy",
        "--state",
        "s3/seed",
        "--rootfs-from-image",
        "--set",
        f"image.reference={kata_image}",
        "--set",
        "image.tag=v1",
        "--set",
        "env.multiInstallSuffix=cicd",
    )
    assert code == 1, doc
    assert brief(doc) == [("ST501", "s3/seed/etc/kata-containers/configuration.toml", 3)]
    assert "grows by '-cicd' at every run" in doc["findings"][0]["message"]


def test_the_root_is_the_image_not_this_machine(kata_image: str, tmp_path: Path) -> None:
    manifest = tmp_path / "probe.yaml"
    manifest.write_text(f"""\
apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  containers:
    - name: probe
      image: {kata_image}:v1
      command: ["bash", "-c", "test -e /usr/bin/python3 && echo host || echo image; ls /"]
      volumeMounts:
        - name: etc
          mountPath: /host/etc
  volumes:
    - name: etc
      hostPath:
        path: /etc
""")
    code, doc = invoke_json(
        str(manifest),
        "--workload",
        "Pod/probe",
        "--state",
        "s3/seed",
        "--rootfs-from-image",
        "--runs",
        "2",
    )
    assert code == 1  # `ls` is not in the image
    output = doc["summary"]["converge"]["runs"][0]["output"]
    assert output == ["image", "bash: line 1: ls: command not found"]
    assert brief(doc)[0][0] == "ST503"


def test_program_missing_from_the_image(kata_image: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"""\
apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
    - name: bad
      image: {kata_image}:v1
      command: ["/opt/missing.sh"]
      volumeMounts:
        - {{name: etc, mountPath: /host/etc}}
  volumes:
    - {{name: etc, hostPath: {{path: /etc}}}}
""")
    result = invoke(str(bad), "--workload", "Pod/bad", "--state", "s3/seed", "--rootfs-from-image")
    assert result.exit_code == 2
    assert result.stderr == (
        f"seatrial: error: Pod/bad container bad runs /opt/missing.sh, "
        f"which is not in the image {kata_image}:v1\n"
    )


def test_unpack_drops_set_id_bits_and_never_writes_through_a_link(
    registry: Registry, tmp_path: Path
) -> None:
    from seatrial.converge.rootfs import unpack_rootfs
    from seatrial.facts.image import ImageFacts
    from seatrial.images.gather import ImageOptions, gather_images

    outside = tmp_path / "outside"
    outside.mkdir()
    files: dict[str, Entry] = {
        "/usr/bin/su": File(b"su", 0o4755),
        "/opt/link": Symlink(str(outside)),
        "/opt/link/planted": File(b"x"),  # the link is replaced by a directory, as overlay does
        "/etc/hosts": File(b"127.0.0.1 localhost\n"),
        "/etc/hosts.link": Symlink("/etc/hosts"),
    }
    push_image(registry.url, "converge/hostile", "v1", files=files)
    ref = f"{registry.host}/converge/hostile:v1"
    facts = gather_images([ref], ImageOptions())[ref]
    assert isinstance(facts, ImageFacts)
    dest = tmp_path / "root"
    dest.mkdir()
    unpack_rootfs(facts, dest)
    assert list(outside.iterdir()) == []
    assert (dest / "opt/link").is_dir() and not (dest / "opt/link").is_symlink()
    assert (dest / "opt/link/planted").read_bytes() == b"x"
    assert (dest / "usr/bin/su").stat().st_mode & 0o7777 == 0o755
    assert os.readlink(dest / "etc/hosts.link") == "/etc/hosts"
    assert (dest / "etc/hosts").read_text() == "127.0.0.1 localhost\n"
