"""ST301-ST303 on manifests: the S5 reproduction, its fixed twins, and real-looking scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.checks.harness import image
from tests.scripts.support import FIXTURES, cell, load, run

from seatrial.checks.st301_unbound_script_variable import unbound_script_variable as st301
from seatrial.checks.st302_script_not_found import script_not_found as st302
from seatrial.checks.st303_script_unparsable import script_unparsable as st303
from seatrial.findings import Location, Severity
from seatrial.shell.gather import ScriptOptions

S5 = FIXTURES / "s5"
REAL = FIXTURES / "real"
ST30X = FIXTURES / "st30x"


def _st301(
    path: Path, options: ScriptOptions | None = None, images: dict[str, Any] | None = None
) -> list[tuple[object, ...]]:
    hits = run(st301, cell(load(path), images, options=options))
    return [
        (
            h.kind,
            h.name,
            h.container,
            h.violation.message.split(" ", 1)[0],
            h.violation.source.file if h.violation.source else None,
            h.violation.source.line if h.violation.source else None,
            h.violation.severity,
        )
        for h in hits
    ]


def test_s5_configmap_cleanup_lacks_shims() -> None:
    path = S5 / "configmap-fail.yaml"
    assert _st301(path) == [
        ("DaemonSet", "kata-cleanup", "kata-cleanup", "SHIMS", str(path), 46, None)
    ]
    (hit,) = run(st301, cell(load(path)))
    msg = hit.violation.message
    assert "kata-deploy.sh:39 (ConfigMap kata-deploy-scripts key kata-deploy.sh at " in msg
    assert "DaemonSet kata-deploy sets SHIMS; DaemonSet kata-cleanup does not" in msg
    assert "main -> cleanup_cri_runtime" in msg and "also read at line 45" in msg
    assert "${SHIMS:-default}" in hit.violation.fix and "DaemonSet kata-deploy" in hit.violation.fix
    # related: the container in the manifest, and the ConfigMap key holding the script
    assert [(r.file, r.line) for r in hit.violation.related] == [(str(path), 148), (str(path), 7)]


def test_s5_fixed_twins_are_clean() -> None:
    assert _st301(S5 / "configmap-pass-defaults.yaml") == []
    assert _st301(S5 / "configmap-pass-envfrom.yaml") == []


def test_s5_unresolvable_env_from_is_a_warning() -> None:
    path = S5 / "configmap-warn-envfrom-external.yaml"
    assert _st301(path) == [
        ("DaemonSet", "kata-cleanup", "kata-cleanup", "SHIMS", str(path), 46, Severity.WARNING)
    ]
    (hit,) = run(st301, cell(load(path)))
    assert "envFrom ConfigMap kata-env-external is not rendered here" in hit.violation.message


def test_s5_from_the_source_tree() -> None:
    """The same script read through --script-path: lines are the source file's own."""
    text = (S5 / "configmap-fail.yaml").read_text()
    objects = load(
        S5 / "configmap-fail.yaml",
        text=text.replace(
            "          volumeMounts:\n            - name: scripts\n"
            "              mountPath: /opt/kata-artifacts/scripts\n",
            "",
        ),
    )
    options = ScriptOptions({"/opt/kata-artifacts/scripts": S5 / "scripts"})
    hits = run(st301, cell(objects, options=options))
    assert [(h.name, h.violation.source) for h in hits] == [
        ("kata-cleanup", _loc(S5 / "scripts" / "kata-deploy.sh", 39))
    ]


def _loc(path: Path, line: int) -> object:
    return Location(str(path), line)


def test_real_looking_scripts_have_no_false_positives() -> None:
    options = ScriptOptions({"/usr/local/bin": REAL, "/opt/installer": REAL, "/app/bin": REAL})
    ctx = cell(load(REAL / "workloads.yaml"), options=options)
    # every script was found and followed, including the exec chain of the migration job
    assert sorted((k, len(v.scripts)) for k, v in ctx.facts.scripts.items()) == [
        (("DaemonSet/kube-system/node-agent-installer", "installer"), 1),
        (("Job/shop/shop-migrate", "migrate"), 2),
        (("StatefulSet/shop/db", "db"), 1),
    ]
    for spec in (st301, st302, st303):
        assert run(spec, ctx) == []


def test_real_migration_without_its_env_is_reported() -> None:
    """The zero above is not for lack of looking: drop the Job's env and it is reported."""
    text = (REAL / "workloads.yaml").read_text()
    start = text.index("          env:\n            - name: DB_HOST")
    end = text.index("          envFrom:")
    objects = load(REAL / "workloads.yaml", text=text[:start] + text[end:])
    options = ScriptOptions({"/app/bin": REAL})
    hits = run(st301, cell(objects, options=options))
    assert [
        (h.name, h.violation.message.split(" ", 1)[0], h.violation.source.line)
        for h in hits
        if h.violation.source
    ] == [
        ("shop-migrate", "DB_NAME", 100),
        ("shop-migrate", "DB_HOST", 11),
        ("shop-migrate", "DB_USER", 11),
    ]


def test_st302_says_why() -> None:
    hits = run(st302, cell(load(ST30X / "st302-fail.yaml")))
    got = [(h.name, h.violation.message) for h in hits]
    assert [name for name, _ in got] == ["unrendered", "missing-key", "in-image"]
    assert (
        "ConfigMap external-scripts (volume scripts, holding /scripts/run.sh) is not "
        "rendered" in got[0][1]
    )
    assert "ConfigMap present-scripts has no key 'entry.sh'" in got[1][1]
    assert "image registry.example.com/tools:2 was not inspected" in got[2][1]
    # missing for sure (warning, the check's severity) vs. not looked for (info)
    assert [h.violation.severity for h in hits] == [None, None, Severity.INFO]
    assert [h.violation.field for h in hits] == [
        ("spec", "template", "spec", "containers", 0, "command")
    ] * 3
    assert run(st302, cell(load(ST30X / "st302-pass.yaml"))) == []


def test_st303_names_the_line() -> None:
    hits = run(st303, cell(load(ST30X / "st303-fail.yaml")))
    assert [(h.kind, h.name, h.container) for h in hits] == [("Pod", "broken-script", "app")]
    assert hits[0].violation.message == (
        "script /hooks/prestart.sh (ConfigMap hooks key prestart.sh) run by container app "
        "could not be parsed (bash -n: line 5: syntax error: unexpected end of file); its "
        "variables were not checked"
    )
    assert hits[0].violation.source == Location(str(ST30X / "st303-fail.yaml"), 11)
    assert run(st301, cell(load(ST30X / "st303-fail.yaml"))) == []
    assert run(st303, cell(load(ST30X / "st303-pass.yaml"))) == []


def test_node_files_under_a_host_path_are_not_scripts_to_ship() -> None:
    """`. /host/etc/os-release` through a hostPath mount: no ST302, and the variables it sets
    (ID, VERSION_ID) are unknown, not ST301 findings."""
    path = ST30X / "hostpath-pass.yaml"
    ctx = cell(load(path))
    assert run(st301, ctx) == [] and run(st302, ctx) == []


def test_the_same_file_on_no_volume_is_reported() -> None:
    """On no volume and not in the image (read): missing for sure, and what it would set is
    unset. With the image not read, the file may be in it: not checked (info), and what it
    sets is unknown."""
    path = ST30X / "hostpath-fail.yaml"
    ref = "registry.example.com/agent:1"
    images: dict[str, Any] = {ref: image(ref, executables=("/bin/bash",))}
    ctx = cell(load(path), images)
    assert _st301(path, images=images) == [
        ("DaemonSet", "node-agent", "agent", "NODE_NAME", str(path), 11, None),
        ("DaemonSet", "node-agent", "agent", "ID", str(path), 13, Severity.WARNING),
        ("DaemonSet", "node-agent", "agent", "VERSION_ID", str(path), 13, Severity.WARNING),
    ]
    assert [
        (h.name, h.violation.source, h.violation.message.split(":", 1)[0]) for h in run(st302, ctx)
    ] == [
        (
            "node-agent",
            _loc(path, 12),
            "script /host/etc/os-release run by container agent could not be read",
        )
    ]
    assert _st301(path) == [("DaemonSet", "node-agent", "agent", "NODE_NAME", str(path), 11, None)]
    unread = run(st302, cell(load(path)))
    assert [(h.violation.severity, h.violation.message.split(":", 1)[0]) for h in unread] == [
        (Severity.INFO, "script /host/etc/os-release run by container agent was not checked")
    ]


def test_reads_before_a_runtime_file_is_sourced_are_still_reported() -> None:
    from seatrial.facts.scripts import OriginKind, ScriptOrigin
    from seatrial.shell.analysis import Loaded, RuntimeFile, analyze

    text = "set -u\necho $BEFORE\n. /host/etc/os-release\necho $ID $AFTER\n"
    origin = ScriptOrigin(OriginKind.LOCAL, "/s/x.sh", "x.sh", "test", 1)

    def resolve(p: str) -> Loaded | RuntimeFile | None:
        return RuntimeFile("hostPath") if p == "/host/etc/os-release" else None

    result = analyze(Loaded(text, origin), (), nounset=False, resolve=resolve)
    assert [(r.name, r.line) for r in result.reads] == [("BEFORE", 2)]
    assert result.problems == []
