"""What `seatrial assets` is pointed at, turned into a list of `AssetSource`s.

An argument is an archive file, an http(s) URL, or a kOps cluster spec (`kind: Cluster` YAML).
Any of them may carry an expected hash as a URL fragment: `URL#sha256=<hex>`. From a cluster
spec every package block the installer downloads is read, wherever it sits in `spec`
(`containerd.packages`, `containerd.runc.packages`, `docker.packages`, ...): the URL and hash for
the chosen architecture (`urlAmd64`/`hashAmd64`, `urlArm64`/`hashArm64`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from seatrial import yamlguard
from seatrial.assets.download import parse_sha256, redact
from seatrial.errors import SourceError, UsageError

ARCHES = ("amd64", "arm64")
_SPEC_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class AssetSource:
    """One archive to index: a path or URL, and the sha256 it must have when one was given."""

    location: str
    sha256: str | None

    @property
    def is_url(self) -> bool:
        return is_url(self.location)

    @property
    def shown(self) -> str:
        """The location as messages show it (credentials and tokens hidden)."""
        return redact(self.location) if self.is_url else self.location

    @property
    def filename(self) -> str:
        if self.is_url:
            return urlsplit(self.location).path.rstrip("/").rsplit("/", 1)[-1] or self.shown
        return self.location


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _split_hash(text: str, where: str) -> tuple[str, str | None]:
    location, sep, fragment = text.partition("#")
    if not sep:
        return text, None
    key, eq, value = fragment.partition("=")
    if not eq or key != "sha256":
        raise UsageError(f"{where}: unknown suffix #{fragment!r} (use #sha256=<hex>)")
    return location, parse_sha256(value, where)


def asset_sources(args: tuple[str, ...], extra: tuple[str, ...], arch: str) -> list[AssetSource]:
    """Every archive named by the arguments and by `--with`, in order, without repeats."""
    if arch not in ARCHES:
        raise UsageError(f"unknown architecture {arch!r} (use {' or '.join(ARCHES)})")
    found: list[AssetSource] = []
    for arg in (*args, *extra):
        found.extend(_from_argument(arg, arch))
    for src in found:
        if src.is_url:
            try:
                urlsplit(src.location).port  # noqa: B018 - raises on a malformed URL or port
            except ValueError:
                raise UsageError(f"{src.shown}: invalid URL") from None
    seen: set[str] = set()
    unique = []
    for src in found:
        if src.location not in seen:
            seen.add(src.location)
            unique.append(src)
    if not unique:
        raise UsageError("no archives to index: name archive files, URLs or a kOps cluster spec")
    return unique


def _from_argument(arg: str, arch: str) -> list[AssetSource]:
    location, sha = _split_hash(arg, redact(arg) if is_url(arg) else arg)
    if is_url(location):
        return [AssetSource(location, sha)]
    path = Path(location)
    if not path.is_file():
        raise SourceError(f"{location}: no such file")
    if path.suffix.lower() in _SPEC_SUFFIXES:
        return list(cluster_spec_assets(path, arch))
    return [AssetSource(location, sha)]


def cluster_spec_assets(path: Path, arch: str) -> Iterator[AssetSource]:
    """The package URLs a kOps cluster spec names for `arch`."""
    try:
        text = path.read_text(encoding="utf-8")
        docs = [d for d in yamlguard.safe_load_all(text) if d is not None]
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    clusters = [d for d in docs if isinstance(d, Mapping) and d.get("kind") == "Cluster"]
    if not clusters:
        raise SourceError(f"{path}: not a kOps cluster spec (no document with kind: Cluster)")
    suffix = arch.capitalize()
    count = 0
    for cluster in clusters:
        spec = cluster.get("spec")
        if not isinstance(spec, Mapping):
            raise SourceError(f"{path}: the Cluster has no spec")
        for field, block in _package_blocks(spec, "spec"):
            url = block.get(f"url{suffix}")
            if not url:
                continue
            if not isinstance(url, str) or not is_url(url):
                raise SourceError(f"{path}: {field}.url{suffix} is not an http(s) URL")
            where = f"{path}: {field}.hash{suffix}"
            raw_hash = block.get(f"hash{suffix}")
            sha = parse_sha256(str(raw_hash), where) if raw_hash else None
            count += 1
            yield AssetSource(url, sha)
    if not count:
        raise SourceError(f"{path}: the cluster spec names no package URL for {arch}")


def _package_blocks(node: Any, field: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every mapping under `node` shaped like kOps' PackagesConfig, with its field path."""
    if isinstance(node, Mapping):
        if any(f"url{a.capitalize()}" in node for a in ARCHES):
            yield field, node
        for key, value in node.items():
            yield from _package_blocks(value, f"{field}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _package_blocks(value, f"{field}[{i}]")
