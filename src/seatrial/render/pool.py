"""Renders in a worker process that can be abandoned.

The Go SDK call cannot be interrupted from Python: a template that loops 1e10 times holds
its thread for hours, and Ctrl-C would wait for it. Every render therefore runs in a worker
process that loads the chart once and keeps it. A render past its deadline gets its worker
killed (renders it was running for other cells go back to the queue, and a fresh worker
starts for them); Ctrl-C or `close()` kills it.

One worker renders `size` requests at a time, one per thread ("lane"): a Go SDK call releases
the GIL and the Go runtime runs calls from several threads in parallel, so one process uses
both cores with one Go runtime and one interpreter (two processes each held the runtime, the
engine's 85 MB library mapped, and the chart: ~100 MB each). Each lane loads its own copy of
a chart (a render may change the loaded chart: see SdkEngine).

`prestart()` starts the first worker before the caller knows its chart (at the start of
`seatrial check`): it loads the engine while the caller imports and plans, and gets the
chart's path with its first message.

Workers are fresh interpreters (`python -m seatrial.render.pool`), never forks: the parent may
already run a Go runtime (`--set` parsing) and a forked Go runtime is broken; nor
multiprocessing's spawn, which re-runs the caller's main script in each worker. They run in
their own process group, so a terminal's Ctrl-C reaches only the parent, which kills them.
Identical outputs cross the pipe once: the worker answers "same as token N" for an output it
already sent, so the parent keeps one copy of each distinct render however many cells produce
it, and one copy of each distinct template text.

A request may name a trimmed copy of the chart (`RenderRequest.chart_dir`, see render/deps.py):
a lane loads it once and keeps the last few loaded, and an idle lane takes the next job for
the copy it holds (else one for a copy no other lane holds), so each copy is loaded about
once per lane.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from seatrial.errors import SourceError
from seatrial.render.helm import RenderRequest, RenderTimeout, SdkEngine, TemplateError

#: seconds a worker may take to start and load the chart
_START_TIMEOUT = 120.0


def pool_size(requested: int) -> int:
    return max(1, min(requested, os.cpu_count() or 1))


#: a render larger than this fails its cell instead of reaching the main process (a template
#: can print hundreds of megabytes in well under the render deadline)
MAX_RENDER_BYTES = 64 << 20


def _too_large(rendered: str) -> str | None:
    size = len(rendered)
    if size <= MAX_RENDER_BYTES:
        return None
    return (
        f"rendered output is {size >> 20} MiB, over the {MAX_RENDER_BYTES >> 20} MiB limit "
        "(a template that repeats without end?)"
    )


def _serve(conn: Connection, chart_path: str, lanes: int) -> None:
    """A worker: load the chart once, then answer render requests until told to stop, up to
    `lanes` at a time. Requests are `(lane, token, request)`; answers name their lane. A
    spare worker (`chart_path` "-") loads the engine, then waits for `("chart", path)`."""
    import queue

    if chart_path == _SPARE_PATH:
        from seatrial.render.helm import _quiet_helm_logs

        _quiet_helm_logs()  # loads the engine's library while the parent gets ready

        try:
            msg = conn.recv()
        except EOFError:
            return
        if not (isinstance(msg, tuple) and len(msg) == 2 and msg[0] == "chart"):
            return
        chart_path = str(msg[1])

    try:
        first = SdkEngine(Path(chart_path))
    except SourceError as exc:
        conn.send(("error", str(exc)))
        return
    conn.send(("ready",))
    lock = threading.Lock()  # the pipe, and which outputs were sent
    sent: dict[str, int] = {}  # output digest -> the token it was first sent with
    texts: dict[str, int] = {}  # template text -> its number, in the order sent
    inboxes: list[queue.SimpleQueue[tuple[int, RenderRequest] | None]] = []

    def lane(n: int, inbox: queue.SimpleQueue[tuple[int, RenderRequest] | None]) -> None:
        whole = first if n == 0 else None  # lane 0 has the chart loaded; others load it
        trimmed: dict[str, SdkEngine] = {}  # chart_dir -> its engine, the most recent last
        while (msg := inbox.get()) is not None:
            token, req = msg
            try:
                if req.chart_dir is None and whole is None:
                    whole = SdkEngine(Path(chart_path))
                engine = whole if req.chart_dir is None else _trimmed(req.chart_dir, trimmed)
                assert engine is not None
                # the engine's JSON text goes to the parent as it is: no dict, no pickle
                out = engine.render_json(req)
            except (TemplateError, SourceError) as exc:
                with lock:
                    conn.send(("failed", n, str(exc)))
                continue
            except Exception as exc:  # a dead lane would pass for a template that loops
                with lock:
                    conn.send(("failed", n, f"the render engine failed: {exc!r}"))
                continue
            _answer(conn, n, token, out, sent, texts, lock)

    for n in range(lanes):
        inboxes.append(queue.SimpleQueue())
        threading.Thread(target=lane, args=(n, inboxes[n]), daemon=True).start()
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        n, token, req = msg
        inboxes[n].put((token, req))


def _answer(
    conn: Connection,
    lane: int,
    token: int,
    out: str,
    sent: dict[str, int],
    texts: dict[str, int],
    lock: threading.Lock,
) -> None:
    """Send a render: "same as token N" for an output already sent, else its templates, each
    template text the worker sent before as its number (argo-cd's trimmed copies each hold
    1.8 MB of CRDs the parent already has). Checked and sent under one lock, so the parent
    has what an answer names before the answer."""
    too_large = _too_large(out)
    if too_large:
        with lock:
            conn.send(("failed", lane, too_large))
        return
    key = hashlib.sha256(out.encode()).hexdigest()
    if key in sent:  # set under the lock with its "new" answer sent: no need to parse
        with lock:
            conn.send(("same", lane, sent[key]))
        return
    try:
        rendered = json.loads(out)
    except ValueError:
        rendered = None
    if not isinstance(rendered, dict) or not all(isinstance(v, str) for v in rendered.values()):
        with lock:
            conn.send(("failed", lane, "the engine answered a render with bad JSON"))
        return
    with lock:
        if key in sent:
            conn.send(("same", lane, sent[key]))
            return
        sent[key] = token
        parts: dict[str, str | int] = {}
        for name, text in rendered.items():
            known = texts.get(text)
            if known is None:
                texts[text] = len(texts)
                parts[name] = text
            else:
                parts[name] = known
        conn.send(("new", lane, token, parts))


#: trimmed charts a lane keeps loaded (render/deps.py); requests come grouped by chart
_KEEP_TRIMMED = 2


def _trimmed(chart_dir: str, trimmed: dict[str, SdkEngine]) -> SdkEngine:
    """The engine of a trimmed copy, loaded once and kept while it is among the most recent."""
    found = trimmed.pop(chart_dir, None)
    if found is None:
        found = SdkEngine(Path(chart_dir))
        while len(trimmed) >= _KEEP_TRIMMED:
            trimmed.pop(next(iter(trimmed))).close()
    trimmed[chart_dir] = found
    return found


def content_key(rendered: Mapping[str, str]) -> str:
    """One digest of a render's whole output (template paths and texts)."""
    h = hashlib.sha256()
    for k in sorted(rendered):
        h.update(k.encode())
        h.update(b"\0")
        h.update(rendered[k].encode())
        h.update(b"\0")
    return h.hexdigest()


def _worker_env() -> dict[str, str]:
    """The parent's environment, with seatrial and helm_python importable from where the
    parent finds them (tests and embedders may have put them on sys.path at run time).
    `find_spec` locates helm_python without loading its Go runtime into this process."""
    import importlib.util

    dirs: list[str] = []
    for name in ("seatrial", "helm_python"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            dirs.append(str(Path(spec.origin).resolve().parents[1]))
    old = os.environ.get("PYTHONPATH")
    # a fixed mmap threshold: glibc otherwise raises it after the engine frees a large
    # output, and later outputs stay in a heap it does not give back. Go's GC keeps its
    # default (GOGC=100): with both lanes in one process a tighter heap (50) cost prometheus
    # 5.3 s instead of 3.7 s for 7 MB
    tuned = {k: v for k, v in (("MALLOC_MMAP_THRESHOLD_", "131072"),) if k not in os.environ}
    return {
        **os.environ,
        **tuned,
        "PYTHONPATH": os.pathsep.join([*dict.fromkeys(dirs), *([old] if old else [])]),
    }


#: the chart argument of a spare worker (`prestart`)
_SPARE_PATH = "-"


@dataclass
class _Spare:
    proc: subprocess.Popen[bytes]
    conn: Connection
    size: int
    env: dict[str, str]


_spare: _Spare | None = None
_spare_lock = threading.Lock()


def _spawn(
    chart: str, size: int, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], Connection]:
    parent, child = socket.socketpair()
    with parent, child:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-P",
                "-m",
                "seatrial.render.pool",
                str(child.fileno()),
                chart,
                str(size),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(child.fileno(),),
            env=env,
            process_group=0,
        )
        return proc, Connection(parent.detach())


def prestart(size: int = 2) -> None:
    """Start the first render worker now, before its chart is known: the next PoolEngine of
    this size takes it. Unused, it is killed at exit."""
    global _spare
    with _spare_lock:
        if _spare is not None:
            return
        env = _worker_env()
        proc, conn = _spawn(_SPARE_PATH, pool_size(size), env)
        _spare = _Spare(proc, conn, pool_size(size), env)
    import atexit

    atexit.register(discard_spare)


def _pop_spare() -> _Spare | None:
    """The worker `prestart` started, which no one else can then take."""
    global _spare
    with _spare_lock:
        spare, _spare = _spare, None
    return spare


def _take_spare(size: int, env: dict[str, str]) -> _Spare | None:
    spare = _pop_spare()
    if spare is None:
        return None
    if spare.size == size and spare.env == env and spare.proc.poll() is None:
        return spare
    _kill_spare(spare)
    return None


def discard_spare() -> None:
    """Kill the worker `prestart` started, when no render will need it."""
    spare = _pop_spare()
    if spare is not None:
        _kill_spare(spare)


def _kill_spare(spare: _Spare) -> None:
    if spare.proc.poll() is None:
        spare.proc.kill()
    spare.proc.wait()
    spare.conn.close()


@dataclass
class _Job:
    future: Future[dict[str, str]]
    req: RenderRequest
    token: int = 0
    started: bool = False  # its future is running (it may go back to the queue)


#: requests sent ahead to a lane, so the next one is there when a render ends: the parent's
#: answer-and-send round trip waits for the GIL while the main thread parses (argo-cd's
#: lanes sat idle ~half of its render phase)
_AHEAD = 2


@dataclass
class _Lane:
    jobs: list[_Job] = field(default_factory=list)  # sent, in order; the first is rendering
    deadline: float = 0.0  # of the first: it started when the one before it was answered
    chart_dir: str | None = None  # of its last request: it has that chart loaded


@dataclass
class _Worker:
    proc: subprocess.Popen[bytes]
    conn: Connection
    lanes: list[_Lane]
    ready: bool = False
    #: the template texts this worker sent, by number (`_answer`)
    texts: list[str] = field(default_factory=list)

    def jobs(self) -> list[_Job]:
        return [job for lane in self.lanes for job in lane.jobs]


def _take(queue: deque[_Job], mine: str | None, others: set[str | None]) -> _Job:
    """The next job for a worker: one for the chart it has loaded (a trimmed copy is then
    loaded once per run, not once per worker), else one for a chart no other worker has
    loaded, else the first. Looks a few dozen jobs ahead only."""
    fresh = None
    for i, job in enumerate(queue):
        if i >= 64:
            break
        if job.req.chart_dir is not None and job.req.chart_dir == mine:
            del queue[i]
            return job
        if fresh is None and job.req.chart_dir not in others:
            fresh = i
    if fresh is not None:
        job = queue[fresh]
        del queue[fresh]
        return job
    return queue.popleft()


@dataclass
class _State:
    queue: deque[_Job] = field(default_factory=deque)
    workers: list[_Worker] = field(default_factory=list)
    outputs: dict[int, dict[str, str]] = field(default_factory=dict)
    #: one copy of each distinct template output text, shared by every render holding it
    #: (a chart's CRDs and most templates come out the same in every cell)
    texts: dict[str, str] = field(default_factory=dict)
    load_error: str | None = None
    closed: bool = False


class PoolEngine:
    """The embedded Helm SDK in a worker process rendering `size` requests at a time, with a
    deadline per render."""

    name = "helm-python-sdk"

    def __init__(self, chart_path: Path, *, size: int = 2, timeout: float = 30.0) -> None:
        self._path = chart_path
        self._size = pool_size(size)
        self._timeout = timeout
        self._env = _worker_env()
        self._lock = threading.Lock()
        self._state = _State()
        self._tokens = 0
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="seatrial-render-pool", daemon=True)
        try:
            self._await_ready(self._start())
        except BaseException:
            for w in list(self._state.workers):
                self._kill(w)
            os.close(self._wake_r)
            os.close(self._wake_w)
            raise
        self._thread.start()

    # -- the caller's side ------------------------------------------------------------------

    def submit(self, req: RenderRequest) -> Future[dict[str, str]]:
        fut: Future[dict[str, str]] = Future()
        with self._lock:
            if self._state.closed:
                raise RuntimeError("render pool is closed")
            self._tokens += 1
            self._state.queue.append(_Job(fut, req, self._tokens))
        self._wake()
        return fut

    def render(self, req: RenderRequest) -> dict[str, str]:
        return self.submit(req).result()

    def close(self) -> None:
        with self._lock:
            if self._state.closed:
                return
            self._state.closed = True
            jobs = list(self._state.queue)
            self._state.queue.clear()
        for job in jobs:
            job.future.cancel()
        self._wake()
        self._thread.join(timeout=5)
        for w in list(self._state.workers):
            self._kill(w)
            for job in w.jobs():
                if not job.future.done():
                    job.future.set_exception(TemplateError("render stopped: the run was cancelled"))
        os.close(self._wake_r)
        os.close(self._wake_w)

    # -- workers -----------------------------------------------------------------------------

    def _start(self) -> _Worker:
        spare = _take_spare(self._size, self._env) if not self._state.workers else None
        if spare is not None:
            try:
                spare.conn.send(("chart", str(self._path)))
                proc, conn = spare.proc, spare.conn
            except OSError:
                _kill_spare(spare)
                spare = None
        if spare is None:
            proc, conn = _spawn(str(self._path), self._size, self._env)
        w = _Worker(proc, conn, [_Lane() for _ in range(self._size)])
        self._state.workers.append(w)
        return w

    def _await_ready(self, w: _Worker) -> None:
        if not w.conn.poll(_START_TIMEOUT):
            self._kill(w)
            raise SourceError(
                f"{self._path}: the render worker did not start within {_START_TIMEOUT:g} s"
            )
        self._on_message(w)
        if self._state.load_error is not None:
            raise SourceError(self._state.load_error)

    def _kill(self, w: _Worker) -> None:
        if w.proc.poll() is None:
            w.proc.kill()
        w.proc.wait()
        w.conn.close()
        if w in self._state.workers:
            self._state.workers.remove(w)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # closed: the pool is gone
            os.write(self._wake_w, b"x")

    def _run(self) -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # the main thread's to handle
        try:
            while not self._state.closed:
                self._dispatch()
                self._poll()
        except Exception as exc:  # fail every waiter rather than hang them
            self._fail_all(TemplateError(f"render pool failed: {exc}"))

    def _dispatch(self) -> None:
        with self._lock:
            st = self._state
            if st.queue and not st.workers:  # the worker was killed: a fresh one
                self._start()
            while st.queue:
                free = [
                    (len(lane.jobs), w, lane, n)
                    for w in st.workers
                    if w.ready
                    for n, lane in enumerate(w.lanes)
                    if len(lane.jobs) < _AHEAD
                ]
                if not free:
                    break
                # the least busy lane first: requests arriving one at a time (upgrade
                # renders, as outputs come back) would otherwise all go to the first lane
                _, w, lane, n = min(free, key=lambda f: f[0])
                others = {o.chart_dir for o in w.lanes if o is not lane}
                self._send(w, n, _take(st.queue, lane.chart_dir, others))

    def _send(self, w: _Worker, n: int, job: _Job) -> None:
        if not job.started:
            if not job.future.set_running_or_notify_cancel():
                return
            job.started = True
        lane = w.lanes[n]
        lane.chart_dir = job.req.chart_dir
        if not lane.jobs:
            lane.deadline = time.monotonic() + self._timeout
        lane.jobs.append(job)
        try:
            w.conn.send((n, job.token, job.req))
        except OSError:
            self._lost(w)

    def _poll(self) -> None:
        busy = [w for w in self._state.workers if w.jobs() or not w.ready]
        deadlines = [lane.deadline for w in busy for lane in w.lanes if lane.jobs]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        watched: list[Any] = [w.conn for w in busy] + [self._wake_r]
        for ready in wait(watched, timeout):
            if ready == self._wake_r:
                os.read(self._wake_r, 4096)
                continue
            w = next(w for w in busy if w.conn is ready)
            if w in self._state.workers:
                self._on_message(w)
        now = time.monotonic()
        for w in busy:
            late = [lane.jobs[0] for lane in w.lanes if lane.jobs and lane.deadline <= now]
            if not late or w not in self._state.workers:
                continue
            self._kill(w)
            with self._lock:  # the other lanes' renders go first to the fresh worker
                self._state.queue.extendleft(j for j in reversed(w.jobs()) if j not in late)
            for job in late:
                job.future.set_exception(RenderTimeout(self._timeout))

    def _on_message(self, w: _Worker) -> None:
        try:
            msg = w.conn.recv()
        except (EOFError, OSError):
            self._kill(w)
            if not w.ready:
                self._state.load_error = (
                    f"{self._path}: the render worker stopped while "
                    f"loading the chart (exit code {w.proc.returncode})"
                )
            self._lost(w)
            return
        kind = msg[0]
        if kind == "ready":
            w.ready = True
            return
        if kind == "error":
            self._state.load_error = msg[1]
            self._kill(w)
            self._fail_all(TemplateError(msg[1]))
            return
        lane = w.lanes[msg[1]]
        assert lane.jobs
        fut = lane.jobs.pop(0).future
        if lane.jobs:  # the next one starts now
            lane.deadline = time.monotonic() + self._timeout
        if kind == "failed":
            fut.set_exception(TemplateError(msg[2]))
        elif kind == "same":
            fut.set_result(self._state.outputs[msg[2]])
        else:
            out = {}
            for name, text in msg[3].items():
                if isinstance(text, int):
                    out[name] = w.texts[text]
                else:
                    w.texts.append(self._state.texts.setdefault(text, text))
                    out[name] = w.texts[-1]
            self._state.outputs[msg[2]] = out
            fut.set_result(out)

    def _lost(self, w: _Worker) -> None:
        self._kill(w)
        for job in w.jobs():
            if not job.future.done():
                job.future.set_exception(
                    TemplateError(
                        f"the render worker stopped unexpectedly (exit code {w.proc.returncode})"
                    )
                )

    def _fail_all(self, exc: Exception) -> None:
        with self._lock:
            jobs = list(self._state.queue)
            self._state.queue.clear()
        for job in jobs:
            if job.started or job.future.set_running_or_notify_cancel():
                job.future.set_exception(exc)
        for w in list(self._state.workers):
            for job in w.jobs():
                if not job.future.done():
                    job.future.set_exception(exc)


def _exit_with_parent() -> None:
    """Die when the parent does: a worker looping in the Go engine never reads its pipe, and
    being in its own process group, no terminal signal reaches it."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills us
    _exit_with_parent()
    _serve(Connection(int(sys.argv[1])), sys.argv[2], int(sys.argv[3]))
