"""Recognise accumulation: a value, a path or a file that grows by repeating a segment.

`/opt/kata-cicd` -> `/opt/kata-cicd-cicd` is `before` with `-cicd` inserted right next to an
existing `-cicd`; a line appended again is the same thing one level up (a sequence of lines).
Pure functions: no I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

#: a unit that starts with one of these reads naturally ("-cicd", "/bin", ".bak")
_SEPARATORS = "-_/.:,; "


@dataclass(frozen=True)
class Growth:
    """`after` is `before` with `segment` inserted `copies` times, next to an existing copy.
    `unit` is "text" (a segment inside a line or path) or "line" (whole lines appended again);
    `line` is the 1-based line in the newer file (None for paths)."""

    segment: str
    copies: int
    unit: str
    before: str
    after: str
    line: int | None = None

    def phrase(self) -> str:
        if self.unit == "line":
            n = self.segment.count("\n") or 1
            what = "line" if n == 1 else f"{n}-line block"
            copies = "one copy" if self.copies == 1 else f"{self.copies} copies"
            return f"grows by {copies} of the {what} {self.segment.rstrip(chr(10))!r}"
        times = "" if self.copies == 1 else f" x{self.copies}"
        return f"grows by {self.segment!r}{times}"


def _period(seq: Sequence[T]) -> int:
    """Length of the shortest unit u with seq == u * k."""
    n = len(seq)
    for size in range(1, n + 1):
        if n % size == 0 and all(seq[i] == seq[i % size] for i in range(n)):
            return size
    return n


def _shift(after: Sequence[T], q: int, size: int) -> tuple[int, int, int] | None:
    """The block after[q:q+size] is an insertion; find the equivalent positions (rotations of
    the block) and return the one that repeats a unit found right next to it."""
    lo = q
    while lo > 0 and after[lo - 1] == after[lo - 1 + size]:
        lo -= 1
    hi = q
    while hi + size < len(after) and after[hi] == after[hi + size]:
        hi += 1
    found: list[tuple[int, int, int]] = []
    for pos in range(hi, lo - 1, -1):
        block = after[pos : pos + size]
        unit = _period(block)
        left = after[max(0, pos - unit) : pos]
        right = after[pos + size : pos + size + unit]
        if list(left) == list(block[:unit]) or list(right) == list(block[:unit]):
            found.append((pos, unit, size // unit))
    if not found:
        return None
    if isinstance(after, str):
        for pos, unit, copies in found:
            if after[pos] in _SEPARATORS:
                return pos, unit, copies
    return found[0]


def repeated_insertions(before: Sequence[T], after: Sequence[T]) -> list[tuple[int, int, int]]:
    """If `after` is `before` with blocks inserted, each repeating a unit found right next to
    it, return (position in `after`, unit length, copies inserted) for each block; otherwise
    an empty list (something was replaced or removed, or an insertion repeats nothing).

    Among the equivalent positions (rotations of the unit) the rightmost whose unit starts
    with a separator is chosen, so `-cicd` is reported rather than `cicd-`."""
    if len(after) <= len(before):
        return []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    out: list[tuple[int, int, int]] = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "insert":
            return []
        hit = _shift(after, j1, j2 - j1)
        if hit is None:
            return []
        out.append(hit)
    return out


def text_growths(before: str, after: str, line: int | None = None) -> list[Growth]:
    """Growth of one value, line or path (one entry per growing segment)."""
    return [
        Growth(after[q : q + unit], copies, "text", before, after, line)
        for q, unit, copies in repeated_insertions(before, after)
    ]


def file_growths(before: str, after: str) -> list[Growth]:
    """Every accumulation between two versions of a text file: lines appended again, or lines
    in which a segment repeats."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    whole = repeated_insertions(old, new)
    if whole:
        return [
            Growth("".join(new[q : q + unit]), copies, "line", "".join(old), "".join(new), q + 1)
            for q, unit, copies in whole
        ]
    out: list[Growth] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or i2 - i1 != j2 - j1:
            continue
        for k in range(i2 - i1):
            out += text_growths(old[i1 + k].rstrip("\n"), new[j1 + k].rstrip("\n"), j1 + k + 1)
    return out


def path_growths(after_path: str, candidates: Iterable[str]) -> list[Growth]:
    """`after_path` compared with the paths it may have grown from (its siblings before the
    run, or paths the run removed): the growths from the first candidate that explains it."""
    for before_path in candidates:
        found = text_growths(before_path, after_path)
        if found:
            return found
    return []
