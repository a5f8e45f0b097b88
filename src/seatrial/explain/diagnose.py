"""From evidence to diagnoses: run every rule on every subject, keep the specific causes,
and say "no known cause" (with the evidence) for what still fails."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from seatrial.explain.evidence import Evidence, Line, Origin, Pod
from seatrial.explain.patterns import job_names, sibling_groups
from seatrial.explain.release import owner_chain, release_of
from seatrial.explain.rules import (
    Hit,
    Rule,
    match_claim,
    match_container,
    match_pod,
    match_text,
)
from seatrial.findings import Location, ObjectRef

UNKNOWN = "unknown"
MAX_EVIDENCE = 12
_ERRORISH = re.compile(
    r"(?i)\b(error|fail(ed|ure)?|fatal|panic|exception|denied|refused|"
    r"not found|no such|timed? ?out|killed|back-?off)\b"
)


@dataclass
class Diagnosis:
    cls: str
    title: str
    related_check: str | None
    see_also: tuple[str, ...]
    object: ObjectRef | None
    owner: ObjectRef | None
    container: str | None
    symptom: str
    root_cause: str
    fix: str
    best_practice: str
    evidence: list[Line]
    seed: str = ""
    release: str = ""
    captures: dict[str, str] = field(default_factory=dict)
    source: Location | None = None
    related_sources: list[Location] = field(default_factory=list)
    link_note: str = ""

    @property
    def known(self) -> bool:
        return self.cls != UNKNOWN


class _Fill(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return f"<{key}?>"


def _render(text: str, values: Mapping[str, str]) -> str:
    """An empty value is shown as missing (`<image?>`), never as nothing (`no image .`)."""
    known = {k: v for k, v in values.items() if str(v).strip()}
    return string.Formatter().vformat(text, (), _Fill(known)).strip()


def _diagnosis(
    rule: Rule,
    hit: Hit,
    obj: ObjectRef | None,
    owner: ObjectRef | None,
    base: Mapping[str, str],
    release: str = "",
) -> Diagnosis:
    values = {**base, **hit.captures}
    if hit.container:
        values["container"] = hit.container
        values["who"] = f"container {hit.container} of {values.get('object', 'the input')}"
    elif obj is not None and obj.kind == "Pod":
        values["who"] = f"pod {obj.name} of {values.get('object', '')}"
    else:
        values.setdefault("who", "container in the input")
    ex = {k: _render(v, values) for k, v in rule.explain.items()}
    return Diagnosis(
        cls=rule.cls,
        title=rule.title,
        related_check=rule.related_check,
        see_also=rule.see_also,
        object=obj,
        owner=owner,
        container=hit.container,
        symptom=ex["symptom"],
        root_cause=ex["root_cause"],
        fix=ex["fix"],
        best_practice=ex["best_practice"],
        evidence=hit.lines[:MAX_EVIDENCE],
        seed=rule.seed,
        release=release,
        captures=dict(hit.captures),
    )


def diagnose(ev: Evidence, rules: list[Rule]) -> list[Diagnosis]:
    out: list[Diagnosis] = []
    for pod in sorted(ev.pods.values(), key=lambda p: (p.ref.namespace, p.ref.name)):
        out.extend(_diagnose_pod(pod, ev, rules))
    out.extend(_diagnose_claims(ev, rules))
    out.extend(_diagnose_jobs(ev, rules))
    out.extend(_diagnose_text(ev, rules))
    return out


def _pod_values(pod: Pod, owner: ObjectRef) -> dict[str, str]:
    return {
        "pod": pod.ref.name,
        "namespace": pod.ref.namespace,
        "object": owner.label(),
        "image": next((c.image for c in pod.containers if c.image), ""),
    }


def _diagnose_pod(pod: Pod, ev: Evidence, rules: list[Rule]) -> list[Diagnosis]:
    chain = owner_chain(pod, ev)
    owner = chain[-1]
    release = release_of(chain, pod, ev)
    events = ev.events_for("Pod", pod.ref.namespace, pod.ref.name)
    base = _pod_values(pod, owner)
    found: dict[tuple[str, str | None], tuple[Rule, Hit]] = {}
    # each container's events, once per pod (not once per rule alternative)
    mine = {c.name: [e for e in events if e.container() in (None, c.name)] for c in pod.containers}
    for rule in (r for r in rules if r.subject == "pod"):
        for alt in rule.when:
            hits: list[Hit] = []
            for c in pod.containers:
                hit = match_container(alt, pod, c, mine[c.name])
                if hit is not None:
                    if not hit.used_container:
                        hit.container = None
                    hits.append(hit)
            pod_hit = match_pod(alt, pod, events)
            if pod_hit is not None:
                hits.append(pod_hit)
            for hit in hits:
                key = (rule.cls, hit.container)
                if key in found:
                    found[key][1].merge(hit)
                else:
                    found[key] = (rule, hit)
    # A pod-level hit of a rule that also matched a container is the same diagnosis.
    for (cls, container), (_, hit) in list(found.items()):
        if container is None and any(k[0] == cls and k[1] is not None for k in found):
            target = next(v[1] for k, v in found.items() if k[0] == cls and k[1] is not None)
            target.merge(hit)
            del found[(cls, container)]
    specific = {k for k, (r, _) in found.items() if not r.fallback}
    diagnoses: list[Diagnosis] = []
    for key, (rule, hit) in sorted(found.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        if rule.fallback and any(s[1] in (key[1], None) or key[1] is None for s in specific):
            continue
        values = dict(base)
        state = next((c for c in pod.containers if c.name == hit.container), None)
        if state is not None:
            values["image"] = state.image or values["image"]
            values["reason"] = state.reason or state.last_reason
            code = state.exit_code if state.exit_code is not None else state.last_exit_code
            values["exit_code"] = "" if code is None else str(code)
        d = _diagnosis(rule, hit, pod.ref, owner, values, release)
        _add_context(d, pod, hit.container)
        diagnoses.append(d)
    if not diagnoses and pod.is_failing():
        diagnoses.append(_unknown_pod(pod, owner, release, events))
    return diagnoses


def _add_context(d: Diagnosis, pod: Pod, container: str | None) -> None:
    """Put the container's status first when the match came from logs or events only."""
    for c in pod.containers:
        if c.name == container:
            for line in reversed(c.status_lines()):
                if line not in d.evidence:
                    d.evidence.insert(0, line)
    del d.evidence[MAX_EVIDENCE:]


def _unknown_pod(pod: Pod, owner: ObjectRef, release: str, events: list[Any]) -> Diagnosis:
    lines: list[Line] = []
    failing = [c for c in pod.containers if c.is_failing()]
    for c in failing:
        lines.extend(c.status_lines())
        lines.extend([ln for ln in c.logs if _ERRORISH.search(ln.text)][-5:] or c.logs[-5:])
    lines.extend(e.line() for e in events if e.type == "Warning")
    for cond in pod.conditions:
        if cond.status == "False" and cond.message:
            lines.append(
                Line(f"condition {cond.type}=False {cond.reason}: {cond.message}", pod.origin)
            )
    if not lines:
        lines.append(Line(f"pod phase {pod.phase or 'unknown'}", pod.origin))
    state = ", ".join(f"{c.name}: {c.reason or c.state}" for c in failing) or pod.phase
    return Diagnosis(
        cls=UNKNOWN,
        title="No known cause",
        related_check=None,
        see_also=(),
        object=pod.ref,
        owner=owner,
        container=failing[0].name if len(failing) == 1 else None,
        symptom=f"Pod {pod.ref.name} ({owner.label()}) is failing ({state}).",
        root_cause="No known cause: no rule matches this evidence.",
        fix="Read the evidence below; `kubectl logs --previous` and `kubectl describe` of the "
        "pod may hold more.",
        best_practice="If this failure recurs, add a rule for it (docs/explain.md).",
        evidence=lines[:MAX_EVIDENCE],
        release=release,
    )


def _diagnose_claims(ev: Evidence, rules: list[Rule]) -> list[Diagnosis]:
    out: list[Diagnosis] = []
    for (kind, ns, name), body in sorted(ev.objects.items()):
        if kind != "PersistentVolumeClaim":
            continue
        status = body.get("status")
        phase = str(status.get("phase", "")) if isinstance(status, Mapping) else ""
        origin = ev.object_origins.get((kind, ns, name), Origin(""))
        ref = ObjectRef(kind, name, ns, "v1")
        status_line = Line(f"PersistentVolumeClaim {name} phase {phase or 'unknown'}", origin)
        events = ev.events_for(kind, ns, name)
        for rule in (r for r in rules if r.subject == "claim"):
            hit = _merged(match_claim(alt, phase, events, status_line) for alt in rule.when)
            if hit is not None:
                out.append(
                    _diagnosis(
                        rule, hit, ref, ref, {"object": ref.label(), "namespace": ns, "pod": ""}
                    )
                )
    return out


def _diagnose_jobs(ev: Evidence, rules: list[Rule]) -> list[Diagnosis]:
    owners = [(o.kind, p.ref.namespace, o.name) for p in ev.pods.values() for o in p.owners]
    jobs = job_names(ev.of_kind("Job"), owners)
    out: list[Diagnosis] = []
    for rule in (r for r in rules if r.subject == "jobs"):
        for alt in rule.when:
            for group in sibling_groups(jobs, alt.min_count):
                ref = ObjectRef("Job", f"{group.prefix}-*", group.namespace, "batch/v1")
                lines = [
                    Line(
                        f"Job {n}",
                        ev.object_origins.get(("Job", group.namespace, n))
                        or _pod_origin_for_job(ev, group.namespace, n),
                    )
                    for n in group.names
                ]
                hit = Hit(
                    {
                        "prefix": group.prefix,
                        "count": str(len(group.names)),
                        "names": ", ".join(group.names[:5]),
                    },
                    lines,
                )
                out.append(
                    _diagnosis(
                        rule,
                        hit,
                        ref,
                        ref,
                        {"object": ref.label(), "namespace": group.namespace, "pod": ""},
                    )
                )
    return out


def _merged(hits: Iterable[Hit | None]) -> Hit | None:
    """The first hit of a rule's alternatives, with the evidence of the others added."""
    out: Hit | None = None
    for h in hits:
        if h is None:
            continue
        if out is None:
            out = h
        else:
            out.merge(h)
    return out


def _pod_origin_for_job(ev: Evidence, ns: str, job: str) -> Origin:
    for p in ev.pods.values():
        if p.ref.namespace == ns and any(o.kind == "Job" and o.name == job for o in p.owners):
            return p.origin
    return Origin("")


def _diagnose_text(ev: Evidence, rules: list[Rule]) -> list[Diagnosis]:
    lines = ev.loose_lines
    if not lines:
        return []
    out: list[Diagnosis] = []
    for rule in (r for r in rules if r.subject == "pod"):
        hit = _merged(match_text(alt, lines) for alt in rule.when)
        if hit is not None:
            out.append(
                _diagnosis(
                    rule,
                    hit,
                    None,
                    None,
                    {"object": "the input", "pod": "", "namespace": "", "image": "the image"},
                )
            )
    specific = [d for d in out if not _is_fallback(d, rules)]
    if specific:
        out = specific
    errorish = [ln for ln in lines if _ERRORISH.search(ln.text)] if not out else []
    if errorish:  # a healthy log (nothing error-like, no rule) is no diagnosis: exit 0
        shown = errorish[:MAX_EVIDENCE]
        out.append(
            Diagnosis(
                cls=UNKNOWN,
                title="No known cause",
                related_check=None,
                see_also=(),
                object=None,
                owner=None,
                container=None,
                symptom=f"{len(lines)} input line(s); {len(errorish)} look like errors.",
                root_cause="No known cause: no rule matches this evidence.",
                fix="Give `seatrial explain` the pod's `kubectl describe` output or a cluster "
                "dump: exit codes, reasons and events often name the cause.",
                best_practice="If this failure recurs, add a rule for it (docs/explain.md).",
                evidence=shown,
            )
        )
    return out


def _is_fallback(d: Diagnosis, rules: list[Rule]) -> bool:
    return any(r.cls == d.cls and r.fallback for r in rules)
