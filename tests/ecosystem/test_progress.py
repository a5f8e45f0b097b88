"""Progress bars: drawn on a terminal's stderr for each long phase, never otherwise."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from seatrial import progress

ROOT = Path(__file__).resolve().parents[2]
S1 = ROOT / "examples" / "s1-manager-kind"


def check(tmp_path: Path, *extra: str, tty: bool) -> tuple[str, subprocess.CompletedProcess[str]]:
    """Run `seatrial check` on S1 with stderr on a pseudo-terminal (or a pipe); returns what
    the terminal received and the process (its stdout and, without a terminal, stderr)."""
    env = {**os.environ, "SEATRIAL_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "120"}
    args = [sys.executable, "-m", "seatrial.cli", "check", str(S1), "--offline", *extra]
    if not tty:
        return "", subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=env
    )
    os.close(slave)
    received = b""
    while True:  # read as it comes, or a full terminal buffer would stall the child
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        received += chunk
    os.close(master)
    out = proc.stdout.read().decode() if proc.stdout else ""
    if proc.stdout:
        proc.stdout.close()
    rc = proc.wait(timeout=120)
    return received.decode(), subprocess.CompletedProcess(args, rc, out, "")


def cells_of_s1() -> int:
    out = subprocess.run(
        [sys.executable, "-m", "seatrial.cli", "matrix", str(S1), "--offline", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return len(json.loads(out.stdout)["cells"])


def final_counts(screen: str) -> dict[str, tuple[int, int]]:
    """The last drawing of each bar: label -> (done, total)."""
    out: dict[str, tuple[int, int]] = {}
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)  # cursor hide/show
    for label, done, total in re.findall(r"([a-z][a-z ]+?)\s+\[[#-]+\]\s+(\d+)/(\d+)", plain):
        out[label.strip()] = (int(done), int(total))
    return out


def test_a_terminal_sees_a_bar_per_phase_and_the_report_stays_clean(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    screen, proc = check(tmp_path, "--format", "json", "-o", str(report), tty=True)
    assert proc.returncode == 1, screen
    summary = json.loads(report.read_text())["summary"]
    n = summary["cells"]
    assert n == cells_of_s1() == 18
    counts = final_counts(screen)
    assert counts["rendering cells"] == (n, n), screen
    assert counts["images"][0] == counts["images"][1] > 0, screen
    distinct = summary["distinct_renders"]
    assert counts["upgrade renders"] == (distinct, distinct), screen
    assert counts["scripts"] == (distinct, distinct), screen
    # a bar redraws in place, and each phase ends on its own line
    assert screen.count("\r\n") == 4, screen
    # the report is only the report
    assert proc.stdout == ""
    assert json.loads(report.read_text())["findings"]


def test_no_bar_without_a_terminal_or_with_quiet(tmp_path: Path) -> None:
    _, piped = check(tmp_path, "--format", "json", tty=False)
    assert piped.returncode == 1
    assert piped.stderr == ""
    assert json.loads(piped.stdout)["findings"]
    screen, quiet = check(tmp_path, "--quiet", tty=True)
    assert quiet.returncode == 1
    assert screen == "" and quiet.stdout == ""


def drain(fd: int) -> str:
    """Whatever the terminal has received so far."""
    os.set_blocking(fd, False)
    got = b""
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return got.decode()
        got += chunk


def test_a_bar_shows_counts_and_an_estimate_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    master, slave = pty.openpty()
    term = os.fdopen(slave, "w")
    monkeypatch.setattr(sys, "stderr", term)
    monkeypatch.setattr(progress, "_enabled", True)
    with progress.phase("work", 3) as advance:
        time.sleep(1.1)  # click estimates after a second
        advance()
    term.flush()
    screen = drain(master)
    assert re.search(r"work\s+\[#+-+\]\s+1/3\s+00:00:0\d", screen), screen
    # the same bar on a pipe, or switched off: nothing at all
    for stream, on in ((open(os.devnull, "w"), True), (term, False)):  # noqa: SIM115
        monkeypatch.setattr(sys, "stderr", stream)
        monkeypatch.setattr(progress, "_enabled", on)
        assert not progress.active()
        assert list(progress.track(range(3), "work", 3)) == [0, 1, 2]
    term.flush()
    assert drain(master) == ""
    term.close()
    os.close(master)
