"""The node kit: recording stand-ins for the commands a node installer calls on a node.

A DaemonSet that installs something onto its node calls `kubectl` (label the node, read it),
`systemctl`/`service` (restart the runtime), `nsenter` (run a command in the host's
namespaces), `crictl` and `ctr`. None of them can do anything in the sandbox, and a missing
command fails the run. The kit puts a stand-in for each first on PATH: it appends the call to
a log (one line per call, read back after the run and listed in the report) and succeeds.
`nsenter` runs the rest of its command line in the sandbox (it is the host there). Answers
are configurable (`--node-kit-answer 'kubectl get node=FILE'`: a call whose arguments start
with those words prints FILE); `kubectl get node(s) ... -o json` answers a minimal node.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

#: where the kit is seen inside the sandbox
KIT_DIR = "/.seatrial/sup/kit"
#: where the stand-ins log their calls (a writable directory of each run)
LOG_DIR = "/.seatrial/log"
COMMANDS = ("kubectl", "systemctl", "nsenter", "crictl", "ctr", "service")

NODE_JSON = (
    json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": "seatrial-node",
                "labels": {"kubernetes.io/hostname": "seatrial-node", "kubernetes.io/os": "linux"},
            },
            "status": {
                "nodeInfo": {
                    "containerRuntimeVersion": "containerd://1.7.0",
                    "kubeletVersion": "v1.30.0",
                    "architecture": "amd64",
                    "operatingSystem": "linux",
                }
            },
        },
        indent=2,
    )
    + "\n"
)

_LOG = f"""log() {{
  {{ printf '%s' "$0" | sed 's,.*/,,'; for a in "$@"; do printf ' %s' "$a"; done; echo; }} \\
    | tr -d '\\r' >> {LOG_DIR}/calls 2>/dev/null || true
}}
"""

_ANSWER = f"""answer() {{
  line="$(printf '%s' "$0" | sed 's,.*/,,')"
  for a in "$@"; do line="$line $a"; done
  for f in {KIT_DIR}/answers/*.when; do
    [ -f "$f" ] || continue
    when="$(cat "$f")"
    case "$line" in "$when"|"$when "*) cat "${{f%.when}}.out"; exit 0;; esac
  done
}}
"""

_NSENTER = """log "$@"
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break;;
    -t|--target|-S|--setuid|-G|--setgid|-r|-w|--wd|--root) shift 2;;
    -*) shift;;
    *) break;;
  esac
done
[ $# -gt 0 ] || exit 0
exec "$@"
"""

_KUBECTL = """log "$@"
answer "$@"
case " $* " in
  *" get node"*" -o json "*|*" get node"*" -ojson "*|*" get node"*" --output=json "*|\\
  *" get node"*" -o=json "*) cat {kit}/node.json;;
esac
exit 0
"""


def parse_answers(pairs: Sequence[str]) -> dict[str, str]:
    """`kubectl get node=FILE` -> {"kubectl get node": content of FILE}."""
    from seatrial.errors import UsageError

    out: dict[str, str] = {}
    for pair in pairs:
        when, sep, file = pair.partition("=")
        words = when.split()
        if not sep or not words or words[0] not in COMMANDS:
            raise UsageError(
                f"--node-kit-answer {pair!r}: expected 'COMMAND ARGS...=FILE' "
                f"with COMMAND one of {', '.join(COMMANDS)}"
            )
        try:
            out[" ".join(words)] = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--node-kit-answer {pair!r}: cannot read {file}: {exc}") from None
    return out


def build(dest: Path, answers: Mapping[str, str] | None = None) -> None:
    """Write the kit into `dest` (seen at KIT_DIR): bin/ with the stand-ins, the answers."""
    bin_dir = dest / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    (dest / "answers").mkdir(exist_ok=True)
    (dest / "node.json").write_text(NODE_JSON, encoding="utf-8")
    for i, (when, text) in enumerate(sorted((answers or {}).items())):
        (dest / "answers" / f"{i}.when").write_text(when, encoding="utf-8")
        (dest / "answers" / f"{i}.out").write_text(text, encoding="utf-8")
    for name in COMMANDS:
        body = {"nsenter": _NSENTER, "kubectl": _KUBECTL.format(kit=KIT_DIR)}.get(
            name, 'log "$@"\nanswer "$@"\nexit 0\n'
        )
        script = bin_dir / name
        script.write_text("#!/bin/sh\n" + _LOG + _ANSWER + body, encoding="utf-8")
        script.chmod(0o755)
    for p in (dest, bin_dir, dest / "answers"):
        p.chmod(0o755)
    for p in (dest / "answers").iterdir():
        p.chmod(0o644)
    (dest / "node.json").chmod(0o644)


def read_calls(log_dir: Path, limit: int = 200) -> tuple[str, ...]:
    """The calls one run made (at most `limit`; the rest is counted)."""
    try:
        text = (log_dir / "calls").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > limit:
        lines = [*lines[:limit], f"({len(lines) - limit} more calls)"]
    return tuple(lines)
