"""End to end through `seatrial check` and the real registry: S1, S2, the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit.oci import busybox_layer, push_image, push_ko_image
from tests.cli_runner import Run, run
from tests.conftest import Registry

ROOT = Path(__file__).resolve().parents[2]
S1 = ROOT / "examples" / "s1-manager-kind"
S1_FIXED = ROOT / "examples" / "s1-manager-kind-fixed"
CHARTS = Path(__file__).resolve().parent / "charts"


def check(registry: Registry, chart: Path, *extra: str, cache: Path | None = None) -> Run:
    env = {"SEATRIAL_CACHE_DIR": str(cache)} if cache else None
    return run(
        "check",
        chart,
        "--format",
        "json",
        "--registry-mirror",
        f"docker.io={registry.host}",
        *extra,
        env=env,
    )


def line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln)


@pytest.fixture(scope="module")
def capsule(registry: Registry) -> str:
    return push_ko_image(registry.url, "clastix/capsule", "v0.10.0", "capsule")


def test_s1_command_not_in_image_only_in_daemonset_mode(
    registry: Registry, capsule: str, tmp_path: Path
) -> None:
    res = check(registry, S1, cache=tmp_path)
    assert res.code == 1, res.err
    (f,) = res.findings("ST203")
    assert f["severity"] == "error"
    assert f["object"]["kind"] == "DaemonSet"
    assert f["object"]["name"] == "release-name-capsule-controller-manager"
    assert f["container"] == "manager"
    assert f["source"] == {
        "file": "templates/daemonset.yaml",
        "line": line_of(S1 / "templates/daemonset.yaml", "command:"),
    }
    assert f["message"] == (
        "`command` runs /manager, which does not exist in image docker.io/clastix/capsule:v0.10.0"
    )
    assert f["fix"] == "remove `command`; the image's ENTRYPOINT /ko-app/capsule runs instead"
    assert {c["values"].get("manager.kind") for c in f["cells"]} == {"DaemonSet"}
    assert not res.findings("ST201", "ST202", "ST204")
    (info,) = res.findings("ST205")
    assert info["object"]["kind"] == "DaemonSet" and info["severity"] == "info"


def test_s1_fixed_twin_is_clean(registry: Registry, capsule: str, tmp_path: Path) -> None:
    res = check(registry, S1_FIXED, cache=tmp_path)
    assert res.code == 0, res.out
    assert res.findings("ST201", "ST202", "ST203", "ST204", "ST205") == []


def test_second_check_downloads_no_blob(registry: Registry, capsule: str, tmp_path: Path) -> None:
    first = check(registry, S1, cache=tmp_path)
    assert first.code == 1
    gets = registry.blob_gets()
    assert any("/v2/clastix/capsule/blobs/" in p for p in gets)
    second = check(registry, S1, cache=tmp_path)
    assert second.findings() == first.findings()
    assert registry.blob_gets()[len(gets) :] == []
    offline = check(registry, S1, "--offline", cache=tmp_path)
    assert offline.findings("ST203") == first.findings("ST203")


@pytest.fixture(scope="module")
def kubectl(registry: Registry) -> None:
    for tag in ("v1.29", "v1.30", "v1.31"):
        push_image(
            registry.url,
            "clastix/kubectl",
            tag,
            files=busybox_layer("kubectl"),
            entrypoint=["/bin/kubectl"],
        )


def test_s2_tag_from_kube_version(registry: Registry, kubectl: None, tmp_path: Path) -> None:
    chart = CHARTS / "s2-kube-version-tag"
    res = check(registry, chart, "--kube-versions", "1.29-1.33", cache=tmp_path)
    assert res.code == 1, res.err
    template = chart / "templates" / "crds-job.yaml"
    image_line = line_of(template, "image:")
    (nf,) = res.findings("ST201")
    assert nf["object"] == {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "namespace": "",
        "name": "release-name-crds",
    }
    assert nf["source"] == {"file": "templates/crds-job.yaml", "line": image_line}
    assert [c["kube_version"] for c in nf["cells"]] == ["1.32", "1.33"]
    assert nf["message"] == (
        "images do not exist: docker.io/clastix/kubectl:v1.32 on Kubernetes 1.32; "
        "docker.io/clastix/kubectl:v1.33 on Kubernetes 1.33; nearest published tags: v1.31"
    )
    assert "v1.31" in nf["fix"]
    (drift,) = res.findings("ST202")
    assert drift["severity"] == "warning"
    assert drift["source"] == nf["source"]
    assert [c["kube_version"] for c in drift["cells"]] == ["1.29", "1.30", "1.31", "1.32", "1.33"]
    assert "1.29: v1.29" in drift["message"] and "not published: v1.32, v1.33" in drift["message"]
    assert not res.findings("ST203", "ST204")


def test_s2_pinned_twin_is_clean(registry: Registry, kubectl: None, tmp_path: Path) -> None:
    res = check(
        registry,
        CHARTS / "s2-kube-version-tag-pinned",
        "--kube-versions",
        "1.29-1.33",
        cache=tmp_path,
    )
    assert res.code == 0, res.out
    assert res.findings("ST201", "ST202", "ST203", "ST204") == []
