"""Which script a container runs, and where it is found."""

from __future__ import annotations

from pathlib import Path

from tests.scripts.support import cell, load, run

from seatrial.checks.st301_unbound_script_variable import unbound_script_variable as st301
from seatrial.checks.st302_script_not_found import script_not_found as st302
from seatrial.facts.scripts import OriginKind
from seatrial.shell.discovery import entry_script


def _entry(*words: str) -> tuple[object, ...] | None:
    e = entry_script(list(words), [("command", i) for i in range(len(words))])
    if e is None:
        return None
    return (e.path, e.args, e.shell, e.nounset, e.inline, e.field, sorted(e.extra_env), e.certain)


def test_command_line_forms() -> None:
    assert _entry("bash", "/opt/x.sh", "install") == (
        "/opt/x.sh",
        ("install",),
        "bash",
        None,
        None,
        ("command", 1),
        [],
        True,
    )
    assert _entry("/bin/sh", "-euc", "echo $1", "name", "a") == (
        "<inline>",
        ("a",),
        "sh",
        True,
        "echo $1",
        ("command", 2),
        [],
        True,
    )
    assert _entry("bash", "-o", "nounset", "-x", "run.sh") == (
        "run.sh",
        (),
        "bash",
        True,
        None,
        ("command", 4),
        [],
        True,
    )
    assert _entry("tini", "--", "/entry.sh", "serve") == (
        "/entry.sh",
        ("serve",),
        "",
        None,
        None,
        ("command", 2),
        [],
        True,
    )
    assert _entry("/usr/bin/env", "MODE=x", "-i", "/opt/start") == (
        "/opt/start",
        (),
        "",
        None,
        None,
        ("command", 3),
        ["MODE"],
        False,
    )
    assert _entry("busybox", "sh", "-c", "exec /x.sh") == (
        "<inline>",
        (),
        "sh",
        None,
        "exec /x.sh",
        ("command", 3),
        [],
        True,
    )
    assert _entry("bash") is None  # reads commands from stdin
    assert _entry("dumb-init") is None


POD = """apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
    - name: init
      image: registry.example.com/app:1
      command: ["sh", "-c", "set -u; echo \\"$INIT_ONLY\\"; cp /src/run.sh /work/run.sh"]
  containers:
    - name: projected
      image: registry.example.com/app:1
      command: ["/etc/bundle/run.sh"]
      volumeMounts:
        - {name: bundle, mountPath: /etc/bundle}
    - name: shared
      image: registry.example.com/app:1
      command: ["/work/run.sh"]
      volumeMounts:
        - {name: work, mountPath: /work}
    - name: secret
      image: registry.example.com/app:1
      command: ["bash", "/secret/entry.sh"]
      volumeMounts:
        - {name: secret, mountPath: /secret/entry.sh, subPath: entry.sh}
  volumes:
    - name: bundle
      projected:
        sources:
          - secret: {name: creds}
          - configMap:
              name: scripts
              items:
                - {key: main.sh, path: run.sh}
    - name: work
      emptyDir: {}
    - name: secret
      secret:
        secretName: creds
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  main.sh: |
    #!/bin/bash -u
    echo "$FROM_PROJECTED"
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  token: not-a-real-token
  entry.sh: |
    set -o nounset
    echo "$FROM_SECRET"
"""


def test_volumes_init_containers_and_runtime_content(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    ctx = cell(load(path))
    found = {
        c: [(s.origin.kind, s.origin.ref) for s in v.scripts]
        for (_, c), v in ctx.facts.scripts.items()
    }
    assert found == {
        "init": [(OriginKind.INLINE, "Pod p container init")],
        "projected": [(OriginKind.CONFIGMAP, "ConfigMap scripts key main.sh")],
        "secret": [(OriginKind.SECRET, "Secret creds key entry.sh")],
    }  # "shared" runs from an emptyDir filled at run time: nothing to read, nothing reported
    hits = run(st301, ctx)
    assert [
        (
            h.container,
            h.violation.message.split(" ", 1)[0],
            h.violation.source.line if h.violation.source else None,
        )
        for h in hits
    ] == [
        ("init", "INIT_ONLY", 9),
        ("projected", "FROM_PROJECTED", 48),
        ("secret", "FROM_SECRET", None),
    ]
    # a script from a Secret is named by key only; its text never appears
    secret_hit = hits[2].violation
    assert "not-a-real-token" not in secret_hit.message + secret_hit.fix
    assert secret_hit.source is not None and secret_hit.source.note.endswith("line 2")
    assert run(st302, ctx) == []


REFS = """apiVersion: v1
kind: ConfigMap
metadata:
  name: run
data:
  run.sh: |
    set -u
    case "$1" in
      install) echo "$INSTALL_ONLY" ;;
      cleanup) echo "$CLEANUP_ONLY" ;;
    esac
---
apiVersion: v1
kind: Pod
metadata:
  name: refs
spec:
  containers:
    - name: static
      image: registry.example.com/app:1
      command: ["bash", "/run/run.sh", "$(ACTION)"]
      env:
        - {name: ACTION, value: cleanup}
      volumeMounts: [{name: run, mountPath: /run}]
    - name: from-field
      image: registry.example.com/app:1
      command: ["bash", "/run/run.sh", "$(ACTION)"]
      env:
        - name: ACTION
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['action']
      volumeMounts: [{name: run, mountPath: /run}]
    - name: escaped
      image: registry.example.com/app:1
      command: ["bash", "/run/run.sh", "$$(ACTION)"]
      env:
        - {name: ACTION, value: install}
      volumeMounts: [{name: run, mountPath: /run}]
  volumes:
    - {name: run, configMap: {name: run}}
"""


def test_kubernetes_expands_references_in_args(tmp_path: Path) -> None:
    path = tmp_path / "refs.yaml"
    path.write_text(REFS)
    hits = run(st301, cell(load(path)))
    assert sorted((h.container or "", h.violation.message.split(" ", 1)[0]) for h in hits) == [
        ("from-field", "CLEANUP_ONLY"),
        ("from-field", "INSTALL_ONLY"),  # value unknown
        ("static", "CLEANUP_ONLY"),  # $(ACTION) is "cleanup"
    ]  # "escaped" passes the literal "$(ACTION)": no branch matches
