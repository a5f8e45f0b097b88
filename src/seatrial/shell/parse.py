"""Parsing shell scripts with tree-sitter-bash, and reading their shebang."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter_bash
from tree_sitter import Language, Node, Parser, Tree

_LANGUAGE = Language(tree_sitter_bash.language())
_PARSER = Parser(_LANGUAGE)

#: interpreters whose scripts this module understands (POSIX sh dialects and bash)
SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh", "busybox"})


@dataclass(frozen=True)
class ParsedScript:
    tree: Tree
    #: 1-based line of the first syntax error, None when the script parsed cleanly
    error_line: int | None

    @property
    def root(self) -> Node:
        return self.tree.root_node


def _first_error(node: Node) -> Node | None:
    if node.type == "ERROR" or node.is_missing:
        return node
    if not node.has_error:
        return None
    for child in node.children:
        found = _first_error(child)
        if found is not None:
            return found
    return node


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
        return self.interpreter in SHELLS


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
        elif len(f) > 1 and f[0] in "-+" and not f.startswith("--") and f[1:].isalpha() \
                and "u" in f[1:]:
            state = f[0] == "-"
    return state
