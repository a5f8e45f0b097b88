from __future__ import annotations

import pytest

from seatrial.errors import UsageError
from seatrial.render.kube import (
    KubeVersion,
    parse_constraint,
    parse_kube_versions,
    released,
    select_versions,
)


def labels(vs: list[KubeVersion]) -> list[str]:
    return [v.label for v in vs]


def test_table_covers_119_to_135() -> None:
    minors = [v.minor for v in released()]
    assert minors[0] == 19 and minors[-1] >= 35 and minors == sorted(minors)


@pytest.mark.parametrize(
    ("constraint", "ok", "not_ok"),
    [
        (">=1.26.0-0", ["1.26", "1.35", "1.32-eks"], ["1.25"]),
        (">=1.26.0", ["1.26", "1.35"], ["1.25", "1.32-eks"]),
        (">= 1.22, < 1.30", ["1.22", "1.29"], ["1.21", "1.30"]),
        ("~1.28", ["1.28"], ["1.29", "1.27"]),
        ("^1.20", ["1.20", "1.35"], ["1.19"]),
        ("1.24 - 1.26", ["1.24", "1.26"], ["1.23", "1.27"]),
        ("<1.23 || >=1.33", ["1.22", "1.33"], ["1.23", "1.32"]),
        (">1.30", ["1.31"], ["1.30"]),
        ("1.29.x", ["1.29"], ["1.28", "1.30"]),
    ],
)
def test_constraints(constraint: str, ok: list[str], not_ok: list[str]) -> None:
    pred = parse_constraint(constraint)
    for spec in ok:
        assert pred(parse_kube_versions(spec)[0]), (constraint, spec)
    for spec in not_ok:
        assert not pred(parse_kube_versions(spec)[0]), (constraint, spec)


def test_default_is_newest_six_inside_constraint() -> None:
    versions, _ = select_versions("<1.30.0-0", None)
    assert labels(versions) == ["1.24", "1.25", "1.26", "1.27", "1.28", "1.29"]


def test_requested_versions_outside_constraint_are_excluded() -> None:
    versions, excluded = select_versions(">=1.28.0-0", parse_kube_versions("1.27-1.29"))
    assert labels(versions) == ["1.28", "1.29"] and labels(excluded) == ["1.27"]


def test_ranges_lists_and_eks() -> None:
    assert labels(parse_kube_versions("1.27-1.29")) == ["1.27", "1.28", "1.29"]
    assert labels(parse_kube_versions("1.30,1.29")) == ["1.29", "1.30"]
    eks = parse_kube_versions("1.32-eks")[0]
    assert eks.helm.startswith("v1.32.") and "-eks-" in eks.helm


@pytest.mark.parametrize("bad", ["1.x-y", "latest", "1.33-1.27", ""])
def test_bad_versions_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_kube_versions(bad)


@pytest.mark.parametrize("unknown", ["9.99", "1.10", "2.1"])
def test_unknown_minors_are_refused_unless_given_in_full(unknown: str) -> None:
    with pytest.raises(UsageError, match="not a released minor"):
        parse_kube_versions(unknown)
    assert parse_kube_versions("1.36.0")[0].helm == "v1.36.0"
