"""Finding paths as CI systems want them: relative to the working directory (the checkout)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from seatrial.findings import Finding, Summary


def repo_path(summary: Summary, f: Finding) -> str:
    """The finding's file relative to the current directory when it lies below it (as GitHub
    and GitLab resolve paths against the checkout), else chart-relative."""
    file = f.source.file if f.source and f.source.file else ""
    root = str(summary.attachments.get("root") or "")
    if not root.startswith("file://"):
        return file
    base = Path(unquote(urlparse(root).path))
    full = base / file if file else base
    try:
        rel = full.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return file
    return rel.as_posix() if rel.parts else "."


def one_line(text: str) -> str:
    return " ".join(text.split())
