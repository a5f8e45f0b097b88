"""What each template of a chart can read: the static analysis behind partial renders.

A cell of the matrix differs from the defaults cell by a few value paths (`controller.kind`,
the keys of a `ci/*-values.yaml`). On a large chart most templates never look at those paths,
so their output in that cell is the defaults cell's output. This module finds, for every
template file of a chart directory (its subcharts and library charts included), the value
paths its output can depend on, following `include`/`template` into named templates across
the whole chart tree (Helm keeps one namespace of `define`s for a chart and its subcharts).

Reads are prefixes: `.Values.a.b` reads `a.b` and everything under it; a bare `.Values`
(`toYaml .Values`, `index .Values $k`, `.Values` passed to a helper, `range $k, $v := .Values`)
reads every path. Reads in a subchart are mapped to the parent's paths (`<alias>.x`, and
`global.x`, which Helm copies into every subchart). A template that evaluates strings with
`tpl` also reads whatever the chart's value strings contain (those with `{{`), and, when it
reads `.Files` too, whatever the chart's files that contain `{{` read. An
`include` whose name is computed makes the template depend on every named template. When in
doubt the answer is "reads everything": the caller then renders that template for every
cell, which costs time, never correctness.

Besides values, a template is marked when it reads `.Capabilities` (differs between
Kubernetes versions), `.Release.IsUpgrade`/`IsInstall`/`Revision` (differs in the upgrade
render; `.Release` handed on whole counts when some text of the chart tree reads one of those
fields by any path, or when it is printed), produces random output (`randAlphaNum`, `genCA`,
`now`, ... differ between two renders of one cell) or writes into values with
`set`/`unset`/`merge` (a writer is rendered in every partial render, as later templates may
read what it wrote). Actions are split as Go's lexer splits them (a `}}` inside a string
literal does not end one), and function names are looked for outside string literals (a
Grafana dashboard printed from a raw string mentions `"now"`), except in actions that call
`tpl` or assign a variable.

`partial_ok` says whether a chart may be rendered partially at all: not when a subchart ships
as an archive, a dependency uses `import-values`, or a chart cannot be read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from seatrial import yamlguard
from seatrial.render.schemakeys import SchemaPath, chart_schema_paths

ValuePath = tuple[str, ...]

#: one Go template action, and a comment action (render/capabilities.py and modes.py too);
#: a `}}` inside a string literal does not end an action (a dashboard's JSON in a raw string
#: holds `{{ legend }}`), as in Go's lexer
_BODY = r'(?:[^"`}]|"(?:[^"\\\n]|\\.)*"|`[^`]*`|\}(?!\}))*?'
ACTION = re.compile(rf"\{{\{{-?({_BODY})-?\}}\}}")
#: the same without a group (`re.split` keeps what groups capture)
ACTION_SPAN = re.compile(rf"\{{\{{-?{_BODY}-?\}}\}}")
COMMENT = re.compile(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", re.S)
_VALUES = re.compile(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)*)")
#: `index .Values "a" "b"` and `(index .Values "a").b`: literal keys are a path too
_INDEX = re.compile(
    r"index\s+\$?[A-Za-z0-9_]*\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
    r"((?:\s+\"[^\"\\]*\")+)(?:\s*\)((?:\.[A-Za-z_][A-Za-z0-9_]*)*))?"
)
_VALUES_BY_NAME = re.compile(r"\b(?:index|get|dig|pluck)\b[^}]*\"Values\"")
#: a call of a named template: `include`/`template`, not a variable or field of that name
#: (kyverno's `range $include := ...`)
CALL = r"(?<![\w$.])(?:include|template)\s+"
#: `include (print $.Template.BasePath "/configmap.yaml") .`: a template file by name
_FILE_INCLUDE = re.compile(CALL + r"\(\s*printf?\s+\$?\.Template\.BasePath\s+\"(/[^\"%]+)\"\s*\)")
_INCLUDE = re.compile(CALL + r"(\"(?:[^\"\\]|\\.)*\"|`[^`]*`)?")
_DEFINE = re.compile(r"^\s*(?:define|block)\s+\"((?:[^\"\\]|\\.)*)\"")
_OPENERS = ("if", "range", "with", "define", "block")
_CAPS = re.compile(r"\.Capabilities\b")
_RELEASE = re.compile(r"\.Release\.(?:IsUpgrade|IsInstall|Revision)\b")
#: `.Release` handed on whole (`dict "Release" .Release`): install/upgrade dependent only if
#: some template reads one of its install/upgrade fields (by any path) or prints it whole
_RELEASE_WHOLE = re.compile(r"\.Release\b(?!\.)")
_RELEASE_FIELD = re.compile(r"\b(?:IsUpgrade|IsInstall|Revision)\b")
_PRINTS = re.compile(
    r"^\s*\.Release\s*$|\b(?:toYaml|toJson|toPrettyJson|toRawJson|toString|print|printf|println)\b"
)
_RANDOM = re.compile(
    r"\b(?:randAlphaNum|randAlpha|randNumeric|randAscii|randBytes|randInt|"
    r"uuidv4|genCA|genCAWithKey|genPrivateKey|genSelfSignedCert|"
    r"genSelfSignedCertWithKey|genSignedCert|genSignedCertWithKey|now|"
    r"shuffle|mustShuffle)\b"
)
_RANDOM_HINT = re.compile(r"rand|uuid|gen|now|huffle")
#: the random functions that generate keys (an RSA key: tens of milliseconds a call)
_KEYGEN = re.compile(r"\bgen(?:CA|PrivateKey|SelfSignedCert|SignedCert)")
_TPL = re.compile(r"\btpl\b")
#: a closed string literal in an action: its text calls nothing (unless `tpl` renders it)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`')
_NOT_NEWLINE = re.compile(r"[^\n]")


def code_of(body: str) -> str:
    """An action's text with the contents of its string literals blanked (same length, the
    line breaks kept): a dashboard's JSON printed from a raw string (`{"from":"now-1h"}`)
    calls no `now`. Strings `tpl` may render are kept: those of an action calling it or
    assigning a variable (which `tpl` may get later)."""
    if ('"' not in body and "`" not in body) or "tpl" in body or _ASSIGN.search(body):
        return body

    def blank(m: re.Match[str]) -> str:
        text = m.group(0)
        inner = text[1:-1]
        inner = _NOT_NEWLINE.sub(" ", inner) if "\n" in inner else " " * len(inner)
        return text[0] + inner + text[-1]

    return _STRING.sub(blank, body)


_WRITE = re.compile(
    r"\b(?:set|unset|merge|mergeOverwrite|mustMerge|mustMergeOverwrite)\s+"
    r"\(?\s*(\$[A-Za-z0-9_]*|\.)(\.[A-Za-z0-9_.]*)?"
)
_ASSIGN = re.compile(r"(\$[A-Za-z0-9_]+)\s*:?=\s*(.*)", re.S)


@dataclass
class Unit:
    """What one piece of template text reads (a file's top level, or one `define`)."""

    reads: set[ValuePath] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)
    #: template files included by name, relative to the including chart (`templates/x.yaml`)
    file_calls: set[str] = field(default_factory=set)
    dynamic_call: bool = False
    caps: bool = False
    release: bool = False
    #: hands `.Release` on whole; reads `IsUpgrade`, `IsInstall` or `Revision` by any path
    release_whole: bool = False
    release_fields: bool = False
    random: bool = False
    keygen: bool = False
    tpl: bool = False
    files: bool = False
    writes: bool = False
    #: calls `fail` or `required`: its render can fail on purpose
    fails: bool = False
    #: fields its actions read off some context (`.port`, `$.port`, `index . "port"`): who
    #: may see a `root_writes` key (per file, not merged through calls)
    context_reads: set[str] = field(default_factory=set)
    #: keys set on the top-level context where `.` is that context (`set . "port" "8080"`
    #: outside any `with`, `range` or `define`): a write others see only if they read it
    root_writes: set[str] = field(default_factory=set)

    def merge(self, other: Unit) -> None:
        self.reads |= other.reads
        self.file_calls |= other.file_calls
        self.caps |= other.caps
        self.release |= other.release
        self.release_whole |= other.release_whole
        self.release_fields |= other.release_fields
        self.random |= other.random
        self.keygen |= other.keygen
        self.tpl |= other.tpl
        self.files |= other.files
        self.writes |= other.writes
        self.root_writes |= other.root_writes
        self.fails |= other.fails


def _scan(text: str) -> tuple[Unit, dict[str, Unit]]:
    """Split `text` into its top level and its `define`s and scan each."""
    text = COMMENT.sub("", text)
    top = Unit()
    defines: dict[str, Unit] = {}
    stack: list[Unit | None] = []  # a Unit for a define/block, None for other blocks
    rebinds: list[bool] = []  # per open block: whether `.` is no longer the top context
    value_vars: set[str] = {"$"}
    for m in ACTION.finditer(text):
        body = m.group(1).strip()
        word = body.split(None, 1)[0] if body else ""
        current = next((u for u in reversed(stack) if u is not None), top)
        if word == "end":
            if stack:
                stack.pop()
                rebinds.pop()
            continue
        if word in ("define", "block"):
            d = _DEFINE.match(body)
            unit = Unit()
            if d is not None:
                name = d.group(1)
                if name in defines:
                    defines[name].merge(unit)
                    unit = defines[name]
                else:
                    defines[name] = unit
            if word == "block":  # a block is also executed where it stands
                current.calls.add(d.group(1) if d else "")
                current.dynamic_call |= d is None
            stack.append(unit)
            rebinds.append(True)
            continue
        if word in _OPENERS:
            stack.append(None)
            rebinds.append(word in ("range", "with"))
        _scan_action(body, current, value_vars, not any(rebinds))
    return top, defines


#: `.Subcharts.x` and `index .Subcharts "x"`: a subchart's context (its values under `x`)
_SUBCHART = re.compile(
    r"\.Subcharts\.([A-Za-z_][A-Za-z0-9_]*)|index\s+\$?[A-Za-z0-9_]*\.Subcharts\s+\"([^\"]+)\""
)


def _scan_subcharts(body: str, unit: Unit) -> None:
    """A subchart's context handed to a helper (`include "x.fullname" .Subcharts.x`) makes
    the output depend on that subchart's values (`x.*`; the helper's own reads are mapped
    to the calling chart). Any other use of `.Subcharts` reads every value."""
    for m in _SUBCHART.finditer(body):
        unit.reads.add((m.group(1) or m.group(2),))
    if "Subcharts" in _SUBCHART.sub("", body):
        unit.reads.add(())


def _scan_context_reads(body: str, unit: Unit) -> None:
    """The fields an action reads off some context (`root_writes` are seen by these)."""
    unit.context_reads.update(_ROOT_FIELD.findall(body))
    if '"' in body:
        unit.context_reads.update(_QUOTED.findall(body))


def _scan_calls(body: str, unit: Unit) -> None:
    """The named templates an action calls; a call whose name is computed is a dynamic
    call. `include`/`template` inside a string literal is text, not a call (cert-manager's
    `fail (printf "ERROR: template \\"cert-manager.image\\" expects ...")`)."""
    masked = code_of(body)  # literals `tpl` may render are kept: a call there is a call
    for inc in _INCLUDE.finditer(masked):
        if inc.group(1) is None:
            unit.dynamic_call = True
            continue
        name = _STRING.match(body, inc.start(1))  # the literal, unblanked
        if name is None:
            unit.dynamic_call = True
        else:
            unit.calls.add(name.group(0)[1:-1])


def _scan_action(body: str, unit: Unit, value_vars: set[str], dot_is_top: bool = False) -> None:
    _scan_context_reads(body, unit)
    # each pattern only where its literal part occurs (most actions hold none)
    values = "Values" in body
    calls = "include" in body or "template" in body
    if values and "index" in body:

        def index(m: re.Match[str]) -> str:
            keys = re.findall(r'"([^"]*)"', m.group(2))
            path = [p for p in m.group(1).split(".") if p] + keys
            path += [p for p in (m.group(3) or "").split(".") if p]
            unit.reads.add(tuple(path))
            return " " * (m.end() - m.start())

        body = _INDEX.sub(index, body)
    if calls and "BasePath" in body:

        def file_call(m: re.Match[str]) -> str:
            unit.file_calls.add("templates" + m.group(1))
            return " " * (m.end() - m.start())

        body = _FILE_INCLUDE.sub(file_call, body)
    if values:
        if '"Values"' in body and _VALUES_BY_NAME.search(body):  # `index $ "Values"`
            unit.reads.add(())
        for v in _VALUES.finditer(body):
            unit.reads.add(tuple(p for p in v.group(1).split(".") if p))
    if calls:
        _scan_calls(body, unit)
    if "tpl" in body:
        unit.tpl |= bool(_TPL.search(body))
    code = code_of(body)  # function names and fields outside string literals
    if "fail" in code or "required" in code:
        unit.fails |= bool(_FAILS.search(code))
    if "Capabilities" in code:
        unit.caps |= bool(_CAPS.search(code))
    if "Release" in code:
        unit.release |= bool(_RELEASE.search(code))
        if _RELEASE_WHOLE.search(code):
            unit.release_whole = True
            unit.release |= bool(_PRINTS.search(code))
    if "Is" in body or "Revision" in body:
        unit.release_fields |= bool(_RELEASE_FIELD.search(body))
    if not unit.random and _RANDOM_HINT.search(code):
        unit.random |= bool(_RANDOM.search(code))
    if "gen" in code:
        unit.keygen |= bool(_KEYGEN.search(code))
    unit.files |= ".Files" in body or '"Files"' in body
    if "Subcharts" in body:
        _scan_subcharts(body, unit)
    _scan_writes(body, unit, value_vars, dot_is_top)


#: a field read off a context: `.port`, `$.port`, `$ctx.port` (not `.Values.x.port`)
_ROOT_FIELD = re.compile(r"(?:(?<![\w)\]])|\$[A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)")
#: a quoted key (`index . "port"`, `hasKey . "port"`)
_QUOTED = re.compile(r"\"([A-Za-z_][A-Za-z0-9_]*)\"")
#: the chart's own failures (`fail "..."`, `required "..." .Values.x`)
_FAILS = re.compile(r"\b(?:fail|required)\b")
#: `set . "key"` / `unset . "key"`: one key of the context written
_SET_KEY = re.compile(r"\b(?:set|unset)\s+\(?\s*\.\s+\"([A-Za-z_][A-Za-z0-9_]*)\"")
#: what the top-level context holds besides keys a template sets on it
_BUILTIN = frozenset(
    {"Values", "Release", "Chart", "Capabilities", "Template", "Files", "Subcharts"}
)


def _scan_writes(body: str, unit: Unit, value_vars: set[str], dot_is_top: bool) -> None:
    """Variables holding values (`$v := .Values.x`), and writes into values through them.
    A key set on the top-level context where `.` is it (harbor's nginx Deployment:
    `set . "scheme" "HTTP"`) is only noted (`root_writes`): no other template sees it
    unless it reads that key."""
    if "$" in body and "=" in body:
        a = _ASSIGN.match(body)
        if a and (".Values" in a.group(2) or a.group(2).strip() in (".", "$")):
            value_vars.add(a.group(1))
    if "set" in body or "merge" in body.lower():
        for w in _WRITE.finditer(body):
            target, rest = w.group(1), w.group(2) or ""
            if target == "." and not rest and dot_is_top:
                key = _SET_KEY.match(body, w.start())
                if key is not None and key.group(1) not in _BUILTIN:
                    unit.root_writes.add(key.group(1))
                    continue
            if target in value_vars or target == "." or "Values" in rest:
                unit.writes = True


@dataclass
class ChartNode:
    """One chart of the tree: its directory and the parent paths its values live under."""

    path: Path
    prefixes: list[ValuePath]
    conditions: list[ValuePath]
    #: top chart value paths whose change can switch this chart on or off (its dependency
    #: entry's `condition` paths, `tags`)
    switch: list[ValuePath] = field(default_factory=list)
    #: where its output keys start, relative to the top chart (`charts/<alias>/`)
    keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Switch:
    """A subchart a cell's values can switch on or off (render/matrix.py renders it from a
    copy holding the subchart, with its whole output taken from that copy)."""

    dir: str  # the subchart's directory, relative to the top chart (`charts/grafana`)
    paths: tuple[ValuePath, ...]  # the value paths that switch it
    keys: tuple[str, ...]  # its output keys' prefixes, relative to the top chart
    prefixes: tuple[ValuePath, ...]  # where its values live among the top chart's


@dataclass(frozen=True)
class Switched:
    """What a cell that switches subcharts renders: `subset` from a copy that keeps `dirs`;
    its output replaces every base output under `keys`; `paths` go into its render key."""

    subset: frozenset[str]
    dirs: tuple[str, ...]
    keys: tuple[str, ...]
    paths: tuple[ValuePath, ...]


@dataclass
class Analysis:
    """Per template file (path relative to the top chart directory) what it can read."""

    #: template file -> the (top chart) value paths its output can depend on
    reads: dict[str, set[ValuePath]]
    caps: set[str]
    release: set[str]
    random: set[str]
    #: files always rendered: helpers (`_*`), files with `define`s, value writers
    always: set[str]
    #: value paths whose change adds or removes subcharts (dependency conditions, tags)
    structural: set[ValuePath]
    #: every template file that renders output (NOTES.txt left out)
    outputs: set[str]
    #: templates that may `include` a template file by name: a subset holding one keeps
    #: every file
    by_name: set[str] = field(default_factory=set)
    #: template -> the template files it includes by name (kept in any subset holding it)
    needs: dict[str, set[str]] = field(default_factory=dict)
    #: templates that can read the chart's other files (`.Files`)
    reads_files: set[str] = field(default_factory=set)
    #: a helper file's top level reads `.Files`: every copy keeps every file
    files_always: bool = False
    #: template -> the named templates it reaches (None: any, a computed `include`)
    reaches: dict[str, set[str] | None] = field(default_factory=dict)
    #: named template -> the files defining it
    define_files: dict[str, set[str]] = field(default_factory=dict)
    #: subcharts a copy may leave out (directory under the top chart, value prefixes);
    #: empty when a template reads `.Chart.Dependencies`, and without the subcharts that have
    #: a values schema
    subcharts: list[tuple[str, list[ValuePath]]] = field(default_factory=list)
    #: the subcharts values can switch on or off; empty when a template reads
    #: `.Chart.Dependencies` (cells switching subcharts are then rendered whole)
    switches: list[Switch] = field(default_factory=list)
    #: templates that generate keys (`genCA`, `genPrivateKey`, ...): costly to render
    keygen: set[str] = field(default_factory=set)
    #: the value paths the top chart's NOTES.txt reads when it can `fail`: it renders no
    #: object, but a `fail` there fails the install (bitnami charts validate values in it)
    notes_reads: frozenset[ValuePath] = frozenset()
    #: what the tree's values schemas look at (render/schemakeys.py): Helm validates every
    #: render's values against them, whatever its templates read, so `render_key` keys these
    #: too; None: every value (a schema constrains the top chart's root, or is unreadable)
    schema_keys: list[SchemaPath] | None = field(default_factory=list)
    #: templates that use the Kubernetes version otherwise than comparing it: a copy holding
    #: one renders at every version, not once per class (set by render/matrix.py from
    #: render/capabilities.py `VersionUse.exact`)
    version_exact: frozenset[str] = frozenset()

    def notes_read(self, changed: Iterable[ValuePath]) -> tuple[ValuePath, ...]:
        """The paths NOTES.txt reads that `changed` touches: a cell changing them renders a
        copy holding NOTES.txt, keyed by them too."""
        changed = list(changed)
        return tuple(sorted(p for p in self.notes_reads if any(_overlap(p, c) for c in changed)))

    def switched(self, changed: Iterable[ValuePath]) -> Switched | None:
        """How to render a cell whose `changed` paths switch subcharts on or off: every
        template of those subcharts, every template reading their values (a disabled
        subchart's defaults are not in `.Values`) or a named template they define (gone with
        them), and what reads the other changed paths. None: render the cell whole."""
        changed = set(changed)
        owned = [w for w in self.switches if any(_overlap(p, c) for p in w.paths for c in changed)]
        if not owned or any(
            not any(_overlap(s, c) for w in owned for s in w.paths)
            for c in changed
            if any(_overlap(s, c) for s in self.structural)
        ):
            return None
        inside = tuple(w.dir + "/" for w in owned)
        lost = {
            n for n, files in self.define_files.items() if any(f.startswith(inside) for f in files)
        }
        subset = set(self.subset(changed | {p for w in owned for p in w.prefixes}))
        subset |= {t for t in self.outputs if t.startswith(inside)}
        subset |= {
            t for t, names in self.reaches.items() if names is None or names & lost
        } & self.outputs
        return Switched(
            self._closed(subset),
            tuple(w.dir for w in owned),
            tuple(k for w in owned for k in w.keys),
            tuple(sorted({p for w in owned for p in w.paths})),
        )

    def unneeded_subcharts(self, keep: frozenset[str]) -> list[str]:
        """The subchart directories a render of the templates `keep` does not need: none of
        its templates is kept, no kept template reaches a named template it defines or reads
        a value under its prefixes. Helm then renders the same output without them, faster
        (every subchart costs each render its values and dependency processing)."""
        reached: set[str] = set()
        reads: set[ValuePath] = set()
        for t in keep & self.reads.keys():
            names = self.reaches.get(t)
            if names is None:
                return []
            reached |= names
            reads |= self.reads[t]
        if () in reads:
            return []
        used = (keep & self.outputs) | {f for n in reached for f in self.define_files.get(n, ())}
        out: list[str] = []
        for rel, prefixes in self.subcharts:
            inside = rel + "/"
            if any(f.startswith(inside) for f in used):
                continue
            if any(_overlap(p, r) for p in prefixes for r in reads):
                continue
            out.append(inside)
        return out

    def __post_init__(self) -> None:
        # path -> templates reading exactly it; path -> templates reading it or below it
        self._exact: dict[ValuePath, set[str]] = {}
        self._under: dict[ValuePath, set[str]] = {}
        for rel, reads in self.reads.items():
            for r in reads:
                self._exact.setdefault(r, set()).add(rel)
                for n in range(len(r) + 1):
                    self._under.setdefault(r[:n], set()).add(rel)
        self._memo: dict[tuple[frozenset[ValuePath], bool, bool], frozenset[str]] = {}
        #: per subset, the paths its templates read as a trie (`_trie`)
        self._key_paths: dict[tuple[frozenset[str], bool], dict[str, Any]] = {}
        self._kept: dict[frozenset[str], frozenset[str]] = {}

    def readers(self, changed: ValuePath) -> set[str]:
        """The templates reading `changed`, a path above it or a path below it."""
        out = set(self._under.get(changed, ()))
        for n in range(len(changed)):
            out |= self._exact.get(changed[:n], set())
        return out

    def subset(
        self, changed: Iterable[ValuePath], *, caps: bool = False, release: bool = False
    ) -> frozenset[str]:
        """The output templates to render for a cell that changes `changed` (and, with
        `caps`, the Kubernetes version; with `release`, install/upgrade)."""
        key = (frozenset(changed), caps, release)
        found = self._memo.get(key)
        if found is not None:
            return found
        out = {rel for c in key[0] for rel in self.readers(c)} & self.outputs
        if caps:
            out |= self.caps
        if release:
            out |= self.release | self.random
        self._memo[key] = self._closed(out)
        return self._memo[key]

    def kept(self, subset: frozenset[str]) -> frozenset[str]:
        """The templates a copy holding `subset` renders: with the value writers every copy
        holds, and the template files those include by name (fluent-bit's DaemonSet, a value
        writer, hashes `configmap.yaml` through `include (print $.Template.BasePath ...)`)."""
        found = self._kept.get(subset)
        if found is None:
            found = self._kept[subset] = self._closed(set(subset | self.always))
        return found

    def _closed(self, out: set[str]) -> frozenset[str]:
        """`out` with the template files its templates include by name (every output when
        one includes a computed name)."""
        if out & self.by_name:
            return frozenset(self.outputs)
        todo = list(out)
        while todo:
            for rel in self.needs.get(todo.pop(), ()):
                if rel not in out:
                    out.add(rel)
                    todo.append(rel)
        return frozenset(out)

    def touches(self, template: str, changed: Iterable[ValuePath]) -> bool:
        """Whether a cell changing `changed` can change what `template` renders: the template
        reads one of them, or one switches a subchart holding the template or a named
        template it reaches (`tags` may switch any)."""
        changed = set(changed)
        if template in self.subset(changed):
            return True
        if not self.structural_change(changed):
            return False
        reached = self.reaches.get(template)
        if reached is None or any(c[:1] == ("tags",) for c in changed):
            return True
        files = {template} | {f for n in reached for f in self.define_files.get(n, ())}
        return any(
            any(f.startswith(w.dir + "/") for f in files)
            and any(_overlap(p, c) for p in w.paths for c in changed)
            for w in self.switches
        )

    def structural_change(self, changed: Iterable[ValuePath]) -> bool:
        return any(_overlap(s, c) for s in self.structural for c in changed)

    def render_key(
        self,
        subset: frozenset[str],
        values: Mapping[str, Any],
        extra: tuple[ValuePath, ...] = (),
        schema: bool = True,
    ) -> str | None:
        """What the partial render of `subset` can depend on among the user's values: the
        values at every path its templates read (and the templates rendered in every copy,
        value writers included). Two cells with the same key get the same output from the
        same trimmed copy (at the same Kubernetes version when `subset` reads
        `.Capabilities`), so it is rendered once. `extra`: more paths the output depends on
        (those switching subcharts). `schema`: the paths the chart's values schemas look at
        too (`schema_keys`): Helm fails a render whose values break a schema, whatever its
        templates read (two values files setting only `replicas`, one to `three`, once
        shared one passing render); an upgrade render, asked for only once the same values
        passed in the install render, leaves them out. None when the values cannot be
        keyed."""
        trie = self._key_paths.get((subset, schema))
        if trie is None:
            tops = self.kept(subset) & self.reads.keys()
            reads = {p for t in tops for p in self.reads[t]}
            keys = self.schema_keys if schema else []
            if keys is None:
                trie = {_READ: True}
            else:
                reads |= {s.path for s in keys if s.whole}
                trie = _trie(reads, (s.path for s in keys if not s.whole))
            self._key_paths[subset, schema] = trie
        try:
            return json.dumps(
                [_project(values, trie), [[list(p), _at(values, p)] for p in extra]],
                sort_keys=True,
                default=repr,
            )
        except (TypeError, ValueError):  # keys of mixed types: no key, render every cell
            return None


#: marks a trie node that is a path read whole
_READ = "\0read"


def _trie(paths: Iterable[ValuePath], shapes: Iterable[ValuePath] = ()) -> dict[str, Any]:
    """The paths as nested dicts; a node read whole holds `_READ`. A `shapes` path only
    makes its node (`_project` keeps a value there only when it is not a mapping)."""
    root: dict[str, Any] = {}
    for p in shapes:
        node = root
        for k in p:
            node = node.setdefault(k, {})
    for p in paths:
        node = root
        for k in p:
            node = node.setdefault(k, {})
        node[_READ] = True
    return root


def _project(values: Any, trie: Mapping[str, Any]) -> Any:
    """What of `values` the paths of `trie` can see: the whole value at a path read whole,
    at a non-mapping where a path goes on (it stops there), nothing where a key is absent.
    Two values trees have equal projections exactly when `_at` gives the same answer for
    every path; the walk only visits what the values set (most cells set a few keys)."""
    if _READ in trie or not isinstance(values, Mapping):
        return values
    out: dict[str, Any] = {}
    for k, v in values.items():
        sub = trie.get(k) if isinstance(k, str) else None
        if sub is not None:
            out[k] = _project(v, sub)
    return out


def _at(values: Mapping[str, Any], path: ValuePath) -> list[Any]:
    """The user's value at `path`, or where and why the path stops: a key absent (the chart's
    default applies) or a value that is not a mapping (a null deletes the default)."""
    cur: Any = values
    for i, k in enumerate(path):
        if not isinstance(cur, Mapping):
            return ["leaf", i, cur]
        if k not in cur:
            return ["absent", i]
        cur = cur[k]
    return ["at", cur]


def _overlap(a: ValuePath, b: ValuePath) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _load_yaml(path: Path) -> Any:
    try:
        return yamlguard.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _charts(top: Path) -> list[ChartNode] | None:
    """The chart tree with each chart's value prefixes; None when it cannot be followed."""
    nodes: list[ChartNode] = []

    def walk(
        path: Path, prefixes: list[ValuePath], switch: list[ValuePath], keys: list[str]
    ) -> bool:
        meta = _load_yaml(path / "Chart.yaml")
        if not isinstance(meta, Mapping):
            return False
        deps = [d for d in meta.get("dependencies") or [] if isinstance(d, Mapping)]
        subs = _subcharts(path / "charts")
        if subs is None:
            return False
        present = {name for _, name in subs}
        conditions: list[ValuePath] = []
        for d in deps:
            if d.get("import-values"):
                return False
            if str(d.get("name")) not in present:
                # absent from charts/ (not fetched): no value switches it on or off, Helm
                # renders without it either way
                continue
            for cond in str(d.get("condition") or "").split(","):
                if cond.strip():
                    conditions.extend(p + tuple(cond.strip().split(".")) for p in prefixes)
            if d.get("tags"):
                conditions.append(("tags",))
        nodes.append(ChartNode(path, prefixes, conditions, switch, keys))
        for sub, name in subs:
            entries = [d for d in deps if str(d.get("name")) == name]
            aliases = [str(d.get("alias") or d.get("name")) for d in entries] or [name]
            switch = [
                p + tuple(cond.strip().split("."))
                for d in entries
                for cond in str(d.get("condition") or "").split(",")
                if cond.strip()
                for p in prefixes
            ] + [("tags",)] * any(d.get("tags") for d in entries)
            sub_keys = [f"{k}charts/{a}/" for k in keys for a in aliases]
            if not walk(sub, [(*p, a) for p in prefixes for a in aliases], switch, sub_keys):
                return False
        return True

    return nodes if walk(top, [()], [], [""]) else None


def _subcharts(charts: Path) -> list[tuple[Path, str]] | None:
    """The subchart directories under `charts`, sorted, each with its chart name; None when
    one cannot be followed (an archive, a directory without a readable Chart.yaml)."""
    if not charts.is_dir():
        return []
    out: list[tuple[Path, str]] = []
    for sub in sorted(charts.iterdir()):
        if sub.suffix == ".tgz" or (sub.is_file() and sub.name.endswith(".tar.gz")):
            return None
        if not sub.is_dir():
            continue
        meta = _load_yaml(sub / "Chart.yaml")
        if not isinstance(meta, Mapping):
            return None
        out.append((sub, str(meta.get("name") or sub.name)))
    return out


def _strings(data: Any) -> Iterable[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, Mapping):
        for k, v in data.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


def _is_template(rel: Path) -> bool:
    return "templates" in rel.parts


def analyze(top: Path, extra_values: Iterable[Any] = ()) -> Analysis | None:
    """Analyze the chart directory `top`; None when it cannot be rendered partially.
    `extra_values` are the cells' values (their strings may hold templates for `tpl`)."""
    nodes = _charts(top)
    if nodes is None:
        return None
    # deepest chart first, so a file belongs to the innermost chart holding it
    nodes.sort(key=lambda n: len(n.path.parts), reverse=True)
    files = _scan_files(top, nodes)
    if files is None:
        return None
    # a subchart with a values schema stays: a copy without it would not validate its values
    # (a subchart's `global` defaults do not reach its parent: Helm copies globals down)
    subcharts = [
        (str(n.path.relative_to(top)), n.prefixes)
        for n in nodes
        if n.path != top and not (n.path / "values.schema.json").exists()
    ]
    switches = [
        Switch(
            str(n.path.relative_to(top)),
            tuple(n.switch),
            tuple(n.keys),
            tuple(p for p in n.prefixes if p),
        )
        for n in nodes
        if n.path != top and n.switch
    ]
    analysis = _resolve(top, files, _shared_tpl_source(nodes, extra_values), subcharts, switches)
    analysis.schema_keys = _schema_keys(nodes)
    return analysis


def _schema_keys(nodes: list[ChartNode]) -> list[SchemaPath] | None:
    out: list[SchemaPath] = []
    for n in nodes:
        paths = chart_schema_paths(n.path, n.prefixes)
        if paths is None:
            return None
        out.extend(paths)
    return out


def _shared_tpl_source(nodes: list[ChartNode], extra_values: Iterable[Any]) -> Unit:
    """What value strings any chart of the tree may hand to `tpl` read: the cells' strings and
    every values.yaml (the raw text: its `{{ }}` are the strings' and comments')."""
    shared = Unit()
    for s in (s for v in extra_values for s in _strings(v) if "{{" in s):
        _merge_scan(shared, s)
    for node in nodes:
        for name in ("values.yaml", "values.yml"):
            try:
                text = (node.path / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "{{" in text:
                _merge_scan(shared, text)
    return shared


@dataclass
class _Files:
    """What scanning every file of a chart tree found."""

    defines: dict[str, Unit] = field(default_factory=dict)
    tops: dict[str, tuple[Unit, ChartNode]] = field(default_factory=dict)
    #: key -> the template files that may read it off the top-level context (`.port`,
    #: `$.port`, `$ctx.port`, `"port"`): who sees a `root_writes` key
    root_reads: dict[str, set[str]] = field(default_factory=dict)
    #: the top level of the other template files (`_script.txt`, `_helpers.tpl`): what a
    #: template including one by name (`include (print $.Template.BasePath ...)`) reads
    partials: dict[str, tuple[Unit, ChartNode]] = field(default_factory=dict)
    tpl_sources: dict[int, Unit] = field(default_factory=dict)  # id(node) -> its tpl strings
    always: set[str] = field(default_factory=set)
    structural: set[ValuePath] = field(default_factory=set)
    #: a helper file's top level (run in every render) reads `.Files`
    files_always: bool = False
    #: named template -> the files defining it
    define_files: dict[str, set[str]] = field(default_factory=dict)
    #: a template mentions `.Chart.Dependencies`, or a helper file's top level
    #: writes values: subcharts stay in every copy
    keep_subcharts: bool = False
    #: some text reads `IsUpgrade`, `IsInstall` or `Revision` (of `.Release` or of anything)
    release_fields: bool = False


def _scan_files(top: Path, nodes: list[ChartNode]) -> _Files | None:
    """Scan every file of every chart once; None when a template cannot be read."""
    found_files = _Files()
    seen: set[Path] = set()
    for node in nodes:
        found_files.structural.update(node.conditions)
        tpl_unit = Unit()
        for path in sorted(node.path.rglob("*")):
            if path in seen or not path.is_file():
                continue
            seen.add(path)
            if not _scan_file(top, node, path, found_files, tpl_unit):
                return None
        found_files.tpl_sources[id(node)] = tpl_unit
    return found_files


def _scan_file(top: Path, node: ChartNode, path: Path, into: _Files, tpl_unit: Unit) -> bool:
    """Scan one file of `node` into `into`; False when it is an unreadable template."""
    rel_node = path.relative_to(node.path)
    rel = str(path.relative_to(top))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return not _is_template(rel_node)
    if not _is_template(rel_node) or rel_node.parts[0] != "templates":
        if "{{" in text:  # a file `tpl` may evaluate (`tpl (.Files.Get "f") .`)
            _merge_scan(tpl_unit, text)
            into.release_fields |= tpl_unit.release_fields
        return True
    unit, found = _scan(text)
    for key in unit.context_reads.union(*(d.context_reads for d in found.values())):
        into.root_reads.setdefault(key, set()).add(rel)
    into.release_fields |= unit.release_fields or any(d.release_fields for d in found.values())
    into.keep_subcharts |= "Dependencies" in text
    for name, d in found.items():
        into.define_files.setdefault(name, set()).add(rel)
        if name in into.defines:
            into.defines[name].merge(d)
            into.defines[name].calls |= d.calls
            into.defines[name].dynamic_call |= d.dynamic_call
        else:
            into.defines[name] = d
    if path.name.startswith("_") or found:
        into.always.add(rel)
        into.files_always |= unit.files or unit.dynamic_call
        into.keep_subcharts |= unit.writes or unit.dynamic_call
    if not path.name.startswith("_") and path.name != "NOTES.txt":
        into.tops[rel] = (unit, node)
    else:
        into.partials[rel] = (unit, node)
    return True


def _resolve(
    top: Path,
    files: _Files,
    shared: Unit,
    subcharts: list[tuple[str, list[ValuePath]]],
    switches: list[Switch],
) -> Analysis:
    """Follow each top-level template through its helpers and included files."""
    closure = _Closure(
        files.defines, [u for u, _ in [*files.tops.values(), *files.partials.values()]]
    )
    reads: dict[str, set[ValuePath]] = {}
    caps: set[str] = set()
    release: set[str] = set()
    random: set[str] = set()
    keygen: set[str] = set()
    by_name: set[str] = set()
    needs: dict[str, set[str]] = {}
    always = set(files.always)
    reads_files: set[str] = set()
    reaches: dict[str, set[str] | None] = {}
    release_fields = files.release_fields or shared.release_fields
    for rel, (unit, node) in files.tops.items():
        u = _reach(top, rel, closure.of(unit), node, files, closure, needs)
        reaches[rel] = None if u.dynamic_call else set(u.calls)
        if u.dynamic_call:
            by_name.add(rel)
        if u.tpl:
            if u.files:
                u.merge(closure.of(files.tpl_sources[id(node)]))
            u.merge(closure.of(shared))
        seen_elsewhere = any(files.root_reads.get(k, {rel}) - {rel} for k in u.root_writes)
        if u.writes or seen_elsewhere:
            always.add(rel)
        if u.files or u.dynamic_call:
            reads_files.add(rel)
        reads[rel] = {p for r in u.reads for p in _to_top(r, node.prefixes)}
        for flag, into in (
            (u.caps, caps),
            (u.release or (u.release_whole and release_fields), release),
            (u.random, random),
            (u.keygen, keygen),
        ):
            if flag:
                into.add(rel)
    notes_reads: frozenset[ValuePath] = frozenset()
    notes = files.partials.get("templates/NOTES.txt")
    if notes is not None:
        unit, node = notes
        u = _reach(top, "templates/NOTES.txt", closure.of(unit), node, files, closure, {})
        if u.tpl:
            u.merge(closure.of(shared))
        if u.fails or u.dynamic_call:  # notes that only print cannot fail a cell on purpose
            notes_reads = frozenset(p for r in u.reads for p in _to_top(r, node.prefixes))
    return Analysis(
        reads,
        caps,
        release,
        random,
        always,
        files.structural,
        set(files.tops),
        by_name,
        needs,
        reads_files,
        files.files_always,
        reaches,
        files.define_files,
        [] if files.keep_subcharts else subcharts,
        [] if files.keep_subcharts else switches,
        keygen,
        notes_reads,
    )


def _reach(
    top: Path,
    rel: str,
    u: Unit,
    node: ChartNode,
    files: _Files,
    closure: _Closure,
    needs: dict[str, set[str]],
) -> Unit:
    """`u` with the reads of the files it includes by name merged in (recorded in `needs`)."""
    done: set[str] = set()
    while u.file_calls - done:
        fc = sorted(u.file_calls - done)[0]
        done.add(fc)
        target = str((node.path / fc).relative_to(top))
        needs.setdefault(rel, set()).add(target)
        found = files.tops.get(target) or files.partials.get(target)
        if found is not None:
            u.merge(closure.of(found[0]))
        else:
            u.dynamic_call = True
    return u


def _merge_scan(unit: Unit, text: str) -> None:
    top, found = _scan(text)
    unit.merge(top)
    unit.calls |= top.calls
    unit.dynamic_call |= top.dynamic_call
    for d in found.values():
        unit.merge(d)
        unit.calls |= d.calls
        unit.dynamic_call |= d.dynamic_call


def _to_top(path: ValuePath, prefixes: list[ValuePath]) -> Iterable[ValuePath]:
    """A path read in a chart whose values live under `prefixes`, as top chart paths."""
    for p in prefixes:
        yield p + path
    if prefixes != [()] and (not path or path[0] == "global"):
        yield path if path else ("global",)


class _Closure:
    """A unit with every named template it reaches merged in (memoized per name)."""

    def __init__(self, defines: Mapping[str, Unit], files: list[Unit]) -> None:
        self._defines = defines
        self._files = files
        self._everything: Unit | None = None

    def _all(self) -> Unit:
        """Every named template and every file's top level (`include` can name a file:
        `include (print $.Template.BasePath "/configmap.yaml") .`)."""
        if self._everything is None:
            u = Unit()
            for d in [*self._defines.values(), *self._files]:
                u.merge(d)
            self._everything = u
        return self._everything

    def of(self, unit: Unit) -> Unit:
        out = Unit()
        out.merge(unit)
        todo = list(unit.calls)
        seen: set[str] = set()
        dynamic = unit.dynamic_call
        while todo and not dynamic:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            d = self._defines.get(name)
            if d is None:
                dynamic |= "/" in name  # a template file by name
                continue
            out.merge(d)
            dynamic |= d.dynamic_call
            todo.extend(d.calls)
        out.calls = seen  # the named templates it reaches
        if dynamic:
            out.merge(self._all())
            out.dynamic_call = True
        return out


def changed_paths(
    values: Mapping[str, Any], base: Mapping[str, Any], prefix: ValuePath = ()
) -> set[ValuePath]:
    """The paths where two values trees (a cell's and its base's, as given by the user, before
    the chart's defaults are merged under them) differ: a whole subtree where one side is
    not a mapping."""
    out: set[ValuePath] = set()
    for k in set(values) | set(base):
        a, b = values.get(k, _MISSING), base.get(k, _MISSING)
        if a == b:
            continue
        path = (*prefix, str(k))
        if isinstance(a, Mapping | _Missing) and isinstance(b, Mapping | _Missing):
            # user values are merged over the chart's: a key one side lacks is the default
            below = changed_paths(
                a if isinstance(a, Mapping) else {}, b if isinstance(b, Mapping) else {}, path
            )
            # a key only one side has is a change even when all under it is empty
            out |= below or {path}
        else:
            out.add(path)
    return out


class _Missing:
    pass


_MISSING = _Missing()


def disabled_subcharts(chart: Path, values: Mapping[str, Any]) -> set[str]:
    """The directories under `charts/` of the dependencies whose `condition` is false in
    `values` (the top chart's defaults with the user's values merged over them). A
    dependency with tags and no condition that decides is kept (not evaluated here)."""
    meta = _load_yaml(chart / "Chart.yaml")
    deps = (
        [d for d in (meta.get("dependencies") or []) if isinstance(d, Mapping)]
        if isinstance(meta, Mapping)
        else []
    )
    on: dict[str, bool] = {}
    for d in deps:
        name = str(d.get("name"))
        enabled: bool | None = None
        for cond in str(d.get("condition") or "").split(","):
            v: Any = values
            for part in cond.strip().split("."):
                v = v.get(part) if isinstance(v, Mapping) else None
            if cond.strip() and isinstance(v, bool):
                enabled = v
                break
        if enabled is None and d.get("tags"):
            enabled = True
        on[name] = on.get(name, False) or enabled is not False
    out: set[str] = set()
    charts = chart / "charts"
    if charts.is_dir():
        for sub in charts.iterdir():
            sub_meta = _load_yaml(sub / "Chart.yaml") if sub.is_dir() else None
            if isinstance(sub_meta, Mapping) and on.get(str(sub_meta.get("name"))) is False:
                out.add(sub.name)
    return out


#: the files of a chart directory Helm reads to render, besides templates/ and charts/
_CHART_FILES = frozenset(
    {
        "Chart.yaml",
        "values.yaml",
        "values.schema.json",
        "Chart.lock",
        "requirements.yaml",
        "requirements.lock",
        ".helmignore",
    }
)


def _chart_part(parts: tuple[str, ...]) -> bool:
    """Whether a file (path parts under the top chart) is one Helm reads to render: a
    template or one of `_CHART_FILES` of the top chart or of a subchart under charts/."""
    while len(parts) > 2 and parts[0] == "charts":
        parts = parts[2:]
    if len(parts) == 2 and parts[0] == "charts":  # a packed subchart
        return True
    if len(parts) == 1:
        return parts[0] in _CHART_FILES or parts[0].endswith((".tgz", ".tar.gz"))
    return parts[0] == "templates"


#: Helm refuses to load an archive holding a file larger than this (`loader`'s
#: MaxDecompressedFileSize): a chart with one gets directory copies
_ARCHIVE_FILE_LIMIT = 5 << 20
#: file contents kept while copies are written, at most (read again past it)
_KEEP_BYTES = 64 << 20
#: a copy holding more than this is a directory of hard links (what an archive costs grows
#: with its bytes, a directory's with its folders and files)
_ARCHIVE_MAX = 16 << 20


class Trimmer:
    """Trimmed copies of a chart directory, one per template subset: every file but the
    output templates left out (and NOTES.txt), so `.Files`, helpers, subcharts and values
    stay as they are. A copy of up to `_ARCHIVE_MAX` bytes is one uncompressed chart archive
    (Helm loads it as it loads the directory, render/helm.py keeps it loaded alike; one file
    to write, where a directory copy made every folder again: ~20 folders a copy, 50 copies
    of kyverno, and a `mkdir` can cost 0.5 ms); a larger one, or one with a file Helm would
    not take from an archive, is a directory of hard links."""

    def __init__(self, chart: Path, analysis: Analysis | None, prune: Iterable[str] = ()) -> None:
        import tempfile

        self.chart = chart
        #: set before `dir_for` is asked for a subset (`whole` needs none)
        self._analysis = analysis
        #: subchart directories left out (disabled in every cell rendered partially: a
        #: render removes a disabled subchart from the loaded chart, which then has to be
        #: loaded again; without it on disk the loaded chart stays as it is)
        self.prune = tuple(f"charts/{d}/" for d in prune)
        self.root = Path(tempfile.mkdtemp(prefix="seatrial-trim-"))
        self._dirs: dict[tuple[frozenset[str], tuple[str, ...]], Path] = {}
        self._files = sorted(
            p.relative_to(chart) for p in chart.rglob("*") if p.is_file() or p.is_symlink()
        )
        self._whole: Path | None = None
        self._archives = True
        self._bytes: dict[Path, bytes] = {}
        self._sizes: dict[Path, int] = {}
        self._kept = 0

    @property
    def analysis(self) -> Analysis:
        assert self._analysis is not None, "Trimmer.analysis is set before dir_for"
        return self._analysis

    @analysis.setter
    def analysis(self, value: Analysis) -> None:
        self._analysis = value

    def whole(self) -> Path:
        """The chart without the pruned subcharts, every other file kept (what `dir_for`
        gives for every output with NOTES.txt): the defaults cells' copy, made before the
        chart is analysed."""
        if self._whole is None:
            self._whole = self._copy(
                "whole",
                lambda rel, key: not key.startswith(self.prune),
            )
        return self._whole

    def _copy(self, name: str, keep: Any) -> Path:
        """The copy `name` holding the files `keep(rel, key)` accepts: the archive
        `root/<name>.tgz`, or the directory `root/<name>/<chart>` (see the class)."""
        chosen = [rel for rel in self._files if keep(rel, str(rel))]
        if self._archives and sum(self._size(rel) for rel in chosen) <= _ARCHIVE_MAX:
            try:
                return self._archive(self.root / f"{name}.tgz", chosen)
            except (OSError, ValueError):
                self._archives = False
        # the chart's folder name, or any (a chart given as "." has none)
        return self._directory(self.root / name / (self.chart.resolve().name or "chart"), chosen)

    def _size(self, rel: Path) -> int:
        size = self._sizes.get(rel)
        if size is None:
            try:
                size = self._sizes[rel] = (self.chart / rel).stat().st_size
            except OSError:
                size = self._sizes[rel] = _ARCHIVE_MAX + 1  # a directory copy says why
        return size

    def _read(self, rel: Path) -> bytes:
        data = self._bytes.get(rel)
        if data is None:
            data = (self.chart / rel).read_bytes()  # a symlink's target, as Helm reads it
            if len(data) > _ARCHIVE_FILE_LIMIT:
                raise ValueError(f"{rel} is too large for an archive")
            if self._kept + len(data) <= _KEEP_BYTES:
                self._bytes[rel] = data
                self._kept += len(data)
        return data

    def _archive(self, dest: Path, chosen: list[Path]) -> Path:
        import io
        import tarfile

        with tarfile.open(dest, "w:gz", compresslevel=0) as tar:
            for rel in chosen:
                data = self._read(rel)
                # the top folder: any name (Helm names the chart from Chart.yaml); the
                # chart path may be "." (no name)
                info = tarfile.TarInfo(f"chart/{rel.as_posix()}")
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
        return dest

    def _directory(self, dest: Path, chosen: list[Path]) -> Path:
        """`dest` holding `chosen`, hard-linked where possible."""
        import os
        import shutil

        made: set[Path] = set()
        for rel in chosen:
            src, dst = self.chart / rel, dest / rel
            if dst.parent not in made:
                dst.parent.mkdir(parents=True, exist_ok=True)
                made.add(dst.parent)
            if src.is_symlink():
                os.symlink(os.readlink(src), dst)
                continue
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
        dest.mkdir(parents=True, exist_ok=True)
        return dest

    def dir_for(
        self, subset: frozenset[str], *, notes: bool = False, switched: tuple[str, ...] = ()
    ) -> Path:
        """The copy holding `subset` (and NOTES.txt with `notes`), with the subcharts
        `switched` (directories) even when pruned."""
        name = (subset | ({"NOTES.txt"} if notes else set()), switched)
        found = self._dirs.get(name)
        if found is not None:
            return found
        if notes and not switched and subset >= self.analysis.outputs:
            self._dirs[name] = self.whole()
            return self._dirs[name]
        keep = self.analysis.kept(subset)
        # no template kept reads `.Files`: leave out what only `.Files` serves (crds/,
        # files/, READMEs); Helm renders none of it
        # NOTES.txt is not analysed: a copy holding it keeps every subchart and file
        lean = not (notes or self.analysis.files_always or keep & self.analysis.reads_files)
        unneeded = () if notes else self.analysis.unneeded_subcharts(frozenset(keep))
        kept = tuple(f"{d}/" for d in switched)
        leave_out = (
            *(p for p in self.prune if not any(k.startswith(p) for k in kept)),
            *unneeded,
        )
        outputs = self.analysis.outputs

        def wanted(rel: Path, key: str) -> bool:
            if key.startswith(leave_out) or (key in outputs and key not in keep):
                return False
            if lean and not _chart_part(rel.parts):
                return False
            return not (
                rel.name == "NOTES.txt"
                and "templates" in rel.parts
                and key not in keep
                and not notes
            )

        self._dirs[name] = self._copy(str(len(self._dirs)), wanted)
        return self._dirs[name]

    def close(self) -> None:
        import shutil

        shutil.rmtree(self.root, ignore_errors=True)

    @staticmethod
    def files_of(copy: Path) -> list[str]:
        """The files a copy holds, relative to its chart, sorted (an archive's or a
        directory's)."""
        if copy.is_dir():
            return sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file())
        import tarfile

        with tarfile.open(copy) as tar:
            return sorted(m.name.split("/", 1)[1] for m in tar if m.isfile())


class Masks:
    """What differs between two whole renders of one cell (random passwords, generated
    certificates, timestamps), masked in the key that groups cells with identical output, so
    such charts do not make every cell distinct. Only the grouping key: the objects checks
    see keep their real values. Per template: the (object, field path) leaves that differed.
    Objects whose names are random (jenkins' test Pods, `ui-test-{{ randAlphaNum 5 }}`) are
    matched by their place in the template's output when kinds and namespaces line up, and
    stand in the key by their kind, namespace and place; a template whose objects cannot be
    matched is left unmasked."""

    def __init__(self, first: Mapping[str, str], second: Mapping[str, str], parse: Any) -> None:
        self._parse = parse  # (template key, text) -> objects, memoized by the caller
        self.fields: dict[str, set[tuple[str, tuple[Any, ...]]]] = {}
        #: templates whose objects have random names: their objects are named by place
        self.renamed: set[str] = set()
        self._digests: dict[tuple[str, str], bytes] = {}  # (template, text) -> name + digest
        for key in first.keys() & second.keys():
            if first[key] == second[key]:
                continue
            try:
                a, b = parse(key, first[key]), parse(key, second[key])
            except Exception:
                continue
            if [o.key for o in a] != [o.key for o in b]:
                if [(o.kind, o.namespace) for o in a] != [(o.kind, o.namespace) for o in b]:
                    continue
                self.renamed.add(key)
            diff: set[tuple[str, tuple[Any, ...]]] = set()
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                fx, fy = _leaves(x.body), _leaves(y.body)
                name = self._name(key, i, x)
                diff |= {(name, p) for p in fx.keys() | fy.keys() if fx.get(p) != fy.get(p)}
            if diff:
                self.fields[key] = diff

    def _name(self, template: str, i: int, obj: Any) -> str:
        """How an object stands in the key: its key, or its kind, namespace and place in the
        template's output when the template names objects at random."""
        return f"{obj.kind}/{obj.namespace}/#{i}" if template in self.renamed else str(obj.key)

    def key(self, rendered: Mapping[str, str]) -> str:
        """A digest of `rendered` with the masked leaves replaced."""
        import hashlib
        import json

        parts: list[bytes] = []
        for k in sorted(rendered):
            text = rendered[k]
            part = self._digests.get((k, text))
            if part is None:  # each distinct template output is masked and hashed once
                masked = self.fields.get(k)
                shown = text
                if masked is not None:
                    try:
                        objs = self._parse(k, text)
                        names = [self._name(k, i, o) for i, o in enumerate(objs)]
                        shown = json.dumps(
                            [
                                [n, _masked(n, o.body, (), masked)]
                                for n, o in zip(names, objs, strict=True)
                            ],
                            sort_keys=True,
                            default=str,
                        )
                    except Exception:
                        pass
                part = k.encode() + b"\0" + hashlib.sha256(shown.encode()).digest()
                self._digests[(k, text)] = part
            parts.append(part)
        return hashlib.sha256(b"".join(parts)).hexdigest()


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    out: dict[tuple[Any, ...], Any] = {}
    if isinstance(data, Mapping):
        for k, v in data.items():
            out.update(_leaves(v, (*path, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.update(_leaves(v, (*path, i)))
    else:
        out[path] = data
    return out


def _masked(
    obj: str, data: Any, path: tuple[Any, ...], masked: set[tuple[str, tuple[Any, ...]]]
) -> Any:
    if (obj, path) in masked:
        return "<differs between renders>"
    if isinstance(data, Mapping):
        return {str(k): _masked(obj, v, (*path, k), masked) for k, v in data.items()}
    if isinstance(data, list):
        return [_masked(obj, v, (*path, i), masked) for i, v in enumerate(data)]
    return data
