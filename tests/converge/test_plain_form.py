"""`seatrial converge` plain form on the S3 reproduction, with the real bubblewrap sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from tests.converge.support import S3, brief, invoke, invoke_json, tree_digest

ROOT = Path(__file__).resolve().parents[2]
SUFFIX = "MULTI_INSTALL_SUFFIX=cicd"
CONFIG = "seed/etc/kata-containers/configuration.toml"


@pytest.fixture(autouse=True)
def _in_s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Scripts and the seed are named relative to the fixture dir, as a user would; the seed
    must be byte-identical after every test."""
    monkeypatch.chdir(S3)
    before = tree_digest(S3 / "seed")
    yield
    assert tree_digest(S3 / "seed") == before, "the seed state was modified"


def test_buggy_install_grows_by_suffix_at_every_run() -> None:
    code, doc = invoke_json("--state", "seed", "--env", SUFFIX, "--", "bash", "install-buggy.sh")
    assert code == 1
    # /opt/kata-cicd is not in the seed: the finding names the script line that wrote it
    assert brief(doc) == [("ST501", "install-buggy.sh", 18), ("ST501", CONFIG, 3)]
    directory, config = doc["findings"]
    assert config["message"] == (
        "/host/etc/kata-containers/configuration.toml:3 grows by '-cicd' at every run"
        " (and 4 other lines)\n"
        '    before run 2: path = "/opt/kata-cicd/bin/qemu-system-x86_64"\n'
        '    after run 3:  path = "/opt/kata-cicd-cicd-cicd/bin/qemu-system-x86_64"\n'
        "    written by install-buggy.sh:13"
    )
    assert directory["message"] == (
        "/host/opt/kata-cicd grows by '-cicd' at every run: run 2 created "
        "/host/opt/kata-cicd-cicd, run 3 created /host/opt/kata-cicd-cicd-cicd\n"
        "    written by install-buggy.sh:18\n"
        "    /host/opt/kata-cicd is not in the seed; its name comes from "
        "seed/etc/kata-containers/configuration.toml:3"
    )
    assert all(f["severity"] == "error" and f["slug"] == "not-converged" for f in doc["findings"])
    runs = doc["summary"]["converge"]["runs"]
    assert [r["exit_code"] for r in runs] == [0, 0, 0]
    assert [sorted(c["path"] for c in r["changes"]) for r in runs] == [
        ["etc/kata-containers/configuration.toml", "opt/kata-cicd"],
        ["etc/kata-containers/configuration.toml", "opt/kata-cicd-cicd"],
        ["etc/kata-containers/configuration.toml", "opt/kata-cicd-cicd-cicd"],
    ]


def test_json_report_validates_against_the_schema() -> None:
    schema = json.loads((ROOT / "docs" / "json-schema.json").read_text())
    _, doc = invoke_json("--state", "seed", "--env", SUFFIX, "--", "bash", "install-buggy.sh")
    jsonschema.validate(doc, schema)


def test_text_report_shows_runs_diffs_and_the_growing_path() -> None:
    result = invoke("--state", "seed", "--env", SUFFIX, "--", "bash", "install-buggy.sh")
    assert result.exit_code == 1
    out = result.stdout
    assert "run 2: `bash install-buggy.sh` ok" in out and "2 changes (must be none)" in out
    assert '+path = "/opt/kata-cicd-cicd/bin/qemu-system-x86_64"' in out
    assert '-path = "/opt/kata-cicd/bin/qemu-system-x86_64"' in out
    assert (
        "  changed  /host/etc/kata-containers/configuration.toml  content changed "
        "(384 -> 409 bytes); grows by '-cicd'\n"
    ) in out
    assert (
        "  added    /host/opt/kata-cicd-cicd-cicd  directory 0755; grows by '-cicd' from "
        "/host/opt/kata-cicd-cicd\n"
    ) in out
    assert "  added    /host/opt/kata-cicd  directory 0755\n" in out  # run 1: no repeat yet
    assert "grows by '-cicd' at every run" in out
    assert 'after run 3:  path = "/opt/kata-cicd-cicd-cicd/bin/qemu-system-x86_64"' in out


def test_fixed_install_converges() -> None:
    code, doc = invoke_json("--state", "seed", "--env", SUFFIX, "--", "bash", "install-fixed.sh")
    assert (code, doc["findings"]) == (0, [])
    runs = doc["summary"]["converge"]["runs"]
    assert [len(r["changes"]) for r in runs] == [3, 0, 0]


def test_five_runs_name_every_run_and_two_runs_name_run_2() -> None:
    code, doc = invoke_json(
        "--runs", "2", "--state", "seed", "--env", SUFFIX, "--", "bash", "install-buggy.sh"
    )
    assert code == 1
    assert "grows by '-cicd' at run 2" in doc["findings"][0]["message"]


def test_upgrade_scenario_checks_only_the_repeated_b_run() -> None:
    args = (
        "--scenario",
        "upgrade",
        "--state",
        "seed",
        "--env-a",
        "MULTI_INSTALL_SUFFIX=a",
        "--env-b",
        "MULTI_INSTALL_SUFFIX=b",
        "--",
    )
    code, doc = invoke_json(*args, "bash", "install-fixed.sh")
    assert (code, doc["findings"]) == (0, [])
    assert [r["name"] for r in doc["summary"]["converge"]["runs"]] == [
        "run 1 (A)",
        "run 2 (B)",
        "run 3 (B again)",
    ]
    code, doc = invoke_json(*args, "bash", "install-buggy.sh")
    assert code == 1
    assert brief(doc) == [("ST501", "install-buggy.sh", 18), ("ST501", CONFIG, 3)]
    assert "grows by '-b' at run 3 (B again)" in doc["findings"][0]["message"]


def test_cleanup_that_forgets_a_file() -> None:
    code, doc = invoke_json(
        "--scenario",
        "cleanup",
        "--state",
        "seed",
        "--env",
        SUFFIX,
        "--cleanup-cmd",
        "bash cleanup-forgetful.sh",
        "--",
        "bash",
        "install-fixed.sh",
    )
    assert code == 1
    assert brief(doc) == [("ST502", "seed/etc/containerd/conf.d/kata-cicd.toml", None)]
    assert doc["findings"][0]["message"] == (
        "/host/etc/containerd/conf.d/kata-cicd.toml is left behind "
        "(file 0644, 114 bytes; created by install)"
    )


@pytest.mark.parametrize("glob", ["etc/containerd/conf.d/*", "/host/etc/containerd/*/*.toml"])
def test_allowed_residue_is_not_reported(glob: str) -> None:
    code, doc = invoke_json(
        "--scenario",
        "cleanup",
        "--state",
        "seed",
        "--env",
        SUFFIX,
        "--cleanup-cmd",
        "bash cleanup-forgetful.sh",
        "--allow-residue",
        glob,
        "--",
        "bash",
        "install-fixed.sh",
    )
    assert (code, doc["findings"]) == (0, [])


def test_complete_cleanup_returns_to_the_seed() -> None:
    code, doc = invoke_json(
        "--scenario",
        "cleanup",
        "--state",
        "seed",
        "--env",
        SUFFIX,
        "--cleanup-cmd",
        "bash cleanup-complete.sh",
        "--",
        "bash",
        "install-fixed.sh",
    )
    assert (code, doc["findings"]) == (0, [])


def test_cleanup_that_removes_seed_files_is_residue_too(tmp_path: Path) -> None:
    script = tmp_path / "wipe.sh"
    script.write_text("rm -rf /host/opt/kata\n")
    code, doc = invoke_json(
        "--scenario", "cleanup", "--state", "seed", "--cleanup-cmd", f"bash {script}", "--", "true"
    )
    assert code == 1
    assert brief(doc) == [("ST502", "seed/opt/kata", None)]
    assert doc["findings"][0]["message"] == (
        "/host/opt/kata was in the state before install and is gone after cleanup"
    )


def test_nounset_failure_shows_the_message_and_the_script_line() -> None:
    code, doc = invoke_json("--state", "seed", "--", "bash", "cleanup-nounset.sh")
    assert code == 1
    assert brief(doc) == [("ST503", "cleanup-nounset.sh", 8)]
    message = doc["findings"][0]["message"]
    assert message.startswith("run 1 of 3 (`bash cleanup-nounset.sh`) exited with status 1")
    assert "    | cleanup-nounset.sh: line 8: SHIMS: unbound variable" in message
    assert message.endswith("(2 later runs skipped)")
    assert doc["summary"]["converge"]["skipped"] == ["run 2", "run 3"]


def test_time_limit_and_output_limit_stop_a_run() -> None:
    code, doc = invoke_json("--timeout", "0.5", "--state", "seed", "--", "sleep", "30")
    assert code == 1 and brief(doc) == [("ST503", "", None)]
    assert "was stopped after the time limit of 0.5s" in doc["findings"][0]["message"]
    code, doc = invoke_json("--output-limit", "4096", "--state", "seed", "--", "yes", "loud")
    assert code == 1
    assert (
        "was stopped after writing more than 4096 bytes of output" in doc["findings"][0]["message"]
    )
    assert "    | loud" in doc["findings"][0]["message"]


def test_a_line_appended_again(tmp_path: Path) -> None:
    script = tmp_path / "sysctl.sh"
    script.write_text("echo net.ipv4.ip_forward=1 >> /host/etc/sysctl.conf\n")
    code, doc = invoke_json("--state", "seed", "--", "bash", str(script))
    assert code == 1
    assert brief(doc) == [("ST501", str(script), 1)]
    assert doc["findings"][0]["message"] == (
        "/host/etc/sysctl.conf:2 grows by one copy of the line 'net.ipv4.ip_forward=1' at every "
        f"run: the file has 3 copies after run 3\n    written by {script}:1"
    )


def test_a_change_that_is_not_accumulation(tmp_path: Path) -> None:
    script = tmp_path / "stamp.sh"
    script.write_text("date +%s%N > /node/etc/stamp; chmod 0600 /node/etc/stamp\n")
    code, doc = invoke_json("--state", "seed", "--mount-at", "/node", "--", "bash", str(script))
    assert code == 1
    assert brief(doc) == [("ST501", str(script), 1)]
    msg = doc["findings"][0]["message"]
    assert msg.startswith("/node/etc/stamp changes again at run 2, run 3 (run 2: content changed")
    assert "grows" not in msg
