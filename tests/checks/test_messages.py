"""Every check's messages and fixes, and every explain rule's texts, rendered from inputs whose
optional fields are missing or empty: no empty placeholder (`does not exist in image .`) and no
doubled phrase (`in image the image`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from tests.checks.harness import cell, violations

from seatrial.assets.analysis import AssetSet
from seatrial.assets.archive import ArchiveEntry, ArchiveIndex
from seatrial.checks.catalog import all_checks
from seatrial.checks.registry import (
    CellContext,
    CheckSpec,
    Facts,
    MatrixContext,
    MissingDependency,
    RenderFailure,
    Scope,
    Violation,
)
from seatrial.explain.diagnose import _render
from seatrial.explain.rules import STANDARD_FIELDS, load_rules
from seatrial.facts.files import DIR, FILE, FileEntry, FileIndex
from seatrial.facts.image import ImageFacts, ImageProblem, ImageResult
from seatrial.findings import Cell, Location

#: a placeholder that rendered as nothing: "image .", "( )", "``", "a  b", a dangling ":"
#: (" .Values.x" and " ..." are not)
EMPTY = re.compile(r"\s[,;:)]|\s\.(?![.\w])|\(\s*\)|``|\S\s{2,}\S|[:(]\s*$|^\s|\s$")
#: a word said twice in a row ("the the"), or around an article ("in image the image")
DOUBLED = re.compile(r"\b([A-Za-z]{3,})\s+(?:(?:the|a|an|of|in)\s+)?\1\b", re.I)

SPARSE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: reg.example/app:v1.30
          command: ["/missing", "x"]
          envFrom:
            - configMapRef: {name: outside}
          volumeMounts:
            - {name: scripts, mountPath: /scripts}
        - name: runner
          image: reg.example/app:v1.30
          command: ["sh", "/scripts/run.sh"]
          volumeMounts:
            - {name: scripts, mountPath: /scripts}
        - name: broken
          image: reg.example/app:v1.30
          command: ["bash", "/scripts/broken.sh"]
          volumeMounts:
            - {name: scripts, mountPath: /scripts}
      volumes:
        - {name: scripts, configMap: {name: scripts}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  run.sh: |
    set -u
    . /scripts/lib.sh
    echo "$UNSET_VAR"
  broken.sh: |
    if then fi (
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: cleanup-
  annotations:
    helm.sh/hook: post-delete
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: reg.example/tool
---
apiVersion: v1
kind: Pod
metadata:
  name: hook-pod
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-delete-policy: hook-succeeded
spec:
  containers:
    - name: c
      image: reg.example/tool
      command: ["/bin/x"]
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
---
apiVersion: v1
kind: Service
metadata: {}
"""

IMAGES: dict[str, dict[str, ImageResult]] = {
    "sparse image": {
        r: ImageFacts(r, r, "sha256:0", None, None, (), "", "", FileIndex())
        for r in ("reg.example/app:v1.30", "reg.example/app:v1.31", "reg.example/tool")
    },
    "entrypoint only": {
        r: ImageFacts(r, r, "sha256:0", ("/ep",), None, (), "", "", FileIndex())
        for r in ("reg.example/app:v1.30", "reg.example/app:v1.31", "reg.example/tool")
    },
    # a problem always has a reason; the nearest tags are optional
    "not found": {
        r: ImageProblem("not-found", "absent")
        for r in ("reg.example/app:v1.30", "reg.example/app:v1.31", "reg.example/tool")
    },
    "unverifiable": {
        r: ImageProblem("unverifiable", "offline")
        for r in ("reg.example/app:v1.30", "reg.example/app:v1.31", "reg.example/tool")
    },
}


def _shadowing() -> FileIndex:
    entries = {p: FileEntry(p, DIR, 0o755) for p in ("/", "/bin", "/usr", "/usr/bin")}
    entries.update({p: FileEntry(p, FILE, 0o755, 1) for p in ("/bin/x", "/usr/bin/x")})
    return FileIndex(entries)


IMAGES["shadowed program"] = {
    r: ImageFacts(r, r, "sha256:0", None, None, ("PATH=/usr/bin:/bin",), "", "", _shadowing())
    for r in ("reg.example/app:v1.30", "reg.example/app:v1.31", "reg.example/tool")
}


def _render_ctx(text: str, at: Cell, images: dict[str, ImageResult]) -> CellContext:
    return cell(text, images, at)


def _violations(spec: CheckSpec, images: dict[str, ImageResult]) -> Iterator[Violation]:
    cells = (Cell("1.30"), Cell("1.31"))
    renders = tuple(
        _render_ctx(SPARSE.replace("v1.30", "v" + c.kube_version), c, images) for c in cells
    )
    # another workload kind in another mode, starting its container differently (ST102)
    daemon = Cell("1.31", (("mode", "daemon"),), "mode=daemon")
    renders += (
        _render_ctx(
            SPARSE.replace("v1.30", "v1.31")
            .replace("kind: Deployment", "kind: DaemonSet")
            .replace('["/missing", "x"]', '["/other"]'),
            daemon,
            images,
        ),
    )
    if spec.scope is Scope.MATRIX:
        changed = _render_ctx(SPARSE.replace("name: web", "name: web\n  uid: x"), cells[1], images)
        yield from spec.func(
            MatrixContext(
                # required fields set (Helm always says why a render failed; Chart.yaml names a
                # dependency and its version), optional ones missing
                renders,
                (RenderFailure(Cell("1.31", (("mode", "x"),), "mode=x"), "boom", None),),
                ((renders[1], changed),),
                (
                    MissingDependency(
                        "dep", "1.0.0", "", "not fetched", Location("Chart.yaml", None)
                    ),
                ),
                frozenset({"mode"}),
                {},
                Facts(images),
                mode_pairs=((daemon, cells[1], "mode"),),
            )
        )
        return
    for ctx in renders:
        yield from violations(spec, ctx)


def _assets() -> Iterator[AssetSet]:
    a = ArchiveIndex(
        "a.tgz",
        "a.tgz",
        "tar.gz",
        (
            ArchiveEntry("bin/tool", "file", 1, "0" * 64, 0o755),
            ArchiveEntry("bin/tool-x", "file", 1, "1" * 64, 0o755),
        ),
    )
    b = ArchiveIndex(
        "b.tgz",
        "b.tgz",
        "tar.gz",
        (
            ArchiveEntry("usr/bin/tool", "symlink", 0, None, 0o777, "/opt/tool"),
            ArchiveEntry("share/tool", "file", 0, None, None),
        ),
    )
    for match in ("basename", "substring", "path-regex"):
        yield AssetSet((a, b), (), match)
        yield AssetSet((a, b), ("tool",), match)


def _texts() -> Iterator[tuple[str, str]]:
    for spec in all_checks():
        if spec.scope is Scope.COMMAND:
            if spec.id in ("ST601", "ST602"):
                for assets in _assets():
                    for v in spec.func(assets):
                        yield spec.id, v.message
                        yield spec.id, v.fix
            continue  # ST501-ST504 judge converge runs: tests/converge renders theirs
        for name, images in IMAGES.items():
            for v in _violations(spec, images):
                yield f"{spec.id} ({name})", v.message
                if v.fix:
                    yield f"{spec.id} ({name})", v.fix


def test_check_texts_have_no_empty_placeholder_or_doubled_phrase() -> None:
    texts = list(_texts())
    seen = {who.split(" ")[0] for who, _ in texts}
    # the sparse inputs reach the checks this test is about
    assert {spec.id for spec in all_checks()} - seen == {"ST501", "ST502", "ST503", "ST504"}
    bad = [(who, t) for who, t in texts if EMPTY.search(t) or DOUBLED.search(t)]
    assert bad == []


@pytest.mark.parametrize("rule", load_rules(), ids=lambda r: r.cls)
def test_explain_texts_have_no_empty_placeholder_or_doubled_phrase(rule: object) -> None:
    """Each rule rendered with every optional field missing, and with every one empty."""
    assert hasattr(rule, "explain")
    for values in ({}, dict.fromkeys(STANDARD_FIELDS, "")):
        for key, text in rule.explain.items():
            shown = _render(text, values)
            assert not EMPTY.search(shown), (rule.cls, key, shown)
            assert not DOUBLED.search(shown), (rule.cls, key, shown)


def test_the_patterns_catch_what_they_are_for() -> None:
    assert EMPTY.search("`command` runs /x, which does not exist in image .")
    assert DOUBLED.search("which is not in image the image")
    assert not EMPTY.search("image a:1 does not exist: tag 1 is not published in a")
    assert not DOUBLED.search("the image tag of container c follows the Kubernetes version")
