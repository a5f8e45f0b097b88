"""Resolve every image a run needs, once each, concurrently: the engine's entry point.

    results = gather_images(refs, ImageOptions(platform="linux/amd64"))
    results["clastix/capsule:v0.10.0"]  # ImageFacts or ImageProblem

Keys are the references exactly as written in the manifests; two spellings of one image
(`nginx` and `docker.io/library/nginx:latest`) are fetched once. Nothing here raises for a
bad image: every failure becomes an `ImageProblem` naming its reason.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seatrial import progress
from seatrial.archive import ArchiveLimits
from seatrial.errors import RegistryError, SeatrialError
from seatrial.facts.files import FileIndex
from seatrial.facts.image import ImageFacts, ImageProblem, ImageResult, Layer
from seatrial.images.cache import Cache
from seatrial.images.index import index_layer
from seatrial.images.oci import BASE_DEADLINE, Descriptor, NotFound, ResolvedImage, Unverifiable
from seatrial.images.refs import InvalidReference, Reference, parse_reference

if TYPE_CHECKING:
    import httpx

    from seatrial.images.registry import RegistryClient

INDEX_FORMAT = 1
#: registry, archive, disk and malformed-data trouble: reported per image, never a traceback
_TROUBLE: tuple[type[BaseException], ...] = (SeatrialError, OSError, ValueError)


def _httpx_errors(*names: str) -> tuple[type[BaseException], ...]:
    """httpx's exception classes `names`, once httpx is imported (only when a registry is
    talked to: an `--offline` run reads the cache alone). Another thread may be importing it
    right now, its module not yet holding them (a warm run's fingerprints failed with
    "partially initialized module 'httpx'"): what is not there yet cannot have been raised."""
    httpx = sys.modules.get("httpx")
    found = (getattr(httpx, name, None) for name in names) if httpx is not None else ()
    return tuple(e for e in found if isinstance(e, type) and issubclass(e, BaseException))


def _trouble() -> tuple[type[BaseException], ...]:
    """`_TROUBLE`, with httpx's errors once a registry was talked to."""
    return (*_TROUBLE, *_httpx_errors("InvalidURL", "StreamError", "HTTPError"))


def _http_error(exc: BaseException) -> bool:
    return isinstance(exc, _httpx_errors("HTTPError"))


@dataclass(frozen=True)
class ImageOptions:
    offline: bool = False
    platform: str = "linux/amd64"
    mirrors: Mapping[str, str] = field(default_factory=dict)
    plain_http: frozenset[str] = frozenset()
    cache_dir: Path | None = None
    concurrency: int = 8
    progress: bool = False
    # below: for tests and benchmarks (fault injection, tight limits)
    transport: httpx.BaseTransport | None = field(default=None, compare=False)
    timeout: float = 30.0
    deadline: float = BASE_DEADLINE  # per exchange, see images.exchange
    retries: int = 4
    max_retry_wait: float = 30.0
    limits: ArchiveLimits = field(default_factory=ArchiveLimits)


_VERSION = re.compile(r"^(?P<prefix>\D*)(?P<nums>\d+(?:\.\d+)*)(?P<suffix>.*)$")


def _version(tag: str) -> tuple[str, tuple[int, ...], str] | None:
    m = _VERSION.match(tag)
    if not m:
        return None
    return m["prefix"], tuple(int(n) for n in m["nums"].split(".")), m["suffix"]


def nearest_tags(wanted: str, tags: Iterable[str]) -> tuple[str, ...]:
    """The closest published tags below and above `wanted` by version, among tags of the
    same shape (same prefix such as `v`, same suffix such as `-alpine`)."""
    want = _version(wanted)
    if want is None:
        return ()
    lower: tuple[tuple[int, ...], str] | None = None
    higher: tuple[tuple[int, ...], str] | None = None
    for tag in tags:
        v = _version(tag)
        if v is None or (v[0], v[2]) != (want[0], want[2]) or v[1] == want[1]:
            continue
        if v[1] < want[1] and (lower is None or v[1] > lower[0]):
            lower = (v[1], tag)
        if v[1] > want[1] and (higher is None or v[1] < higher[0]):
            higher = (v[1], tag)
    return tuple(t for _, t in (x for x in (lower, higher) if x is not None))


def _strs(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, str):
        return (value,)
    return None


class _Gatherer:
    def __init__(self, options: ImageOptions) -> None:
        self.options = options
        self.cache = Cache(options.cache_dir)
        self._client: RegistryClient | None = None
        self._client_lock = threading.Lock()
        # single flight: one download per blob and one index per image at a time, shared by
        # every reference to it (two images with a common layer, one image by tag and digest)
        self._flights: dict[str, threading.Lock] = {}
        self._indexes: dict[str, FileIndex] = {}

    @property
    def client(self) -> RegistryClient:
        """Made on first use: an image the cache answers for needs no connection."""
        with self._client_lock:
            if self._client is None:
                from seatrial.images.registry import RegistryClient

                o = self.options
                self._client = RegistryClient(
                    mirrors=o.mirrors,
                    plain_http=o.plain_http,
                    transport=o.transport,
                    timeout=o.timeout,
                    deadline=o.deadline,
                    retries=o.retries,
                    max_retry_wait=o.max_retry_wait,
                    offline=o.offline,
                )
            return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def _not_found(self, ref: Reference, exc: NotFound) -> ImageProblem:
        if ref.digest or not ref.tag or "has no" in str(exc):
            return ImageProblem("not-found", str(exc))
        try:
            tags = self.client.list_tags(ref)
        except NotFound:
            return ImageProblem("not-found", f"repository {ref.name} does not exist")
        except RegistryError:
            tags = []
        return ImageProblem(
            "not-found",
            f"tag {ref.tag} is not published in {ref.name}",
            nearest_tags(ref.tag, tags),
        )

    def resolve(self, ref: Reference) -> ResolvedImage:
        if ref.digest:
            return self.client.resolve(ref, self.options.platform, self.cache, ref.digest)
        if self.options.offline:
            seen = self.cache.recall_tag(str(ref))
            if seen is None:
                raise Unverifiable("offline, and never resolved into the cache")
            return self.client.resolve(ref, self.options.platform, self.cache, seen[0])
        digest = self.client.head_digest(ref)
        resolved = self.client.resolve(ref, self.options.platform, self.cache, digest)
        self.cache.remember_tag(str(ref), resolved.index_digest or resolved.digest)
        return resolved

    @contextmanager
    def _flight(self, key: str) -> Iterator[None]:
        """Held while one thread fetches or builds `key`; the others wait, then find it."""
        with self._client_lock:
            lock = self._flights.setdefault(key, threading.Lock())
        with lock:
            yield

    def _blob(self, ref: Reference, desc: Descriptor) -> None:
        with self._flight(desc.digest):
            self.client.download_blob(ref, desc, self.cache)  # nothing when now cached

    def _index(self, ref: Reference, image: ResolvedImage) -> FileIndex:
        with self._flight("index " + image.digest):
            index = self._indexes.get(image.digest)
            if index is None:
                index = self._indexes[image.digest] = self._build_index(ref, image)
            return index

    def _build_index(self, ref: Reference, image: ResolvedImage) -> FileIndex:
        cached = self.cache.load_index(image.digest)
        if isinstance(cached, dict) and cached.get("format") == INDEX_FORMAT:
            index = FileIndex.from_json(cached.get("entries"))
            if index is not None:
                return index
        index = FileIndex()
        for n, layer in enumerate(image.layers):
            self._blob(ref, layer)
            with self.cache.blob_path(layer.digest).open("rb") as raw:
                index_layer(index, raw, n, layer.size, layer.digest, self.options.limits)
        self.cache.save_index(image.digest, {"format": INDEX_FORMAT, "entries": index.to_json()})
        return index

    def fingerprint(self, raw_ref: str) -> tuple[str, str | None]:
        try:
            ref = parse_reference(raw_ref)
        except InvalidReference as exc:
            return raw_ref, f"invalid: {exc}"
        try:
            image = self.resolve(ref)
        except _trouble() as exc:
            # offline, the cache alone answers, the same way each time
            return raw_ref, f"{type(exc).__name__}: {exc}" if self.options.offline else None
        indexed = self.cache.index_path(image.digest).is_file()
        held = [self.cache.has_blob(image.config.digest), indexed]
        if not indexed:
            held += [self.cache.has_blob(layer.digest) for layer in image.layers]
        return raw_ref, " ".join(
            [str(ref), image.digest, image.index_digest or "-", *("1" if h else "0" for h in held)]
        )

    def gather(self, raw_ref: str) -> ImageResult:
        try:
            ref = parse_reference(raw_ref)
        except InvalidReference as exc:
            return ImageProblem("not-found", str(exc))
        try:
            image = self.resolve(ref)
            config_data = self.cache.get_small(image.config.digest)
            if config_data is None:
                self._blob(ref, image.config)
                config_data = self.cache.get_small(image.config.digest)
            try:
                config_doc = json.loads(config_data or b"")
            except ValueError:
                raise Unverifiable(f"{ref}: image config is not JSON") from None
            index = self._index(ref, image)
        except NotFound as exc:
            return self._not_found(ref, exc)
        except _trouble() as exc:
            # registry, archive, disk and malformed-data trouble: reported per image
            reason = (
                str(exc) if not _http_error(exc) else f"connection failed ({type(exc).__name__})"
            )
            if str(ref) not in reason:
                reason = f"{ref}: {reason}"
            return ImageProblem(
                "unverifiable",
                reason,
                offline=self.options.offline and isinstance(exc, Unverifiable),
            )
        conf = config_doc.get("config") if isinstance(config_doc, dict) else None
        conf = conf if isinstance(conf, dict) else {}
        notes = (
            ("offline: resolved from the cache, not re-checked against the registry",)
            if self.options.offline and not ref.digest
            else ()
        )
        return ImageFacts(
            ref=raw_ref,
            resolved=str(ref),
            digest=image.digest,
            entrypoint=_strs(conf.get("Entrypoint")),
            cmd=_strs(conf.get("Cmd")),
            env=_strs(conf.get("Env")) or (),
            working_dir=str(conf.get("WorkingDir") or ""),
            user=str(conf.get("User") or ""),
            files=index,
            layers=tuple(Layer(d.digest, d.size) for d in image.layers),
            notes=notes,
            cache_root=str(self.cache.root),
        )


def gather_images(refs: Iterable[str], options: ImageOptions) -> dict[str, ImageResult]:
    """Resolve each distinct image once, at most `options.concurrency` at a time."""
    wanted = sorted(set(refs))
    groups: dict[str, list[str]] = {}
    for raw in wanted:
        try:
            key = str(parse_reference(raw))
        except InvalidReference:
            key = raw
        groups.setdefault(key, []).append(raw)
    gatherer = _Gatherer(options)
    bar = progress.phase("images", len(groups), show=options.progress)

    try:
        with bar as advance, ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:

            def one(raws: list[str]) -> list[tuple[str, ImageResult]]:
                result = gatherer.gather(raws[0])
                advance()
                return [(raw, _as(result, raw)) for raw in raws]

            results = dict(pair for batch in pool.map(one, groups.values()) for pair in batch)
    finally:
        gatherer.close()
    return results


def image_fingerprint(refs: Iterable[str], options: ImageOptions) -> dict[str, str] | None:
    """For each reference, what gathering it would start from now: the digest it resolves to
    (online: the registry's answer to one manifest HEAD per tag; offline: the cache's) and
    which of its config, file index and layers the cache holds. None when a registry did not
    answer: only gathering can tell what the image is then."""
    gatherer = _Gatherer(options)
    try:
        with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
            found = list(pool.map(gatherer.fingerprint, sorted(set(refs))))
    finally:
        gatherer.close()
    if any(fp is None for _, fp in found):
        return None
    return {raw: fp for raw, fp in found if fp is not None}


def _as(result: ImageResult, raw: str) -> ImageResult:
    if isinstance(result, ImageFacts) and result.ref != raw:
        return replace(result, ref=raw)
    return result
