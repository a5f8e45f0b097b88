"""The alias-bomb guard every YAML loader goes through."""

from __future__ import annotations

import pytest
import yaml
from tests.hostile.support import BOMB

from seatrial import yamlguard
from seatrial.errors import SourceError
from seatrial.objects.parse import parse_objects


def test_bomb_is_refused_with_its_line() -> None:
    with pytest.raises(yaml.YAMLError) as info:
        yamlguard.safe_load(BOMB)
    assert "excessive aliasing" in str(info.value)


def test_ordinary_aliases_still_load() -> None:
    assert yamlguard.safe_load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}
    assert yamlguard.safe_load_all("a: 1\n---\nb: 2\n") == [{"a": 1}, {"b": 2}]


def test_parse_objects_refuses_bomb() -> None:
    with pytest.raises(SourceError, match=r"^m.yaml:\d+: invalid YAML: excessive aliasing"):
        parse_objects("kind: ConfigMap\n" + BOMB, "m.yaml", is_template=False)
