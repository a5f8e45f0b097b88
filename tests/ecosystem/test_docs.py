"""The recipes in docs/ci.md and docs/getting-started.md work as written."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from tests.cli_runner import run

ROOT = Path(__file__).resolve().parents[2]
CI = (ROOT / "docs" / "ci.md").read_text()


def blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", text, re.S | re.M)


def test_every_yaml_recipe_parses() -> None:
    docs = [yaml.safe_load(b) for b in blocks(CI, "yaml")]
    assert len(docs) == 4
    workflow, gitlab, pre_commit = docs[0], docs[1], docs[2]
    steps = workflow["jobs"]["charts"]["steps"]
    assert steps[1]["uses"] == "seatrial/seatrial@main"
    assert (
        gitlab["seatrial"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    )
    hook_ids = [h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())]
    assert pre_commit["repos"][0]["hooks"][0]["id"] in hook_ids


def test_getting_started_commands_exist() -> None:
    text = (ROOT / "docs" / "getting-started.md").read_text()
    commands = {m.split()[1] for m in re.findall(r"^\$? ?seatrial [a-z-]+", text, re.M)}
    listed = set(run("--help").out.split("Commands:")[1].split())
    assert commands and commands <= listed, commands - listed
