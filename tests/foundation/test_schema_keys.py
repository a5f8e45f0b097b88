"""render/schemakeys.py: the value paths a values schema looks at, kept in render keys."""

from __future__ import annotations

import json
from pathlib import Path

from seatrial.render.deps import Analysis
from seatrial.render.schemakeys import SchemaPath, chart_schema_paths, schema_paths


def _paths(schema: object) -> set[tuple[tuple[str, ...], bool]]:
    return {(p.path, p.whole) for p in schema_paths(schema)}


def test_annotations_look_at_nothing_and_object_types_at_the_shape() -> None:
    schema = {
        "$schema": "http://json-schema.org/schema#",
        "type": "object",
        "properties": {
            "ingress": {
                "type": "object",
                "form": True,
                "title": "Ingress",
                "properties": {
                    "enabled": {"type": "boolean", "form": True},
                    "note": {"description": "free text", "default": "x"},
                },
            },
            "any": {},
            "yes": True,
        },
    }
    assert _paths(schema) == {((), False), (("ingress",), False), (("ingress", "enabled"), True)}


def test_what_the_walk_does_not_follow_is_looked_at_whole() -> None:
    schema = {
        "type": "object",
        "required": ["image"],
        "properties": {
            "image": {"type": "object", "additionalProperties": False, "properties": {}},
            "ports": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
            "labels": {"patternProperties": {"^a": {"type": "string"}}},
            "remote": {"$ref": "https://example.com/schema.json"},
        },
    }
    assert _paths(schema) == {
        ((), False),
        (("image",), False),  # required: present or not
        (("image",), True),
        (("ports",), True),
        (("labels",), True),
        (("remote",), True),
    }


def test_local_refs_are_followed_and_a_closed_root_is_everything() -> None:
    schema = {
        "$defs": {
            "root": {"type": "object", "properties": {"a": {"$ref": "#/$defs/leaf"}}},
            "leaf": {"type": "string"},
            "loop": {"$ref": "#/$defs/loop"},
        },
        "$ref": "#/$defs/root",
        "properties": {"b": {"$ref": "#/$defs/loop"}},
    }
    assert _paths(schema) == {((), False), (("a",), True), (("b",), True)}
    closed = {"type": "object", "additionalProperties": False, "properties": {}}
    assert _paths(closed) == {((), True)}


def test_a_subchart_schema_looks_under_its_alias_and_at_globals(tmp_path: Path) -> None:
    (tmp_path / "values.schema.json").write_text(
        json.dumps(
            {
                "type": "object",
                "properties": {
                    "port": {"type": "integer"},
                    "global": {"properties": {"registry": {"type": "string"}}},
                },
            }
        )
    )
    got = chart_schema_paths(tmp_path, [("db",), ("cache",)])
    assert got is not None
    assert {(p.path, p.whole) for p in got} >= {
        (("db", "port"), True),
        (("cache", "port"), True),
        (("db", "global", "registry"), True),
        (("global", "registry"), True),
    }
    assert chart_schema_paths(tmp_path, [()]) is not None
    (tmp_path / "values.schema.json").write_text('{"type": "object", "required": [')
    assert chart_schema_paths(tmp_path, [()]) is None  # unreadable: every value is keyed
    (tmp_path / "values.schema.json").write_text('{"additionalProperties": false}')
    assert chart_schema_paths(tmp_path, [()]) is None
    assert SchemaPath(("db",), True) in (chart_schema_paths(tmp_path, [("db",)]) or [])


def test_the_render_key_holds_what_the_schema_looks_at_unless_asked_not_to() -> None:
    a = Analysis(
        reads={"t.yaml": {("x",)}},
        caps=set(),
        release=set(),
        random=set(),
        always=set(),
        structural=set(),
        outputs={"t.yaml"},
    )
    a.schema_keys = [SchemaPath(("replicas",), True), SchemaPath(("image",), False)]
    sub = frozenset({"t.yaml"})
    key = a.render_key
    assert key(sub, {"replicas": 2}) != key(sub, {"replicas": "three"})
    assert key(sub, {"replicas": 2}, schema=False) == key(sub, {"replicas": "three"}, schema=False)
    assert key(sub, {"image": {"tag": "a"}}) == key(sub, {"image": {"tag": "b"}})
    assert key(sub, {"image": {"tag": "a"}}) != key(sub, {"image": "a:b"})
    assert key(sub, {"other": 1}) == key(sub, {"other": 2})
    a.schema_keys = None
    a._key_paths.clear()
    assert key(sub, {"other": 1}) != key(sub, {"other": 2})
