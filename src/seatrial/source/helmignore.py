"""A chart's `.helmignore`, with the rules of Helm's `pkg/ignore`: the files Helm leaves out of
a chart when it loads or packages it (kube-prometheus-stack ignores `hack/`, whose scripts
mention `.Capabilities`; nothing Helm renders can reach them).

Only the top chart's file counts, for the whole tree (see `chart_files`). One pattern a
line; blank lines and `#` comments skipped; `!` negates; a trailing `/`
matches directories only; a pattern with a leading `/` or any other `/` is matched against
the path relative to the chart, one without `/` against the base name; `*`, `?` and `[...]`
as Go's `filepath.Match` (never across `/`). Helm also always ignores `templates/.?*`. An
ignored directory is skipped whole. A pattern Helm refuses (`**`) or cannot compile makes
the file unusable: `load` gives None, and callers then take every file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: added by Helm's `Rules.AddDefaults`
_DEFAULTS = ("templates/.?*",)


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    negate: bool
    must_dir: bool
    whole_path: bool


def _translate(glob: str) -> str | None:
    """Go's `filepath.Match` syntax as a regex; None when Go would refuse the pattern."""
    out: list[str] = []
    i = 0
    while i < len(glob):
        c = glob[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\":
            if i + 1 >= len(glob):
                return None
            i += 1
            out.append(re.escape(glob[i]))
        elif c == "[":
            end = glob.find("]", i + 2 if glob[i + 1 : i + 2] in ("]", "^") else i + 1)
            if end < 0:
                return None
            body = glob[i + 1 : end]
            negate = body.startswith("^")
            body = body[1:] if negate else body
            if not body:
                return None
            cls = "".join("\\" + ch if ch in "\\[]^" else ch for ch in body)
            out.append(f"[{'^' if negate else ''}{cls}]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _parse(lines: list[str]) -> list[_Pattern] | None:
    patterns: list[_Pattern] = []
    for raw in [*lines, *_DEFAULTS]:
        rule = raw.strip()
        if not rule or rule.startswith("#"):
            continue
        if "**" in rule:
            return None  # Helm refuses the whole file
        negate = rule.startswith("!")
        rule = rule[1:] if negate else rule
        must_dir = rule.endswith("/")
        rule = rule.rstrip("/") if must_dir else rule
        whole = "/" in rule
        regex = _translate(rule.lstrip("/"))
        if regex is None:
            return None
        patterns.append(_Pattern(re.compile(regex), negate, must_dir, whole))
    return patterns


class HelmIgnore:
    """The rules of one chart's `.helmignore`."""

    def __init__(self, patterns: list[_Pattern]) -> None:
        self._patterns = patterns

    @classmethod
    def load(cls, chart: Path) -> HelmIgnore | None:
        """The chart's rules (Helm's defaults without a `.helmignore`); None when the file
        cannot be read or Helm would refuse it."""
        try:
            text = (chart / ".helmignore").read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        except (OSError, UnicodeDecodeError):
            return None
        patterns = _parse(text.splitlines())
        return None if patterns is None else cls(patterns)

    def ignored(self, rel: str, is_dir: bool) -> bool:
        """Whether Helm leaves out `rel` (a path relative to the chart, `/`-separated)."""
        if rel in ("", ".", "./"):
            return False
        for p in self._patterns:
            name = rel if p.whole_path else rel.rsplit("/", 1)[-1]
            if p.negate:
                if p.must_dir and not is_dir:
                    return True
                if not p.regex.fullmatch(name):
                    return True
                continue
            if p.must_dir and not is_dir:
                continue
            if p.regex.fullmatch(name):
                return True
        return False


def chart_files(chart: Path) -> list[Path] | None:
    """Every file of the chart tree Helm loads, sorted: the top chart's `.helmignore` applies
    to the whole tree, subcharts in `charts/` included (Helm loads the directory with it and
    reads the subcharts from what is left; a subchart's own `.helmignore` counts only when it
    is loaded alone). None when the `.helmignore` cannot be used."""
    rules = HelmIgnore.load(chart)
    if rules is None:
        return None
    found: list[Path] = []
    todo = [chart]
    while todo:
        folder = todo.pop()
        try:
            entries = list(folder.iterdir())
        except OSError:
            return None
        for entry in entries:
            is_dir = entry.is_dir()
            if rules.ignored(entry.relative_to(chart).as_posix(), is_dir):
                continue
            (todo if is_dir else found).append(entry)
    return sorted(found)
