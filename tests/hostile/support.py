"""Shared helpers: run a command in-process with tracebacks failing the test."""

from __future__ import annotations

from pathlib import Path

from tests.cli_runner import invoke

BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def fails(args: list[str], *words: str) -> str:
    """Run `seatrial ARGS`: exit 2, exactly one stderr line holding every word; return it."""
    result = invoke(*args, catch_exceptions=False)
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("seatrial: error: "), lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert "Traceback" not in result.output
    return lines[0]


def chart(
    root: Path,
    chart_yaml: str = "apiVersion: v2\nname: x\nversion: 1.0.0\n",
    values: str = "",
    templates: dict[str, str] | None = None,
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "Chart.yaml").write_text(chart_yaml)
    (root / "values.yaml").write_text(values)
    (root / "templates").mkdir(exist_ok=True)
    for name, text in (templates or {}).items():
        (root / "templates" / name).write_text(text)
    return root
