"""The sandbox itself: no network, read-only root (no remount escape), fresh /tmp, refusal
when bubblewrap is missing or broken, and clear usage errors."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from tests.converge.support import S3, invoke

from seatrial.commands.converge import parse_size
from seatrial.converge.sandbox import SANDBOX_UID, Bind, RunSpec, Sandbox

SRC = Path(__file__).resolve().parents[2] / "src"


def _bash(script: str, *binds: Bind) -> tuple[int | None, str]:
    result = Sandbox().run(RunSpec(("bash", "-c", script), binds=binds, timeout=20))
    return result.exit_code, result.output_tail


def test_no_network_even_to_the_hosts_loopback() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        port = server.getsockname()[1]
        probe = f"echo hi > /dev/tcp/127.0.0.1/{port} && echo CONNECTED"
        outside = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=False)
        assert "CONNECTED" in outside.stdout  # the probe works where there is a network
        code, out = _bash(probe)
    assert code != 0 and "CONNECTED" not in out
    assert "Connection refused" in out


def test_root_is_read_only_and_cannot_be_remounted(tmp_path: Path) -> None:
    tmp_path.chmod(0o777)  # writable by anyone: only the read-only bind can stop the write
    _code, out = _bash(
        "touch /etc/seatrial-probe; mount -o remount,rw,bind /ro; touch /ro/escaped; ls /ro",
        Bind("/ro", tmp_path),
    )
    assert "touch: cannot touch '/etc/seatrial-probe': Read-only file system" in out
    assert "touch: cannot touch '/ro/escaped': Read-only file system" in out
    assert not (tmp_path / "escaped").exists()
    assert not Path("/etc/seatrial-probe").exists()


def test_tmp_is_fresh_and_state_bind_is_writable(tmp_path: Path) -> None:
    (tmp_path / "marker").write_text("host")
    state = tmp_path / "state"
    state.mkdir()
    Sandbox().adopt(state)  # as root: owned by the uid root in the sandbox is
    code, out = _bash(
        f"test -e {tmp_path}/marker && echo VISIBLE; ls -A /tmp | wc -l; "
        "echo written > /var/lib/node/file",
        Bind("/var/lib/node", state, True),
    )
    assert code == 0 and "VISIBLE" not in out and out.split() == ["0"]
    assert (state / "file").read_text() == "written\n"


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv"),
    reason="needs root to switch to an unprivileged user",
)
def test_unprivileged_user_gets_root_in_a_user_namespace() -> None:
    # pytest's tmp_path is private to root; nobody needs a directory it can reach
    state = Path(tempfile.mkdtemp(prefix="seatrial-unpriv-"))
    os.chown(state, 65534, 65534)
    # the checkout (and its venv) may sit in a directory only root can enter (CI clones into
    # a `mktemp -d`): give nobody its own copy of the stdlib-only modules the sandbox needs
    code = Path(tempfile.mkdtemp(prefix="seatrial-unpriv-src-"))
    code.chmod(0o755)
    for rel in (
        "__init__.py",
        "errors.py",
        "converge/__init__.py",
        "converge/sandbox.py",
        "converge/beneath.py",
        "converge/trees.py",
        "objects/__init__.py",
        "objects/kubelet.py",
    ):
        (code / "seatrial" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SRC / "seatrial" / rel, code / "seatrial" / rel)
    for d in code.rglob("*"):
        d.chmod(0o755 if d.is_dir() else 0o644)
    try:
        _run_unprivileged(state, code)
    finally:
        shutil.rmtree(state)
        shutil.rmtree(code)


def _run_unprivileged(state: Path, code: Path) -> None:
    program = (
        "import sys; from pathlib import Path\n"
        "from seatrial.converge.sandbox import Bind, RunSpec, Sandbox\n"
        "r = Sandbox().run(RunSpec(('bash', '-c', 'id -u; echo hi > /host/f; touch /etc/x; "
        "grep CapEff /proc/self/status'), binds=(Bind('/host', Path(sys.argv[1]), True),)))\n"
        "print(r.exit_code); print(r.output_tail, end='')\n"
    )
    out = subprocess.run(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            os.path.realpath(sys.executable),
            "-c",
            program,
            str(state),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(code)},
        cwd=code,
    )
    assert out.stdout.splitlines() == [
        "0",
        "0",
        "touch: cannot touch '/etc/x': Read-only file system",
        "CapEff:\t00000000000000db",
    ]  # the same six capabilities as when started by root
    assert (state / "f").stat().st_uid == 65534


def test_missing_bwrap_is_refused_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    result = invoke(
        "--state",
        str(S3 / "seed"),
        "--",
        "touch",
        str(marker),
        env={"SEATRIAL_BWRAP": str(tmp_path / "no-such-bwrap")},
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("seatrial: error: bubblewrap not found: ")
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert not marker.exists()


def test_bwrap_without_namespaces_is_refused(tmp_path: Path) -> None:
    # started by root, bubblewrap runs as the sandbox uid: it must reach the program
    reachable = Path(tempfile.mkdtemp(prefix="seatrial-fake-bwrap-"))
    reachable.chmod(0o755)
    try:
        _refused(reachable, tmp_path)
    finally:
        shutil.rmtree(reachable)


def _refused(reachable: Path, tmp_path: Path) -> None:
    fake = reachable / "bwrap"
    fake.write_text(
        "#!/bin/sh\necho 'bwrap: No permissions to create new namespace, likely "
        "because the kernel does not allow non-privileged user namespaces.' >&2\n"
        "exit 1\n"
    )
    fake.chmod(0o755)
    marker = tmp_path / "ran"
    result = invoke(
        "--state", str(S3 / "seed"), "--", "touch", str(marker), env={"SEATRIAL_BWRAP": str(fake)}
    )
    assert result.exit_code == 2
    who = f" as uid {SANDBOX_UID}" if os.geteuid() == 0 else ""
    assert result.stderr.startswith(
        f"seatrial: error: bubblewrap cannot create its sandbox here{who}: bwrap: No "
        "permissions to create new namespace"
    )
    assert result.stderr.endswith("and in a container a seccomp profile that allows unshare)\n")
    assert result.stderr.count("\n") == 1
    assert not marker.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--state", "seed"), "no command to run: put it after `--`"),
        (("--state", "no-such-dir", "--", "true"), "--state no-such-dir: not a directory"),
        (
            ("--state", "seed", "--env", "NOVALUE", "--", "true"),
            "--env 'NOVALUE': expected KEY=VALUE",
        ),
        (
            ("--state", "seed", "--scenario", "upgrade", "--", "true"),
            "--scenario upgrade needs the env of B",
        ),
        (
            ("--state", "seed", "--scenario", "cleanup", "--", "true"),
            "--scenario cleanup needs the cleanup command",
        ),
        (("--state", "seed", "--runs", "1", "--", "true"), "--runs must be at least 2"),
        (("--state", "seed", "--set", "a=b", "--", "true"), "--set needs the chart form"),
        (("--state", "seed", "--mount-at", "/proc/x", "--", "true"), "cannot mount at /proc/x"),
        (
            ("--state", "seed", "--memory-limit", "lots", "--", "true"),
            "--memory-limit 'lots': expected a size such as 512M or 2G",
        ),
        (
            ("--state", "seed", "--state-limit", "0", "--", "true"),
            "--state-limit '0': expected a size such as 512M or 2G",
        ),
        (
            ("--state", "seed", "--script-path", "rel=x", "--", "true"),
            "--script-path 'rel=x': expected IMAGE_DIR=LOCAL_DIR, IMAGE_DIR an absolute path",
        ),
    ],
)
def test_usage_errors_are_one_line(
    args: tuple[str, ...], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(S3)
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"seatrial: error: {message}")
    assert result.stderr.count("\n") == 1


def test_a_seed_with_a_fifo_is_refused(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    seed.mkdir()
    os.mkfifo(seed / "pipe")
    result = invoke("--state", str(seed), "--", "true")
    assert result.exit_code == 2
    assert "is a special file" in result.stderr


def test_a_seed_on_several_filesystems_is_refused() -> None:
    result = invoke("--state", "/", "--", "true")
    assert result.exit_code == 2
    assert result.stderr.startswith("seatrial: error: --state /: /")
    assert "is another filesystem" in result.stderr


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("1048576", 1 << 20),
        ("512M", 512 << 20),
        ("2G", 2 << 30),
        ("64MiB", 64 << 20),
        ("8k", 8 << 10),
    ],
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text, "--state-limit") == size
