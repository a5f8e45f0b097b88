"""What a render worker sends back (render/pool.py `_answer`): each template text once."""

from __future__ import annotations

import json
import threading
from typing import Any

from seatrial.render.pool import _answer


class _Pipe:
    def __init__(self) -> None:
        self.sent: list[Any] = []

    def send(self, msg: Any) -> None:
        self.sent.append(msg)


def test_texts_cross_once_and_outputs_once() -> None:
    pipe: Any = _Pipe()
    sent: dict[str, int] = {}
    texts: dict[str, int] = {}
    lock = threading.Lock()
    crd = "kind: CustomResourceDefinition\n" * 1000
    a = json.dumps({"c/templates/crd.yaml": crd, "c/templates/a.yaml": "a: 1\n"})
    b = json.dumps({"c/templates/crd.yaml": crd, "c/templates/a.yaml": "a: 2\n"})
    _answer(pipe, 0, 1, a, sent, texts, lock)
    _answer(pipe, 1, 2, b, sent, texts, lock)
    _answer(pipe, 0, 3, a, sent, texts, lock)
    assert pipe.sent == [
        ("new", 0, 1, {"c/templates/crd.yaml": crd, "c/templates/a.yaml": "a: 1\n"}),
        ("new", 1, 2, {"c/templates/crd.yaml": 0, "c/templates/a.yaml": "a: 2\n"}),
        ("same", 0, 1),
    ]


def test_an_answer_that_is_not_a_map_of_texts_fails() -> None:
    pipe: Any = _Pipe()
    lock = threading.Lock()
    for bad in ("{not json", "[1, 2]", '{"c/templates/a.yaml": 3}'):
        _answer(pipe, 0, 1, bad, {}, {}, lock)
    assert pipe.sent == [("failed", 0, "the engine answered a render with bad JSON")] * 3
