"""Data flows one way: source -> render -> objects -> (images, shell, converge, assets,
explain) -> checks -> findings -> report, with the commands (and their faces, `api` and
`cli`) on top. No module imports a package later in the flow than its own."""

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
    # the other commands' fact gathering: below the checks, which read their facts
    "converge": {"errors", "findings", "objects", "render", "source", "images", "redact",
                 "yamlguard"},
    "assets": {"errors", "findings", "images", "redact", "yamlguard"},
    "explain": {"errors", "findings", "objects", "render", "source", "redact", "yamlguard"},
    "checks": {"errors", "findings", "config", "source", "render", "objects", "images", "shell",
               "converge", "assets"},
    "report": {"errors", "findings", "redact"},
    "cli_support": {"errors", "redact"},
    # the commands: orchestration above every domain package, through the one findings
    # pipeline (commands.pipeline); `api` and `cli` are their Python and shell faces
    "commands": {"errors", "findings", "config", "source", "render", "objects", "images",
                 "shell", "checks", "converge", "assets", "explain", "report", "redact",
                 "yamlguard", "cli_support", "progress"},
    "scaffold": {"errors", "findings", "config", "source", "render", "checks", "report",
                 "cli_support", "yamlguard"},
    "progress": set(),
    "completion": {"errors", "cli_support", "cli"},
    "api": {"commands"},
    "cli": {"errors", "findings", "config", "source", "render", "objects", "images", "shell",
            "checks", "report", "redact", "cli_support", "commands", "progress", "completion",
            "scaffold"},
}


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [])
        out |= {n.split(".")[1] for n in names if n.startswith("seatrial.")}
    return out


def test_every_package_has_a_place_in_the_flow() -> None:
    here = {p.name.removesuffix(".py") for p in SRC.iterdir()
            if (p.suffix == ".py" or (p / "__init__.py").is_file()) and p.name != "__init__.py"}
    assert sorted(here - set(ALLOWED)) == []


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
