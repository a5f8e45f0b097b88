"""Accumulation recognition on values, paths and files it was not written for."""

from __future__ import annotations

import pytest

from seatrial.converge.accumulate import file_growths, path_growths, text_growths


@pytest.mark.parametrize(
    ("before", "after", "segments"),
    [
        ("/opt/kata-cicd/bin", "/opt/kata-cicd-cicd/bin", ["-cicd"]),
        ("a-cicd-b", "a-cicd-cicd-b", ["-cicd"]),  # rotated alignment still reads '-cicd'
        (
            "qemu-system-x86_64-installation-prefix",
            "qemu-system-x86_64-installation-prefix-installation-prefix",
            ["-installation-prefix"],
        ),
        (
            "/host//opt/kata-cicd/bin/qemu-installation-prefix",
            "/host//opt/kata-cicd-cicd/bin/qemu-installation-prefix-installation-prefix",
            ["-cicd", "-installation-prefix"],
        ),
        ("--flag=x --flag=x", "--flag=x --flag=x --flag=x", [" --flag=x"]),
        ("PATH=/a:/b", "PATH=/a:/b:/b", [":/b"]),
        ("v1.2.3", "v1.2.4", []),  # a replaced value is a change, not accumulation
        ("a", "ab", []),  # something new, not a repeat
        ("x", "x-a-a", []),  # repeats itself but nothing that was there
        ("same", "same", []),
        ("longer", "long", []),
    ],
)
def test_text_growths(before: str, after: str, segments: list[str]) -> None:
    assert [g.segment for g in text_growths(before, after)] == segments


def test_two_copies_in_one_run() -> None:
    (g,) = text_growths("/opt/kata-x", "/opt/kata-x-x-x")
    assert (g.segment, g.copies, g.phrase()) == ("-x", 2, "grows by '-x' x2")


def test_lines_appended_again() -> None:
    (g,) = file_growths("a\nb=1\n", "a\nb=1\nb=1\n")
    assert (g.unit, g.segment, g.line, g.phrase()) == (
        "line",
        "b=1\n",
        3,
        "grows by one copy of the line 'b=1'",
    )
    (g,) = file_growths("x\ny\nz\n", "x\ny\nx\ny\nz\n")
    assert (g.segment, g.line) == ("x\ny\n", 3)


def test_line_growth_inside_a_file() -> None:
    old = 'a = 1\npath = "/opt/kata-cicd/bin"\nz = 2\n'
    new = 'a = 1\npath = "/opt/kata-cicd-cicd/bin"\nz = 2\n'
    (g,) = file_growths(old, new)
    assert (g.unit, g.segment, g.line, g.before, g.after) == (
        "text",
        "-cicd",
        2,
        'path = "/opt/kata-cicd/bin"',
        'path = "/opt/kata-cicd-cicd/bin"',
    )


def test_files_that_change_without_repeating() -> None:
    assert file_growths("a\nb\n", "a\nc\n") == []
    assert file_growths("a\n", "a\nb\n") == []
    assert file_growths("count=1\n", "count=2\n") == []


def test_path_growths_pick_the_closest_origin() -> None:
    (g,) = path_growths("opt/kata-cicd-cicd", ["opt/kata-cicd", "opt/other"])
    assert (g.before, g.segment) == ("opt/kata-cicd", "-cicd")
    assert path_growths("opt/new", ["opt/kata"]) == []
