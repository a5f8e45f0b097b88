"""Diagnoses out: text, JSON and a Markdown incident write-up. Secret values never leave:
every string goes through the redaction layer (`seatrial.redact`: the values of Secrets seen in
the input, as written in `data` and decoded, in any of their forms and of any length, registry
credentials) and loses `password=...`-style assignments before it is written; control
characters from the input are escaped."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable
from typing import Any, TextIO

from seatrial.errors import UsageError
from seatrial.explain.diagnose import Diagnosis
from seatrial.findings import Location
from seatrial.redact import Redactor as SharedRedactor
from seatrial.redact import known, registry_secrets, scrub

FORMATS = ("text", "json", "markdown")
REDACTED = "<redacted>"
_ASSIGNMENT = re.compile(
    r"(?i)(?<![\w.-])(?P<key>[\w.-]*(?:password|passwd|secret|token|api[_-]?key|credentials?))"
    r"(?P<sep>\s*[=:]\s*|\"\s*:\s*\")(?P<value>[^\s\"',;&]+)"
)


class Redactor(SharedRedactor):
    """The shared layer (Secret values of the input, the release's secret-looking values,
    registry credentials, in any of their forms) plus `password=...`-style assignments."""

    def text(self, text: str) -> str:
        return _ASSIGNMENT.sub(
            lambda m: f"{m.group('key')}{m.group('sep')}{REDACTED}", super().text(text)
        )

    def diagnosis(self, d: Diagnosis) -> Diagnosis:
        clean: Diagnosis = scrub(d, self)
        return clean


def write(
    diagnoses: list[Diagnosis], fmt: str, stream: TextIO, secrets: Iterable[str], sources: list[str]
) -> None:
    public = {
        n
        for d in diagnoses
        for ref in (d.object, d.owner)
        if ref
        for n in (ref.name, ref.namespace)
    } | {d.container for d in diagnoses if d.container}
    redact = Redactor([*known(), *registry_secrets(), *secrets], REDACTED, public)
    clean = [redact.diagnosis(d) for d in diagnoses]
    sources = [scrub(s, redact) for s in sources]
    if fmt == "text":
        _text(clean, stream, sources)
    elif fmt == "json":
        _json(clean, stream, sources)
    elif fmt == "markdown":
        _markdown(clean, stream)
    else:
        raise UsageError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")


def to_json(d: Diagnosis) -> dict[str, Any]:
    return {
        "class": d.cls,
        "title": d.title,
        "related_check": d.related_check,
        "see_also": list(d.see_also),
        "object": d.object.to_json() if d.object else None,
        "owner": d.owner.to_json() if d.owner else None,
        "container": d.container,
        "release": d.release or None,
        "symptom": d.symptom,
        "root_cause": d.root_cause,
        "fix": d.fix,
        "best_practice": d.best_practice,
        "evidence": [{"text": ln.text, **ln.origin.to_json()} for ln in d.evidence],
        "source": d.source.to_json() if d.source else None,
        "related_sources": [r.to_json() for r in d.related_sources],
        "link_note": d.link_note or None,
    }


def _json(ds: list[Diagnosis], stream: TextIO, sources: list[str]) -> None:
    doc = {"diagnoses": [to_json(d) for d in ds], "inputs": sources}
    stream.write(json.dumps(doc, indent=2))  # one write: stdout may be unbuffered
    stream.write("\n")


def _subject(d: Diagnosis) -> str:
    if d.object is None:
        return "the input"
    out = d.object.label()
    if d.owner and d.owner != d.object:
        out += f" of {d.owner.kind}/{d.owner.name}"
    if d.container:
        out += f", container {d.container}"
    return out


def _wrap(label: str, text: str, width: int = 100) -> str:
    head = f"  {label:<15}"
    return textwrap.fill(text, width=width, initial_indent=head, subsequent_indent=" " * len(head))


def _loc(loc: Location) -> str:
    return loc.label() + (f" ({loc.note})" if loc.note else "")


def _text(ds: list[Diagnosis], stream: TextIO, sources: list[str]) -> None:
    if not ds:
        stream.write(f"no failing pods, claims or jobs found in {', '.join(sources)}\n")
        return
    for i, d in enumerate(ds):
        if i:
            stream.write("\n")
        related = f"  [{d.related_check}]" if d.related_check else ""
        stream.write(f"{d.cls}: {_subject(d)}{related}\n")
        stream.write(_wrap("symptom:", d.symptom) + "\n")
        stream.write(_wrap("root cause:", d.root_cause) + "\n")
        stream.write(_wrap("fix:", d.fix) + "\n")
        stream.write(_wrap("best practice:", d.best_practice) + "\n")
        if d.source:
            stream.write(_wrap("source:", _loc(d.source)) + "\n")
        for r in d.related_sources:
            stream.write(_wrap("see also:", _loc(r)) + "\n")
        if d.link_note:
            stream.write(_wrap("chart:", d.link_note) + "\n")
        stream.write("  evidence:\n")
        for ln in d.evidence:
            stream.write(
                f"    {ln.origin.label()}: {ln.text}\n" if ln.origin.file else f"    {ln.text}\n"
            )
    known = sum(d.known for d in ds)
    stream.write(
        f"\n{len(ds)} diagnosis(es): {known} with a known cause, {len(ds) - known} without.\n"
    )


def _markdown(ds: list[Diagnosis], stream: TextIO) -> None:
    """One write-up per diagnosis, in the seeds' order: background, symptom, root cause,
    fix, best practice, summary."""
    if not ds:
        stream.write("# No failure found\n\nThe input shows no failing pod, claim or job.\n")
        return
    for i, d in enumerate(ds):
        if i:
            stream.write("\n---\n\n")
        where = _subject(d)
        stream.write(f"# {d.title}: {where}\n\n")
        stream.write("## Background\n\n")
        bits = [f"Object: `{where}`."]
        if d.release:
            bits.append(f"Helm release: `{d.release}`.")
        if d.related_check:
            bits.append(
                f"seatrial check that catches this before release: {d.related_check}"
                + (f" (see also {', '.join(d.see_also)})" if d.see_also else "")
                + "."
            )
        stream.write(" ".join(bits) + "\n\n")
        stream.write(f"## Symptom\n\n{d.symptom}\n\n")
        if d.evidence:
            stream.write("```\n")
            for ln in d.evidence:
                stream.write(f"{ln.text}\n")
            stream.write("```\n\n")
            origins = sorted({ln.origin.label() for ln in d.evidence if ln.origin.file})
            if origins:
                stream.write("Evidence from: " + ", ".join(f"`{o}`" for o in origins) + "\n\n")
        stream.write(f"## Root cause\n\n{d.root_cause}\n\n")
        if d.source:
            stream.write(
                f"The line to change: `{_loc(d.source)}`"
                + (f" ({d.link_note})" if d.link_note else "")
                + ".\n\n"
            )
        elif d.link_note:
            stream.write(f"{d.link_note}\n\n")
        stream.write(f"## Fix\n\n{d.fix}\n\n")
        stream.write(f"## Best practice\n\n{d.best_practice}\n\n")
        summary = (
            f"{where}: {d.title.lower()}."
            if d.known
            else f"{where}: no known cause; the evidence above is all that was found."
        )
        stream.write(f"## Summary\n\n{summary}\n")
