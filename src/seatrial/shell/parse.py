"""Parsing shell scripts with tree-sitter-bash, and reading their shebang."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter_bash
from tree_sitter import Language, Node, Parser, Tree

from seatrial.objects.kubelet import MULTI_CALL, PARSED_SHELLS

_LANGUAGE = Language(tree_sitter_bash.language())
_PARSER = Parser(_LANGUAGE)


@dataclass(frozen=True)
class ParsedScript:
    tree: Tree
    #: 1-based line of the first syntax error, None when the script parsed cleanly
    error_line: int | None

    @property
    def root(self) -> Node:
        return self.tree.root_node


def _first_error(node: Node) -> Node | None:
    """The first ERROR or MISSING node (iteratively: trees of long scripts are deep)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            return n
        if n.has_error:
            stack.extend(reversed(n.children))
    return node if node.has_error else None


@lru_cache(maxsize=1024)
def parse_script(text: str) -> ParsedScript:
    tree = _PARSER.parse(text.encode("utf-8", "surrogateescape"))
    err = _first_error(tree.root_node)
    return ParsedScript(tree, err.start_point[0] + 1 if err is not None else None)


@dataclass(frozen=True)
class Shebang:
    interpreter: str  # basename: "bash", "sh", "python3", ...
    flags: tuple[str, ...]

    @property
    def is_shell(self) -> bool:
        """A shell whose scripts seatrial follows (`#!/bin/busybox sh` too)."""
        if self.interpreter == MULTI_CALL:
            return bool(self.flags) and self.flags[0] in PARSED_SHELLS
        return self.interpreter in PARSED_SHELLS


_SHEBANG = re.compile(r"^#!\s*(\S+)(.*)$")


def shebang(text: str) -> Shebang | None:
    first = text.split("\n", 1)[0]
    m = _SHEBANG.match(first)
    if not m:
        return None
    interp = m.group(1).rsplit("/", 1)[-1]
    try:
        rest = shlex.split(m.group(2))
    except ValueError:
        rest = m.group(2).split()
    if interp == "env":  # `#!/usr/bin/env bash` and `#!/usr/bin/env -S bash -eu`
        rest = [r for r in rest if r != "-S"]
        if not rest:
            return None
        interp, rest = rest[0].rsplit("/", 1)[-1], rest[1:]
    return Shebang(interp, tuple(rest))


def nounset_flags(flags: tuple[str, ...] | list[str]) -> bool | None:
    """What shell options (`-eu`, `-o nounset`, `+u`) say about nounset; None when silent."""
    state: bool | None = None
    items = list(flags)
    for i, f in enumerate(items):
        if f in ("-o", "+o") and i + 1 < len(items) and items[i + 1] == "nounset":
            state = f == "-o"
        elif (
            len(f) > 1
            and f[0] in "-+"
            and not f.startswith("--")
            and f[1:].isalpha()
            and "u" in f[1:]
        ):
            state = f[0] == "-"
    return state


@dataclass(frozen=True)
class SyntaxVerdict:
    """What `bash -n` says: valid (`line` None and no message), or the error and its line."""

    line: int | None
    message: str

    @property
    def valid(self) -> bool:
        return self.line is None and not self.message


_BASH_ERROR = re.compile(r"line (\d+): (.*)")


@lru_cache(maxsize=256)
def bash_syntax(text: str) -> SyntaxVerdict | None:
    """Ask `bash -n` whether the script parses (tree-sitter-bash rejects some valid scripts).
    None when bash is not installed or does not answer. I/O: call it while gathering only."""
    bash = shutil.which("bash")
    if bash is None:
        return None
    try:
        proc = subprocess.run(
            [bash, "-n"],
            input=text.encode("utf-8", "surrogateescape"),
            capture_output=True,
            timeout=10,
            check=False,
            env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode == 0:
        return SyntaxVerdict(None, "")
    err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    for line in err:
        m = _BASH_ERROR.search(line)
        if m:
            return SyntaxVerdict(int(m.group(1)), m.group(2).strip())
    return SyntaxVerdict(None, err[0] if err else f"bash -n exited {proc.returncode}")
