"""`seatrial.objects.kubelet`: what the kubelet and the container runtime do with a container
spec (env, `$(VAR)`, argv, PATH, shells), and its users agreeing with it."""

from __future__ import annotations

from typing import Any

import pytest

from seatrial.objects import kubelet
from seatrial.objects.model import Container, EnvFrom, EnvVar


def container(
    command: tuple[str, ...] | None = None,
    args: tuple[str, ...] | None = None,
    env: tuple[EnvVar, ...] = (),
) -> Container:
    return Container(
        name="c",
        image="img",
        command=command,
        args=args,
        env=env,
        env_from=(),
        volume_mounts=(),
        working_dir="",
        init=False,
        path=("spec", "containers", 0),
    )


def test_literal_env_knows_values_not_references() -> None:
    c = container(
        env=(
            EnvVar("A", "1"),
            EnvVar("EMPTY"),
            EnvVar("REF", None, {"fieldRef": {}}),
            EnvVar("A", "2"),
        )
    )
    assert kubelet.literal_env(c) == {"A": "2", "EMPTY": "", "REF": None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$(A)/bin", ("1/bin", True)),
        ("$$(A) $$ $", ("$(A) $ $", True)),
        ("$(UNDEFINED)", ("$(UNDEFINED)", True)),
        ("$(REF)-$(A)", ("$(REF)-1", False)),
        ("$(A", ("$(A", True)),
    ],
)
def test_expand_references(text: str, expected: tuple[str, bool]) -> None:
    assert kubelet.expand_references(text, {"A": "1", "REF": None}) == expected


def test_env_from_source_prefixes_and_skips_invalid_names() -> None:
    source = EnvFrom("ConfigMap", "cm", "P_", False)
    assert kubelet.env_from_source(source, {"x": "1", "bad-name": "2", "1st": "3"}) == {
        "P_x": "1",
        "P_1st": "3",
    }
    assert kubelet.env_from_source(EnvFrom("Secret", "s", "", False), {"1st": "3"}) == {}


ENTRYPOINT, CMD = ("/ep",), ("cmd-arg",)


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        (("/bin/sh",), ("-c", "x"), [("/bin/sh", "command"), ("-c", "args"), ("x", "args")]),
        (("/bin/sh",), None, [("/bin/sh", "command")]),  # the image CMD is dropped
        (None, ("a",), [("/ep", "entrypoint"), ("a", "args")]),
        (None, None, [("/ep", "entrypoint"), ("cmd-arg", "cmd")]),
        ((), (), [("/ep", "entrypoint"), ("cmd-arg", "cmd")]),  # empty lists count as not set
    ],
)
def test_argv_is_what_containerd_starts(
    command: tuple[str, ...] | None, args: tuple[str, ...] | None, expected: list[tuple[str, str]]
) -> None:
    words = kubelet.argv(container(command, args), ENTRYPOINT, CMD)
    assert [(w.text, w.origin) for w in words] == expected


def test_argv_fields_and_an_empty_entrypoint() -> None:
    c = container(None, ("a", "b"))
    assert [w.field(c) for w in kubelet.argv(c, [""], CMD)] == [
        ("spec", "containers", 0, "args", 0),
        ("spec", "containers", 0, "args", 1),
    ]
    assert kubelet.argv(container(), None, None) == ()


def test_search_path() -> None:
    assert kubelet.search_path(container(), None) == kubelet.DEFAULT_PATH
    assert kubelet.search_path(container(), "/app") == "/app"
    assert kubelet.search_path(container(env=(EnvVar("PATH", "/x:/y"),)), "/app") == "/x:/y"
    assert kubelet.search_path(container(env=(EnvVar("PATH", None, {"a": 1}),)), "/app") is None
    assert kubelet.path_candidates("sh", "/a:rel::/b") == ["/a/sh", "/b/sh"]
    assert kubelet.path_candidates("./x.sh", "/a", "/w") == ["/w/x.sh"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["/bin/bash", "-e", "x.sh"], ("bash", ["-e", "x.sh"])),
        (["/bin/busybox", "sh", "-c", "t"], ("sh", ["-c", "t"])),
        (["zsh", "x.zsh"], ("zsh", ["x.zsh"])),
        (["/usr/bin/python3", "x.py"], None),
        (["busybox", "ls"], None),
        ([], None),
    ],
)
def test_shell_invocation(words: list[str], expected: tuple[str, list[str]] | None) -> None:
    got = kubelet.shell_invocation(words)
    assert (got if got is None else (got[0], list(got[1]))) == expected


def test_zsh_runs_scripts_but_its_scripts_are_not_followed() -> None:
    from seatrial.images.program import script_operand
    from seatrial.shell.discovery import entry_script
    from seatrial.shell.parse import shebang

    assert script_operand(("zsh", "/x.zsh")) == "/x.zsh"
    assert script_operand(("/bin/busybox", "sh", "/x.sh")) == "/x.sh"
    assert entry_script(["zsh", "/x.zsh"], [(), ()]) is not None  # a file, not a shell's
    assert entry_script(["zsh", "/x.zsh"], [(), ()]).shell == ""  # type: ignore[union-attr]
    assert entry_script(["mksh", "/x.sh"], [(), ()]).shell == "mksh"  # type: ignore[union-attr]
    sb = shebang("#!/bin/busybox sh\n")
    assert sb is not None and sb.is_shell
    sb = shebang("#!/bin/zsh\n")
    assert sb is not None and not sb.is_shell


def test_converge_layers_set_b_over_set_deeply(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--set env.shims=qemu --set-b env.multiInstallSuffix=b`: cell B keeps `shims` (the values
    layering is render.values', as for `check`; a shallow merge lost it)."""
    from tests.converge.support import FIXTURES, invoke_json

    from seatrial.converge import chart

    rendered: list[Any] = []
    real = chart._render

    def render(path: str, values: dict[str, Any], kube_version: str | None) -> Any:
        rendered.append(values)
        return real(path, values, kube_version)

    monkeypatch.setattr(chart, "_render", render)
    monkeypatch.chdir(FIXTURES)
    code, _doc = invoke_json(
        "kata-chart",
        "--workload",
        "DaemonSet/kata-deploy",
        "--state",
        "s3/seed",
        "--script-path",
        "/opt/kata-artifacts/scripts=kata-chart-scripts",
        "--scenario",
        "upgrade",
        "--set",
        "env.shims=qemu",
        "--set-b",
        "env.multiInstallSuffix=b",
    )
    assert code == 1
    assert rendered == [
        {"env": {"shims": "qemu"}},
        {"env": {"shims": "qemu", "multiInstallSuffix": "b"}},
    ]
