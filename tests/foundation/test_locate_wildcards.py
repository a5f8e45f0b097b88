"""The wildcard match of a template line (its `{{ ... }}` actions render to any text) agrees
with the regular expression it replaces: literal parts in order, anchored at both ends."""

from __future__ import annotations

import random
import re

from seatrial.render.locate import _fits, _parts


def regex_fits(line: str, target: str) -> bool:
    parts = _parts(line)
    assert parts is not None
    return (
        re.compile(".*?".join(re.escape(p) for p in parts) + r"\Z", re.S).match(target) is not None
    )


def test_known_lines() -> None:
    line = '  image: "{{ .Values.repo }}:{{ .Values.tag }}"'
    assert _fits(_parts(line) or [], 'image: "nginx:1.27"')
    assert not _fits(_parts(line) or [], "image: nginx:1.27")
    assert _fits(_parts("- --port={{ .Values.port }}") or [], "- --port=8080")
    assert not _fits(_parts("- --port={{ .Values.port }}") or [], "- --host=8080")
    assert _parts("name: plain") is None and _parts("{{ .x }}: {{ .y }}") is None
    # a `}}` inside a string literal does not end the action
    line = '  legend: {{ printf "{{ %s }}" .Values.x | quote }}'
    assert _parts(line) == ["legend: ", ""]
    assert _fits(_parts(line) or [], 'legend: "{{ pod }}"')


def test_agrees_with_the_regex_on_random_lines() -> None:
    rng = random.Random(15)
    alphabet = 'ab:-" .'
    for _ in range(20000):
        pieces = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
            for _ in range(rng.randint(1, 4))
        ]
        line = "{{ .v }}".join(pieces) + ("x" if rng.random() < 0.5 else "")
        line = "a" + line if "{{" in line else line + "{{ .v }}a"
        if _parts(line) is None:
            continue
        target = "".join(rng.choice(alphabet + "x") for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.5:  # a target the line could render
            target = "".join(
                p + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 2)))
                for p in _parts(line) or []
            )
            target = target.strip()
        assert _fits(_parts(line) or [], target) == regex_fits(line, target), (line, target)
