"""Which Kubernetes versions of the matrix a chart cannot tell apart (render/matrix.py renders
a template that reads `.Capabilities` once per class of such versions, not once per version).

Between the versions of one matrix only `.Capabilities.KubeVersion` differs when every version
is given the same API versions. A chart tells two versions apart only through what it does
with that version. This module reads every file of the chart tree and answers only when the
version is used in these forms and no other (NOTES.txt, which renders no object, only for the
constraints it compares the version with: kyverno's warns below 1.21 and prints the version):

- `semverCompare "<constraint>" .Capabilities.KubeVersion.Version` (or `.GitVersion`, through
  `$`, `$root` or any context variable);
- a variable set to a version expression (`$v := default .Capabilities.KubeVersion.GitVersion
  .Values.kubeTargetVersionOverride`) used only as `semverCompare "<constraint>" $v`;
- a named template whose whole body is a version expression (`default .Capabilities...
  (regexFind "v[0-9]+\\.[0-9]+\\.[0-9]+" .Capabilities...)`), included only as
  `semverCompare "<constraint>" (include "name" .)`.

- `.Capabilities.KubeVersion.Major` or `.Minor` compared with a literal (`ge
  .Capabilities.KubeVersion.Minor "19"`, consul's Ingress), as `gt`, `ge`, `lt`, `le`, `eq`
  or `ne` (Helm evaluates the comparison as the chart writes it: strings, here).

A version expression keeps the version's text: `default`, `ternary`, `regexFind`,
`regexMatch`, `printf "%s.0"` over the version, values and version-shaped literals. The
constraints are then evaluated by Helm itself at every version (`probe_chart`); versions
where every constraint gives the same answer form one class. Anything else (the version
printed, `.Capabilities | toString`, `.Major`/`.Minor` used otherwise, a computed `include`, a
values string or other file mentioning `.Capabilities` in a chart that uses `tpl`) gives no
answer: every version is rendered. A named template no template reaches may do anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seatrial.objects.parse import is_manifest_template
from seatrial.render.deps import ACTION as _ACTION
from seatrial.render.deps import CALL as _CALL
from seatrial.render.deps import COMMENT as _COMMENT
from seatrial.render.deps import code_of
from seatrial.source.helmignore import chart_files

_CAPS_REF = re.compile(r"[\w$.]*\bCapabilities((?:\.\w+)*)")
_KUBE_REF = r"\(?\s*[\w$.]*\bCapabilities\.KubeVersion\.(?:Git)?Version\s*\)?"
_LIT = r'"((?:[^"\\]|\\.)*)"'
_DIRECT = re.compile(rf"semverCompare\s+{_LIT}\s+{_KUBE_REF}")
_PART_REF = r"\(?\s*[\w$.]*\bCapabilities\.KubeVersion\.(Major|Minor)\s*\)?"
#: `ge .Capabilities.KubeVersion.Minor "19"` (or the literal first)
_PART_CMP = re.compile(
    rf"\b(gt|ge|lt|le|eq|ne)\s+(?:{_PART_REF}\s+{_LIT}|{_LIT}\s+{_PART_REF})(?![\w.])"
)
#: marks a constraint that is a comparison to print as it is (`probe_chart`), not a semver one
EXPRESSION = "\0expr:"
#: marks a constraint a named template takes as its argument at this position
ARGUMENT = "\0arg:"
#: `$c := index . 1`: a named template's argument (a list's item)
_INDEX_ARG = re.compile(r"(\$\w+)\s*:=\s*index\s+\.\s+(\d+)\s*(?:-?\}\}|\x00|$)")
_ASSIGN = re.compile(r"^\s*(\$\w+)\s*:=\s*(.*?)\s*$", re.S)
_INCLUDE = re.compile(_CALL + r"(\S)")
_BASEPATH = re.compile(_CALL + r"\(\s*printf?\s+[\w$.]*\bTemplate\.BasePath\b")
#: what a version expression may hold besides version references: these words, values,
#: parentheses and version-shaped string literals
_EXPR_WORDS = re.compile(r"\b(?:default|ternary|regexFind|regexMatch|printf)\b")
_VALUES_REF = re.compile(r"\(?\s*\$?[\w]*\.Values(?:\.\w+)*\s*\)?(?:\.\w+)*")
#: a regexp over the version (`v[0-9]+\.[0-9]+`), or `printf`'s `"%s"` / `"%s.0"`
_SHAPED = re.compile(r'"[v\\d\[\]0-9\-+.^$*]*"|"%s(?:\.0)?"')
_DOCS = (".md", ".markdown", ".rst")
#: a template's reference to the capabilities, in a file out of templates/
_CAPS_BYTES = re.compile(rb"\.Capabilities\b")


def _no_caps_value(raw: bytes) -> bool:
    """Whether no string in a values file mentions `.Capabilities` (fluent-bit's does only in
    a comment, which no `tpl` evaluates); False when the file does not parse."""
    from seatrial import yamlguard

    try:
        docs = yamlguard.load_values(raw.decode("utf-8"))
    except Exception:  # unreadable: assume the worst
        return False
    todo: list[Any] = list(docs)
    while todo:
        item = todo.pop()
        if isinstance(item, str) and ".Capabilities" in item:
            return False
        if isinstance(item, dict):
            todo += list(item.keys()) + list(item.values())
        elif isinstance(item, list):
            todo += item
    return True


def _version_expr(expr: str) -> bool:
    """Whether `expr` computes a version text from `.Capabilities.KubeVersion`."""
    if not re.search(_KUBE_REF, expr):
        return False
    rest = re.sub(_KUBE_REF, " ", expr)
    rest = _SHAPED.sub(" ", rest)
    rest = _VALUES_REF.sub(" ", rest)
    rest = _EXPR_WORDS.sub(" ", rest)
    return not rest.replace("(", " ").replace(")", " ").strip()


@dataclass(frozen=True)
class VersionUse:
    """What a chart does with the Kubernetes version: the constraints it compares it with,
    and the templates that use it some other way (kube-prometheus-stack's CRD upgrade Job
    tags its kubectl image with the version): those render at every version, the others
    once per class of versions the constraints cannot tell apart."""

    constraints: list[str]
    #: manifest templates (paths relative to the chart) that use the version otherwise
    exact: frozenset[str] = frozenset()


def version_constraints(chart: Path) -> list[str] | None:
    """The semver constraints the chart tree compares the Kubernetes version with, when that
    comparison is all it does with the version (see the module's docstring); None when the
    version may reach the output some other way."""
    use = version_use(chart)
    return None if use is None or use.exact else use.constraints


def version_use(chart: Path) -> VersionUse | None:
    """The constraints, and the templates that use the version otherwise (`VersionUse`);
    None when the version may reach what every template renders (a computed include, a
    `tpl` that may evaluate a values string mentioning `.Capabilities`, a partial file's top
    level, a template file included by name beside a template using the version otherwise)."""
    # (file, define or None, actions, plain text)
    regions: list[tuple[str, str | None, str, bool]] = []
    notes: list[str] = []  # the constraints NOTES.txt compares the version with
    listed = chart_files(chart)
    paths = listed if listed is not None else sorted(p for p in chart.rglob("*") if p.is_file())
    others: list[Path] = []  # files out of templates/: read only if a template has `tpl`
    for path in paths:
        rel = path.relative_to(chart)
        if "templates" not in rel.parts:
            others.append(path)
            continue
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        try:
            text = _COMMENT.sub("", raw.decode("utf-8"))
        except UnicodeDecodeError:
            return None
        if path.name == "NOTES.txt" and not re.search(r"\{\{-?\s*define\b", text):
            # no object comes from the notes: what they print does not matter, only where
            # they compare the version (a `fail` there splits the versions); notes that
            # define a named template others may include are read as any template
            notes += [_literal(d.group(1)) for d in _DIRECT.finditer(text)]
            continue
        split = _regions(text)
        if split is None:
            return None
        regions += [(rel.as_posix(), name, actions, plain) for name, actions, plain in split]
    if any(re.search(r"\btpl\b", text) for _, _, text, _ in regions) and _elsewhere(others):
        return None  # a values string or a file `tpl` evaluates may read the version
    versioned = {
        name for _, name, text, plain in regions if name is not None and _version_body(text, plain)
    }
    constraints: list[str] = []
    bad: set[str] = set()  # defines using the version otherwise
    exact: set[str] = set()  # files whose top level does
    calls: dict[str, set[str]] = {}  # define name, or file path for a top level -> calls
    by_name = False  # a template file included by name
    for file, name, text, _ in regions:
        if name in versioned:
            continue
        found = _region_constraints(text, versioned)
        calls.setdefault(file if name is None else name, set()).update(_called(text))
        by_name |= _BASEPATH.search(text) is not None
        if found is not None:
            found = _given(found, name, [t for _, _, t, _ in regions])
        if found is not None:
            constraints += found
        elif name is not None:
            bad.add(name)
        elif is_manifest_template(file):
            exact.add(file)
        else:
            return None  # a partial's top level renders where it is included by name
    # a template reaching a define that uses the version otherwise; a define no template
    # reaches may do anything
    for top in {f for f, name, _, _ in regions if name is None and is_manifest_template(f)}:
        reached: set[str] = set()
        todo = list(calls.get(top, set()))
        while todo:
            n = todo.pop()
            if n not in reached:
                reached.add(n)
                todo += calls.get(n, set())
        if reached & bad:
            exact.add(top)
    if exact and by_name:
        return None
    return VersionUse(sorted(set(constraints + notes)), frozenset(exact))


def _elsewhere(others: list[Path]) -> bool:
    """Whether a file out of templates/ may bring `.Capabilities` to a `tpl` (or cannot be
    read): documentation is not evaluated; values strings and other files may be
    (`.Capabilities`, not a word ending so: `securityContextCapabilities`)."""
    for path in others:
        if path.suffix in _DOCS:
            continue
        try:
            raw = path.read_bytes()
        except OSError:
            return True
        if _CAPS_BYTES.search(raw) is not None and not (
            path.name == "values.yaml" and _no_caps_value(raw)
        ):
            return True
    return False


def _regions(text: str) -> list[tuple[str | None, str, bool]] | None:
    """The file's top level and each `define`: (name, its actions joined by NUL, whether it
    has text besides actions). Only actions matter here, and a 1.4 MB CRD template is mostly
    plain text. None on a computed include or a `define` that does not close."""
    out: list[tuple[str | None, str, bool]] = []
    top: list[str] = []
    body: list[str] = []
    plain = False
    depth = 0
    name: str | None = None
    pos = 0
    for m in _ACTION.finditer(text):
        inner = m.group(1).strip()
        if "include" in inner or "template" in inner:
            # string literals blanked: a message may say `template \"x\" expects ...`
            code = code_of(inner)
            for inc in _INCLUDE.finditer(code):
                if inc.group(1) not in ('"', "`") and not _BASEPATH.search(code):
                    return None  # a computed include may reach anything
        word = inner.split(None, 1)[0] if inner else ""
        if name is None:
            if word == "define":
                d = re.match(r'define\s+"([^"]+)"', inner)
                if d is None:
                    return None
                name, depth, body, plain, pos = d.group(1), 1, [], False, m.end()
            else:
                top.append(m.group(0))
            continue
        if not plain:  # once found, no more text to look at
            plain = bool(text[pos : m.start()].strip())
        pos = m.end()
        if word in ("if", "range", "with", "define", "block"):
            depth += 1
        elif word == "end":
            depth -= 1
            if depth == 0:
                out.append((name, "\0".join(body), plain))
                name = None
                continue
        body.append(m.group(0))
    if name is not None:
        return None
    out.append((None, "\0".join(top), False))
    return out


def _version_body(actions: str, plain: bool) -> bool:
    """Whether a named template's whole body is one version expression."""
    found = _ACTION.findall(actions)
    return not plain and len(found) == 1 and _version_expr(found[0])


def _called(text: str) -> set[str]:
    return set(re.findall(_CALL + r'"([^"]+)"', text))


def _region_constraints(text: str, versioned: set[str]) -> list[str] | None:
    """The constraints of one region; None when it uses the version otherwise. A constraint
    a named template takes as an argument (`$c := index . 1` ... `semverCompare $c (include
    "versioned" .)`) is `ARGUMENT` and its position: its callers give it (`_arguments`)."""
    if "Capabilities" not in text and not any(n in text for n in versioned):
        return []  # most regions: no action below has anything to look at
    out: list[str] = []
    arguments = {m.group(1): m.group(2) for m in _INDEX_ARG.finditer(text)}
    # `semverCompare "c" (include "versioned" .)`: a direct comparison too
    for name in versioned:
        if f'"{name}"' not in text:
            continue  # the pattern below needs it
        n = re.escape(name)
        compared = re.compile(
            rf'semverCompare\s+(?:{_LIT}|(\$\w+))\s+\(\s*(?:include|template)\s+"{n}"\s+[^()]*?\)'
        )
        for c in compared.finditer(text):
            if c.group(1) is not None:
                out.append(_literal(c.group(1)))
            elif c.group(2) in arguments:
                out.append(f"{ARGUMENT}{arguments[c.group(2)]}")
            else:
                return None
        text = compared.sub(" ", text)
    variables: set[str] = set()
    for m in _ACTION.finditer(text):
        action = m.group(1)
        if "Capabilities" not in action and not any(n in action for n in versioned):
            continue  # most actions: nothing to look at
        for cmp in _PART_CMP.finditer(action):
            op, part, lit = cmp.group(1), cmp.group(2) or cmp.group(5), cmp.group(3)
            field = f".Capabilities.KubeVersion.{part}"
            if lit is not None:
                out.append(f"{EXPRESSION}{op} {field} {json.dumps(_literal(lit))}")
            else:
                out.append(f"{EXPRESSION}{op} {json.dumps(_literal(cmp.group(4)))} {field}")
        action = _PART_CMP.sub(" ", action)
        for ref in _CAPS_REF.finditer(action):
            chain = ref.group(1)
            if chain.startswith((".APIVersions", ".HelmVersion")):
                continue
            if not re.fullmatch(r"\.KubeVersion\.(?:Git)?Version", chain):
                return None
        out += [_literal(d.group(1)) for d in _DIRECT.finditer(action)]
        rest = _DIRECT.sub(" ", action)
        uses_versioned = any(re.search(rf'"{re.escape(n)}"', rest) for n in versioned)
        if not re.search(_KUBE_REF, rest) and not uses_versioned:
            continue
        assign = _ASSIGN.match(rest)
        if assign is None:
            return None
        expr = assign.group(2)
        inc = re.fullmatch(r'\(?\s*include\s+"([^"]+)"\s+[^()]*?\)?', expr.strip())
        if not (_version_expr(expr) or (inc is not None and inc.group(1) in versioned)):
            return None
        variables.add(assign.group(1))
    for var in variables:
        uses = _variable_uses(text, var)
        if uses is None:
            return None
        out += uses
    return out


def _given(found: list[str], name: str | None, texts: list[str]) -> list[str] | None:
    """`found` with each constraint a named template takes as an argument replaced by what
    its callers give (`_arguments`); None when they give something else, or when a file's
    top level (`name` None) takes one."""
    positions = {int(c.removeprefix(ARGUMENT)) for c in found if c.startswith(ARGUMENT)}
    if not positions:
        return found
    given = _arguments(name, positions, texts) if name is not None else None
    if given is None:
        return None
    return [c for c in found if not c.startswith(ARGUMENT)] + given


def _arguments(name: str, positions: set[int], texts: list[str]) -> list[str] | None:
    """The literals every call of the named template `name` gives at `positions` of its
    list argument (`include "name" (list $values ">= 1.22-0" ...)`); None when a call gives
    anything else there, or is not of that form."""
    out: list[str] = []
    call = re.compile(rf'(?:include|template)\s+"{re.escape(name)}"')
    for text in texts:
        for m in call.finditer(text):
            args = _list_args(text[m.end() :])
            if args is None:
                return None
            for n in positions:
                lit = re.fullmatch(_LIT, args[n]) if n < len(args) else None
                if lit is None:
                    return None
                out.append(_literal(lit.group(1)))
    return out


def _list_args(rest: str) -> list[str] | None:
    """The items of `(list a "b" (c d) ...)` at the start of `rest`, as their source text."""
    m = re.match(r"\s*\(\s*list\s+", rest)
    if m is None:
        return None
    items: list[str] = []
    i = m.end()
    while i < len(rest):
        c = rest[i]
        if c.isspace():
            i += 1
        elif c == ")":
            return items
        elif c == '"':
            lit = re.match(_LIT, rest[i:])
            if lit is None:
                return None
            items.append(lit.group(0))
            i += lit.end()
        elif c == "(":
            depth, j = 0, i
            while j < len(rest):
                depth += {"(": 1, ")": -1}.get(rest[j], 0)
                j += 1
                if depth == 0:
                    break
            if depth:
                return None
            items.append(rest[i:j])
            i = j
        else:
            word = re.match(r"[^\s()\"]+", rest[i:])
            if word is None:
                return None
            items.append(word.group(0))
            i += word.end()
    return None


def _literal(text: str) -> str:
    return str(json.loads(f'"{text}"'))


def _variable_uses(text: str, var: str) -> list[str] | None:
    """The constraints `var` is compared with; None when it is used any other way than in
    `semverCompare "c" $v` and `empty $v` (a version is never empty)."""
    v = re.escape(var)
    compared = re.compile(rf"semverCompare\s+{_LIT}\s+\(?\s*{v}\s*\)?(?!\w)")
    out = [_literal(c.group(1)) for c in compared.finditer(text)]
    rest = compared.sub(" ", text)
    rest = re.sub(rf"\bempty\s+\(?\s*{v}\s*\)?(?!\w)", " ", rest)
    # what is left: the assignment itself, once per scope that sets it
    for m in re.finditer(rf"{v}(?!\w)", rest):
        after = rest[m.end() : m.end() + 4].lstrip()
        if not after.startswith(":="):
            return None
    return out


def probe_chart(dest: Path, constraints: list[str]) -> Path:
    """A chart of one template printing each constraint's answer at the render's version:
    Helm evaluates them exactly as the chart would."""
    (dest / "templates").mkdir(parents=True, exist_ok=True)
    (dest / "Chart.yaml").write_text("apiVersion: v2\nname: seatrial-probe\nversion: 0.1.0\n")
    lines = [
        f"{i}: {{{{ {c.removeprefix(EXPRESSION)} }}}}"
        if c.startswith(EXPRESSION)
        else f"{i}: {{{{ semverCompare {json.dumps(c)} .Capabilities.KubeVersion.Version }}}}"
        for i, c in enumerate(constraints)
    ]
    (dest / "templates" / "answers.yaml").write_text("\n".join(lines) + "\n")
    return dest
