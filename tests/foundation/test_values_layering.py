"""Values layering with Helm's exact semantics: `-f` files merged, then each `--set-json`,
`--set`, `--set-string`, `--set-file` parsed INTO the values so far (strvals.ParseInto). Each
case is compared with what the real helm CLI renders from the same flags (a ConfigMap dumping
`.Values`, over a chart without defaults), and through `seatrial check` itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.cli_runner import run
from tests.foundation.test_value_flags import seatrial_cm

from seatrial.errors import UsageError
from seatrial.render.values import layer_values

HELM = shutil.which("helm") or (
    "/usr/local/bin/helm" if os.path.exists("/usr/local/bin/helm") else None
)
needs_helm = pytest.mark.skipif(
    HELM is None and not os.environ.get("CI"), reason="no helm CLI (.ci/run installs one)"
)

FILE = "obj: {x: 1}\nl: [a, b]\ns: 5\nlm: [{a: 1}]\n"
TEMPLATE = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v}\n"
    "data:\n  v: {{ toJson .Values | quote }}\n"
)

# (flags, what Helm gives for the keys the flags touch): each also checked against helm
CASES: dict[str, tuple[list[str], dict[str, Any]]] = {
    "set-json replaces a map": (["--set-json", 'obj={"y":2}'], {"obj": {"y": 2}}),
    "set index keeps the list": (["--set", "l[1]=9"], {"l": ["a", 9]}),
    "set index past the end": (["--set", "l[3]=x"], {"l": ["a", "b", None, "x"]}),
    "set into a list element": (["--set", "lm[0].b=2"], {"lm": [{"a": 1, "b": 2}]}),
    "set-json replaces an element": (["--set-json", 'lm[0]={"c":3}'], {"lm": [{"c": 3}]}),
    "set list literal replaces": (["--set", "l={z}"], {"l": ["z"]}),
    "dotted key keeps siblings": (
        ["--set-json", 'obj={"y":2}', "--set", "obj.z=3"],
        {"obj": {"y": 2, "z": 3}},
    ),
    "null is kept in user values": (["--set", "obj.x=null"], {"obj": {"x": None}}),
    "set-string index": (["--set-string", "l[1]=9"], {"l": ["a", "9"]}),
    "typing": (
        ["--set", "t1=1.5,t2=007,t3=+3,t4=-0,t5=TRUE,t6=Null"],
        {"t1": "1.5", "t2": "007", "t3": 3, "t4": 0, "t5": True, "t6": None},
    ),
    "escapes": (["--set", r"a\.b=1,c=x\,y"], {"a.b": 1, "c": "x,y"}),
    "json path into a map": (["--set-json", "obj.q=[1,2]"], {"obj": {"x": 1, "q": [1, 2]}}),
    "order: set-json, set, set-string": (
        ["--set-string", "obj.x=str", "--set", "obj.x=2", "--set-json", "obj.x=[3]"],
        {"obj": {"x": "str"}},
    ),
    "nested list index": (["--set", "n[1][0]=3"], {"n": [None, [3]]}),
    "list after literal": (["--set", "m={1,b}x=2"], {"m": [1, "b"], "x": 2}),
}

REFUSED = {  # Helm: "unable to parse key: interface conversion: ..."
    "dotted key through a scalar": (["--set", "s.b=1"], "--set s.b=1: s is not a map"),
    "index into a map": (["--set", "obj[0]=1"], "--set obj[0]=1: obj is not a list"),
    "dotted key through a list": (["--set", "l.x=1"], "--set l.x=1: l is not a map"),
}


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    c = tmp_path_factory.mktemp("layering") / "vc"
    (c / "templates").mkdir(parents=True)
    (c / "Chart.yaml").write_text("apiVersion: v2\nname: vc\nversion: 0.1.0\n")
    (c / "values.yaml").write_text("")
    (c / "templates" / "cm.yaml").write_text(TEMPLATE)
    (c.parent / "user.yaml").write_text(FILE)
    return c


def _layers(user: Path, flags: list[str]) -> dict[str, Any]:
    groups: dict[str, list[str]] = {
        "--set": [],
        "--set-string": [],
        "--set-json": [],
        "--set-file": [],
    }
    for flag, value in zip(flags[::2], flags[1::2], strict=True):
        groups[flag].append(value)
    return layer_values(
        (str(user),),
        tuple(groups["--set"]),
        tuple(groups["--set-string"]),
        tuple(groups["--set-json"]),
        tuple(groups["--set-file"]),
    )


def _helm(chart: Path, flags: list[str]) -> subprocess.CompletedProcess[str]:
    assert HELM is not None
    return subprocess.run(
        [HELM, "template", str(chart), "-f", str(chart.parent / "user.yaml"), *flags],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _dumped(stdout: str) -> dict[str, Any]:
    (line,) = [x for x in stdout.splitlines() if x.startswith("  v: ")]
    data: dict[str, Any] = json.loads(json.loads(line.removeprefix("  v: ")))
    return data


@pytest.mark.parametrize("name", CASES)
def test_layering_matches_helm(chart: Path, name: str) -> None:
    flags, touched = CASES[name]
    ours = _layers(chart.parent / "user.yaml", flags)
    assert {k: ours.get(k) for k in touched} == touched
    if HELM is not None:
        proc = _helm(chart, flags)
        assert proc.returncode == 0, proc.stderr
        assert _dumped(proc.stdout) == {k: v for k, v in ours.items()}


@pytest.mark.parametrize("name", REFUSED)
def test_what_helm_refuses_is_one_usage_error(chart: Path, name: str) -> None:
    flags, message = REFUSED[name]
    with pytest.raises(UsageError) as err:
        _layers(chart.parent / "user.yaml", flags)
    assert str(err.value) == message
    if HELM is not None:
        proc = _helm(chart, flags)
        assert proc.returncode != 0 and "unable to parse key" in proc.stderr
    res = run("check", chart, "-f", chart.parent / "user.yaml", *flags, "--no-images", "--offline")
    assert (res.code, res.err) == (2, f"seatrial: error: {message}\n")


def test_set_file_replaces_and_indexes(chart: Path, tmp_path: Path) -> None:
    content = tmp_path / "c.txt"
    content.write_text("line one\nline two\n")
    flags = ["--set", "l[0]=first", "--set-file", f"l[1]={content}"]
    ours = _layers(chart.parent / "user.yaml", flags)
    assert ours["l"] == ["first", "line one\nline two\n"]
    if HELM is not None:
        proc = _helm(chart, flags)
        assert proc.returncode == 0, proc.stderr
        assert _dumped(proc.stdout) == ours


@needs_helm
def test_check_renders_the_layered_values(chart: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole `seatrial check` renders what helm renders (the SDK engine and --helm-bin)."""
    flags = ["-f", str(chart.parent / "user.yaml"), "--set-json", 'obj={"y":2}', "--set", "l[1]=9"]
    assert HELM is not None
    want = _dumped(_helm(chart, flags[2:]).stdout)
    assert (want["obj"], want["l"]) == ({"y": 2}, ["a", 9])
    for helm_bin in (None, HELM):
        got = json.loads(seatrial_cm(monkeypatch, chart, *flags, helm_bin=helm_bin)["data"]["v"])
        assert got == want
