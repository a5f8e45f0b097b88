"""The defaults cells' whole renders submitted ahead of the planning go one at a time
(render/matrix.py `_Chain`): a later one still waiting when the planning ends renders from its
version's copy instead of whole."""

from __future__ import annotations

from concurrent.futures import Future

from seatrial.render.helm import RenderRequest
from seatrial.render.matrix import Cell, _Chain


class _HeldEngine:
    """Renders that end when the test says so."""

    name = "held"

    def __init__(self) -> None:
        self.submitted: list[tuple[RenderRequest, Future[dict[str, str]]]] = []

    def submit(self, req: RenderRequest) -> Future[dict[str, str]]:
        fut: Future[dict[str, str]] = Future()
        fut.set_running_or_notify_cancel()
        self.submitted.append((req, fut))
        return fut

    def render(self, req: RenderRequest) -> dict[str, str]:
        raise AssertionError("not used")

    def close(self) -> None:
        pass


def test_two_run_the_next_starts_when_one_ends_none_after_stop() -> None:
    engine = _HeldEngine()
    chain = _Chain(engine, 2)
    versions = ["v1.32.0", "v1.33.0", "v1.34.0", "v1.35.0"]
    cells = [Cell(v, (), "defaults") for v in versions]
    started = [chain.submit(c, RenderRequest({}, v)) for c, v in zip(cells, versions, strict=True)]
    assert [f is not None for f in started] == [True, True, False, False]
    assert [r.kube_version for r, _ in engine.submitted] == versions[:2]
    engine.submitted[0][1].set_result({})
    assert [r.kube_version for r, _ in engine.submitted] == versions[:3]
    taken = chain.stop()
    assert list(taken) == cells[:3]
    engine.submitted[1][1].set_result({})
    engine.submitted[2][1].set_exception(RuntimeError("failed render"))
    assert len(engine.submitted) == 3  # v1.35 renders from its version's copy, not here


class _AtOnceEngine(_HeldEngine):
    """Renders that have ended when submitted (a worker that could not load the chart)."""

    def submit(self, req: RenderRequest) -> Future[dict[str, str]]:
        fut = super().submit(req)
        fut.set_exception(RuntimeError("cannot load the chart"))
        return fut


def test_a_render_ended_at_submit_starts_the_next_without_waiting() -> None:
    engine = _AtOnceEngine()
    chain = _Chain(engine, 1)
    for v in ["v1.32.0", "v1.33.0", "v1.34.0"]:
        chain.submit(Cell(v, (), "defaults"), RenderRequest({}, v))
    assert len(engine.submitted) == 3
    assert len(chain.stop()) == 3
