"""Data flows one way: source -> render -> objects -> (images, shell) -> checks -> findings ->
report. No module imports a package later in the flow than its own."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "seatrial"

#: what each package may import (besides itself); `errors`, `findings`, `yamlguard` (the
#: alias-bomb-safe YAML loader every layer reads user YAML with) and `redact` (the secret and
#: control-character filter every output goes through) are the shared base
ALLOWED: dict[str, set[str]] = {
    "yamlguard": set(),
    "redact": set(),
    "errors": set(),
    "findings": set(),
    "config": {"errors", "findings", "yamlguard"},
    "source": {"errors", "yamlguard"},
    "objects": {"errors", "findings", "yamlguard", "redact"},
    "render": {"errors", "findings", "source", "objects", "yamlguard"},
    "images": {"errors", "findings", "objects", "redact"},
    "shell": {"errors", "findings", "objects"},
    # converge/ and assets/ gather their facts (upstream of their checks) and hold their command
    "checks": {"errors", "findings", "config", "source", "render", "objects", "images", "shell",
               "converge", "assets"},
    "report": {"errors", "findings", "redact"},
}


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [])
        out |= {n.split(".")[1] for n in names if n.startswith("seatrial.")}
    return out


def test_no_module_reaches_back_up_the_flow() -> None:
    bad = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).parts
        package = rel[0].removesuffix(".py")
        if package not in ALLOWED:
            continue
        for target in _imports(path) - {package} - ALLOWED[package]:
            bad.append(f"{path.relative_to(SRC)} imports seatrial.{target}")
    assert bad == []
