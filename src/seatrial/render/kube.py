"""Kubernetes versions: the built-in table of released minors, Helm `kubeVersion` constraints
(Masterminds semver syntax, as Helm evaluates them), and `--kube-versions` parsing."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from seatrial.errors import UsageError

#: latest patch of every released minor (the newest first in `released()`)
LATEST_PATCH: dict[int, int] = {
    19: 16,
    20: 15,
    21: 14,
    22: 17,
    23: 17,
    24: 17,
    25: 16,
    26: 15,
    27: 16,
    28: 15,
    29: 15,
    30: 14,
    31: 13,
    32: 10,
    33: 6,
    34: 2,
    35: 0,
}
DEFAULT_COUNT = 6
#: the suffix EKS puts on its server version (`v1.32.3-eks-4b8d8a3`, Minor "32+"): semver
#: sees a prerelease, which `kubeVersion: ">=1.25.0"` (without `-0`) rejects
EKS_SUFFIX = "-eks-4b8d8a3"


@dataclass(frozen=True, order=True)
class KubeVersion:
    major: int
    minor: int
    patch: int
    suffix: str = ""

    @property
    def helm(self) -> str:
        """The form Helm's `--kube-version` takes."""
        return f"v{self.major}.{self.minor}.{self.patch}{self.suffix}"

    @property
    def label(self) -> str:
        return f"{self.major}.{self.minor}" + ("-eks" if self.suffix else "")


def released() -> list[KubeVersion]:
    return [KubeVersion(1, m, p) for m, p in sorted(LATEST_PATCH.items())]


# ---- constraints -----------------------------------------------------------------------------

_VER = re.compile(r"^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?(\+\S*)?$")


@dataclass(frozen=True)
class _Partial:
    major: int | None
    minor: int | None
    patch: int | None
    pre: bool  # constraint carries a prerelease (e.g. "-0"): prereleases may match


def _parse_partial(text: str) -> _Partial:
    m = _VER.match(text.strip())
    if not m:
        raise UsageError(f"invalid version {text!r} in kubeVersion constraint")

    def num(s: str | None) -> int | None:
        return None if s is None or s in "xX*" else int(s)

    return _Partial(num(m.group(1)), num(m.group(2)), num(m.group(3)), bool(m.group(4)))


def _key(v: KubeVersion) -> tuple[int, int, int]:
    return (v.major, v.minor, v.patch)


Pred = Callable[[KubeVersion], bool]


def _floor(p: _Partial) -> tuple[int, int, int]:
    return (p.major or 0, p.minor or 0, p.patch or 0)


def _next_up(p: _Partial) -> tuple[int, int, int]:
    """The smallest version above every version the partial names (for `<=1.2` and `=1.2`)."""
    if p.major is None:
        return (10**9, 0, 0)
    if p.minor is None:
        return (p.major + 1, 0, 0)
    if p.patch is None:
        return (p.major, p.minor + 1, 0)
    return (p.major, p.minor, p.patch + 1)


def _single(op: str, p: _Partial) -> Pred:
    lo, up = _floor(p), _next_up(p)
    exact = p.patch is not None
    preds: dict[str, Pred] = {
        "=": lambda v: lo <= _key(v) < up,
        "!=": lambda v: not (lo <= _key(v) < up),
        ">": lambda v: _key(v) >= up if not exact else _key(v) > lo,
        ">=": lambda v: _key(v) >= lo,
        "<": lambda v: _key(v) < lo,
        "<=": lambda v: _key(v) < up,
    }
    if op == "~":  # ~1.2.3 := >=1.2.3 <1.3.0 ; ~1 := >=1 <2
        top = (lo[0], lo[1] + 1, 0) if p.minor is not None else (lo[0] + 1, 0, 0)
        return lambda v: lo <= _key(v) < top
    if op == "^":  # ^1.2.3 := >=1.2.3 <2.0.0 (major 0 narrows)
        if lo[0] > 0 or p.minor is None:
            top = (lo[0] + 1, 0, 0)
        elif lo[1] > 0 or p.patch is None:
            top = (0, lo[1] + 1, 0)
        else:
            top = (0, 0, lo[2] + 1)
        return lambda v: lo <= _key(v) < top
    return preds[op]


_TERM = re.compile(r"(!=|>=|<=|=>|=<|>|<|=|~>|~|\^)?\s*(v?[0-9xX*][0-9A-Za-z.+\-*]*)")


def parse_constraint(text: str) -> Pred:
    """Compile a Helm `kubeVersion` constraint into a predicate over `KubeVersion`.

    Like Masterminds semver, a version with a prerelease (EKS's `-eks-...`) only satisfies
    a constraint whose own version carries a prerelease (the `-0` idiom)."""
    alternatives: list[list[tuple[Pred, bool]]] = []
    for alt in text.split("||"):
        alt = alt.strip()
        terms: list[tuple[Pred, bool]] = []
        hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", alt)
        if hyphen:
            lo, hi = _parse_partial(hyphen.group(1)), _parse_partial(hyphen.group(2))
            terms = [(_single(">=", lo), lo.pre), (_single("<=", hi), hi.pre)]
        else:
            rest = alt.replace(",", " ")
            for m in _TERM.finditer(rest):
                op = {"=>": ">=", "=<": "<=", "~>": "~", None: "="}.get(m.group(1), m.group(1))
                part = _parse_partial(m.group(2))
                terms.append((_single(op or "=", part), part.pre))
            if not terms and rest.strip():
                raise UsageError(f"invalid kubeVersion constraint {text!r}")
        alternatives.append(terms)

    def pred(v: KubeVersion) -> bool:
        for terms in alternatives:
            allow_pre = any(pre for _, pre in terms)
            if v.suffix and not allow_pre:
                continue
            if all(t(v) for t, _ in terms):
                return True
        return False

    return pred


def _parse_one(text: str) -> KubeVersion:
    text = text.strip().lstrip("v")
    eks = text.endswith("-eks")
    if eks:
        text = text[: -len("-eks")]
    m = re.fullmatch(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not m:
        raise UsageError(f"invalid Kubernetes version {text!r} (use 1.30, 1.30.2 or 1.30-eks)")
    major, minor = int(m.group(1)), int(m.group(2))
    if major != 1 or (minor not in LATEST_PATCH and not m.group(3)):
        lo, hi = min(LATEST_PATCH), max(LATEST_PATCH)
        raise UsageError(
            f"Kubernetes {major}.{minor} is not a released minor seatrial knows "
            f"(1.{lo}-1.{hi}); give a full version such as {major}.{minor}.0 "
            "to use it anyway"
        )
    patch = int(m.group(3)) if m.group(3) else LATEST_PATCH[minor]
    return KubeVersion(major, minor, patch, EKS_SUFFIX if eks else "")


def parse_kube_versions(spec: str) -> list[KubeVersion]:
    """`1.29,1.30`, `1.27-1.33` (every released minor between), `1.32-eks`."""
    out: list[KubeVersion] = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        rng = re.fullmatch(r"v?(\d+)\.(\d+)\s*-\s*v?(\d+)\.(\d+)", part)
        if rng:
            lo, hi = int(rng.group(2)), int(rng.group(4))
            if lo > hi:
                raise UsageError(f"empty Kubernetes version range {part!r}")
            out.extend(
                KubeVersion(1, m, p) for m, p in sorted(LATEST_PATCH.items()) if lo <= m <= hi
            )
            out.extend(KubeVersion(1, m, 0) for m in range(lo, hi + 1) if m not in LATEST_PATCH)
        else:
            out.append(_parse_one(part))
    if not out:
        raise UsageError(f"no Kubernetes versions in {spec!r}")
    return sorted(set(out))


def select_versions(
    constraint: str | None, requested: Sequence[KubeVersion] | None, count: int = DEFAULT_COUNT
) -> tuple[list[KubeVersion], list[KubeVersion]]:
    """(versions to render, requested versions the chart's constraint excludes)."""
    pred = parse_constraint(constraint) if constraint else (lambda v: True)
    if requested:
        keep = [v for v in requested if pred(v)]
        return keep, [v for v in requested if not pred(v)]
    ok = [v for v in released() if pred(v)]
    return ok[-count:], []


# Built-in API groups that appeared in a given minor. Helm's default capability set already
# has everything its own client library knows; these make `.Capabilities.APIVersions.Has`
# answer for the newest groups too. (Removed APIs cannot be taken away through the SDK.)
def api_versions_for(v: KubeVersion) -> list[str]:
    """Extra `.Capabilities.APIVersions` for version `v`: groups added recently, groups an
    old cluster still serves that Helm's client library no longer knows (PodSecurityPolicy),
    and the aggregation API every cluster serves since 1.10, which is not in Helm's default
    set (`helm template` renders prometheus-adapter's APIService as the unserved v1beta1;
    `helm install` asks the cluster and gets v1)."""
    extra: list[str] = ["apiregistration.k8s.io/v1", "apiregistration.k8s.io/v1/APIService"]
    if v.minor < 25:
        extra += [
            "policy/v1beta1",
            "policy/v1beta1/PodSecurityPolicy",
            "policy/v1beta1/PodDisruptionBudget",
            "batch/v1beta1",
            "batch/v1beta1/CronJob",
            "autoscaling/v2beta1",
            "autoscaling/v2beta1/HorizontalPodAutoscaler",
        ]
    if v.minor < 26:
        extra += ["autoscaling/v2beta2", "autoscaling/v2beta2/HorizontalPodAutoscaler"]
    if v.minor < 22:
        extra += [
            "networking.k8s.io/v1beta1",
            "networking.k8s.io/v1beta1/Ingress",
            "extensions/v1beta1",
            "extensions/v1beta1/Ingress",
        ]
    if v.minor >= 23:
        extra += ["autoscaling/v2", "autoscaling/v2/HorizontalPodAutoscaler"]
    if v.minor >= 21:
        extra += ["policy/v1", "policy/v1/PodDisruptionBudget", "batch/v1/CronJob"]
    return extra
