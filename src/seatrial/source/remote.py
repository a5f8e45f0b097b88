"""What in a source would reach the network, so `--offline` can refuse it with one line.

- A `values.schema.json` whose `$ref` (resolved against its `$id`) or `$schema` is an
  http(s) URL off this machine: Helm's schema validator downloads it on every render. Refused
  rather than skipped, because a skipped validation would pass values Helm rejects online;
  the fix is to vendor the referenced schema into the chart (or to drop `--offline`).
  Packed subcharts (`charts/*.tgz`) are looked into as well, as Helm validates them too.
- A kustomization whose `resources`, `bases`, `components`, `generators`, `transformers` or
  `validators` name something that is not a local path (a URL or a git repository such as
  `github.com/org/repo//dir?ref=v1`): kustomize downloads or clones it. Local bases are
  followed.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import yaml

from seatrial import yamlguard
from seatrial.errors import SourceError

MAX_SCHEMA_BYTES = 16 << 20
MAX_NESTING = 4  # charts inside packed charts inside ...
_BUILTIN_METASCHEMA_HOST = "json-schema.org"  # Helm's validator carries the drafts' metaschemas
_KUSTOMIZE_FIELDS = ("resources", "bases", "components", "generators", "transformers", "validators")
_KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def _off_machine(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return True
    if parts.scheme not in ("http", "https"):
        return False
    return not (host == "localhost" or host.startswith("127.") or host == "::1")


def _nodes(doc: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in `doc`, without recursion (schemas can nest deeply)."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def remote_refs(schema: Any) -> list[str]:
    """The off-machine URLs a JSON schema makes its validator fetch."""
    base = ""
    if isinstance(schema, dict) and isinstance(schema.get("$id"), str):
        base = schema["$id"]
    own = {
        urldefrag(urljoin(base, str(n["$id"])))[0]
        for n in _nodes(schema)
        if isinstance(n.get("$id"), str)
    }
    out = []
    for node in _nodes(schema):
        for key in ("$ref", "$dynamicRef", "$recursiveRef"):
            ref = node.get(key)
            if isinstance(ref, str):
                target = urldefrag(urljoin(base, ref))[0]
                if target not in own and _off_machine(target):
                    out.append(ref if "://" in ref else target)
        meta = node.get("$schema")
        if (
            isinstance(meta, str)
            and _off_machine(meta)
            and urlsplit(meta).hostname != _BUILTIN_METASCHEMA_HOST
        ):
            out.append(meta)
    return sorted(set(out))


def _schema_refs(text: str | bytes) -> list[str]:
    try:
        return remote_refs(json.loads(text))
    except (ValueError, RecursionError):
        return []  # Helm reports a broken schema itself


def _archive_refs(data: bytes, where: str, depth: int) -> Iterator[tuple[str, str]]:
    from seatrial.source.load import safe_tar_members

    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tf:
            for m in safe_tar_members(tf, where):
                name = PurePosixPath(m.name)
                wanted = name.name == "values.schema.json" or (
                    name.suffix == ".tgz" and depth < MAX_NESTING
                )
                if not m.isfile() or not wanted or m.size > MAX_SCHEMA_BYTES:
                    continue
                fh = tf.extractfile(m)
                if fh is None:
                    continue
                content = fh.read()
                if name.suffix == ".tgz":
                    yield from _archive_refs(content, f"{where}:{m.name}", depth + 1)
                else:
                    yield from ((f"{where}:{m.name}", r) for r in _schema_refs(content))
    except (tarfile.TarError, EOFError, OSError, ValueError):
        return  # Helm reports a broken subchart archive itself


def _packed_refs(path: Path, where: str) -> Iterator[tuple[str, str]]:
    try:
        if path.stat().st_size > 4 * MAX_SCHEMA_BYTES:
            return
        data = path.read_bytes()
    except OSError:
        return
    yield from _archive_refs(data, where, 1)


def schema_remote_refs(
    path: Path, is_archive: bool, files: dict[str, str]
) -> list[tuple[str, str]]:
    """(file, URL) for every off-machine reference in the chart's values schemas."""
    if is_archive:
        return list(_packed_refs(path, str(path)))
    out = [
        (f"{path}/{rel}", ref)
        for rel, text in sorted(files.items())
        if PurePosixPath(rel).name == "values.schema.json"
        for ref in _schema_refs(text)
    ]
    for packed in sorted(path.glob("**/charts/*.tgz")):
        out.extend(_packed_refs(packed, str(packed)))
    return out


def refuse_remote_schema(path: Path, is_archive: bool, files: dict[str, str]) -> None:
    found = schema_remote_refs(path, is_archive, files)
    if found:
        where, url = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise SourceError(
            f"{where}: refers to {url}{more}, which Helm downloads to validate "
            "values; --offline forbids it: vendor that schema into the chart, "
            "or run without --offline"
        )


def _kustomization(directory: Path) -> Path | None:
    return next((directory / n for n in _KUSTOMIZATION_NAMES if (directory / n).is_file()), None)


def kustomize_remote_entries(directory: Path) -> list[tuple[str, str]]:
    """(kustomization file, entry) for entries kustomize would fetch, following local bases."""
    out: list[tuple[str, str]] = []
    seen: set[Path] = set()
    todo = [directory.resolve()]
    while todo:
        current = todo.pop()
        kfile = _kustomization(current)
        if kfile is None or current in seen:
            continue
        seen.add(current)
        try:
            doc = yamlguard.safe_load(kfile.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # kustomize reports it
        if not isinstance(doc, dict):
            continue
        for key in _KUSTOMIZE_FIELDS:
            entries = doc.get(key)
            for entry in entries if isinstance(entries, list) else ():
                if not isinstance(entry, str) or "\n" in entry or not entry.strip():
                    continue  # inline generator or transformer configuration
                local = current / entry.strip()
                if local.exists():
                    if local.is_dir():
                        todo.append(local.resolve())
                    continue
                out.append((str(kfile), entry.strip()))
    return out


def refuse_remote_kustomize(directory: Path) -> None:
    found = kustomize_remote_entries(directory)
    if found:
        where, entry = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise SourceError(
            f"{where}: {entry!r}{more} is not a local path, so kustomize would "
            "download it; --offline forbids it: vendor it, or run without "
            "--offline"
        )
