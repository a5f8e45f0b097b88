"""Helpers for the converge tests: run the real command (real bubblewrap), read its JSON."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from click.testing import Result
from tests import cli_runner

FIXTURES = Path(__file__).resolve().parent / "fixtures"
S3 = FIXTURES / "s3"


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return cli_runner.invoke("converge", *args, env=env)


def invoke_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = invoke("--format", "json", *args)
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    return result.exit_code, json.loads(result.stdout)


def brief(doc: dict[str, Any]) -> list[tuple[str, str, int | None]]:
    """(check, file, line) of every finding, in report order."""
    return [
        (
            f["check"],
            f["source"]["file"] if f["source"] else "",
            f["source"]["line"] if f["source"] else None,
        )
        for f in doc["findings"]
    ]


def tree_digest(root: Path) -> str:
    """Everything that makes a tree byte-identical: paths, types, modes, contents, symlink
    targets and modification times."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in sorted(os.walk(root)):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            st = p.lstat()
            h.update(f"{p.relative_to(root)}|{st.st_mode}|{st.st_mtime_ns}|".encode())
            if p.is_symlink():
                h.update(os.readlink(p).encode())
            elif p.is_file():
                h.update(p.read_bytes())
    return h.hexdigest()
