"""Generate docs/checks/ from the check docstrings: `python -m seatrial.checks.docgen DIR`.

A test regenerates into a temp dir and fails when the committed pages are stale."""

from __future__ import annotations

import sys
from pathlib import Path

from seatrial.checks.catalog import all_checks
from seatrial.checks.registry import CheckSpec, Scope

_SCOPE = {
    Scope.CONTAINER: "`seatrial check`, per container",
    Scope.WORKLOAD: "`seatrial check`, per workload",
    Scope.CELL: "`seatrial check`, per render",
    Scope.MATRIX: "`seatrial check`, across the matrix",
    Scope.COMMAND: "its own command",
}


def page(spec: CheckSpec) -> str:
    return (
        f"# {spec.id} {spec.slug}\n\n"
        f"Default severity: **{spec.severity.label}**. Run by {_SCOPE[spec.scope]}.\n\n"
        f"{spec.doc}\n\n"
        f'Suppress with `seatrial.io/ignore: "{spec.id}"` on the object, '
        f"`{{{{/* seatrial:ignore {spec.id} reason */}}}}` on or above the template line, "
        f"or an `ignore:` entry in `.seatrial.yaml`.\n"
    )


def index() -> str:
    rows = "\n".join(
        f"| [{s.id}]({s.id}.md) | `{s.slug}` | {s.severity.label} | {s.summary} |"
        for s in all_checks()
    )
    return (
        "# Checks\n\nGenerated from the check modules' docstrings "
        "(`python -m seatrial.checks.docgen docs/checks`).\n\n"
        "| id | slug | severity | what it finds |\n|---|---|---|---|\n" + rows + "\n"
    )


def generate() -> dict[str, str]:
    out = {"README.md": index()}
    for spec in all_checks():
        out[f"{spec.id}.md"] = page(spec)
    return out


def main(argv: list[str]) -> int:
    target = Path(argv[0] if argv else "docs/checks")
    target.mkdir(parents=True, exist_ok=True)
    pages = generate()
    for old in target.glob("ST*.md"):
        if old.name not in pages:
            old.unlink()
    for name, text in pages.items():
        (target / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
