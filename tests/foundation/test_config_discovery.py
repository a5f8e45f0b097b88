"""`.seatrial.yaml` discovery as ruff does it: the nearest one in the chart's folder or above,
up to the folder holding `.git`; a chart's own file keeps its trust rule (stricter only unless
--trust-chart-config); above a chart outside any repository nothing is searched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.cli_runner import run
from tests.foundation.helpers import EXAMPLES

LOWER = "severity:\n  ST102: warning\n"
DISABLE = "checks:\n  disable: [ST102]\n"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "s1-manager-kind", root / "deploy" / "charts" / "capsule")
    (root / ".git").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the working directory has no config of its own
    return root


CHART = Path("deploy") / "charts" / "capsule"


def st102(repo: Path, *extra: str) -> tuple[int, list[str], dict[str, object]]:
    res = run("check", repo / CHART, "--no-images", "--format", "json", *extra)
    doc = res.json()
    return res.code, [f["severity"] for f in res.findings("ST102")], doc["summary"]


def test_repository_root_config_applies_in_full(repo: Path) -> None:
    (repo / ".seatrial.yaml").write_text(DISABLE)
    code, found, summary = st102(repo)
    assert (code, found) == (0, [])
    assert summary["config"] == {"file": str(repo / ".seatrial.yaml"), "disabled": ["ST102"]}


def test_the_nearest_config_wins(repo: Path) -> None:
    (repo / ".seatrial.yaml").write_text(DISABLE)
    (repo / "deploy" / ".seatrial.yaml").write_text(LOWER)
    code, found, summary = st102(repo)
    assert (code, found) == (0, ["warning"])
    assert summary["config"]["file"] == str(repo / "deploy" / ".seatrial.yaml")


def test_no_search_above_the_repository_root(repo: Path) -> None:
    (repo.parent / ".seatrial.yaml").write_text(DISABLE)
    code, found, _ = st102(repo)
    assert (code, found) == (1, ["error"])


def test_no_search_outside_a_repository(repo: Path) -> None:
    (repo / ".git").rmdir()
    (repo / ".seatrial.yaml").write_text(DISABLE)
    code, found, _ = st102(repo)
    assert (code, found) == (1, ["error"])


def test_the_charts_own_config_is_still_stricter_only(repo: Path) -> None:
    (repo / ".seatrial.yaml").write_text(LOWER)
    (repo / CHART / ".seatrial.yaml").write_text(DISABLE)
    code, found, _ = st102(repo)
    assert (code, found) == (0, ["warning"])  # the root's lowering applies, not the disable
    code, found, _ = st102(repo, "--trust-chart-config")
    assert (code, found) == (0, [])


def test_working_directory_parents_up_to_its_repository(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A chart outside any repository (pulled, or elsewhere) gets the config of the
    repository the command runs in, found from a subfolder."""
    (repo / ".seatrial.yaml").write_text(DISABLE)
    outside = tmp_path / "outside"
    shutil.copytree(repo / CHART, outside)
    (repo / "docs").mkdir()
    monkeypatch.chdir(repo / "docs")
    res = run("check", outside, "--no-images", "--format", "json")
    assert (res.code, res.findings("ST102")) == (0, [])
