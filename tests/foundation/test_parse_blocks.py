"""Large documents parse one top-level key at a time, with each block's result kept
(objects/parse.py `_by_blocks`): the same objects as a whole parse, less work when renders of
one template differ in a line."""

from __future__ import annotations

import yaml

from seatrial.objects.parse import _LARGE, _by_blocks, parse_objects

SPEC = "spec:\n  versions:\n" + "".join(
    f"    - name: v{i}\n      schema:\n        description: |\n          line {i}\n"
    "          # not a comment\n        enum: [a, b,\n          c]\n"
    for i in range(_LARGE // 80)
)


def _crd(annotations: str) -> str:
    return (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        f"metadata:\n  name: x\n  annotations:\n{annotations}# a comment\n{SPEC}"
    )


def test_a_large_document_parses_as_a_whole_parse_does() -> None:
    doc = _crd('    "helm.sh/resource-policy": keep\n')
    assert len(doc) >= _LARGE
    assert _by_blocks(doc) == yaml.safe_load(doc)


def test_two_renders_differing_in_metadata_share_the_spec() -> None:
    (a,) = parse_objects(_crd('    "helm.sh/resource-policy": keep\n'), "t.yaml", is_template=True)
    (b,) = parse_objects(_crd("    other: x\n"), "t.yaml", is_template=True)
    assert a.body["metadata"] != b.body["metadata"]
    assert a.body["spec"] is b.body["spec"]


def test_documents_a_block_cannot_stand_for_parse_whole() -> None:
    """Small documents, a flow sequence continued at column 0, anchors: no blocks."""
    assert _by_blocks("a: 1\n") is None
    assert _by_blocks(SPEC + "b: [1,\n2]\n") is None
    anchored = SPEC + "c: &x 1\nd: *x\n"
    assert _by_blocks(anchored) is None
    (o,) = parse_objects("kind: K\n" + anchored, "t.yaml", is_template=True)
    assert o.body["d"] == 1
