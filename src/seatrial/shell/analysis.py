"""Variable flow under nounset, along the path a script's arguments select.

The walk follows the script as bash would run it: top-level statements in order, functions
when they are called (transitively, each once per calling state, recursion-safe), `case`
dispatch on values known statically (`$1`, `${1:-}`, a variable assigned from them, `set --`,
`shift`), loop bodies until they stop changing the state (argument loops with `shift 2`), and
`source` / `.` of files the resolver can read. It tracks whether nounset is on (`set -u`,
`set -o nounset`, `set -euo pipefail`, `set +u`, shebang or command-line `-u`) and which
variables are assigned (assignment, `local`, `declare`, `export X=`, `read`, `for`, `getopts`,
`mapfile`, `printf -v`, `let`, arithmetic, `${X:=}`).

It reports reads that would fail under nounset unless the environment provides the variable:
`$X`, `${X}`, `${X[@]}`, `${#X}`, `${!X}`, `${X%...}` and arithmetic, in strings, here-docs
and command substitutions. `${X:-}`, `${X-}`, `${X:=}`, `${X:+}`, `${X+}`, `${X:?}` and
`[[ -v X ]]` are safe. Branches of `if` and `case` start from the state before them; after
them, a variable counts as assigned if any branch assigned it, so a default set in one branch
(`if [ -z "${X:-}" ]; then X=1; fi`) is never reported: the analysis prefers a missed read
to a false alarm. A test of `${X:-}` or `-v X` guards X for the rest of the path. Statements
whose assignments cannot be followed (`eval "$(...)"`, `export $(cat .env)`, `source` of a
file that cannot be read) are remembered, so later reads can be reported as uncertain.

tree-sitter-bash rejects some valid scripts; `bash -n` (the `checker`) then decides. A script
bash accepts is walked around the regions tree-sitter could not parse, whose apparent
assignments count as made.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tree_sitter import Node

from seatrial.facts.scripts import (
    ProblemKind,
    Script,
    ScriptOrigin,
    ScriptProblem,
    UnboundRead,
)
from seatrial.objects.kubelet import MULTI_CALL, PARSED_SHELLS
from seatrial.shell.parse import ParsedScript, SyntaxVerdict, parse_script

#: variables the shell itself defines (bash and POSIX sh), always set in a container
SHELL_VARIABLES = frozenset(
    {
        "BASH",
        "BASHOPTS",
        "BASHPID",
        "BASH_ALIASES",
        "BASH_ARGC",
        "BASH_ARGV",
        "BASH_ARGV0",
        "BASH_CMDS",
        "BASH_COMMAND",
        "BASH_LINENO",
        "BASH_REMATCH",
        "BASH_SOURCE",
        "BASH_SUBSHELL",
        "BASH_VERSINFO",
        "BASH_VERSION",
        "DIRSTACK",
        "EPOCHREALTIME",
        "EPOCHSECONDS",
        "EUID",
        "FUNCNAME",
        "GROUPS",
        "HISTCMD",
        "HOSTNAME",
        "HOSTTYPE",
        "IFS",
        "LINENO",
        "MACHTYPE",
        "OPTERR",
        "OPTIND",
        "OSTYPE",
        "PIPESTATUS",
        "PPID",
        "PS4",
        "PWD",
        "RANDOM",
        "SECONDS",
        "SHELLOPTS",
        "SHLVL",
        "SRANDOM",
        "UID",
        "PATH",
        "HOME",
    }
)

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SAFE_OPS = frozenset({":-", "-", ":=", "=", ":+", "+", ":?", "?"})
_ASSIGN_OPS = frozenset({":=", "="})
_GUARD_OPS = frozenset({":-", "-", ":+", "+"})
_LET = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^]]*\])?\s*([-+*/%&|^]|<<|>>)?=")
#: passes over a loop body before giving up on a fixed point
MAX_LOOP_PASSES = 6
_STATEMENTS = frozenset(
    {
        "command",
        "variable_assignment",
        "declaration_command",
        "list",
        "pipeline",
        "redirected_statement",
        "test_command",
    }
)
_WRAPPERS = frozenset({"exec", "command", "nohup", "time", "builtin"})

Args = tuple[str | None, ...] | None


@dataclass(frozen=True)
class Loaded:
    """A script the resolver found."""

    text: str
    origin: ScriptOrigin


@dataclass(frozen=True)
class RuntimeFile:
    """A file whose content only exists once the pod runs: on a hostPath (a node file such as
    `/host/etc/os-release`), an emptyDir or a volume claim. Not a file the chart must ship;
    what sourcing it sets is unknown."""

    reason: str


@dataclass(frozen=True)
class UnreadFile:
    """A file of an image that could not be read (offline and not cached, a registry error,
    `--no-images`): it may well be there, and what sourcing it sets is unknown."""

    reason: str


#: container path -> the script at that path, a file only known at run time, a file of an
#: image that could not be read, or None
Resolver = Callable[[str], Loaded | RuntimeFile | UnreadFile | None]
#: a second opinion on syntax when tree-sitter-bash rejects a script (`parse.bash_syntax`)
SyntaxChecker = Callable[[str], SyntaxVerdict | None]
_ASSIGNED_TEXT = re.compile(
    r"(?:^|[\s;&|({])(?:local\s+|export\s+|declare\s+(?:-\w+\s+)*)?"
    r"([A-Za-z_][A-Za-z0-9_]*)(?:\[[^]]*\])?\+?="
)
_READ_TEXT = re.compile(r"\b(?:read|for|mapfile|readarray)\b((?:\s+-?[A-Za-z_][A-Za-z0-9_]*)+)")


def load_tree(
    script: Loaded, checker: SyntaxChecker | None
) -> tuple[ParsedScript | None, ScriptProblem | None]:
    """Parse a script; when tree-sitter-bash finds an error, `checker` (bash -n) decides
    whether the script is really broken (a problem) or tree-sitter is wrong (walk what parsed,
    skipping the ERROR regions)."""
    parsed = parse_script(script.text)
    if parsed.error_line is None:
        return parsed, None
    verdict = checker(script.text) if checker is not None else None
    if verdict is not None and verdict.valid:
        return parsed, None
    if verdict is not None:
        if verdict.line is not None:  # bash names the line after the last at end of file
            verdict = SyntaxVerdict(
                min(verdict.line, script.text.count("\n") or 1), verdict.message
            )
        return None, ScriptProblem(
            ProblemKind.UNPARSABLE,
            script.origin.path,
            f"bash -n: line {verdict.line}: {verdict.message}"
            if verdict.line
            else f"bash -n: {verdict.message}",
            verdict.line,
            script.origin,
        )
    return None, ScriptProblem(
        ProblemKind.UNPARSABLE,
        script.origin.path,
        f"syntax error at line {parsed.error_line}",
        parsed.error_line,
        script.origin,
    )


@dataclass(frozen=True)
class ProgramCall:
    """Another script this one runs (`exec /opt/x.sh install`, `bash /opt/x.sh`)."""

    path: str
    args: tuple[str | None, ...]
    line: int
    shell: str  # "" when the script's shebang decides
    exported: frozenset[str]
    nounset: bool | None = None


@dataclass
class Analysis:
    reads: list[UnboundRead] = field(default_factory=list)
    sourced: list[Script] = field(default_factory=list)
    invocations: list[ProgramCall] = field(default_factory=list)
    problems: list[ScriptProblem] = field(default_factory=list)
    exported: set[str] = field(default_factory=set)


@dataclass
class _State:
    nounset: bool
    assigned: set[str]
    values: dict[str, str]
    positional: Args
    exported: set[str]
    allexport: bool = False
    unresolved: str = ""
    #: a file only known at run time was sourced: any variable may be set from here on
    runtime_sourced: bool = False

    def copy(self) -> _State:
        return _State(
            self.nounset,
            set(self.assigned),
            dict(self.values),
            self.positional,
            set(self.exported),
            self.allexport,
            self.unresolved,
            self.runtime_sourced,
        )

    def assign(self, name: str, value: str | None = None) -> None:
        self.assigned.add(name)
        if value is None:
            self.values.pop(name, None)
        else:
            self.values[name] = value
        if self.allexport:
            self.exported.add(name)

    def merge(self, branches: list[_State], fallthrough: bool) -> None:
        """Join branch states into this one (`fallthrough`: no branch may have run)."""
        every = [*branches, self] if fallthrough else branches
        if not every:
            return
        for b in branches:
            self.assigned |= b.assigned
            self.exported |= b.exported
            self.unresolved = self.unresolved or b.unresolved
            self.runtime_sourced = self.runtime_sourced or b.runtime_sourced
        self.nounset = all(b.nounset for b in every)
        positions = {b.positional for b in every}
        self.positional = positions.pop() if len(positions) == 1 else None
        self.values = {
            k: v for k, v in every[0].values.items() if all(b.values.get(k) == v for b in every[1:])
        }
        self.allexport = any(b.allexport for b in every)


@dataclass
class _Unit:
    origin: ScriptOrigin


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text else ""


def _line(node: Node) -> int:
    return node.start_point[0] + 1


def _is_special(name: str) -> bool:
    return not _IDENT.match(name) or name == "_"


def _var_name(node: Node) -> Node | None:
    """The variable_name of an expansion or a subscript."""
    for child in node.named_children:
        if child.type == "variable_name":
            return child
        if child.type == "subscript":
            return child.child_by_field_name("name")
    return None


class _Walker:
    def __init__(
        self, resolve: Resolver, result: Analysis, checker: SyntaxChecker | None = None
    ) -> None:
        self.resolve = resolve
        self.checker = checker
        self.result = result
        self.functions: dict[str, tuple[Node, _Unit]] = {}
        self.stack: list[str] = []
        self.sourcing: list[str] = []
        self.seen: dict[tuple[str, str, int], UnboundRead] = {}
        self.memo: dict[tuple[object, ...], _State] = {}
        #: ("unset" | "set", variable) of the `${X:-...}` / `${X:+...}` operands being walked
        self.conditions: list[tuple[str, str]] = []

    # ---- reads -------------------------------------------------------------------------------

    def opaque(self, node: Node, st: _State, start: Node | None = None) -> None:
        """A statement whose assignments cannot be followed (`source` of an unreadable file,
        `eval "$(...)"`, `export $(cat .env)`): later reads may be provided by it. `start`:
        where the statement really starts, inside `node`."""
        if not st.unresolved:
            raw = node.text or b""
            if start is not None:
                raw = raw[start.start_byte - node.start_byte :]
                node = start
            text = raw.decode("utf-8", "replace").split("\n", 1)[0].strip()
            text = text if len(text) <= 60 else text[:57] + "..."
            st.unresolved = f"`{text}` (line {_line(node)})"

    def read(self, name: str, node: Node, st: _State, unit: _Unit) -> None:
        if (
            not st.nounset
            or _is_special(name)
            or name in st.assigned
            or name in SHELL_VARIABLES
            or st.runtime_sourced
        ):
            return
        key = (name, unit.origin.path, _line(node))
        if key not in self.seen:
            r = UnboundRead(
                name,
                unit.origin,
                _line(node),
                tuple(self.stack),
                st.unresolved,
                tuple(v for c, v in self.conditions if c == "unset"),
                tuple(v for c, v in self.conditions if c == "set"),
            )
            self.seen[key] = r
            self.result.reads.append(r)

    # ---- static values -----------------------------------------------------------------------

    def value(self, node: Node | None, st: _State, unit: _Unit) -> str | None:
        """The word's value when it is known without running anything, else None."""
        if node is None:
            return None
        t = node.type
        if t in ("word", "number", "extglob_pattern"):
            return re.sub(r"\\(.)", r"\1", _text(node))
        if t == "raw_string":
            return _text(node)[1:-1]
        if t == "string_content":
            return _text(node)
        if t in ("string", "concatenation"):
            parts: list[str] = []
            for c in node.children:
                if not c.is_named:
                    if t == "concatenation":
                        parts.append(_text(c))
                    continue
                v = self.value(c, st, unit)
                if v is None:
                    return None
                parts.append(v)
            return "".join(parts)
        if t in ("simple_expansion", "expansion"):
            return self._expansion_value(node, st, unit)
        return None

    def _expansion_value(self, node: Node, st: _State, unit: _Unit) -> str | None:
        name_node = _var_name(node)
        special = next((c for c in node.named_children if c.type == "special_variable_name"), None)
        if name_node is None and special is None:
            return None
        name = _text(name_node if name_node is not None else special)
        ops = [
            _text(c) for c in node.children if not c.is_named and _text(c) not in ("$", "${", "}")
        ]
        if any(op not in _SAFE_OPS for op in ops) or any(
            c.type
            not in (
                "variable_name",
                "special_variable_name",
                "word",
                "string",
                "raw_string",
                "concatenation",
            )
            for c in node.named_children
        ):
            return None
        current: str | None
        if name.isdigit():
            idx = int(name)
            if idx == 0:
                current = unit.origin.path
            elif st.positional is None:
                return None
            else:
                current = st.positional[idx - 1] if idx <= len(st.positional) else ""
                if current is None:
                    return None
        else:
            current = st.values.get(name)
            if current is None:
                return None
        if ops and ops[0] in (":-", "-", ":="):
            default = next(
                (c for c in node.named_children if c is not name_node and c is not special), None
            )
            if current == "" and ops[0] in (":-", ":="):
                return "" if default is None else self.value(default, st, unit)
        return current

    def argv(self, nodes: Iterable[Node], st: _State, unit: _Unit) -> Args:
        """Static words of a command line, with `"$@"` spliced; None when the number of words
        is unknown (`"$@"` of unknown arguments)."""
        out: list[str | None] = []
        for n in nodes:
            raw = _text(n)
            if raw in ('"$@"', "$@", '"${@}"', "${@}", '"$*"', "$*"):
                if st.positional is None:
                    return None
                out.extend(st.positional)
                continue
            out.append(self.value(n, st, unit))
        return tuple(out)

    # ---- the walk ----------------------------------------------------------------------------

    def walk(self, node: Node, st: _State, unit: _Unit) -> None:
        if node.has_error and node.type in _STATEMENTS:
            self._ERROR(node, st, unit)  # tree-sitter may have misread the whole statement
        handler = getattr(self, "_" + node.type, None)
        if handler is not None:
            handler(node, st, unit)
            return
        for child in node.named_children:
            self.walk(child, st, unit)

    def walk_all(self, nodes: Iterable[Node], st: _State, unit: _Unit) -> None:
        for n in nodes:
            self.walk(n, st, unit)

    def _comment(self, node: Node, st: _State, unit: _Unit) -> None:
        return

    def _ERROR(self, node: Node, st: _State, unit: _Unit) -> None:
        """Text tree-sitter could not parse in a script bash accepts: nothing in it is
        reported, and what it may assign counts as assigned."""
        text = _text(node)
        st.assigned.update(_ASSIGNED_TEXT.findall(text))
        for m in _READ_TEXT.finditer(text):
            st.assigned.update(w for w in m.group(1).split() if not w.startswith("-"))

    def _function_definition(self, node: Node, st: _State, unit: _Unit) -> None:
        name, body = node.child_by_field_name("name"), node.child_by_field_name("body")
        if name is not None and body is not None:
            self.functions[_text(name)] = (body, unit)

    def _simple_expansion(self, node: Node, st: _State, unit: _Unit) -> None:
        name = _var_name(node)
        if name is not None:
            self.read(_text(name), node, st, unit)

    def _expansion(self, node: Node, st: _State, unit: _Unit) -> None:
        name_node = _var_name(node)
        ops = [_text(c) for c in node.children if not c.is_named]
        post = [op for op in ops if op in _SAFE_OPS]
        rest = [c for c in node.named_children if c.type not in ("variable_name", "subscript")]
        if name_node is None:
            self.walk_all(rest, st, unit)
            return
        name = _text(name_node)
        indirect_prefix = len(ops) > 1 and ops[1] == "!" and any(o in ("*", "@") for o in ops[2:])
        if not post and not indirect_prefix:
            self.read(name, node, st, unit)
        condition = self._operand_condition(name, post[0] if post else "", st)
        if condition == "skip":
            pass  # `${X:-$Y}` with X assigned: the operand is never expanded
        elif condition is None:
            self.walk_all(rest, st, unit)
        else:
            self.conditions.append((condition, name))
            try:
                self.walk_all(rest, st, unit)
            finally:
                self.conditions.pop()
        if post and post[0] in _ASSIGN_OPS:
            st.assign(name)

    def _operand_condition(self, name: str, op: str, st: _State) -> str | None:
        """When the operand of `${name<op>word}` is expanded: "unset" (only if the variable is
        unset), "set", None (always, as far as is known) or "skip" (never, here)."""
        known = name in st.assigned or name in SHELL_VARIABLES
        if op in (":-", "-", ":=", "=", ":?", "?"):
            if known:
                return "skip"
            return None if _is_special(name) else "unset"
        if op in (":+", "+"):
            return None if known or _is_special(name) else "set"
        return None

    def _arithmetic_expansion(self, node: Node, st: _State, unit: _Unit) -> None:
        self.arith(node, st, unit)

    def arith(self, node: Node, st: _State, unit: _Unit) -> None:
        t = node.type
        if t == "variable_name":
            self.read(_text(node), node, st, unit)
            return
        if t == "variable_assignment":
            self._variable_assignment(node, st, unit)
            return
        if t == "binary_expression":
            left, op = node.child_by_field_name("left"), _text(node.child_by_field_name("operator"))
            right = node.child_by_field_name("right")
            if (
                left is not None
                and left.type == "variable_name"
                and op.endswith("=")
                and op not in ("==", "!=", "<=", ">=")
            ):
                if right is not None:
                    self.arith(right, st, unit)
                if op != "=":
                    self.read(_text(left), left, st, unit)
                st.assign(_text(left))
                return
        if t in ("postfix_expression", "unary_expression") and any(
            _text(c) in ("++", "--") for c in node.children if not c.is_named
        ):
            target = next((c for c in node.named_children if c.type == "variable_name"), None)
            if target is not None:
                self.read(_text(target), target, st, unit)
                st.assign(_text(target))
                return
        if t in ("simple_expansion", "expansion", "command_substitution", "string"):
            self.walk(node, st, unit)
            return
        for child in node.named_children:
            self.arith(child, st, unit)

    def _compound_statement(self, node: Node, st: _State, unit: _Unit) -> None:
        first = node.children[0] if node.children else None
        if first is not None and _text(first) == "((":
            self.arith(node, st, unit)
        else:
            self.walk_all(node.named_children, st, unit)

    def _subshell(self, node: Node, st: _State, unit: _Unit) -> None:
        self.walk_all(node.named_children, st.copy(), unit)

    _command_substitution = _subshell
    _process_substitution = _subshell

    def _pipeline(self, node: Node, st: _State, unit: _Unit) -> None:
        for child in node.named_children:  # each part runs in its own subshell
            self.walk(child, st.copy(), unit)

    def _variable_assignment(
        self, node: Node, st: _State, unit: _Unit, export: bool = False
    ) -> None:
        name_node, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        if value is not None:
            self.walk(value, st, unit)
        if name_node is None:
            return
        if name_node.type == "subscript":
            index = name_node.child_by_field_name("index")
            if index is not None and index.type not in ("word", "number"):
                self.walk(index, st, unit)
            name_node = name_node.child_by_field_name("name")
        name = _text(name_node)
        appended = any(_text(c) == "+=" for c in node.children)
        st.assign(
            name, None if appended else self.value(value, st, unit) if value is not None else ""
        )
        if export:
            st.exported.add(name)

    def _declaration_command(self, node: Node, st: _State, unit: _Unit) -> None:
        keyword = _text(node.children[0]) if node.children else ""
        flags = "".join(
            _text(c)[1:]
            for c in node.named_children
            if c.type == "word" and _text(c).startswith("-")
        )
        export = keyword == "export" or "x" in flags
        for child in node.named_children:
            if child.type == "variable_assignment":
                self._variable_assignment(child, st, unit, export=export)
            elif child.type == "variable_name":
                name = _text(child)
                if keyword in ("local", "declare", "typeset") and "f" not in flags:
                    st.assign(name)
                if export:
                    st.exported.add(name)
            elif child.type in ("concatenation", "string"):
                self.walk(child, st, unit)
                dynamic = self._dynamic_name(child, st, unit)  # export "$var"="$value"
                if dynamic:
                    st.assign(dynamic)
                    if export:
                        st.exported.add(dynamic)
                elif "$" in _text(child):
                    self.opaque(node, st)
            elif child.type != "word":
                self.walk(child, st, unit)
                if child.type in ("command_substitution", "simple_expansion", "expansion"):
                    self.opaque(node, st)  # export $(cat .env | xargs)

    def _dynamic_name(self, node: Node, st: _State, unit: _Unit) -> str | None:
        head: list[str] = []
        for c in node.children:
            text = _text(c)
            if c.type == "word" and "=" in text:
                head.append(text.split("=", 1)[0])
                name = "".join(head)
                return name if _IDENT.match(name) else None
            v = self.value(c, st, unit)
            if v is None:
                return None
            head.append(v)
        return None

    def _unset_command(self, node: Node, st: _State, unit: _Unit) -> None:
        words = [_text(c) for c in node.named_children]
        if "-f" in words:
            return
        for w in words:
            if not w.startswith("-"):
                st.assigned.discard(w)
                st.values.pop(w, None)

    def _redirected_statement(self, node: Node, st: _State, unit: _Unit) -> None:
        body = node.child_by_field_name("body")
        for child in node.named_children:  # redirections are expanded before the command
            if child is not body:
                self.walk(child, st, unit)
        if body is not None:
            self.walk(body, st, unit)

    def _heredoc_redirect(self, node: Node, st: _State, unit: _Unit) -> None:
        start = next((c for c in node.named_children if c.type == "heredoc_start"), None)
        quoted = start is not None and any(q in _text(start) for q in ("'", '"', "\\"))
        for child in node.named_children:
            if child.type == "heredoc_body" and quoted:
                continue
            if child.type not in ("heredoc_start", "heredoc_end"):
                self.walk(child, st, unit)

    def _test_command(self, node: Node, st: _State, unit: _Unit) -> None:
        self.walk_all(node.named_children, st, unit)
        self.guard(node, st)

    def guard(self, node: Node, st: _State) -> None:
        """A test of `${X:-}` / `${X+x}` / `-v X` makes later reads of X deliberate."""
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type == "expansion":
                ops = {_text(c) for c in n.children if not c.is_named}
                name = _var_name(n)
                if name is not None and ops & _GUARD_OPS:
                    st.assigned.add(_text(name))
            elif n.type == "unary_expression":
                op = n.child_by_field_name("operator")
                if _text(op) == "-v":
                    for c in n.named_children:
                        if c is not op:
                            st.assigned.add(_text(c).split("[", 1)[0].strip("\"'"))
            stack.extend(n.named_children)

    def _if_statement(self, node: Node, st: _State, unit: _Unit) -> None:
        branches: list[_State] = []
        current: _State | None = None
        has_else = False
        for child in node.children:
            if child.type == "then":
                current = st.copy()
                branches.append(current)
            elif child.type == "elif_clause":
                b = st.copy()
                self._clause(child, b, unit)
                branches.append(b)
            elif child.type == "else_clause":
                has_else = True
                b = st.copy()
                self.walk_all(child.named_children, b, unit)
                branches.append(b)
            elif child.is_named:
                self.walk(child, current if current is not None else st, unit)
        st.merge(branches, fallthrough=not has_else)

    def _clause(self, node: Node, st: _State, unit: _Unit) -> None:
        # elif: condition, then body; the condition's guards hold in the body
        self.walk_all(node.named_children, st, unit)

    def _case_statement(self, node: Node, st: _State, unit: _Unit) -> None:
        subject = node.child_by_field_name("value")
        if subject is not None:
            self.walk(subject, st, unit)
        value = self.value(subject, st, unit)
        items = [c for c in node.named_children if c.type == "case_item"]
        branches: list[_State] = []
        carried: _State | None = None
        carried_definite = False
        settled = False
        for item in items:
            patterns = item.children_by_field_name("value")
            match = self._case_match(patterns, value, st, unit)
            if carried is None and match is False:
                continue
            definite = match is True or (carried is not None and carried_definite)
            branch = carried if carried is not None else st.copy()
            body = [c for c in item.named_children if all(c.id != p.id for p in patterns)]
            self.walk_all(body, branch, unit)
            term = next((_text(c) for c in item.children if _text(c) in (";;", ";&", ";;&")), ";;")
            if term == ";&":
                carried, carried_definite = branch, definite
                continue
            carried = None
            branches.append(branch)
            if term == ";;" and definite:
                settled = True
                break
        if carried is not None:
            branches.append(carried)
        st.merge(branches, fallthrough=not settled)

    def _case_match(
        self, patterns: list[Node], value: str | None, st: _State, unit: _Unit
    ) -> bool | None:
        """True: a pattern matches; False: none can; None: unknown."""
        if value is None:
            return None
        unknown = False
        for p in patterns:
            pat = self.value(p, st, unit)
            if pat is None:
                unknown = True
            elif p.type in ("string", "raw_string"):
                if pat == value:
                    return True
            elif fnmatch.fnmatchcase(value, pat):
                return True
        return None if unknown else False

    def _for_statement(self, node: Node, st: _State, unit: _Unit) -> None:
        for v in node.children_by_field_name("value"):
            self.walk(v, st, unit)
        var = node.child_by_field_name("variable")
        if var is not None:
            st.assign(_text(var))
        body = node.child_by_field_name("body")
        if body is not None:
            self.repeat([body], st, unit)

    def _c_style_for_statement(self, node: Node, st: _State, unit: _Unit) -> None:
        body = node.child_by_field_name("body")
        for child in node.named_children:
            if child is not body:
                self.arith(child, st, unit)
        if body is not None:
            self.repeat([body], st, unit)

    def _while_statement(self, node: Node, st: _State, unit: _Unit) -> None:
        self.repeat(node.named_children, st, unit)

    def repeat(self, parts: list[Node], st: _State, unit: _Unit) -> None:
        """A loop body runs again with what the previous pass left (`shift 2` in an argument
        loop selects the next `case` branch); walk it until nothing changes."""
        for _ in range(MAX_LOOP_PASSES):
            before = (
                frozenset(st.assigned),
                st.positional,
                st.nounset,
                tuple(sorted(st.values.items())),
            )
            self.walk_all(parts, st, unit)
            if before == (
                frozenset(st.assigned),
                st.positional,
                st.nounset,
                tuple(sorted(st.values.items())),
            ):
                return

    # ---- commands ----------------------------------------------------------------------------

    def _command(self, node: Node, st: _State, unit: _Unit) -> None:
        name_node = node.child_by_field_name("name")
        args = node.children_by_field_name("argument")
        prefix = [c for c in node.named_children if c.type == "variable_assignment"]
        if prefix and (name_node is None or name_node.start_point[0] > prefix[-1].end_point[0]):
            # tree-sitter-bash reads `a=1 b=2<newline>cmd` as one command: those are plain
            # assignments, then a command of its own
            for p in prefix:
                self._variable_assignment(p, st, unit)
            prefix = []
        for p in prefix:
            value = p.child_by_field_name("value")
            if value is not None:
                self.walk(value, st, unit)
        for child in node.named_children:
            if child.type != "variable_assignment":
                self.walk(child, st, unit)
        name = self.value(
            name_node.named_children[0]
            if name_node is not None and name_node.named_children
            else name_node,
            st,
            unit,
        )
        if name is None:
            return
        words = list(args)
        while name in _WRAPPERS and words:
            name = self.value(words[0], st, unit)
            words = words[1:]
            if name is None:
                return
        spliced = self.argv(words, st, unit)
        argv = spliced if spliced is not None else tuple(self.value(w, st, unit) for w in words)
        if name in self.functions:
            self.call(name, spliced, st, {_text(p.child_by_field_name("name")) for p in prefix})
            return
        prefix_names = {_text(p.child_by_field_name("name")) for p in prefix}
        self.builtin(
            name,
            argv,
            words,
            node,
            st,
            unit,
            prefix_names,
            name_node if name_node is not None else node,
        )

    def builtin(
        self,
        name: str,
        argv: tuple[str | None, ...],
        words: list[Node],
        node: Node,
        st: _State,
        unit: _Unit,
        prefix: set[str],
        start: Node,
    ) -> None:
        """A shell builtin changes the walk's state (one handler per builtin, in `_BUILTINS`);
        anything else is a program the script runs."""
        handler = _BUILTINS.get(name)
        call = _BuiltinCall(name, argv, words, node, st, unit, start)
        if handler is None or handler(self, call) is _NOT_HANDLED:
            self.invocation(name, argv, start, st, prefix)

    def _builtin_set(self, c: _BuiltinCall) -> None:
        self._set(c.argv, c.st)

    def _builtin_test(self, c: _BuiltinCall) -> None:
        self.guard(c.node, c.st)
        if len(c.argv) >= 2 and c.argv[0] == "-v" and c.argv[1]:
            c.st.assigned.add(c.argv[1])

    def _builtin_read(self, c: _BuiltinCall) -> None:
        names = _operands(c.argv, "adinNptu")
        array = _option_value(c.argv, "a")
        for n in names or ([] if array else ["REPLY"]):
            c.st.assign(n)
        if array:
            c.st.assign(array)

    def _builtin_cd(self, c: _BuiltinCall) -> None:
        c.st.assign("OLDPWD")  # set by every successful change of directory

    def _builtin_getopts(self, c: _BuiltinCall) -> None:
        if len(c.argv) > 1 and c.argv[1]:
            c.st.assign(c.argv[1])
        c.st.assign("OPTARG")

    def _builtin_mapfile(self, c: _BuiltinCall) -> None:
        names = _operands(c.argv, "dnOsuCc")
        c.st.assign(names[0] if names else "MAPFILE")

    def _builtin_printf(self, c: _BuiltinCall) -> None:
        target = _option_value(c.argv, "v")
        if target:
            c.st.assign(target.split("[", 1)[0])
        elif any(a is not None and a.startswith("-") and a.endswith("v") for a in c.argv):
            self.opaque(c.node, c.st, c.start)  # printf -v "$name"

    def _builtin_declare(self, c: _BuiltinCall) -> None:
        self._declaration_words(c.name, c.words, c.argv, c.node, c.st, c.start)

    def _builtin_eval(self, c: _BuiltinCall) -> object:
        if not any(a is None for a in c.argv):
            return _NOT_HANDLED  # `eval` of known words: a program like any other
        self.opaque(c.node, c.st, c.start)
        return None

    def _builtin_let(self, c: _BuiltinCall) -> None:
        for a in c.argv:
            m = _LET.match(a or "")
            if m:
                c.st.assign(m.group(1))

    def _builtin_shift(self, c: _BuiltinCall) -> None:
        argv, st = c.argv, c.st
        if argv and not (argv[0] or "").isdigit():
            st.positional = None  # `shift $((OPTIND - 1))`: unknown from here
        elif st.positional is not None:
            st.positional = st.positional[int(argv[0] or 1) if argv else 1 :]

    def _builtin_source(self, c: _BuiltinCall) -> None:
        if c.words:
            self.source(c.words[0], c.argv[1:], c.node, c.st, c.unit, c.start)

    def _declaration_words(
        self,
        keyword: str,
        words: list[Node],
        argv: tuple[str | None, ...],
        node: Node,
        st: _State,
        start: Node,
    ) -> None:
        """`export A=1 B` when tree-sitter parsed it as a plain command."""
        flags = "".join(a[1:] for a in argv if a and a.startswith("-"))
        export = keyword == "export" or "x" in flags
        for word, value in zip(words, argv, strict=False):
            text = value if value is not None else _text(word)
            head, eq, _ = text.partition("=")
            if text.startswith("-") or not _IDENT.match(head):
                if "$" in _text(word):
                    self.opaque(node, st, start)
                continue
            if eq or keyword in ("local", "declare", "typeset"):
                st.assign(head)
            if export:
                st.exported.add(head)

    def _set(self, argv: tuple[str | None, ...], st: _State) -> None:
        from seatrial.shell.parse import nounset_flags

        flags = [a or "" for a in argv]
        if "--" in flags:
            st.positional = argv[flags.index("--") + 1 :]
            flags = flags[: flags.index("--")]
        state = nounset_flags(flags)
        if state is not None:
            st.nounset = state
        for i, f in enumerate(flags):
            if (
                f.startswith("-") and not f.startswith("--") and "a" in f[1:] and f[1:].isalpha()
            ) or (f == "-o" and i + 1 < len(flags) and flags[i + 1] == "allexport"):
                st.allexport = True

    def call(self, name: str, positional: Args, st: _State, prefix: set[str]) -> None:
        if name in self.stack:
            return
        body, unit = self.functions[name]
        key = (
            body.id,
            unit.origin.path,
            st.nounset,
            positional,
            frozenset(st.assigned | prefix),
            tuple(sorted(st.values.items())),
            st.unresolved,
            st.runtime_sourced,
        )
        saved = st.positional
        after = self.memo.get(key)
        if after is not None:  # same call in the same state: its effect, without a new walk
            st.assigned |= after.assigned
            st.nounset, st.allexport = after.nounset, after.allexport
            st.values = dict(after.values)
            st.exported |= after.exported
            st.unresolved = st.unresolved or after.unresolved
            st.runtime_sourced = st.runtime_sourced or after.runtime_sourced
            return
        st.positional = positional
        st.assigned |= prefix
        self.stack.append(name)
        try:
            self.walk(body, st, unit)
        finally:
            self.stack.pop()
            st.positional = saved
        self.memo[key] = st.copy()

    def source(
        self,
        word: Node,
        args: tuple[str | None, ...],
        node: Node,
        st: _State,
        unit: _Unit,
        start: Node | None = None,
    ) -> None:
        path, guessed = self._script_path(word, st, unit)
        loaded = None
        for candidate in path:
            found = self.resolve(candidate)
            if isinstance(found, RuntimeFile):
                # a node file (`. /host/etc/os-release`) or one written at run time: not a
                # missing script, and what it sets is unknown, so later reads are not findings
                st.runtime_sourced = True
                return
            if isinstance(found, UnreadFile):
                # bitnami's `. /opt/bitnami/scripts/libfs.sh` in an image not read: not
                # checked (ST302 says so), and what it sets is unknown
                st.runtime_sourced = True
                self.opaque(node, st, start)
                self.result.problems.append(
                    ScriptProblem(
                        ProblemKind.NOT_FOUND,
                        candidate,
                        f"sourced at {unit.origin.where(_line(start or node))}; {found.reason}",
                        _line(start or node),
                        unit.origin,
                        unverified=True,
                    )
                )
                return
            loaded = found
            if loaded is not None:
                break
        shown = _text(word)
        if loaded is None:
            self.opaque(node, st, start)
            if not path:  # a path only known at run time (`. "$f"`): nothing to look for
                return
            if guessed or _guarded_by_file_test(start or node, shown):
                # `. "$ROOT/etc/os-release"` is only a guess at where the file is, and
                # `[ -f X ] && . X` expects it to be missing: neither is a missing script
                return
            self.result.problems.append(
                ScriptProblem(
                    ProblemKind.NOT_FOUND,
                    path[0] if path else shown,
                    f"sourced at {unit.origin.where(_line(start or node))} but could not be read",
                    _line(start or node),
                    unit.origin,
                )
            )
            return
        if loaded.origin.path in self.sourcing:
            return
        parsed, problem = load_tree(loaded, self.checker)
        if parsed is None:
            self.opaque(node, st, start)
            if problem is not None:
                self.result.problems.append(problem)
            return
        if all(s.origin.path != loaded.origin.path for s in self.result.sourced):
            self.result.sourced.append(Script(loaded.origin, loaded.text))
        saved = st.positional
        if args:
            st.positional = args
        self.sourcing.append(loaded.origin.path)
        try:
            self.walk(parsed.root, st, _Unit(loaded.origin))
        finally:
            self.sourcing.pop()
            st.positional = saved

    def _script_path(self, word: Node, st: _State, unit: _Unit) -> tuple[list[str], bool]:
        """Where a sourced or invoked file is, in the container: the static value, or else
        the literal tail (`"$DIR/lib.sh"`) next to the current script (a guess: True)."""
        here = posixpath.dirname(unit.origin.path) if unit.origin.path.startswith("/") else "/"
        value = self.value(word, st, unit)
        if value is not None:
            return [posixpath.normpath(posixpath.join(here, value))], False
        tail = _literal_tail(word)
        if not tail or not tail.startswith("/"):
            return [], True
        return [
            posixpath.normpath(here + tail),
            posixpath.normpath(posixpath.join(here, posixpath.basename(tail))),
        ], True

    def invocation(
        self, name: str, argv: tuple[str | None, ...], node: Node, st: _State, prefix: set[str]
    ) -> None:
        shell = ""
        nounset: bool | None = None
        if name.rsplit("/", 1)[-1] == MULTI_CALL and argv[:1] and argv[0] in PARSED_SHELLS:
            name, argv = argv[0] or "", argv[1:]  # `busybox sh x.sh`
        if name.rsplit("/", 1)[-1] in PARSED_SHELLS:
            shell = name.rsplit("/", 1)[-1]
            rest = list(argv)
            flags: list[str] = []
            while rest and rest[0] is not None and rest[0].startswith(("-", "+")):
                flags.append(rest.pop(0) or "")
            if any(f.startswith("-") and "c" in f for f in flags) or not rest or rest[0] is None:
                return
            from seatrial.shell.parse import nounset_flags

            nounset = nounset_flags(flags)
            target, args = rest[0], tuple(rest[1:])
        elif name.endswith((".sh", ".bash")):
            target, args = name, argv
        else:
            return
        exported = frozenset(st.exported | prefix | (st.assigned if st.allexport else set()))
        self.result.invocations.append(
            ProgramCall(target, args, _line(node), shell, exported, nounset)
        )


_NOT_HANDLED = object()


@dataclass(frozen=True)
class _BuiltinCall:
    """One run of a shell builtin, as its handler sees it."""

    name: str
    argv: tuple[str | None, ...]
    words: list[Node]
    node: Node
    st: _State
    unit: _Unit
    start: Node


_BUILTINS: dict[str, Callable[[_Walker, _BuiltinCall], object]] = {
    "set": _Walker._builtin_set,
    "[": _Walker._builtin_test,
    "test": _Walker._builtin_test,
    "read": _Walker._builtin_read,
    "cd": _Walker._builtin_cd,
    "pushd": _Walker._builtin_cd,
    "popd": _Walker._builtin_cd,
    "getopts": _Walker._builtin_getopts,
    "mapfile": _Walker._builtin_mapfile,
    "readarray": _Walker._builtin_mapfile,
    "printf": _Walker._builtin_printf,
    **dict.fromkeys(
        ("export", "declare", "local", "typeset", "readonly"), _Walker._builtin_declare
    ),
    "eval": _Walker._builtin_eval,
    "let": _Walker._builtin_let,
    "shift": _Walker._builtin_shift,
    "source": _Walker._builtin_source,
    ".": _Walker._builtin_source,
}


_FILE_TEST = re.compile(r"(?:^|\s)-[efrs]\s+(\"[^\"]*\"|'[^']*'|[^\s;&|)\]]+)")


def _unquote(text: str) -> str:
    return text.strip().strip("\"'")


def _guarded_by_file_test(node: Node, word_text: str) -> bool:
    """Whether `node` only runs when a file test on the same word succeeded:
    `if [ -f X ]; then . X; fi` or `[ -r X ] && . X`."""
    want = _unquote(word_text)
    child, parent = node, node.parent
    while parent is not None:
        conditions: list[Node] = []
        if parent.type in ("if_statement", "elif_clause"):
            for c in parent.children:
                if c.type == "then" or _text(c) == "then":
                    break
                conditions.append(c)
        elif parent.type == "list" and parent.children and parent.children[0] is not child:
            ops = [c for c in parent.children if not c.is_named]
            if ops and _text(ops[0]) == "&&":
                conditions.append(parent.children[0])
        for cond in conditions:
            for m in _FILE_TEST.finditer(_text(cond)):
                if _unquote(m.group(1)) == want:
                    return True
        child, parent = parent, parent.parent
    return False


def _literal_tail(word: Node) -> str:
    """The literal text after the last expansion of a word: `/lib.sh` of `"$DIR/lib.sh"`."""
    parts: list[str] = []
    children = word.children if word.type in ("string", "concatenation") else [word]
    for c in reversed(children):
        if c.type in ("string_content", "word") or (not c.is_named and _text(c) != '"'):
            parts.append(_text(c))
        elif c.type == "string" and not parts:
            parts.append(_literal_tail(c))
        elif not (not c.is_named and _text(c) == '"'):
            break
    return "".join(reversed(parts))


def _operands(argv: tuple[str | None, ...], with_value: str) -> list[str]:
    """Non-option words of a builtin whose options in `with_value` take a value."""
    out: list[str] = []
    skip = False
    for a in argv:
        if skip:
            skip = False
            continue
        if a is None:
            continue
        if a.startswith("-") and len(a) > 1 and not out:
            if a[-1] in with_value:
                skip = True
            continue
        out.append(a)
    return [o for o in out if _IDENT.match(o)]


def _option_value(argv: tuple[str | None, ...], letter: str) -> str | None:
    for i, a in enumerate(argv):
        if a and a.startswith("-") and a[1:].isalpha() and a[-1] == letter and i + 1 < len(argv):
            return argv[i + 1]
    return None


def analyze(
    script: Loaded,
    args: tuple[str | None, ...] | None,
    *,
    nounset: bool,
    resolve: Resolver,
    assigned: Iterable[str] = (),
    checker: SyntaxChecker | None = None,
) -> Analysis:
    """Walk `script` as run with `args` (None: unknown) and report unbound reads."""
    result = Analysis()
    parsed, problem = load_tree(script, checker)
    if parsed is None:
        if problem is not None:
            result.problems.append(problem)
        return result
    st = _State(nounset, set(assigned), {}, args, set())
    walker = _Walker(resolve, result, checker)
    try:
        walker.walk(parsed.root, st, _Unit(script.origin))
    except RecursionError:
        result.problems.append(
            ScriptProblem(
                ProblemKind.UNPARSABLE,
                script.origin.path,
                "nested too deeply to analyze",
                None,
                script.origin,
            )
        )
        result.reads.clear()
    result.exported = st.exported
    return result
