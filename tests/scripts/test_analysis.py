"""Small scripts, each asserting exactly which variables are reported (name, line)."""

from __future__ import annotations

from tests.scripts.support import unbound

from seatrial.facts.scripts import OriginKind, ScriptOrigin
from seatrial.shell.analysis import Loaded, analyze


def test_reads_only_after_nounset_is_on() -> None:
    script = 'echo $BEFORE\nset -u\necho $AFTER "${IN_STRING}" ${BRACED}\n'
    assert unbound(script) == [("AFTER", 3), ("IN_STRING", 3), ("BRACED", 3)]


def test_nounset_spellings() -> None:
    for line in (
        "set -euo pipefail",
        "set -o errexit -o nounset",
        "set -eu",
        "set -u -x",
        "set -o nounset",
        "set -Eeuo pipefail",
    ):
        assert unbound(f"{line}\necho $X\n") == [("X", 2)], line
    assert unbound("set -o pipefail -e\necho $X\n") == []
    assert unbound("echo $X\n", nounset=True) == [("X", 1)]


def test_safe_expansions_are_not_reported() -> None:
    script = """set -u
echo "${A:-}" "${B-}" "${C:+x}" "${D+y}" "${E:?E is required}"
: "${F:=default}"
echo "$F"
[[ -v G ]] && echo "$G"
if [ -n "${H:-}" ]; then echo "$H"; fi
echo "$I"
"""
    assert unbound(script) == [("I", 7)]


def test_set_plus_u_region() -> None:
    script = "set -u\necho $A\nset +u\necho $B\nset -o nounset\necho $C\nset +o nounset\necho $D\n"
    assert unbound(script) == [("A", 2), ("C", 6)]


def test_arrays() -> None:
    script = """set -u
echo "${MISSING[@]}"
declare -a items
items+=(one)
echo "${items[@]}" "${#items[@]}" "${!items[@]}"
names=(a b)
echo "${names[0]}" "${OTHER[1]}"
"""
    assert unbound(script) == [("MISSING", 2), ("OTHER", 7)]


def test_nested_functions_only_on_the_called_path() -> None:
    script = """set -u
inner() { echo "$DEEP"; }
middle() { inner; }
outer() { middle; }
unused() { echo "$NEVER"; }
outer
"""
    assert unbound(script) == [("DEEP", 2)]


def test_recursion_terminates() -> None:
    script = """set -u
walk() {
  echo "$DEPTH_VAR"
  walk "$@"
  other
}
other() { walk; echo "$OTHER_VAR"; }
walk a
"""
    assert unbound(script) == [("DEPTH_VAR", 3), ("OTHER_VAR", 7)]


def test_subshells_do_not_leak_assignments() -> None:
    script = """set -u
( INNER=1; echo "$INNER" )
echo "$INNER"
out=$(SUB=2; echo "$SUB")
echo "$out" "$SUB"
"""
    assert unbound(script) == [("INNER", 3), ("SUB", 5)]


def test_here_documents() -> None:
    script = """set -u
cat <<EOF
host: $HOST_NAME
port: ${PORT_NUMBER}
EOF
cat <<'EOF'
literal: $NOT_EXPANDED
EOF
cat <<"EOF"
also literal: $NOT_EITHER
EOF
"""
    assert unbound(script) == [("HOST_NAME", 3), ("PORT_NUMBER", 4)]


def test_sourced_files() -> None:
    lib = 'LIB_DIR=/opt/lib\nhelper() { echo "$HELPER_INPUT"; }\n'
    script = """set -u
. /scripts/lib.sh
echo "$LIB_DIR"
helper
source "$(dirname "$0")/other.sh"
echo "$FROM_OTHER" "$NOT_ANYWHERE"
"""
    other = 'FROM_OTHER=1\necho "$OTHER_READS"\n'
    got = unbound(script, files={"/scripts/lib.sh": lib, "/scripts/other.sh": other})
    assert got == [("HELPER_INPUT", 2), ("OTHER_READS", 2), ("NOT_ANYWHERE", 6)]


def test_unresolved_source_is_remembered() -> None:
    origin = ScriptOrigin(OriginKind.LOCAL, "/s/main.sh", "main.sh", "t", 1)
    text = 'set -u\necho "$EARLY"\nsource /etc/app/env.sh\necho "$LATE"\n'
    result = analyze(Loaded(text, origin), (), nounset=False, resolve=lambda p: None)
    assert [(r.name, r.opaque_before) for r in result.reads] == [
        ("EARLY", ""),
        ("LATE", "`source /etc/app/env.sh` (line 3)"),
    ]
    assert [(p.kind.value, p.path, p.line) for p in result.problems] == [
        ("not-found", "/etc/app/env.sh", 3)
    ]


def test_indirect_expansion() -> None:
    script = """set -u
echo "${!REF_UNSET}"
ref=TARGET
echo "${!ref}" "${!PREFIX@}"
"""
    assert unbound(script) == [("REF_UNSET", 2)]


CASE = """set -u
case "$1" in
  a) echo "$A_ONLY" ;&
  b) echo "$FELL_INTO_B" ;;
  c) echo "$C_ONLY" ;;
  *) echo "$DEFAULT_ONLY" ;;
esac
"""


def test_case_fall_through() -> None:
    assert unbound(CASE, "a") == [("A_ONLY", 3), ("FELL_INTO_B", 4)]
    assert unbound(CASE, "b") == [("FELL_INTO_B", 4)]
    assert unbound(CASE, "zzz") == [("DEFAULT_ONLY", 6)]


def test_case_continue_testing() -> None:
    script = """set -u
case "${1:-}" in
  in*) echo "$PREFIX_MATCH" ;;&
  install|upgrade) echo "$INSTALL_OR_UPGRADE" ;;
  *) echo "$NEVER_REACHED" ;;
esac
"""
    assert unbound(script, "install") == [("PREFIX_MATCH", 3), ("INSTALL_OR_UPGRADE", 4)]
    assert unbound(script) == [("NEVER_REACHED", 5)]


def test_dispatch_through_a_variable_and_main() -> None:
    script = """set -u
install() { echo "$INSTALL_VAR"; }
cleanup() { echo "$CLEANUP_VAR"; }
main() {
  local action="${1:-}"
  case "$action" in
    install) install ;;
    cleanup) cleanup ;;
  esac
}
main "$@"
"""
    assert unbound(script, "cleanup") == [("CLEANUP_VAR", 3)]
    assert unbound(script, "install") == [("INSTALL_VAR", 2)]


def test_unknown_subject_walks_every_branch() -> None:
    script = 'set -u\ncase "$MODE" in\n a) echo "$X1" ;;\n b) echo "$X2" ;;\nesac\n'
    assert unbound(script, assigned=("MODE",)) == [("X1", 3), ("X2", 4)]


def test_every_way_of_assigning() -> None:
    script = """set -u
local_fn() { local L1 L2=2; echo "$L1$L2"; }
local_fn
declare D1; typeset D2=x; export E1=1; readonly R1=1
read -r RD1 RD2 <<< "a b"
read -ra RDA <<< "a b"
read
for F1 in a b; do :; done
for ((CI = 0; CI < 2; CI++)); do :; done
while getopts "ab:" OPT; do :; done
mapfile -t LINES < /etc/hosts
readarray ARR2 < /etc/hosts
printf -v PV '%s' x
let LETV=1+2
(( ARITH = 3 ))
echo "$D1$D2$E1$R1$RD1$RD2${RDA[0]}$REPLY$F1$CI$OPT$OPTARG${LINES[@]}${ARR2[@]}$PV$LETV$ARITH"
"""
    assert unbound(script) == []


def test_export_without_value_and_unset() -> None:
    script = 'set -u\nexport ONLY_EXPORTED\necho "$ONLY_EXPORTED"\nV=1\nunset V\necho "$V"\n'
    assert unbound(script) == [("ONLY_EXPORTED", 3), ("V", 6)]


def test_arithmetic_and_operators() -> None:
    script = """set -u
echo $((COUNT_A + 1))
(( COUNT_B++ ))
echo "${#LEN_OF}" "${STRIP#pre}" "${REPL/a/b}" "${UP^^}"
echo '$SINGLE_QUOTED'
"""
    assert unbound(script) == [
        ("COUNT_A", 2),
        ("COUNT_B", 3),
        ("LEN_OF", 4),
        ("STRIP", 4),
        ("REPL", 4),
        ("UP", 4),
    ]


def test_pipelines_run_in_subshells() -> None:
    script = """set -u
echo hi | read PIPED
echo "$PIPED"
printf 'a\\n' | while read -r line; do echo "$line"; done
"""
    assert unbound(script) == [("PIPED", 3)]


def test_branches_start_from_the_state_before_them() -> None:
    script = """set -u
if [ -f /etc/x ]; then
  ONE_BRANCH=1
else
  echo "$ONE_BRANCH"
fi
if [ -z "${WITH_DEFAULT:-}" ]; then WITH_DEFAULT=x; fi
echo "$WITH_DEFAULT" "$ONE_BRANCH"
"""
    assert unbound(script) == [("ONE_BRANCH", 5)]


def test_positional_set_and_shift() -> None:
    script = """set -u
set -- deploy now
shift
case "$1" in
  now) echo "$NOW_VAR" ;;
  deploy) echo "$DEPLOY_VAR" ;;
esac
"""
    assert unbound(script) == [("NOW_VAR", 5)]


def test_functions_defined_later_are_not_yet_callable() -> None:
    script = 'set -u\nlater\nlater() { echo "$IN_LATER"; }\n'
    assert unbound(script) == []


def test_assigned_by_caller() -> None:
    assert unbound('set -u\necho "$FROM_PARENT" "$OTHER"\n', assigned=("FROM_PARENT",)) == [
        ("OTHER", 2)
    ]


def test_shell_and_special_variables() -> None:
    script = 'set -u\necho "$HOME $PWD $HOSTNAME $RANDOM $BASH_SOURCE $? $# $$ $0 ${FUNCNAME[0]}"\n'
    assert unbound(script) == []


def test_invocations_carry_exports() -> None:
    origin = ScriptOrigin(OriginKind.INLINE, "<inline>", "m.yaml", "t")
    text = "export MODE=x\nLEVEL=2 exec /opt/run.sh install \"$MODE\"\nbash -c 'echo'\n"
    result = analyze(Loaded(text, origin), (), nounset=False, resolve=lambda p: None)
    assert [(i.path, i.args, i.exported) for i in result.invocations] == [
        ("/opt/run.sh", ("install", "x"), frozenset({"MODE", "LEVEL"}))
    ]


def test_valid_bash_that_tree_sitter_rejects() -> None:
    """bash -n decides: the script is walked around the region tree-sitter could not parse,
    and what that region assigns counts as assigned."""
    script = """set -u
n=$(($1 + 0)) 2>/dev/null && test "$n" = "$1"
echo "$n $MISSING"
"""
    assert unbound(script, "3") == [("MISSING", 3)]
    origin = ScriptOrigin(OriginKind.LOCAL, "/s/x.sh", "x.sh", "t", 1)
    result = analyze(Loaded(script, origin), ("3",), nounset=False, resolve=lambda p: None)
    assert [(p.kind.value, p.reason) for p in result.problems] == [
        ("unparsable", "syntax error at line 2")
    ]


def test_statements_whose_assignments_cannot_be_followed() -> None:
    origin = ScriptOrigin(OriginKind.LOCAL, "/s/x.sh", "x.sh", "t", 1)
    for line in (
        'eval "$(ssh-agent -s)"',
        "export $(grep -v '^#' /app/.env | xargs)",
        'export "$(id -un)_HOME=$value"',
        'printf -v "$(id -un)" %s x',
        '. "$plugin"',
    ):
        text = f'set -u\nkey=k value=v name=n plugin=p\n{line}\necho "$AFTER"\n'
        result = analyze(Loaded(text, origin), (), nounset=False, resolve=lambda p: None)
        shown = line if len(line) <= 60 else line[:57] + "..."
        assert [(r.name, r.opaque_before) for r in result.reads] == [
            ("AFTER", f"`{shown}` (line 3)")
        ], line
    plain = "set -u\neval 'X=1'\nexport A=1 B\necho \"$Y\"\n"
    result = analyze(Loaded(plain, origin), (), nounset=False, resolve=lambda p: None)
    assert [(r.name, r.opaque_before) for r in result.reads] == [("Y", "")]


def test_several_assignments_on_a_line() -> None:
    """tree-sitter-bash folds `a=1 b=2` and the next line's command into one command."""
    script = 'set -u\na=1 b=2\necho "$a $b"\nC=3 env\necho "$C"\n'
    assert unbound(script) == [("C", 5)]


ARG_LOOP = """set -u
while [ $# -gt 0 ]; do
  case "$1" in
    --name) NAME="$2"; shift 2 ;;
    --mode) MODE="$2"; shift 2 ;;
    *) shift ;;
  esac
done
echo "$NAME $MODE"
"""


def test_argument_loops_run_until_the_arguments_are_consumed() -> None:
    assert unbound(ARG_LOOP, "--name", "x", "--mode", "y") == []
    assert unbound(ARG_LOOP, "--mode", "y") == [("NAME", 9)]
    assert unbound(ARG_LOOP) == [("NAME", 9), ("MODE", 9)]  # no arguments: neither is set
    origin = ScriptOrigin(OriginKind.LOCAL, "/s/x.sh", "x.sh", "t", 1)
    unknown = analyze(Loaded(ARG_LOOP, origin), None, nounset=False, resolve=lambda p: None)
    assert unknown.reads == []  # arguments unknown: every branch may run


def test_reads_inside_default_operands_are_conditional() -> None:
    origin = ScriptOrigin(OriginKind.LOCAL, "/s/x.sh", "x.sh", "t", 1)
    text = """set -u
KNOWN=1
echo "${KNOWN:-$NEVER}" "${CONFIG:-$HOME/$SUBDIR}" "${FLAG:+--flag=$FLAG_VALUE}"
echo "${A:-${B:-$C}}"
"""
    reads = analyze(Loaded(text, origin), (), nounset=False, resolve=lambda p: None).reads
    assert [(r.name, r.line, r.unless_set, r.only_if_set) for r in reads] == [
        ("SUBDIR", 3, ("CONFIG",), ()),
        ("FLAG_VALUE", 3, (), ("FLAG",)),
        ("C", 4, ("A", "B"), ()),
    ]
    subdir, flag_value, c = reads
    assert subdir.happens(frozenset()) and not subdir.happens(frozenset({"CONFIG"}))
    assert not flag_value.happens(frozenset()) and flag_value.happens(frozenset({"FLAG"}))
    assert not c.happens(frozenset({"B"})) and c.happens(frozenset({"OTHER"}))
