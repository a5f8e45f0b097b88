"""A static scan of chart templates for ST401: where non-deterministic functions are called,
which templates reach a `lookup`, following named `include`/`template` calls and
`include (print $.Template.BasePath "/x.yaml")` file includes transitively.

The scan only explains differences the renders confirm: it says which call a differing line
reaches, never that a call runs (a branch the cell does not take renders nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from seatrial.render.deps import ACTION as _ACTION
from seatrial.render.deps import CALL, code_of

#: Sprig/Helm functions whose result differs at every render
NON_DETERMINISTIC = (
    "randAlphaNum",
    "randAlpha",
    "randNumeric",
    "randAscii",
    "randBytes",
    "randInt",
    "uuidv4",
    "now",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "genPrivateKey",
)
_FUNC = re.compile(r"(?<![\w.$])(" + "|".join(NON_DETERMINISTIC) + r")\b")
_LOOKUP = re.compile(r"(?<![\w.$\"])lookup\b")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_DEFINE = re.compile(r"\{\{-?\s*define\s+\"([^\"]+)\"")
_OPEN = re.compile(r"\{\{-?\s*(?:if|range|with|define|block)\b")
_END = re.compile(r"\{\{-?\s*end\b")
_USES = re.compile(CALL + r"\"([^\"]+)\"")
_FILE_INCLUDE = re.compile(r"include\s*\(\s*print\s+\$?\.Template\.BasePath\s+\"(/[^\"]+)\"")


@dataclass(frozen=True)
class Call:
    file: str
    line: int
    func: str


def calls_in(text: str) -> list[tuple[int, str]]:
    """(line, function) of every non-deterministic call inside a template action (comments
    `{{/* ... */}}`, text outside actions and string literals are not calls)."""
    out: list[tuple[int, str]] = []
    for m in _ACTION.finditer(text):
        body = code_of(_COMMENT.sub(lambda c: " " * len(c.group(0)), m.group(1)))
        for f in _FUNC.finditer(body):
            out.append((text.count("\n", 0, m.start(1) + f.start()) + 1, f.group(1)))
    return out


def _has_lookup(text: str) -> bool:
    return any(
        _LOOKUP.search(code_of(_COMMENT.sub("", m.group(1)))) for m in _ACTION.finditer(text)
    )


def define_spans(text: str) -> list[tuple[str, int, int]]:
    """(name, first line, last line) of every `define` block of a template file."""
    out: list[tuple[str, int, int]] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _DEFINE.search(line)
        if not m:
            continue
        depth, end = 0, len(lines)
        for j in range(i, len(lines)):
            depth += len(_OPEN.findall(lines[j])) - len(_END.findall(lines[j]))
            if depth <= 0:
                end = j + 1
                break
        out.append((m.group(1), i + 1, end))
    return out


class TemplateScan:
    """What each named template, file and line reaches. Built once per run."""

    def __init__(self, files: Mapping[str, str]) -> None:
        self.files = {p: t for p, t in files.items() if "templates/" in p}
        self._defines: dict[str, str] = {}  # name -> body text
        self._define_at: dict[str, tuple[str, int]] = {}  # name -> (file, first line)
        for path, text in self.files.items():
            lines = text.splitlines()
            for name, a, b in define_spans(text):
                self._defines.setdefault(name, "\n".join(lines[a - 1 : b]))
                self._define_at.setdefault(name, (path, a))
        self._lookup_memo: dict[str, bool] = {}
        # (text, chart folder) -> what it reaches: the same lines and files are asked about
        # for every object of every render
        self._closures: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
        self._calls: dict[str, list[tuple[int, str]]] = {}

    # -- what a piece of template text reaches ---------------------------------------------

    def _closure(self, text: str, path: str) -> tuple[set[str], set[str]]:
        """(named templates, template files) `text` of file `path` reaches, transitively."""
        key = (text, path.split("templates/", 1)[0])
        found = self._closures.get(key)
        if found is None:
            found = self._closures[key] = self._walk(text, path)
        return found

    def _walk(self, text: str, path: str) -> tuple[set[str], set[str]]:
        names: set[str] = set()
        files: set[str] = set()
        todo: list[tuple[str, str]] = [(text, path)]
        while todo:
            chunk, where = todo.pop()
            for name in _USES.findall(chunk):
                if name in self._defines and name not in names:
                    names.add(name)
                    todo.append((self._defines[name], self._define_at[name][0]))
            base = where.split("templates/", 1)[0] + "templates"
            for inc in _FILE_INCLUDE.findall(chunk):
                target = base + inc
                if target in self.files and target not in files:
                    files.add(target)
                    todo.append((self.files[target], target))
        return names, files

    def _calls_in(self, text: str) -> list[tuple[int, str]]:
        found = self._calls.get(text)
        if found is None:
            found = self._calls[text] = calls_in(text)
        return found

    def calls_from(self, text: str, path: str, first_line: int = 1) -> list[Call]:
        """The non-deterministic calls `text` (lines of `path` from `first_line`) makes
        directly, through named templates and through file includes."""
        out = [Call(path, first_line + ln - 1, f) for ln, f in self._calls_in(text)]
        names, files = self._closure(text, path)
        for name in sorted(names):
            file, at = self._define_at[name]
            out += [Call(file, at + ln - 1, f) for ln, f in self._calls_in(self._defines[name])]
        for file in sorted(files):
            out += [Call(file, ln, f) for ln, f in self._calls_in(self.files[file])]
        return _unique(out)

    def reaches_lookup(self, path: str, text: str | None = None) -> bool:
        """Whether template `path` (or the part `text` of it) calls `lookup`, itself or
        through what it includes: its install and upgrade renders differ here (no cluster
        answers) but not in a cluster."""
        key = path if text is None else f"{path}\0{text}"
        if key not in self._lookup_memo:
            text = self.files.get(path, "") if text is None else text
            names, files = self._closure(text, path)
            self._lookup_memo[key] = (
                _has_lookup(text)
                or any(_has_lookup(self._defines[n]) for n in names)
                or any(_has_lookup(self.files[f]) for f in files)
            )
        return self._lookup_memo[key]

    def document_of(self, path: str, line: int) -> str:
        """The part of template `path` that renders the document holding `line`: the text
        between its `---` separators, after the variables the file assigns before it."""
        lines = self.files.get(path, "").splitlines()
        starts = [0] + [i + 1 for i, ln in enumerate(lines) if ln.rstrip() == "---"]
        start = max(s for s in starts if s < line)
        end = min([s - 1 for s in starts if s >= line] + [len(lines)])
        prelude = [ln for ln in lines[:start] if ":=" in ln]
        return "\n".join(prelude + lines[start:end])

    def line_text(self, path: str, line: int) -> str:
        lines = self.files.get(path, "").splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def line_reaches(self, path: str, line: int, needle: str) -> bool:
        """Whether the template line, or a named template it includes, contains `needle`."""
        text = self.line_text(path, line)
        names, _ = self._closure(text, path)
        return needle in text or any(needle in self._defines[n] for n in names)

    def reaches_now(self, path: str) -> bool:
        return any(c.func == "now" for c in self.calls_from(self.files.get(path, ""), path))


def _unique(calls: Iterable[Call]) -> list[Call]:
    seen: dict[Call, None] = {}
    for c in calls:
        seen.setdefault(c, None)
    return list(seen)
