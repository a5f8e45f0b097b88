"""ST402 reads hook annotations the way Helm does: trimmed and lower-cased."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import invoke

MANIFESTS = Path(__file__).resolve().parent.parent / "fixtures" / "realistic" / "manifests"


def st402(name: str, expect: int) -> list[tuple[str, str, str, int | None]]:
    path = MANIFESTS / name
    result = invoke(
        "check",
        str(path),
        "--offline",
        "--format",
        "json",
        "--only",
        "ST402",
        "--fail-on",
        "warning",
    )
    assert result.exit_code == expect, result.output
    return [
        (f["check"], f["object"]["name"], f["source"]["file"], f["source"]["line"])
        for f in json.loads(result.stdout)["findings"]
    ]


def test_helm_spelling_of_hook_annotations_passes() -> None:
    assert st402("hooks-helm-spelling-pass.yaml", expect=0) == []


def test_policy_without_before_hook_creation_still_found() -> None:
    assert st402("hooks-helm-spelling-fail.yaml", expect=1) == [
        ("ST402", "db-migrate", str(MANIFESTS / "hooks-helm-spelling-fail.yaml"), 9)
    ]
