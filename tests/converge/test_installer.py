"""A node installer DaemonSet script, run unmodified (issue 13): two hostPaths, `sed -i` on a
file of its own image, kubectl/nsenter/systemctl calls, `sleep infinity` at the end, and a
suffix that accumulates at every restart. No stub, at most three flags."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.converge.support import FIXTURES, brief, invoke_json, tree_digest

from seatrial.converge.sandbox import Sandbox
from seatrial.converge.scenarios import Invocation, Limits, StateMount, plan, run

INSTALLER = FIXTURES / "installer"
PLAIN = ("--state", "seed", "--mount", "/etc/containerd,/opt", "--node-kit", "--")
CALLS = [
    "kubectl get node seatrial -o json",
    "kubectl label node seatrial --overwrite example.com/runtime=cicd",
    "nsenter --target 1 --mount --uts --ipc --net --pid -- systemctl restart containerd",
    "systemctl restart containerd",
]
GROWS_DIR = (
    "/opt/kata-cicd grows by '-cicd' at every run: run 2 created /opt/kata-cicd-cicd, "
    "run 3 created /opt/kata-cicd-cicd-cicd\n"
    "    written by {script}:16\n"
    "    /opt/kata-cicd is not in the seed; its name comes from {seed}:3"
)
GROWS_CONFIG = (
    "/etc/containerd/config.toml:3 grows by '-cicd' at every run\n"
    '    before run 2: runtime_path = "/opt/kata-cicd/bin/shim"\n'
    '    after run 3:  runtime_path = "/opt/kata-cicd-cicd-cicd/bin/shim"\n'
    "    written by {script}:19"
)


@pytest.fixture(autouse=True)
def _untouched(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The seed and the image's files (defaults/runtime.toml, edited with sed -i at every
    run) are byte-identical afterwards."""
    monkeypatch.chdir(INSTALLER)
    before = tree_digest(INSTALLER)
    yield
    assert tree_digest(INSTALLER) == before, "the seed or the image files were modified"


def test_plain_form_reports_the_accumulating_suffix_with_node_paths() -> None:
    code, doc = invoke_json(*PLAIN, "bash", "install.sh")
    assert code == 1
    seed_config = "seed/etc/containerd/config.toml"
    assert brief(doc) == [("ST501", "install.sh", 16), ("ST501", seed_config, 3)]
    directory, config = doc["findings"]
    assert directory["message"] == GROWS_DIR.format(script="install.sh", seed=seed_config)
    assert config["message"] == GROWS_CONFIG.format(script="install.sh")
    runs = doc["summary"]["converge"]["runs"]
    # every run reached `sleep infinity`: started, snapshotted, stopped; the kit recorded
    assert [r["exit_code"] for r in runs] == [0, 0, 0]
    assert [r["started"] for r in runs] == ["idle for 3s in `sleep infinity`"] * 3
    assert [r["node_kit_calls"] for r in runs] == [CALLS] * 3
    assert [c["sandbox_path"] for c in runs[0]["changes"]] == [
        "/etc/containerd/config.toml",
        "/opt/kata-cicd",
    ]


def test_plain_form_fixed_twin_converges() -> None:
    code, doc = invoke_json(*PLAIN, "bash", "install-fixed.sh")
    assert code == 0 and doc["findings"] == []
    runs = doc["summary"]["converge"]["runs"]
    assert [len(r["changes"]) for r in runs] == [2, 0, 0]


def test_chart_form_with_no_stub_and_three_flags() -> None:
    code, doc = invoke_json(
        "../installer-chart",
        "--workload",
        "DaemonSet/release-name-installer",
        "--state",
        "seed",
        "--script-path",
        "/installer=.",
    )
    assert code == 1
    seed_config = "seed/etc/containerd/config.toml"
    assert brief(doc) == [("ST501", "install.sh", 16), ("ST501", seed_config, 3)]
    assert doc["findings"][0]["message"] == GROWS_DIR.format(script="install.sh", seed=seed_config)
    assert doc["findings"][0]["object"]["kind"] == "DaemonSet"
    runs = doc["summary"]["converge"]["runs"]
    calls = [c.replace("seatrial ", "seatrial-node ") for c in CALLS]
    assert [r["node_kit_calls"] for r in runs] == [calls] * 3


def test_chart_form_fixed_twin_converges() -> None:
    code, doc = invoke_json(
        "../installer-chart",
        "--workload",
        "DaemonSet/release-name-installer",
        "--state",
        "seed",
        "--script-path",
        "/installer=.",
        "--set",
        "script=install-fixed.sh",
    )
    assert code == 0 and doc["findings"] == []


def test_a_restart_that_breaks_is_its_own_finding() -> None:
    code, doc = invoke_json("--idle", "1", *PLAIN, "bash", "install-once.sh")
    assert code == 1
    assert brief(doc) == [("ST504", "install-once.sh", 7)]
    message = doc["findings"][0]["message"]
    assert message.startswith(
        "run 2 of 3 (`bash install-once.sh`) exited with status 1 at install-once.sh:7, on the "
        "state run 1 left; run 1 succeeded and changed: added /opt/kata-cicd/run (directory "
        "0755)\n    last lines of output:\n"
    )
    assert "mkdir: cannot create directory '/opt/kata-cicd/run': File exists" in message
    assert doc["findings"][0]["slug"] == "restart-breaks"


def test_without_the_kit_the_plain_form_fails_at_kubectl() -> None:
    code, doc = invoke_json("--idle", "1", *PLAIN[:-2], "--", "bash", "install-fixed.sh")
    assert code == 1
    assert brief(doc) == [("ST503", "install-fixed.sh", 17)]
    # this machine's real kubectl runs, and finds no cluster (no network in the sandbox)
    assert "connection to the server localhost:8080 was refused" in doc["findings"][0]["message"]


def test_later_runs_get_three_times_the_first_runs_time(tmp_path: Path) -> None:
    script = tmp_path / "slow.sh"
    script.write_text("if [ -e /host/done ]; then while :; do :; done; fi\ntouch /host/done\n")
    (tmp_path / "seed").mkdir()
    inv = Invocation(("bash", str(script)), mounts=(StateMount("/host"),), binds=())
    from seatrial.converge.sandbox import Bind

    inv = Invocation(inv.argv, mounts=inv.mounts, binds=(Bind(str(script), script),))
    limits = Limits(timeout=60, floor=1.0, idle=0)
    result = run(
        "restart", plan("restart", 2, inv), tmp_path / "seed", Sandbox(), limits, state_label="seed"
    )
    first, second = result.results
    assert first.run.ok and not second.run.ok
    # the limit is 3x the first run's time, at least 1 s (a loaded machine makes the first
    # run slower: the limit follows it)
    m = re.fullmatch(
        r"was stopped after the time limit of ([0-9.e+]+)s \(3x the first run's "
        r"([0-9.e+-]+)s, at least 1s\)",
        second.run.stopped,
    )
    assert m is not None, second.run.stopped
    first_time = float(m.group(2))
    assert second.timeout == pytest.approx(max(1.0, 3 * first_time), rel=0.01, abs=0.01)
    assert float(m.group(1)) == pytest.approx(second.timeout, rel=0.01)
