"""A dependency missing from charts/ is fetched from its OCI registry when reachable (here the
test registry on 127.0.0.1), and reported as ST103 when not."""

from __future__ import annotations

from pathlib import Path

import helm_python
import pytest
from tests.cli_runner import run

COMMON = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-common
data:
  from: subchart
"""


def _app(root: Path, repository: str) -> Path:
    app = root / "app"
    (app / "templates").mkdir(parents=True)
    (app / "Chart.yaml").write_text(
        "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
        f"  - name: seatrial-common\n    version: 0.3.0\n    repository: {repository}\n"
    )
    (app / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n"
    )
    return app


def test_missing_dependency_is_fetched_from_a_reachable_oci_registry(registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    common = tmp_path / "src" / "seatrial-common"
    (common / "templates").mkdir(parents=True)
    (common / "Chart.yaml").write_text("apiVersion: v2\nname: seatrial-common\nversion: 0.3.0\n")
    (common / "templates" / "cm.yaml").write_text(COMMON)
    archive = helm_python.package(str(common), destination=str(tmp_path))
    helm_python.push(archive, f"oci://{registry.host}/charts", plain_http=True)

    app = _app(tmp_path, f"oci://{registry.host}/charts")
    res = run("check", app, "--no-images", "--format", "json")
    assert res.code == 0, res.out + res.err
    assert res.findings("ST103") == []
    assert res.json()["summary"]["objects"] == 2  # the subchart's ConfigMap was rendered
    assert not (app / "charts").exists()  # fetched into a scratch copy, not the user's chart


def test_unreachable_dependency_is_st103(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = _app(tmp_path, "oci://127.0.0.1:9/charts")  # nothing listens on port 9
    res = run("check", app, "--no-images", "--format", "json")
    (f,) = res.findings("ST103")
    assert f["source"] == {"file": "Chart.yaml", "line": 5}
    assert "could not be fetched" in f["message"]
    assert res.json()["summary"]["objects"] == 1


def _push_common(registry, tmp_path: Path, repo: str) -> None:  # type: ignore[no-untyped-def]
    common = tmp_path / "src" / "seatrial-common"
    (common / "templates").mkdir(parents=True)
    (common / "Chart.yaml").write_text("apiVersion: v2\nname: seatrial-common\nversion: 0.3.0\n")
    (common / "templates" / "cm.yaml").write_text(COMMON)
    archive = helm_python.package(str(common), destination=str(tmp_path))
    helm_python.push(archive, f"oci://{registry.host}/{repo}", plain_http=True)


@pytest.mark.parametrize("locked", [False, True])
@pytest.mark.parametrize("offline", [False, True])
def test_dependency_on_a_public_registry_comes_through_the_mirror(  # type: ignore[no-untyped-def]
    registry, tmp_path, locked: bool, offline: bool
) -> None:
    """Air-gapped CI: Chart.yaml names ghcr.io, --registry-mirror sends the fetch to the
    mirror on 127.0.0.1 (prefix included); a Chart.lock's version is the one fetched."""
    _push_common(registry, tmp_path, "mirror/org/charts")
    app = _app(tmp_path, "oci://ghcr.io/org/charts")
    if locked:
        (app / "Chart.yaml").write_text(
            (app / "Chart.yaml")
            .read_text()
            .replace("version: 0.3.0\n    repository", "version: ~0.3.0\n    repository")
        )
        (app / "Chart.lock").write_text(
            "dependencies:\n- name: seatrial-common\n  repository: oci://ghcr.io/org/charts\n"
            "  version: 0.3.0\ndigest: sha256:0\ngenerated: '2024-01-01T00:00:00Z'\n"
        )
    before = len(registry.requests())
    res = run(
        "check",
        app,
        "--no-images",
        "--format",
        "json",
        "--registry-mirror",
        f"ghcr.io={registry.host}/mirror",
        *(["--offline"] if offline else []),
    )
    assert res.code == 0, res.out + res.err
    assert res.findings("ST103") == []
    assert res.json()["summary"]["objects"] == 2
    assert any(
        p.startswith("/v2/mirror/org/charts/seatrial-common/")
        for _, p, _ in registry.requests()[before:]
    )


def test_offline_without_a_mirror_fetches_nothing(registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = _app(tmp_path, "oci://ghcr.io/org/charts")
    res = run("check", app, "--no-images", "--format", "json", "--offline")
    (f,) = res.findings("ST103")
    assert "offline" in f["message"]
