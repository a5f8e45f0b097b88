"""`seatrial check` / `matrix` / `init` on hostile input: one error line, exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.hostile.support import BOMB, chart, fails

WEBAPP = str(Path(__file__).parents[1] / "fixtures" / "charts" / "webapp")
CHECK = ["check", "--offline", "--no-images"]


@pytest.mark.parametrize("cmd", [CHECK, ["matrix"], ["init"]])
def test_alias_bomb_in_values_yaml(tmp_path: Path, cmd: list[str]) -> None:
    c = chart(tmp_path / "c", values=BOMB)
    fails([*cmd, str(c)], "values.yaml:1", "excessive aliasing")


def test_alias_bomb_manifest_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(BOMB)
    fails([*CHECK, str(tmp_path / "m.yaml")], "m.yaml:1", "excessive aliasing")


def test_alias_bomb_in_config(tmp_path: Path) -> None:
    (tmp_path / "cfg.yaml").write_text(BOMB)
    fails([*CHECK, WEBAPP, "--config", str(tmp_path / "cfg.yaml")], "cfg.yaml:1", "invalid YAML")


def test_alias_bomb_in_values_file(tmp_path: Path) -> None:
    (tmp_path / "v.yaml").write_text(BOMB)
    fails([*CHECK, WEBAPP, "-f", str(tmp_path / "v.yaml")], "v.yaml:1", "invalid YAML")


def test_binary_values_file(tmp_path: Path) -> None:
    (tmp_path / "v.bin").write_bytes(b"\xe8\x00\xff" * 100)
    fails([*CHECK, WEBAPP, "-f", str(tmp_path / "v.bin")], "v.bin", "not UTF-8")


def test_values_file_is_a_directory(tmp_path: Path) -> None:
    fails([*CHECK, WEBAPP, "-f", str(tmp_path)], "cannot read values file", "directory")


def test_binary_config(tmp_path: Path) -> None:
    (tmp_path / "c.bin").write_bytes(b"\xe8\x00\xff" * 100)
    fails([*CHECK, WEBAPP, "--config", str(tmp_path / "c.bin")], "c.bin", "not UTF-8")


def test_unknown_only_id() -> None:
    fails([*CHECK, WEBAPP, "--only", "ST999"], "--only", "ST999")


def test_output_in_missing_directory(tmp_path: Path) -> None:
    out = tmp_path / "no" / "r.json"
    fails([*CHECK, WEBAPP, "-o", str(out)], "cannot write", "No such file")


@pytest.mark.parametrize(
    "chart_yaml, words",
    [
        ("- a\n- b\n", ["Chart.yaml", "mapping"]),
        ("hello\n", ["Chart.yaml", "mapping"]),
        ("apiVersion: v2\nversion: 1.0.0\n", ["Chart.yaml", "no name"]),
        ("", ["Chart.yaml", "no name"]),
    ],
)
def test_bad_chart_yaml(tmp_path: Path, chart_yaml: str, words: list[str]) -> None:
    fails([*CHECK, str(chart(tmp_path / "c", chart_yaml=chart_yaml))], *words)


def test_values_with_tabs(tmp_path: Path) -> None:
    c = chart(tmp_path / "c", values="a:\n\tb: 1\n")
    fails([*CHECK, str(c)], "values.yaml:2", "cannot start any token")


def test_template_fails(tmp_path: Path) -> None:
    c = chart(tmp_path / "c", templates={"a.yaml": '{{ fail "boom" }}\n'})
    fails([*CHECK, str(c)], "every cell failed to render", "boom")
    # not the chart's own `fail`: no word about values it asks for
    c = chart(tmp_path / "d", templates={"a.yaml": "{{ .Values.a.b.c }}\n"})
    fails([*CHECK, str(c)], "every cell failed to render (6 cells); first error: x/templates/a")


def test_template_renders_non_yaml(tmp_path: Path) -> None:
    """The line is the output's (the third, in the second document), not the template's."""
    c = chart(tmp_path / "c", templates={"a.yaml": "a: 1\n---\nthis is: not: yaml: [\n"})
    fails([*CHECK, str(c)], "templates/a.yaml, line 3 of its output", "invalid YAML")


def test_broken_symlink_and_fifo(tmp_path: Path) -> None:
    (tmp_path / "broken").symlink_to(tmp_path / "nowhere")
    fails([*CHECK, str(tmp_path / "broken")], "no such file")
    os.mkfifo(tmp_path / "fifo")
    fails([*CHECK, str(tmp_path / "fifo")], "not a chart directory")


def test_garbage_tgz(tmp_path: Path) -> None:
    (tmp_path / "c.tgz").write_bytes(b"\x1f\x8b" + b"\x00garbage" * 50)
    fails([*CHECK, str(tmp_path / "c.tgz")], "c.tgz")


def test_bad_kube_versions() -> None:
    fails([*CHECK, WEBAPP, "--kube-versions", "foo"], "invalid Kubernetes version")
    fails([*CHECK, WEBAPP, "--kube-versions", "1.33-1.27"], "empty Kubernetes version range")
