"""ST203 and ST205 on plain manifests whose images live in the real registry: each case is
one Pod; the test asserts the exact set of findings (object, message, file, line)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from testkit.oci import Dir, File, Symlink, push_image
from tests.cli_runner import invoke
from tests.conftest import Registry
from tests.images.manifests import line, pod

CASES: dict[str, tuple[str, str, str]] = {
    # name: (image key, container body, pod volumes)
    "missing-abs": ("tools", '      command: ["/manager"]\n', ""),
    "not-on-path": ("tools", '      command: ["kubectl", "version"]\n', ""),
    "not-executable": ("tools", '      command: ["/app/data.txt"]\n', ""),
    "directory": ("tools", '      command: ["/app"]\n', ""),
    "symlink-loop": ("tools", '      command: ["/usr/bin/loop"]\n', ""),
    "ep-missing": ("ep", '      args: ["--x"]\n', ""),
    "script-missing": ("tools", '      command: ["sh", "/opt/install.sh"]\n', ""),
    "script-not-in-cm": (
        "tools",
        '      command: ["bash"]\n      args: ["-e", "/cfg/run.sh"]\n'
        "      volumeMounts:\n        - name: cfg\n          mountPath: /cfg\n",
        "  volumes:\n    - name: cfg\n      configMap:\n        name: scripts\n",
    ),
    # passing cases
    "path-from-env": (
        "tools",
        '      command: ["kubectl"]\n      env:\n        - name: PATH\n'
        "          value: /usr/bin:/opt/tools\n",
        "",
    ),
    "symlinked-program": ("tools", '      command: ["/usr/local/bin/app"]\n', ""),
    "relative-to-workdir": ("tools", '      command: ["./run"]\n      workingDir: /app\n', ""),
    "inline-shell": ("tools", '      command: ["sh", "-c", "exec /nowhere"]\n', ""),
    "script-in-image": ("tools", '      command: ["/bin/sh", "/opt/ok.sh"]\n', ""),
    "script-in-cm": (
        "tools",
        '      command: ["sh", "/cfg/ok.sh"]\n'
        "      volumeMounts:\n        - name: cfg\n          mountPath: /cfg\n",
        "  volumes:\n    - name: cfg\n      configMap:\n        name: scripts\n",
    ),
    "script-in-emptydir": (
        "tools",
        '      command: ["sh", "/work/gen.sh"]\n'
        "      volumeMounts:\n        - name: w\n          mountPath: /work\n",
        "  volumes:\n    - name: w\n      emptyDir: {}\n",
    ),
    "program-in-volume": (
        "tools",
        '      command: ["/bin-extra/tool"]\n'
        "      volumeMounts:\n        - name: w\n"
        "          mountPath: /bin-extra\n",
        "  volumes:\n    - name: w\n      emptyDir: {}\n",
    ),
    "image-entrypoint": ("ko", "", ""),
    "image-cmd": ("cmd", "", ""),
    "same-as-entrypoint": ("ko", '      command: ["/ko-app/app"]\n', ""),
}

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  ok.sh: |
    echo ok
"""


@pytest.fixture(scope="module")
def manifests(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = f"{registry.host}/st203"
    push_image(
        registry.url,
        "st203/tools",
        "1",
        env=["PATH=/usr/bin:/bin"],
        files={
            "/bin/sh": File(b"sh", 0o755),
            "/bin/bash": File(b"bash", 0o755),
            "/opt/tools/kubectl": File(b"kubectl", 0o755),
            "/usr/bin": Dir(),
            "/app/run": File(b"run", 0o755),
            "/app/data.txt": b"data",
            "/usr/bin/loop": Symlink("loop2"),
            "/usr/bin/loop2": Symlink("/usr/bin/loop"),
            "/opt/app/bin/app": File(b"app", 0o755),
            "/usr/local/bin/app": Symlink("../../../opt/app/bin/app"),
            "/opt/ok.sh": b"echo ok\n",
        },
    )
    push_image(
        registry.url,
        "st203/ep",
        "1",
        files={"/bin/sh": File(b"sh", 0o755)},
        entrypoint=["/docker-entrypoint.sh"],
    )
    push_image(
        registry.url,
        "st203/ko",
        "1",
        files={"/ko-app/app": File(b"app", 0o755)},
        entrypoint=["/ko-app/app"],
    )
    push_image(
        registry.url, "st203/cmd", "1", files={"/bin/sh": File(b"sh", 0o755)}, cmd=["/bin/sh"]
    )
    images = {k: f"{base}/{k}:1" for k in ("tools", "ep", "ko", "cmd")}
    docs = [CONFIGMAP] + [
        pod(name, images[img], body, vols) for name, (img, body, vols) in CASES.items()
    ]
    out = tmp_path_factory.mktemp("st203") / "pods.yaml"
    out.write_text("---\n".join(docs))
    return out


def run_check(manifests: Path, cache: Path) -> list[dict[str, Any]]:
    res = invoke(
        "check",
        str(manifests),
        "--format",
        "json",
        "--only",
        "ST203,ST205",
        env={"SEATRIAL_CACHE_DIR": str(cache)},
        catch_exceptions=False,
    )
    assert res.exit_code == 1, res.stderr
    found: list[dict[str, Any]] = json.loads(res.stdout)["findings"]
    return found


def test_st203_exact_findings(registry: Registry, manifests: Path, tmp_path: Path) -> None:
    found = run_check(manifests, tmp_path)
    got = {
        (f["object"]["name"], f["message"], f["source"]["line"])
        for f in found
        if f["check"] == "ST203"
    }
    img = f"{registry.host}/st203/tools:1"
    ep = f"{registry.host}/st203/ep:1"
    expected = {
        (
            "missing-abs",
            f"`command` runs /manager, which does not exist in image {img}",
            line(manifests, "missing-abs", "command:"),
        ),
        (
            "not-on-path",
            f"`command` runs kubectl, which is not on the PATH (/usr/bin:/bin) in image {img}",
            line(manifests, "not-on-path", "command:"),
        ),
        (
            "not-executable",
            f"`command` runs /app/data.txt, which is not executable in image {img}",
            line(manifests, "not-executable", "command:"),
        ),
        (
            "directory",
            f"`command` runs /app, which is a directory in image {img}",
            line(manifests, "directory", "command:"),
        ),
        (
            "symlink-loop",
            f"`command` runs /usr/bin/loop, which is a symlink loop in image {img}",
            line(manifests, "symlink-loop", "command:"),
        ),
        (
            "ep-missing",
            f"the image ENTRYPOINT runs /docker-entrypoint.sh, which does not exist in image {ep}",
            line(manifests, "ep-missing", "image:"),
        ),
        (
            "script-missing",
            f"sh runs script /opt/install.sh, which does not exist in image {img} "
            "and no volume is mounted there",
            line(manifests, "script-missing", "command:"),
        ),
        (
            "script-not-in-cm",
            "bash runs script /cfg/run.sh, which is not in ConfigMap scripts "
            "mounted at /cfg (keys: ok.sh)",
            line(manifests, "script-not-in-cm", "args:"),
        ),
    }
    assert got == expected
    fixes = {f["object"]["name"]: f["fix"] for f in found if f["check"] == "ST203"}
    assert fixes["not-on-path"] == "point `command` at /opt/tools/kubectl, which the image has"
    assert fixes["missing-abs"] == "point `command` at a program the image has, or fix the image"


def test_st205_exact_findings(registry: Registry, manifests: Path, tmp_path: Path) -> None:
    found = run_check(manifests, tmp_path)
    got = {
        (f["object"]["name"], f["severity"], f["source"]["line"])
        for f in found
        if f["check"] == "ST205"
    }
    assert got == set()  # only "same-as-entrypoint" sets command on an ENTRYPOINT image


def test_st205_flags_override(registry: Registry, tmp_path: Path) -> None:
    push_image(
        registry.url,
        "st205/ko",
        "1",
        files={"/ko-app/app": File(b"a", 0o755), "/bin/other": File(b"o", 0o755)},
        entrypoint=["/ko-app/app"],
    )
    image = f"{registry.host}/st205/ko:1"
    path = tmp_path / "pods.yaml"
    path.write_text(
        pod("override", image, '      command: ["/bin/other", "-v"]\n')
        + "---\n"
        + pod("keeps", image, '      args: ["-v"]\n')
    )
    res = invoke(
        "check",
        str(path),
        "--format",
        "json",
        "--only",
        "ST205",
        "--fail-on",
        "info",
        env={"SEATRIAL_CACHE_DIR": str(tmp_path / "c")},
    )
    assert res.exit_code == 1, res.stderr
    (f,) = json.loads(res.stdout)["findings"]
    assert (f["check"], f["object"]["name"], f["severity"]) == ("ST205", "override", "info")
    assert f["message"] == (
        f"`command` /bin/other -v replaces the image ENTRYPOINT /ko-app/app of {image}"
    )
    assert f["source"] == {"file": str(path), "line": line(path, "override", "command:")}
