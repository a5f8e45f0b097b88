"""`source`/`.` of files seatrial cannot read: a missing script only when it is really one.

Found on the kata-deploy-like chart: `. "${host_root}/etc/os-release"` behind `[[ -f ... ]]`
was reported as ST302 for /opt/kata-artifacts/scripts/etc/os-release, a path the script never
uses (the unknown prefix had been replaced by the script's own directory).
"""

from __future__ import annotations

import pytest

from seatrial.facts.scripts import OriginKind, ScriptOrigin
from seatrial.shell.analysis import Loaded, analyze


def problems(text: str) -> list[tuple[str, str, int | None]]:
    origin = ScriptOrigin(OriginKind.LOCAL, "/s/main.sh", "main.sh", "t", 1)
    result = analyze(Loaded(text, origin), (), nounset=False, resolve=lambda p: None)
    return [(p.kind.value, p.path, p.line) for p in result.problems]


@pytest.mark.parametrize(
    "text",
    [
        'if [[ -f "/etc/app/env.sh" ]]; then\n  . "/etc/app/env.sh"\nfi\n',
        "[ -r /etc/app/env.sh ] && . /etc/app/env.sh\n",
        "if [ -f /a ]; then :; elif [ -e /etc/app/env.sh ]; then source /etc/app/env.sh; fi\n",
        'root="${HOST_ROOT:-/host}"\n. "${root}/etc/os-release"\n',
        '. "$CONF_DIR/settings.sh"\n',
    ],
)
def test_guarded_or_guessed_source_is_not_missing(text: str) -> None:
    assert problems(text) == []


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("source /etc/app/env.sh\n", 1),
        ("[ -r /etc/other.sh ] && . /etc/app/env.sh\n", 1),  # the test is on another file
        ("if [ -f /etc/other.sh ]; then\n  :\nfi\n. /etc/app/env.sh\n", 4),
        ('dir=/etc/app\n. "$dir/env.sh"\n', 2),  # a path the script fixes: still checked
    ],
)
def test_unguarded_static_source_is_missing(text: str, line: int) -> None:
    assert problems(text) == [("not-found", "/etc/app/env.sh", line)]


def test_guessed_source_next_to_the_script_is_still_followed() -> None:
    origin = ScriptOrigin(OriginKind.LOCAL, "/s/main.sh", "main.sh", "t", 1)
    lib = Loaded("LIB_READY=1\n", ScriptOrigin(OriginKind.LOCAL, "/s/lib.sh", "lib.sh", "t", 1))
    text = 'set -u\n. "$(dirname "$0")/lib.sh"\necho "$LIB_READY" "$OTHER"\n'
    result = analyze(
        Loaded(text, origin), (), nounset=False, resolve=lambda p: lib if p == "/s/lib.sh" else None
    )
    assert result.problems == [] and [s.origin.path for s in result.sourced] == ["/s/lib.sh"]
    assert [(r.name, r.opaque_before) for r in result.reads] == [("OTHER", "")]
    # not found: not a problem (the directory is a guess), but reads after it are uncertain
    result = analyze(Loaded(text, origin), (), nounset=False, resolve=lambda p: None)
    assert result.problems == []
    assert [r.name for r in result.reads if r.opaque_before] == ["LIB_READY", "OTHER"]


def test_cd_sets_oldpwd() -> None:
    origin = ScriptOrigin(OriginKind.LOCAL, "/s/main.sh", "main.sh", "t", 1)
    text = 'set -u\necho "$OLDPWD"\ncd /tmp\necho "$OLDPWD"\npushd / >/dev/null\n'
    result = analyze(Loaded(text, origin), (), nounset=False, resolve=lambda p: None)
    assert [(r.name, r.line) for r in result.reads] == [("OLDPWD", 2)]


@pytest.mark.parametrize(
    "text",
    [
        '[[ -r /etc/other.sh && -f "/etc/app/env.sh" ]] && . /etc/app/env.sh\n',
        "if test -e '/etc/app/env.sh'; then . /etc/app/env.sh; fi\n",
    ],
)
def test_file_test_among_others(text: str) -> None:
    assert problems(text) == []
