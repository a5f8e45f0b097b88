"""The redactor's literal matcher replaces exactly what an alternation of the secrets (longest
first) replaces, also with hundreds of long secrets (generated certificates)."""

from __future__ import annotations

import random
import re

from seatrial.redact import Redactor, _alternation, _Literals


def _reference(items: set[str], text: str) -> str:
    return re.compile(_alternation(items)).sub("#", text)


def test_same_replacements_as_the_alternation_on_random_cases() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        alphabet = "ab" if rng.random() < 0.5 else "abc"
        items = {
            "".join(rng.choice(alphabet) for _ in range(rng.randint(4, 9)))
            for _ in range(rng.randint(1, 6))
        }
        text = "".join(rng.choice(alphabet + "-") for _ in range(rng.randint(0, 60)))
        assert _Literals(items).sub("#", text) == _reference(items, text), (items, text)


def test_overlapping_starts_and_longest_first() -> None:
    lit = _Literals({"abcd", "bcdefg", "abcdefgh"})
    assert lit.sub("#", "xabcdefghx") == "x#x"
    assert lit.sub("#", "xabcdefx") == "x#efx"  # leftmost wins over the longer overlapping one
    assert lit.sub("#", "aabcd bcdefg") == "a# #"


def test_many_long_secrets_build_quickly_and_redact() -> None:
    """A few hundred PEM-sized secrets (a chart's generated certificates in every render)."""
    rng = random.Random(1)
    pems = [
        "".join(rng.choice("ABCDEFabcdef0123456789+/") for _ in range(1600)) for _ in range(300)
    ]
    redactor = Redactor(pems)
    assert redactor.text(f"ca: {pems[17]}\n") == "ca: [secret]\n"
    assert redactor.text("nothing secret here") == "nothing secret here"
