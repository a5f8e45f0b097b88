#!/usr/bin/env python3
"""For the GitHub Action: make a seatrial SARIF file's paths relative to the repository and
print each result as a workflow annotation (`::error file=...,line=...::message`).

seatrial writes locations relative to the chart (`templates/x.yaml`); code scanning resolves
them against the repository root, so a chart in `charts/app` needs the `charts/app/` prefix.

    python action_sarif.py SARIF_FILE TARGET      # run from the repository root
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any
from urllib.parse import unquote, urlparse

LEVELS = {"error": "error", "warning": "warning"}


def escape(text: object, prop: bool = False) -> str:
    """Workflow-command escaping: data escapes %, CR, LF; properties also ':' and ','."""
    out = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return out.replace(":", "%3A").replace(",", "%2C") if prop else out


def rebase(doc: dict[str, Any], base: str) -> None:
    """Paths relative to the working directory: through the run's CHARTROOT (the folder the
    paths are relative to; with several charts, their common folder) when it lies below the
    working directory, else prefixed with the target's folder `base`."""
    for run in doc.get("runs", []):
        root = run.get("originalUriBaseIds", {}).get("CHARTROOT", {}).get("uri", "")
        folder = unquote(urlparse(root).path) if root.startswith("file://") else ""
        for result in run.get("results", []):
            for loc in result.get("locations", []) + result.get("relatedLocations", []):
                art = loc.get("physicalLocation", {}).get("artifactLocation", {})
                uri = art.get("uri")
                if not uri or "://" in uri or uri.startswith("/"):
                    continue
                rel = os.path.relpath(os.path.join(folder, uri)) if folder else ""
                if folder and not rel.startswith(".."):
                    art["uri"] = rel.replace(os.sep, "/")
                    art.pop("uriBaseId", None)
                elif base != ".":
                    art["uri"] = f"{base}/{uri}"


def annotation_lines(doc: dict[str, Any]) -> list[str]:
    out = []
    for run in doc.get("runs", []):
        for result in run.get("results", []):
            props = f"title={escape(result.get('ruleId', 'seatrial'), True)}"
            phys = (result.get("locations") or [{}])[0].get("physicalLocation", {})
            uri = phys.get("artifactLocation", {}).get("uri")
            if uri:
                props += f",file={escape(uri, True)}"
                line = phys.get("region", {}).get("startLine")
                if line:
                    props += f",line={int(line)}"
            level = LEVELS.get(result.get("level", ""), "notice")
            out.append(f"::{level} {props}::{escape(result.get('message', {}).get('text', ''))}")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    sarif_path, target = argv[1], argv[2]
    base = target if os.path.isdir(target) else os.path.dirname(target) or "."
    base = os.path.relpath(base).replace(os.sep, "/")
    with open(sarif_path, encoding="utf-8") as fh:
        doc = json.load(fh)
    rebase(doc, base)
    for line in annotation_lines(doc):
        print(line)
    with open(sarif_path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=2)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
