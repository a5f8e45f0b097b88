"""Large documents parse one top-level key at a time, with each block's result kept
(objects/parse.py `_by_blocks`): the same objects as a whole parse, less work when renders of
one template differ in a line."""

from __future__ import annotations

import pytest
import yaml

from seatrial.errors import SourceError
from seatrial.objects.parse import _BLOCKS, _LARGE, LazyBody, _by_blocks, parse_objects

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
    assert _by_blocks(doc, "t.yaml") == yaml.safe_load(doc)


def test_two_renders_differing_in_metadata_share_the_spec() -> None:
    (a,) = parse_objects(_crd('    "helm.sh/resource-policy": keep\n'), "t.yaml", is_template=True)
    (b,) = parse_objects(_crd("    other: x\n"), "t.yaml", is_template=True)
    assert a.body["metadata"] != b.body["metadata"]
    assert a.body["spec"] is b.body["spec"]


def test_documents_a_block_cannot_stand_for_parse_whole() -> None:
    """Small documents, a flow sequence continued at column 0, anchors: no blocks."""
    assert _by_blocks("a: 1\n", "t.yaml") is None
    assert _by_blocks(SPEC + "b: [1,\n2]\n", "t.yaml") is None
    anchored = SPEC + "c: &x 1\nd: *x\n"
    assert _by_blocks(anchored, "t.yaml") is None
    (o,) = parse_objects("kind: K\n" + anchored, "t.yaml", is_template=True)
    assert o.body["d"] == 1


def test_a_large_block_is_parsed_when_first_read() -> None:
    """kyverno's CRDs: checks read `kind` and `metadata`, hardly ever the megabytes of `spec`."""
    doc = _crd("    seen: lazily\n") + "  marker: first-read\n"  # a spec no test parsed
    (o,) = parse_objects(doc, "t.yaml", is_template=True)
    assert isinstance(o.body, LazyBody)
    assert o.kind == "CustomResourceDefinition" and o.metadata["name"] == "x"
    assert not any("first-read" in b for b in _BLOCKS.parsed)
    assert list(o.body) == ["apiVersion", "kind", "metadata", "spec"]
    assert dict(o.body) == yaml.safe_load(doc)


def test_two_bodies_of_one_text_are_equal_without_parsing() -> None:
    doc = _crd("    equal: texts\n") + "  marker: equal\nstatus: {}\n"
    (a,) = parse_objects(doc, "t.yaml", is_template=True)
    (b,) = parse_objects(doc, "t.yaml", is_template=True)
    assert a.body == b.body
    (c,) = parse_objects(doc.replace("line 3\n", "line 33\n"), "t.yaml", is_template=True)
    assert a.body != c.body


@pytest.mark.parametrize(
    "broken",
    [
        "        bad: [unclosed\n",  # invalid YAML in the large block
        "        ref: *nowhere\n",  # an alias without an anchor
    ],
)
def test_a_broken_large_block_is_an_error_when_the_document_is_read(broken: str) -> None:
    doc = _crd("    x: y\n").replace("          c]\n", "          c]\n" + broken, 1)
    with pytest.raises(SourceError, match=r"t\.yaml"):
        parse_objects(doc, "t.yaml", is_template=True)
