"""Rendering hostile charts: a template that never ends, Ctrl-C during a render, secrets in
temporary files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.cli_runner import invoke
from tests.hostile.support import chart, fails

#: 1e10 iterations: hours in the Go template engine
LOOP = "{{ range $i := until 100000 }}{{ range $j := until 100000 }}{{ end }}{{ end }}"
CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  v: "{}"\n'
CHECK = ["check", "--offline", "--no-images", "--kube-versions", "1.32,1.33"]
SEATRIAL = [sys.executable, "-c", "from seatrial.cli import main; main()"]


def test_looping_template_fails_after_the_deadline(tmp_path: Path) -> None:
    c = chart(tmp_path / "spin", templates={"cm.yaml": CM.format(LOOP)})
    started = time.monotonic()
    fails(
        [*CHECK, "--render-timeout", "2", str(c)],
        "every cell failed to render (2 cells)",
        "render did not finish within 2 s",
    )
    assert time.monotonic() - started < 20


def test_an_engine_error_fails_the_request_at_once(tmp_path: Path) -> None:
    """Values the engine cannot take (no JSON form) fail their request with the reason, and
    the lane serves the next one: a lane that died would pass for a looping template after
    the deadline."""
    import datetime

    from seatrial.render.helm import RenderRequest, TemplateError
    from seatrial.render.pool import PoolEngine

    c = chart(tmp_path / "c", templates={"cm.yaml": CM.format("x")})
    engine = PoolEngine(c, size=1, timeout=60)
    try:
        started = time.monotonic()
        bad = engine.submit(RenderRequest({"d": datetime.date(2024, 1, 1)}, "v1.33.0"))
        with pytest.raises(TemplateError, match="the render engine failed: TypeError"):
            bad.result()
        assert time.monotonic() - started < 20
        assert "cm.yaml" in "".join(engine.render(RenderRequest({}, "v1.33.0")))
    finally:
        engine.close()


def test_a_huge_render_fails_its_cell_instead_of_filling_memory(tmp_path: Path) -> None:
    """A ci/ values file makes the template print 80 MiB: that cell fails with ST101 naming
    the limit (the output never reaches the main process); the defaults render."""
    body = '{{ if .Values.big }}{{ repeat 83886080 "a" }}{{ end }}'
    c = chart(tmp_path / "big", values="big: false\n", templates={"cm.yaml": CM.format(body)})
    (c / "ci").mkdir()
    (c / "ci" / "big-values.yaml").write_text("big: true\n")
    result = invoke(*CHECK, "--no-modes", "--format", "json", str(c), catch_exceptions=False)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [
        (f["check"], f["severity"], sorted(c["name"] for c in f["cells"]), f["message"])
        for f in report["findings"]
    ] == [
        (
            "ST101",
            "error",
            ["ci/big-values.yaml"] * 2,
            "render failed: rendered output is 80 MiB, over the 64 MiB limit (a template that "
            "repeats without end?)",
        )
    ]


def test_looping_mode_fails_its_cells_and_later_cells_still_render(tmp_path: Path) -> None:
    """The ci/ values file and the spin=true toggle loop; their cells get ST101, the workers
    are replaced and the `extra.enabled=true` cells (planned after them) render."""
    body = "{{ if .Values.spin }}" + LOOP + "{{ end }}{{ if .Values.extra.enabled }}extra{{ end }}"
    c = chart(
        tmp_path / "spin",
        values="spin: false\nextra:\n  enabled: false\n",
        templates={"cm.yaml": CM.format(body)},
    )
    (c / "ci").mkdir()
    (c / "ci" / "spin-values.yaml").write_text("spin: true\n")
    result = invoke(
        *CHECK, "--render-timeout", "2", "--format", "json", str(c), catch_exceptions=False
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    failed = {
        (cell["name"], cell["kube_version"]): f["message"]
        for f in report["findings"]
        if f["check"] == "ST101"
        for cell in f["cells"]
    }
    assert set(failed) == {
        ("ci/spin-values.yaml", "1.32"),
        ("ci/spin-values.yaml", "1.33"),
        ("spin=true", "1.32"),
        ("spin=true", "1.33"),
    }
    assert all(
        "render did not finish within 2 s" in m or "did not finish within the render deadline" in m
        for m in failed.values()
    ), failed
    assert report["summary"]["cells"] == 8
    assert report["summary"]["distinct_renders"] == 2


def test_ctrl_c_stops_a_looping_render_promptly(tmp_path: Path) -> None:
    c = chart(tmp_path / "spin", templates={"cm.yaml": CM.format(LOOP)})
    proc = subprocess.Popen(
        [*SEATRIAL, *CHECK, str(c)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(2)
    workers = _descendants(proc.pid)
    assert workers, "no render worker was running"
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    out, err = proc.communicate(timeout=20)
    assert time.monotonic() - started < 5
    assert proc.returncode in (130, 2), (proc.returncode, err)
    assert err.splitlines() == ["seatrial: interrupted"], err
    assert out == ""
    time.sleep(0.5)
    assert [pid for pid in workers if _alive(pid)] == []


def test_render_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    c = chart(tmp_path / "spin", templates={"cm.yaml": CM.format(LOOP)})
    proc = subprocess.Popen(
        [*SEATRIAL, *CHECK, str(c)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(2)
    workers = _descendants(proc.pid)
    assert workers, "no render worker was running"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in workers if _alive(pid)] == []


def _descendants(pid: int) -> list[int]:
    out: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
        for child in map(int, children):
            out += [child, *_descendants(child)]
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


SECRET = "hunter2-s3cret"


@pytest.mark.parametrize("engine", ["sdk", "helm-cli"])
def test_no_temporary_file_left_after_a_render_with_set(tmp_path: Path, engine: str) -> None:
    helm = shutil.which("helm")
    if engine == "helm-cli" and helm is None:
        pytest.skip("no helm CLI")
    c = chart(
        tmp_path / "c",
        values="password: x\n",
        templates={"cm.yaml": CM.format("{{ .Values.password | b64enc }}")},
    )
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    extra = ["--helm-bin", str(helm)] if engine == "helm-cli" else []
    proc = subprocess.run(
        [*SEATRIAL, *CHECK, "--set", f"password={SECRET}", *extra, str(c)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TMPDIR": str(tmpdir)},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert list(tmpdir.iterdir()) == []


def test_render_one_leaves_no_values_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from seatrial.render.api import render_one

    c = chart(
        tmp_path / "c",
        values="password: x\n",
        templates={"cm.yaml": CM.format("{{ .Values.password }}")},
    )
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
    objects = render_one(str(c), {"password": SECRET}, "1.33")
    assert [o.body["data"]["v"] for o in objects.objects] == [SECRET]
    assert list(tmpdir.iterdir()) == []


@pytest.mark.parametrize("fails", [False, True], ids=["rendered", "render-failed"])
def test_check_chart_leaves_no_values_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: bool
) -> None:
    """`explain`'s link back checks the chart with the release's values: they exist on disk
    only while the check runs, whether it renders or fails."""
    import tempfile

    from seatrial.api import check_chart
    from seatrial.errors import RenderError

    template = '{{ required "boom" .Values.absent }}' if fails else "{{ .Values.password }}"
    c = chart(tmp_path / "c", values="password: x\n", templates={"cm.yaml": CM.format(template)})
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
    if fails:
        with pytest.raises(RenderError, match="every cell failed to render"):
            check_chart(str(c), values={"password": SECRET}, kube_versions=["1.33"])
    else:
        summary = check_chart(str(c), values={"password": SECRET}, kube_versions=["1.33"])
        assert summary.findings == []
    assert list(tmpdir.iterdir()) == []


def test_a_render_beside_a_looping_one_is_rendered_again_after_the_kill(tmp_path: Path) -> None:
    """The worker renders two requests at a time. When one loops past its deadline the worker
    is killed; the other render it was running (here one that takes ~2 s, started 3 s into
    the 4 s deadline) goes back to the queue and completes in a fresh worker."""
    from seatrial.render.helm import RenderRequest, RenderTimeout, SdkEngine
    from seatrial.render.pool import PoolEngine

    slow_body = (
        "{{ if .Values.spin }}"
        + LOOP
        + "{{ end }}{{ range $i := until (int .Values.n) }}{{ range $j := until 1000 }}{{ end }}{{ end }}done"
    )
    c = chart(
        tmp_path / "slow", values="spin: false\nn: 0\n", templates={"cm.yaml": CM.format(slow_body)}
    )
    probe = SdkEngine(c)
    try:
        started = time.monotonic()
        probe.render(RenderRequest({"n": 2000}, "v1.33.0"))
        per = (time.monotonic() - started) / 2000
    finally:
        probe.close()
    n = max(1, int(2.0 / per))  # a render of about 2 s on this machine
    pool = PoolEngine(c, size=2, timeout=4.0)
    try:
        looping = pool.submit(RenderRequest({"spin": True}, "v1.33.0"))
        time.sleep(3.0)
        slow = pool.submit(RenderRequest({"n": n}, "v1.33.0"))
        with pytest.raises(RenderTimeout):
            looping.result(timeout=60)
        assert not slow.done()  # it was running in the killed worker
        out = slow.result(timeout=60)
    finally:
        pool.close()
    (text,) = [t for k, t in out.items() if k.endswith("/templates/cm.yaml")]
    assert 'v: "done"' in text


def test_the_started_worker_renders_the_first_chart_and_dies_unused(tmp_path: Path) -> None:
    """`prestart` spawns a worker before its chart is known: the first PoolEngine takes it
    (no second process) and renders with it; one nobody takes is killed by `discard_spare`."""
    from seatrial.render import pool
    from seatrial.render.helm import RenderRequest

    c = tmp_path / "c"
    (c / "templates").mkdir(parents=True)
    (c / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (c / "templates/cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  v: {{ .Values.v | quote }}\n"
    )
    pool.prestart(2)
    assert pool._spare is not None
    spare = pool._spare.proc
    engine = pool.PoolEngine(c, size=2)
    try:
        assert pool._spare is None
        assert [w.proc.pid for w in engine._state.workers] == [spare.pid]
        out = engine.render(RenderRequest({"v": "a"}, "v1.33.0"))
        assert out["c/templates/cm.yaml"].endswith('v: "a"\n')
    finally:
        engine.close()
    pool.prestart(2)
    assert pool._spare is not None
    unused = pool._spare.proc
    pool.discard_spare()
    assert pool._spare is None and unused.poll() is not None
