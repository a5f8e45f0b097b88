"""Every scenario, in every collected layout, is explained with the right class, related
check and object; nothing more, nothing less."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from testkit.cluster import (
    Scenario,
    extra_inputs,
    write_bundle,
    write_bundle_tar,
    write_container_logs,
    write_dump,
    write_get_json,
)
from testkit.scenarios import ALL
from tests.cli_runner import invoke

SCENARIOS = [make() for make in ALL]
LAYOUTS = ["get-json", "cluster-info-dump", "bundle-dir", "bundle-tar"]


def layout_inputs(s: Scenario, layout: str, tmp: Path) -> list[str]:
    if layout == "get-json":
        return [str(write_get_json(s, tmp / "get.json")), *write_container_logs(s, tmp / "logs")]
    if layout == "cluster-info-dump":
        root = write_dump(s, tmp / "dump")
        return [str(root), *extra_inputs(root)]
    if layout == "bundle-dir":
        return [str(write_bundle(s, tmp / "bundle"))]
    return [str(write_bundle_tar(s, tmp / "bundle.tar.gz", tmp))]


def run_json(args: list[str]) -> tuple[int, dict[str, Any], str]:
    result = invoke("explain", *args, "--format", "json", "--no-link")
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, data, result.stdout


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario_is_explained(scenario: Scenario, layout: str, tmp_path: Path) -> None:
    code, data, out = run_json(layout_inputs(scenario, layout, tmp_path))
    got = sorted((d["class"], d["related_check"], d["object"]["name"]) for d in data["diagnoses"])
    assert got == sorted(scenario.expect), out
    assert code == (1 if scenario.expect else 0)
    assert "?>" not in out  # every placeholder of the explanation was filled
    for d in data["diagnoses"]:
        assert d["evidence"], d
        assert all(e["file"] for e in d["evidence"]), d["evidence"]
