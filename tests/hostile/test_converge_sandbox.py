"""`seatrial converge` against scripts and charts that try to leave the sandbox: each test
runs the attack in the real bubblewrap sandbox and checks that the host did not change and
that the run is reported (a finding, or one error line with exit 2), never "no change"."""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from testkit.oci import File, push_image
from tests.cli_runner import invoke
from tests.conftest import Registry
from tests.hostile.support import chart, fails

from seatrial.converge.sandbox import SANDBOX_UID, Bind, RunSpec, Sandbox

AS_ROOT = os.geteuid() == 0


def converge(*args: str) -> Result:
    return invoke("converge", "--format", "json", *args, catch_exceptions=False)


def report(result: Result) -> dict[str, Any]:
    assert result.exit_code == 1, (result.exit_code, result.output, result.stderr)
    assert result.stderr == ""
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def only_finding(doc: dict[str, Any], check: str) -> str:
    assert [f["check"] for f in doc["findings"]] == [check], doc["findings"]
    message: str = doc["findings"][0]["message"]
    return message


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = tmp_path / "seed"
    path.mkdir()
    return path


@pytest.fixture
def victim() -> Iterator[Path]:
    """A host directory an attack tries to write into (reachable by any uid, so that only
    the sandbox can stop the write)."""
    path = Path(tempfile.mkdtemp(prefix="seatrial-victim-"))
    path.chmod(0o777)
    yield path
    shutil.rmtree(path)


def script(tmp_path: Path, text: str) -> str:
    path = tmp_path / "attack.sh"
    path.write_text(text)
    return str(path)


# -- 1. root inside is not root outside; kernel knobs are read-only ------------------------

KNOBS = {"/proc/sys/fs/lease-break-time": "46", "/proc/sys/kernel/core_pattern": "seatrial-core"}


@pytest.fixture
def host_knobs() -> Iterator[dict[str, str]]:
    """The host's values before; put back if an attack changed them (so that a failing test
    leaves the machine as it found it)."""
    before = {k: Path(k).read_text() for k in KNOBS}
    yield before
    for knob, value in before.items():
        if Path(knob).read_text() != value:
            Path(knob).write_text(value)


def test_writes_to_proc_sys_do_not_reach_the_host(
    tmp_path: Path, seed: Path, host_knobs: dict[str, str]
) -> None:
    attack = script(tmp_path, "".join(f"echo {v} > {k}\n" for k, v in KNOBS.items()))
    doc = report(converge("--state", str(seed), "--", "bash", attack))
    assert {k: Path(k).read_text() for k in KNOBS} == host_knobs
    message = only_finding(doc, "ST503")
    assert message.startswith(f"run 1 of 3 (`bash {attack}`) exited with status 1")
    for knob in KNOBS:
        assert f"{attack}: line" in message and f"{knob}: Read-only file system" in message


def test_kernel_knobs_are_mounted_read_only() -> None:
    probe = (
        "for m in /proc/sys /proc/sysrq-trigger /proc/irq /proc/bus /proc/fs; do "
        "awk -v m=$m '$5 == m {split($6, o, \",\"); print m, o[1]}' /proc/self/mountinfo; "
        "done"
    )
    result = Sandbox().run(RunSpec(("bash", "-c", probe), timeout=20))
    assert result.exit_code == 0, result.output_tail
    shown = [m for m in ("sys", "sysrq-trigger", "irq", "bus", "fs") if Path(f"/proc/{m}").exists()]
    assert result.output_tail.splitlines() == [f"/proc/{m} ro" for m in shown]


@pytest.mark.skipif(not AS_ROOT, reason="the uid mapping of a run started by root")
def test_root_in_the_sandbox_is_an_unused_uid_on_the_host(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    sandbox = Sandbox()
    sandbox.adopt(state)
    result = sandbox.run(
        RunSpec(
            ("bash", "-c", "id -u > /host/written; unshare -U true || echo no nested namespace"),
            binds=(Bind("/host", state, True, beneath=tmp_path),),
            timeout=20,
        )
    )
    assert (state / "written").read_text() == "0\n"  # root inside ...
    assert (state / "written").stat().st_uid == SANDBOX_UID != 0  # ... not outside
    assert result.output_tail.splitlines()[-1] == "no nested namespace"


# -- 2. no host secret, no host socket -----------------------------------------------------


@pytest.fixture
def host_socket() -> Iterator[tuple[str, list[bytes]]]:
    """A unix socket on the host, under /run (bound into the old sandbox) that records every
    connection it accepts."""
    directory = Path(
        tempfile.mkdtemp(
            prefix="seatrial-sock-", dir="/run" if os.access("/run", os.W_OK) else None
        )
    )
    directory.chmod(0o755)
    path = str(directory / "host.sock")
    accepted: list[bytes] = []
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    os.chmod(path, 0o777)
    server.listen(4)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                accepted.append(conn.recv(64))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path, accepted
    stop.set()
    thread.join()
    server.close()
    shutil.rmtree(directory)


def test_no_host_secret_and_no_host_socket(
    tmp_path: Path, seed: Path, host_socket: tuple[str, list[bytes]]
) -> None:
    path, accepted = host_socket
    probe = (
        "import socket; s = socket.socket(socket.AF_UNIX); "
        f"s.connect({path!r}); s.send(b'escaped'); print('CONNECTED')"
    )
    attack = script(tmp_path, f'cat /etc/shadow\nls /root\npython3 -c "{probe}"\n')
    doc = report(converge("--state", str(seed), "--", "bash", attack))
    time.sleep(0.5)  # give the server a chance to record a connection
    assert accepted == []
    output = doc["summary"]["converge"]["runs"][0]["output"]
    assert "cat: /etc/shadow: No such file or directory" in output
    assert "ls: cannot access '/root': No such file or directory" in output
    assert output[-1] == "FileNotFoundError: [Errno 2] No such file or directory"
    assert "CONNECTED" not in output
    assert only_finding(doc, "ST503").startswith("run 1 of 3")


# -- 3. memory, processes, state size ------------------------------------------------------


def test_fork_bomb_is_stopped_and_reported(tmp_path: Path, seed: Path) -> None:
    attack = script(tmp_path, "bomb() { bomb | bomb; }\nbomb\n")
    start = time.monotonic()
    doc = report(
        converge("--pids-limit", "64", "--timeout", "4", "--state", str(seed), "--", "bash", attack)
    )
    assert time.monotonic() - start < 30
    message = only_finding(doc, "ST503")
    assert message.startswith(
        f"run 1 of 3 (`bash {attack}`) was stopped after the time limit of 4s (the process "
        "limit of 64 was reached); last lines of output:"
    )
    assert "fork: retry: Resource temporarily unavailable" in message


def test_a_10_gb_file_is_stopped_at_the_state_limit(tmp_path: Path, seed: Path) -> None:
    attack = script(tmp_path, "dd if=/dev/zero of=/host/big bs=1M count=10240\n")
    doc = report(converge("--state-limit", "32M", "--state", str(seed), "--", "bash", attack))
    message = only_finding(doc, "ST503")
    # dd is killed by SIGXFSZ; bash reports it
    assert message.startswith(
        f"run 1 of 3 (`bash {attack}`) exited with status 153 (a file "
        f"reached the size limit of {32 << 20} bytes)"
    )
    run = doc["summary"]["converge"]["runs"][0]
    assert run["changes"] == [
        {
            "kind": "added",
            "path": "big",
            "sandbox_path": "/host/big",
            "what": f"file 0644, {32 << 20} bytes",
        }
    ]


def test_many_files_are_stopped_at_the_state_limit(tmp_path: Path, seed: Path) -> None:
    attack = script(tmp_path, "for i in $(seq 1000); do head -c 8M /dev/zero > /host/f$i; done\n")
    start = time.monotonic()
    doc = report(converge("--state-limit", "64M", "--state", str(seed), "--", "bash", attack))
    assert time.monotonic() - start < 60
    assert only_finding(doc, "ST503").startswith(
        f"run 1 of 3 (`bash {attack}`) was stopped after adding more than {64 << 20} bytes to "
        "the disk that holds the state"
    )


def test_memory_is_capped_per_process(tmp_path: Path, seed: Path) -> None:
    doc = report(
        converge(
            "--memory-limit",
            "256M",
            "--state",
            str(seed),
            "--",
            "python3",
            "-c",
            "bytearray(1 << 30)",
        )
    )
    message = only_finding(doc, "ST503")
    assert message.startswith(
        "run 1 of 3 (`python3 -c 'bytearray(1 << 30)'`) exited with "
        f"status 1 (the memory limit of {256 << 20} bytes per process "
        "was reached)"
    )


# -- 4. binds stay inside the scratch ------------------------------------------------------


def daemonset(
    volumes: list[dict[str, Any]], mounts: list[dict[str, Any]], command: list[str]
) -> str:
    body = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "x"},
        "spec": {
            "selector": {"matchLabels": {"a": "x"}},
            "template": {
                "metadata": {"labels": {"a": "x"}},
                "spec": {
                    "volumes": volumes,
                    "containers": [
                        {
                            "name": "c",
                            "image": "busybox:1.36",
                            "command": command,
                            "volumeMounts": mounts,
                        }
                    ],
                },
            },
        },
    }
    return yaml.safe_dump(body, sort_keys=False)


def host_path(name: str, path: str) -> dict[str, Any]:
    return {"name": name, "hostPath": {"path": path, "type": "DirectoryOrCreate"}}


def test_dotdot_in_host_path_is_refused(tmp_path: Path, seed: Path) -> None:
    c = chart(
        tmp_path / "c",
        templates={
            "ds.yaml": daemonset(
                [host_path("h", "/var/lib/../../../tmp")],
                [{"name": "h", "mountPath": "/h"}],
                ["true"],
            )
        },
    )
    fails(
        ["converge", str(c), "--workload", "DaemonSet/x", "--state", str(seed)],
        "DaemonSet/x container c volume h: hostPath.path '/var/lib/../../../tmp' must not "
        "contain '..'",
    )


def test_dotdot_in_sub_path_is_refused(tmp_path: Path, seed: Path) -> None:
    c = chart(
        tmp_path / "c",
        templates={
            "ds.yaml": daemonset(
                [host_path("h", "/var/lib/node"), {"name": "e", "emptyDir": {}}],
                [
                    {"name": "h", "mountPath": "/h"},
                    {"name": "e", "mountPath": "/e", "subPath": "../../../../tmp"},
                ],
                ["true"],
            )
        },
    )
    fails(
        ["converge", str(c), "--workload", "DaemonSet/x", "--state", str(seed)],
        "volume e: subPath '../../../../tmp' must not contain '..'",
    )


def test_nested_host_path_swapped_for_a_symlink_is_not_bound(
    tmp_path: Path, seed: Path, victim: Path
) -> None:
    # run 1 replaces the inner hostPath's directory by a symlink to a host directory; run 2
    # would mount that host directory writable at /inner and write there
    swap = (
        f"if [ -L /outer/inner ]; then echo escaped > /inner/pwned; "
        f"else rmdir /outer/inner && ln -s {victim} /outer/inner; fi"
    )
    c = chart(
        tmp_path / "c",
        templates={
            "ds.yaml": daemonset(
                [host_path("outer", "/var/lib/node"), host_path("inner", "/var/lib/node/inner")],
                [
                    {"name": "outer", "mountPath": "/outer"},
                    {"name": "inner", "mountPath": "/inner"},
                ],
                ["sh", "-c", swap],
            )
        },
    )
    doc = report(converge(str(c), "--workload", "DaemonSet/x", "--state", str(seed)))
    assert list(victim.iterdir()) == []
    message = only_finding(doc, "ST503")
    assert message.startswith(
        "run 2 of 3 (`sh -c '" + swap + "'`) was not started: the source of /inner must stay "
        f"inside its directory, but var/lib/node/inner is a symlink (to {victim})"
    )
    assert [len(r["changes"]) for r in doc["summary"]["converge"]["runs"]] == [1, 0]


def test_empty_dir_sub_path_swapped_for_a_symlink_is_not_bound(
    tmp_path: Path, seed: Path, victim: Path
) -> None:
    swap = (
        f"if [ -L /all/sub ]; then echo escaped > /sub/pwned; "
        f"else rmdir /all/sub && ln -s {victim} /all/sub; fi"
    )
    c = chart(
        tmp_path / "c",
        templates={
            "ds.yaml": daemonset(
                [host_path("h", "/var/lib/node"), {"name": "e", "emptyDir": {}}],
                [
                    {"name": "h", "mountPath": "/h"},
                    {"name": "e", "mountPath": "/all"},
                    {"name": "e", "mountPath": "/sub", "subPath": "sub"},
                ],
                ["sh", "-c", swap],
            )
        },
    )
    doc = report(converge(str(c), "--workload", "DaemonSet/x", "--state", str(seed)))
    assert list(victim.iterdir()) == []
    assert only_finding(doc, "ST503").startswith(
        "run 2 of 3 (`sh -c '" + swap + "'`) was not started: the source of /sub must stay "
        f"inside its directory, but sub is a symlink (to {victim})"
    )


def test_seed_symlink_to_a_host_directory_is_not_followed(
    tmp_path: Path, seed: Path, victim: Path
) -> None:
    (seed / "var").symlink_to(victim)
    c = chart(
        tmp_path / "c",
        templates={
            "ds.yaml": daemonset(
                [host_path("h", "/var/lib/node")],
                [{"name": "h", "mountPath": "/h"}],
                ["sh", "-c", "echo escaped > /h/pwned"],
            )
        },
    )
    fails(
        ["converge", str(c), "--workload", "DaemonSet/x", "--state", str(seed)],
        "--state: /h cannot be mounted from the state path var/lib/node: var is a symlink "
        f"(to {victim})",
    )
    assert list(victim.iterdir()) == []


def test_a_fifo_created_in_the_state_is_a_finding(tmp_path: Path, seed: Path) -> None:
    doc = report(converge("--state", str(seed), "--", "mkfifo", "/host/pipe"))
    assert only_finding(doc, "ST503").startswith(
        "run 1 of 3 (`mkfifo /host/pipe`) created a fifo at /host/pipe: a node state seatrial "
        "checks may hold only files, directories and symlinks"
    )
    run = doc["summary"]["converge"]["runs"][0]
    assert run["changes"] == [
        {"kind": "added", "path": "pipe", "sandbox_path": "/host/pipe", "what": "fifo 0644"}
    ]


def test_a_program_path_with_dotdot_is_not_extracted_outside_the_scratch(
    tmp_path: Path, seed: Path, victim: Path, registry: Registry
) -> None:
    # the image holds VICTIM/pwned (a path it may well have); the chart runs it through
    # enough `..` to climb out of seatrial's extraction directory
    program = "/.." * 12 + f"{victim}/pwned"
    push_image(
        registry.url,
        "hostile/dotdot",
        "v1",
        files={f"{victim}/pwned": File(b"#!/bin/sh\necho ran > /h/ran\n", 0o755)},
    )
    c = chart(
        tmp_path / "c",
        templates={
            "ds.yaml": daemonset(
                [host_path("h", "/var/lib/node")], [{"name": "h", "mountPath": "/h"}], [program]
            ).replace("busybox:1.36", f"{registry.host}/hostile/dotdot:v1")
        },
    )
    result = converge(
        str(c), "--workload", "DaemonSet/x", "--state", str(seed), "--script-from-image"
    )
    assert list(victim.iterdir()) == []
    assert result.exit_code == 0, (result.output, result.stderr)
    runs = json.loads(result.stdout)["summary"]["converge"]["runs"]
    assert runs[0]["changes"] == [
        {
            "kind": "added",
            "path": "var/lib/node/ran",
            "sandbox_path": "/h/ran",
            "what": "file 0644, 4 bytes",
        }
    ]


def test_directories_nested_thousands_deep_are_a_finding(tmp_path: Path, seed: Path) -> None:
    nest = (
        "import os\nos.chdir('/host')\n"
        "for _ in range(3000):\n    os.mkdir('d')\n    os.chdir('d')\n"
    )
    attack = tmp_path / "nest.py"
    attack.write_text(nest)
    doc = report(converge("--state", str(seed), "--", "python3", str(attack)))
    assert only_finding(doc, "ST503").startswith(
        f"run 1 of 3 (`python3 {attack}`) left a state seatrial cannot check: directories "
        "nested more than 128 deep"
    )
