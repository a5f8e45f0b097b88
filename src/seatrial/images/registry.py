"""A small OCI distribution client over an httpx transport (pull side only).

It resolves references to manifests (HEAD, then GET by digest; Docker v2 schema 2 and OCI
manifests; manifest lists and OCI indexes narrowed to one platform), lists tags and streams
blobs into the cache. Anonymous bearer tokens come from the `WWW-Authenticate` challenge;
credentials from `auth.credentials_for`. 429 and 5xx are retried with backoff honouring
`Retry-After`; every request has a timeout. The transport is swappable so fault injection
tests can use `httpx.MockTransport` while the main tests run a real registry.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import json
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from seatrial.errors import RegistryError
from seatrial.images.auth import Credentials, credentials_for, parse_challenge
from seatrial.images.cache import Cache, DigestMismatch, digest_hex
from seatrial.images.refs import DOCKER_HUB, DOCKER_HUB_API, Reference, is_loopback

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
_ACCEPT = ", ".join((OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST))
_INDEX_TYPES = (OCI_INDEX, DOCKER_LIST)
_MANIFEST_TYPES = (OCI_MANIFEST, DOCKER_MANIFEST)
MAX_MANIFEST_BYTES = 4 << 20
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class NotFound(RegistryError):
    """The registry says the repository, tag, digest or platform does not exist."""


class Unverifiable(RegistryError):
    """The registry could not tell: auth refused, network down, timeouts, server errors."""


@dataclass(frozen=True)
class Descriptor:
    media_type: str
    digest: str
    size: int

    @classmethod
    def parse(cls, doc: Any, what: str) -> Descriptor:
        if not isinstance(doc, Mapping):
            raise Unverifiable(f"malformed {what} descriptor")
        digest, size = doc.get("digest"), doc.get("size")
        if not isinstance(digest, str) or not isinstance(size, int) or size < 0:
            raise Unverifiable(f"malformed {what} descriptor")
        digest_hex(digest)  # only sha256 digests are accepted
        return cls(str(doc.get("mediaType", "")), digest, size)


@dataclass(frozen=True)
class ResolvedImage:
    """One platform image: its manifest digest, config and layers (bottom first)."""

    digest: str
    config: Descriptor
    layers: tuple[Descriptor, ...]
    index_digest: str | None = None


@dataclass(frozen=True)
class Endpoint:
    base_url: str  # scheme://host
    repository: str  # repository on that host (mirror prefix applied)
    host: str  # the registry named in the reference (whose credentials apply)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_codes(resp: httpx.Response) -> set[str]:
    try:
        doc = json.loads(resp.content[:65536])
    except (ValueError, httpx.ResponseNotRead):
        return set()
    errors = doc.get("errors") if isinstance(doc, Mapping) else None
    return {str(e.get("code")) for e in errors or () if isinstance(e, Mapping)}


class RegistryClient:
    def __init__(
        self,
        *,
        mirrors: Mapping[str, str] | None = None,
        plain_http: frozenset[str] = frozenset(),
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        retries: int = 4,
        max_retry_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        credentials: Callable[[str], Credentials | None] = credentials_for,
        offline: bool = False,
    ) -> None:
        self._offline = offline
        self._mirrors = dict(mirrors or {})
        self._plain_http = plain_http
        self._retries = retries
        self._max_wait = max_retry_wait
        self._sleep = sleep
        self._credentials = credentials
        self._tokens: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()
        self._client = httpx.Client(
            transport=transport, follow_redirects=True,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": "seatrial"},
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- endpoints and auth -------------------------------------------------------------

    def endpoint(self, ref: Reference) -> Endpoint:
        host, repo = ref.registry, ref.repository
        mirror = self._mirrors.get(host)
        scheme = ""
        if mirror:
            if "://" in mirror:
                scheme, _, mirror = mirror.partition("://")
            mhost, _, prefix = mirror.partition("/")
            host = mhost
            repo = f"{prefix.strip('/')}/{repo}" if prefix.strip("/") else repo
        elif host == DOCKER_HUB:
            host = DOCKER_HUB_API
        if not scheme:
            plain = is_loopback(host) or bool({host, ref.registry} & self._plain_http)
            scheme = "http" if plain else "https"
        return Endpoint(f"{scheme}://{host}", repo, ref.registry)

    def _token(self, ep: Endpoint, challenge: Mapping[str, str], scope: str) -> str:
        realm = challenge.get("realm", "")
        if not realm.startswith(("https://", "http://")):
            raise Unverifiable(f"{ep.host}: unusable auth challenge")
        params = {"service": challenge.get("service", ""), "scope": scope}
        creds = self._credentials(ep.host)
        auth = (creds.username, creds.password) if creds else None
        url = f"{realm}{'&' if '?' in realm else '?'}{urlencode(params)}"
        try:
            resp = self._client.get(url, auth=auth)
        except httpx.HTTPError as exc:
            raise Unverifiable(
                f"{ep.host}: token service unreachable ({type(exc).__name__})") from None
        if resp.status_code in (401, 403):
            raise Unverifiable(f"{ep.host}: access denied by the token service"
                               + ("" if creds else " (no credentials configured)"))
        if resp.status_code >= 400:
            raise Unverifiable(f"{ep.host}: token service answered {resp.status_code}")
        try:
            doc = resp.json()
        except ValueError:
            raise Unverifiable(f"{ep.host}: token service sent no JSON") from None
        token = doc.get("token") or doc.get("access_token") if isinstance(doc, Mapping) else None
        if not isinstance(token, str) or not token:
            raise Unverifiable(f"{ep.host}: token service sent no token")
        return token

    def _request(self, method: str, ep: Endpoint, path: str, *, headers: Mapping[str, str] = {},
                 stream: bool = False) -> httpx.Response:
        """Send with auth and retries. Returns any final response (the caller reads the
        status); raises Unverifiable on network failure or when retries run out."""
        if self._offline:
            raise Unverifiable(f"offline: {ep.host}/{ep.repository} {path} is not in the cache")
        url = f"{ep.base_url}/v2/{ep.repository}/{path}" if path else f"{ep.base_url}/v2/"
        scope = f"repository:{ep.repository}:pull"
        key = (ep.base_url, scope)
        auth_tried = False
        attempt = 0
        while True:
            hdrs = dict(headers)
            with self._lock:
                token = self._tokens.get(key)
            if token:
                hdrs["Authorization"] = token
            request = self._client.build_request(method, url, headers=hdrs)
            try:
                resp = self._client.send(request, stream=stream)
            except httpx.TimeoutException:
                raise Unverifiable(f"{ep.host}: no answer within the timeout "
                                   f"({method} {path or '/v2/'})") from None
            except httpx.HTTPError as exc:
                if attempt < min(self._retries, 2):
                    attempt += 1
                    self._sleep(0.2 * attempt)
                    continue
                raise Unverifiable(f"{ep.host}: cannot connect ({type(exc).__name__})") from None
            if resp.status_code == 401 and not auth_tried:
                auth_tried = True
                scheme, params = parse_challenge(resp.headers.get("WWW-Authenticate", ""))
                resp.close()
                if scheme == "bearer":
                    token = "Bearer " + self._token(ep, params, scope)
                elif scheme == "basic":
                    creds = self._credentials(ep.host)
                    if not creds:
                        raise Unverifiable(f"{ep.host}: authentication required "
                                           "(no credentials configured)")
                    raw = f"{creds.username}:{creds.password}".encode()
                    token = "Basic " + base64.b64encode(raw).decode()
                else:
                    raise Unverifiable(f"{ep.host}: unsupported authentication {scheme!r}")
                with self._lock:
                    self._tokens[key] = token
                continue
            if resp.status_code in _RETRY_STATUS and attempt < self._retries:
                wait = _retry_after(resp.headers.get("Retry-After"))
                if wait is None:
                    wait = 0.5 * 2**attempt + random.uniform(0, 0.1)
                if wait > self._max_wait:
                    resp.close()
                    raise Unverifiable(f"{ep.host}: answered {resp.status_code} and asks to "
                                       f"retry after {wait:.0f}s")
                resp.close()
                attempt += 1
                self._sleep(wait)
                continue
            return resp

    def _fail(self, resp: httpx.Response, ep: Endpoint, what: str) -> RegistryError:
        status = resp.status_code
        codes = _error_codes(resp)
        if status == 404 or codes & {"MANIFEST_UNKNOWN", "NAME_UNKNOWN", "BLOB_UNKNOWN"}:
            return NotFound(f"{what} not found in {ep.host}/{ep.repository}")
        if status in (401, 403):
            return Unverifiable(f"{ep.host}: access denied to {ep.repository} "
                                "(private, or it does not exist)")
        if status in _RETRY_STATUS:
            return Unverifiable(f"{ep.host}: answered {status} after {self._retries + 1} attempts")
        return Unverifiable(f"{ep.host}: answered {status} for {what}")

    # --- manifests ----------------------------------------------------------------------

    def _read_limited(self, resp: httpx.Response, limit: int, what: str) -> bytes:
        chunks, total = [], 0
        try:
            for chunk in resp.iter_bytes():
                total += len(chunk)
                if total > limit:
                    raise Unverifiable(f"{what} is larger than {limit} bytes")
                chunks.append(chunk)
        except httpx.TimeoutException:
            raise Unverifiable(f"timed out reading {what}") from None
        except httpx.HTTPError as exc:
            raise Unverifiable(f"connection lost reading {what} ({type(exc).__name__})") from None
        finally:
            resp.close()
        return b"".join(chunks)

    def head_digest(self, ref: Reference) -> str | None:
        """The digest the tag points to now (None when the registry does not say)."""
        ep = self.endpoint(ref)
        resp = self._request("HEAD", ep, f"manifests/{ref.reference}",
                             headers={"Accept": _ACCEPT})
        resp.close()
        if resp.status_code >= 400:
            raise self._fail(resp, ep, f"manifest {ref.reference}")
        digest = resp.headers.get("Docker-Content-Digest")
        return digest if digest and digest.startswith("sha256:") else None

    def fetch_manifest(self, ref: Reference, reference: str, cache: Cache) -> tuple[bytes, str]:
        """The manifest bytes and digest; by-digest manifests come from the cache when there."""
        if reference.startswith("sha256:"):
            cached = cache.get_small(reference)
            if cached is not None:
                return cached, reference
        ep = self.endpoint(ref)
        resp = self._request("GET", ep, f"manifests/{reference}", headers={"Accept": _ACCEPT},
                             stream=True)
        if resp.status_code >= 400:
            resp.read()
            resp.close()
            raise self._fail(resp, ep, f"manifest {reference}")
        data = self._read_limited(resp, MAX_MANIFEST_BYTES, f"manifest {reference}")
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        expected = reference if reference.startswith("sha256:") else \
            resp.headers.get("Docker-Content-Digest")
        if expected and expected.startswith("sha256:") and expected != digest:
            raise DigestMismatch(f"manifest of {ref} does not match its digest {expected}")
        cache.put_small(digest, data)
        return data, digest

    def resolve(self, ref: Reference, platform: str, cache: Cache,
                known_digest: str | None = None) -> ResolvedImage:
        """Follow `ref` to one platform's manifest."""
        reference = known_digest or ref.reference
        data, digest = self.fetch_manifest(ref, reference, cache)
        doc = _json(data, f"manifest of {ref}")
        media_type = str(doc.get("mediaType") or _guess_type(doc))
        index_digest = None
        if media_type in _INDEX_TYPES:
            index_digest = digest
            child = _pick_platform(doc, platform, str(ref))
            data, digest = self.fetch_manifest(ref, child, cache)
            doc = _json(data, f"manifest of {ref}")
            media_type = str(doc.get("mediaType") or _guess_type(doc))
        if media_type not in _MANIFEST_TYPES:
            raise Unverifiable(f"{ref}: unsupported manifest type {media_type or 'unknown'}")
        layers = doc.get("layers")
        if not isinstance(layers, list):
            raise Unverifiable(f"{ref}: manifest has no layer list")
        return ResolvedImage(
            digest,
            Descriptor.parse(doc.get("config"), "config"),
            tuple(Descriptor.parse(layer, "layer") for layer in layers),
            index_digest,
        )

    # --- tags and blobs -----------------------------------------------------------------

    def list_tags(self, ref: Reference, max_pages: int = 20) -> list[str]:
        ep = self.endpoint(ref)
        tags: list[str] = []
        path = "tags/list?n=1000"
        for _ in range(max_pages):
            resp = self._request("GET", ep, path)
            if resp.status_code >= 400:
                raise self._fail(resp, ep, "tag list")
            try:
                doc = resp.json()
            except ValueError:
                raise Unverifiable(f"{ep.host}: tag list is not JSON") from None
            if not isinstance(doc, Mapping):
                raise Unverifiable(f"{ep.host}: tag list is not a JSON object")
            tags.extend(str(t) for t in (doc.get("tags") or ()) if isinstance(t, str))
            nxt = resp.links.get("next", {}).get("url", "")
            marker = f"/v2/{ep.repository}/"
            if not nxt or marker not in nxt:
                break
            path = nxt.split(marker, 1)[1]
        return tags

    def download_blob(self, ref: Reference, desc: Descriptor, cache: Cache) -> None:
        """Stream one blob into the cache, verified against its digest and size."""
        if cache.has_blob(desc.digest):
            return
        ep = self.endpoint(ref)
        resp = self._request("GET", ep, f"blobs/{desc.digest}", stream=True)
        try:
            if resp.status_code >= 400:
                resp.read()
                raise self._fail(resp, ep, f"blob {desc.digest}")
            cache.write_blob(desc.digest, _chunks(resp, desc.digest), desc.size)
        finally:
            resp.close()


def _chunks(resp: httpx.Response, what: str) -> Iterator[bytes]:
    try:
        yield from resp.iter_bytes(1 << 20)
    except httpx.TimeoutException:
        raise Unverifiable(f"timed out downloading blob {what}") from None
    except httpx.HTTPError as exc:
        raise Unverifiable(f"connection lost downloading {what} ({type(exc).__name__})") from None


def _json(data: bytes, what: str) -> Mapping[str, Any]:
    try:
        doc = json.loads(data)
    except ValueError:
        raise Unverifiable(f"{what} is not JSON") from None
    if not isinstance(doc, Mapping):
        raise Unverifiable(f"{what} is not a JSON object")
    if doc.get("schemaVersion") == 1:
        raise Unverifiable(f"{what} uses the retired schema 1 format")
    return doc


def _guess_type(doc: Mapping[str, Any]) -> str:
    if "manifests" in doc:
        return OCI_INDEX
    if "layers" in doc:
        return OCI_MANIFEST
    return ""


def _pick_platform(doc: Mapping[str, Any], platform: str, ref: str) -> str:
    want_os, _, rest = platform.partition("/")
    want_arch, _, want_variant = rest.partition("/")
    if want_arch == "arm64" and not want_variant:
        want_variant = "v8"
    seen: list[str] = []
    entries = doc.get("manifests")
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, Mapping):
            continue
        plat = entry.get("platform")
        if not isinstance(plat, Mapping):
            continue
        os_, arch = str(plat.get("os", "")), str(plat.get("architecture", ""))
        variant = str(plat.get("variant", "") or ("v8" if arch == "arm64" else ""))
        if os_ == "unknown":  # attestation manifests
            continue
        seen.append("/".join(p for p in (os_, arch, str(plat.get("variant", ""))) if p))
        if os_ == want_os and arch == want_arch and (not want_variant or variant == want_variant):
            return Descriptor.parse(entry, "platform manifest").digest
    have = ", ".join(sorted(set(seen))) or "none"
    raise NotFound(f"{ref} has no {platform} image (platforms: {have})")
