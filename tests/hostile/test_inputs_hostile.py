"""Bounded inputs: deep nesting, wrong Chart.yaml types, huge and sparse files, links out of a
chart directory, gzip bombs, huge stdin, backtracking regexes and 100k events. Each case is
one error line (exit 2), a note, or a result within a time bound, never a traceback."""

from __future__ import annotations

import base64
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.cli_runner import invoke
from tests.hostile.support import chart, fails

from seatrial import yamlguard
from seatrial.explain.evidence import EvidenceBuilder
from seatrial.explain.rules import load_rules

CHECK = ["check", "--offline", "--no-images"]
DEEP_JSON = "[" * 100_000 + "]" * 100_000
CM = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
    'data:\n  leak: {{ .Files.Get "files/leak" | quote }}\n'
)


# -- depth ------------------------------------------------------------------------------------


def test_deep_values_schema_is_one_line(tmp_path: Path) -> None:
    c = chart(tmp_path / "c", templates={"cm.yaml": CM.replace('.Files.Get "files/leak"', '"v"')})
    (c / "values.schema.json").write_text(DEEP_JSON)
    fails([*CHECK, str(c)], "values.schema.json: invalid JSON: JSON nested deeper than 200")


def test_deep_yaml_is_refused_with_its_line() -> None:
    text = "a:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(300))
    with pytest.raises(yamlguard.ExcessiveNesting) as err:
        yamlguard.safe_load(text)
    assert "nested deeper than 200 levels" in str(err.value)
    assert yamlguard.safe_load("a:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(150)))


def test_deep_json_loads_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="nested deeper than 200 levels"):
        yamlguard.json_loads(DEEP_JSON)
    with pytest.raises(ValueError, match="nested deeper than 200 levels"):
        yamlguard.json_loads("[" * 500 + "]" * 500)  # parses, but walkers would overflow
    assert yamlguard.json_loads("[" * 150 + "]" * 150)


def test_deep_explain_file_and_dump(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text(DEEP_JSON)
    fails(["explain", str(tmp_path / "deep.json")], "deep.json", "nested deeper than 200")
    dump = tmp_path / "dump"
    (dump / "ns").mkdir(parents=True)
    (dump / "nodes.json").write_text('{"kind": "NodeList", "items": []}')
    (dump / "ns" / "pods.json").write_text('{"items": ' + DEEP_JSON + "}")
    fails(["explain", str(dump)], "pods.json", "nested deeper than 200")


def test_deep_yaml_explain_input(tmp_path: Path) -> None:
    text = "kind: Pod\nx:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(300))
    (tmp_path / "pod.yaml").write_text(text)
    fails(["explain", str(tmp_path / "pod.yaml")], "pod.yaml:", "nested deeper than 200")


# -- Chart.yaml types, sizes, links -----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("dependencies: 5", "Chart.yaml:4: `dependencies` must be a list"),
        ("annotations: [a]", "Chart.yaml:4: `annotations` must be a mapping"),
    ],
)
def test_chart_yaml_wrong_types(tmp_path: Path, line: str, message: str) -> None:
    c = chart(tmp_path / "c", chart_yaml=f"apiVersion: v2\nname: x\nversion: 1.0.0\n{line}\n")
    fails([*CHECK, str(c)], message)


def test_sparse_2gb_chart_file_is_not_read(tmp_path: Path) -> None:
    c = chart(
        tmp_path / "c",
        templates={"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"},
    )
    with open(c / "templates" / "big.yaml", "wb") as fh:
        fh.truncate(2 << 30)
    start = time.monotonic()
    fails([*CHECK, str(c)], "templates/big.yaml: 2,048 MiB, more than the 16 MiB")
    assert time.monotonic() - start < 30


def _leaky_chart(tmp_path: Path, template: str) -> Path:
    host = tmp_path / "host-secret.txt"
    host.write_text("HOST-ONLY-CONTENT")
    c = chart(tmp_path / "c", templates={"t.yaml": template})
    (c / "files").mkdir()
    (c / "files" / "leak").symlink_to(host)
    return c


def test_files_get_through_an_outside_link_reads_nothing(tmp_path: Path) -> None:
    # a render error message carries the file content into the report
    c = _leaky_chart(tmp_path, '{{ with .Files.Get "files/leak" }}{{ fail . }}{{ end }}\n')
    (c / "templates" / "cm.yaml").write_text(CM.replace('.Files.Get "files/leak"', '"v"'))
    result = invoke(*CHECK, str(c), "--format", "json")
    assert "HOST-ONLY-CONTENT" not in result.output + result.stderr
    assert result.exit_code == 0
    assert result.stderr == (
        f"seatrial: note: {c}: not following 1 symlink(s) that leave the "
        "chart or loop (files/leak); rendering without them\n"
    )


def test_links_inside_the_chart_still_work_and_go_logs_stay_off_stderr(tmp_path: Path) -> None:
    c = chart(tmp_path / "c", templates={"cm.yaml": CM})
    (c / "files").mkdir()
    (c / "files" / "real").write_text("inner")
    (c / "files" / "leak").symlink_to("real")
    (c / "templates" / "loop").symlink_to("..")
    # a real process: the Go SDK writes to file descriptor 2, which CliRunner does not see
    proc = subprocess.run(
        [sys.executable, "-m", "seatrial.cli", *CHECK, str(c), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == (
        f"seatrial: note: {c}: not following 1 symlink(s) that leave the "
        "chart or loop (templates/loop); rendering without them\n"
    )
    assert "INFO" not in proc.stderr


def test_init_does_not_write_through_a_dangling_link(tmp_path: Path) -> None:
    c = chart(
        tmp_path / "c",
        templates={"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"},
    )
    target = tmp_path / "elsewhere" / "victim"
    (tmp_path / "elsewhere").mkdir()
    (c / ".seatrial.yaml").symlink_to(target)
    for extra in ([], ["--force"]):
        result = invoke("init", str(c), *extra)
        assert result.exit_code == 2
        # the dangling link is also left out of what Helm loads (the note line)
        assert result.stderr.splitlines()[-1] == (
            f"seatrial: error: {c / '.seatrial.yaml'} is a symbolic link; refusing to write "
            "through it"
        )
    assert not target.exists()


# -- explain payloads -------------------------------------------------------------------------


def test_gzip_bombed_release_secret_is_refused(tmp_path: Path) -> None:
    bomb = gzip.compress(b"\0" * (200 << 20), compresslevel=9)
    helm_value = base64.b64encode(bomb)
    api_value = base64.b64encode(helm_value).decode()
    (tmp_path / "s.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: sh.helm.release.v1.x.v1}\n"
        f"type: helm.sh/release.v1\ndata:\n  release: {api_value}\n"
    )
    fails(["explain", str(tmp_path / "s.yaml")], "a Helm release expands beyond 64 MiB")


def test_huge_stdin_is_capped() -> None:
    big = "x" * ((64 << 20) + 10)
    result = invoke("explain", "-", input=big)
    assert result.exit_code == 2
    assert result.stderr == "seatrial: error: <stdin>: larger than 64 MiB\n"


def test_healthy_log_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "app.log").write_text("starting server\nlistening on :8080\nready\n")
    result = invoke("explain", str(tmp_path / "app.log"))
    assert (result.exit_code, result.stdout) == (
        0,
        f"no failing pods, claims or jobs found in {tmp_path / 'app.log'}\n",
    )


# -- explain: regexes and events --------------------------------------------------------------

ADVERSARIAL = [
    "a",
    "-a",
    "/a",
    "a:",
    "a ",
    "x/y-z.",
    "MountVolume.",
    "/a: ",
    "a: ",
    'Failed to pull image "a": ',
    "password",
    "exec ",
    "\t",
]


def test_builtin_rule_regexes_are_linear_on_a_1mb_line() -> None:
    patterns = []
    for rule in load_rules(()):
        for alt in rule.when:
            patterns += [alt.log] if alt.log is not None else []
            for spec in (alt.container, alt.event, alt.condition, alt.claim):
                patterns += [v for v in (spec or {}).values() if hasattr(v, "search")]
    assert len(patterns) > 50
    slowest = 0.0
    for unit in ADVERSARIAL:
        line = (unit * ((1 << 20) // len(unit) + 1))[: 1 << 20]
        for p in patterns:
            start = time.monotonic()
            p.search(line)  # uncapped: the pattern itself must be linear
            slowest = max(slowest, time.monotonic() - start)
    assert slowest < 2.0, slowest  # a quadratic one takes minutes on 1 MB


@pytest.mark.parametrize("unit", ["-a", "/a: ", "a: unbound variable "])
def test_explain_on_a_1mb_line_finishes(tmp_path: Path, unit: str) -> None:
    (tmp_path / "long.log").write_text((unit * ((1 << 20) // len(unit) + 1))[: 1 << 20] + "\n")
    start = time.monotonic()
    result = invoke("explain", str(tmp_path / "long.log"), "--no-link")
    assert result.exit_code in (0, 1), result.stderr
    assert time.monotonic() - start < 60


def test_100k_events_are_indexed(tmp_path: Path) -> None:
    pods = [
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": f"p{i}", "namespace": "a"},
            "status": {"phase": "Running"},
        }
        for i in range(1000)
    ]
    events = [
        {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": f"e{j}", "namespace": "a"},
            "involvedObject": {
                "kind": "Pod",
                "name": f"p{j % 1000}",
                "namespace": "a",
                "fieldPath": "spec.containers{c}",
            },
            "type": "Warning",
            "reason": "BackOff",
            "message": f"Back-off restarting failed container c ({j})",
        }
        for j in range(100_000)
    ]
    text = json.dumps({"apiVersion": "v1", "kind": "List", "items": pods + events}, indent=1)
    start = time.monotonic()
    b = EvidenceBuilder()
    b.add_document(json.loads(text), "events.json", text)
    ev = b.build()
    per_pod = [ev.events_for("Pod", "a", f"p{i}") for i in range(1000)]
    elapsed = time.monotonic() - start
    assert [len(x) for x in per_pod] == [100] * 1000
    assert per_pod[7][0].message == "Back-off restarting failed container c (7)"
    where = text.index('failed container c (7)"')
    assert per_pod[7][0].origin.line == text[:where].count("\n") + 1
    assert elapsed < 60, elapsed  # quadratic: hours
