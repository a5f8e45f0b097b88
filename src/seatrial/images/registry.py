"""A small OCI distribution client over an httpx transport (pull side only).

It resolves references to manifests (HEAD, then GET by digest; Docker v2 schema 2 and OCI
manifests; manifest lists and OCI indexes narrowed to one platform), lists tags and streams
blobs into the cache. Anonymous bearer tokens come from the `WWW-Authenticate` challenge;
credentials from `auth.credentials_for`, for the host actually contacted (see `auth`).
429 and 5xx are retried with backoff honouring `Retry-After`. Every exchange is bounded
(`exchange`): a deadline, and a size limit on every body (error bodies 64 KiB, manifests
4 MiB, token answers 1 MiB, a tag list page 4 MiB and 100,000 tags in all, blobs their
declared size). The transport is swappable so fault injection tests can use
`httpx.MockTransport` while the main tests run a real registry.
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
from seatrial.images.auth import (
    Credentials,
    credentials_for,
    may_carry_credentials,
    parse_challenge,
    realm_shares_credentials,
)
from seatrial.images.cache import Cache, DigestMismatch
from seatrial.images.exchange import (
    BodyTooLarge,
    bounded_client,
    read_limited,
    read_prefix,
)
from seatrial.images.oci import BASE_DEADLINE, Descriptor, NotFound, ResolvedImage, Unverifiable
from seatrial.images.refs import DOCKER_HUB, DOCKER_HUB_API, Reference, is_loopback

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
_ACCEPT = ", ".join((OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST))
_INDEX_TYPES = (OCI_INDEX, DOCKER_LIST)
_MANIFEST_TYPES = (OCI_MANIFEST, DOCKER_MANIFEST)
MAX_MANIFEST_BYTES = 4 << 20
MAX_ERROR_BYTES = 64 << 10
MAX_TOKEN_BYTES = 1 << 20
MAX_TAG_PAGE_BYTES = 4 << 20
MAX_TAGS = 100_000
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Endpoint:
    base_url: str  # scheme://host
    repository: str  # repository on that host (mirror prefix applied)
    host: str  # the registry named in the reference (for messages)
    auth_host: str = ""  # the host contacted, as credentials are keyed (docker.io for the Hub)

    @property
    def url(self) -> httpx.URL:
        return httpx.URL(self.base_url)


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


def _error_codes(body: bytes) -> set[str]:
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
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
        deadline: float = BASE_DEADLINE,
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
        self._client = bounded_client(
            timeout=timeout,
            base=deadline,
            max_body=MAX_MANIFEST_BYTES,
            transport=transport,
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
        auth_host = host
        mirror = self._mirrors.get(host)
        scheme = ""
        if mirror:
            if "://" in mirror:
                scheme, _, mirror = mirror.partition("://")
            mhost, _, prefix = mirror.partition("/")
            host = auth_host = mhost
            repo = f"{prefix.strip('/')}/{repo}" if prefix.strip("/") else repo
        elif host == DOCKER_HUB:
            host = DOCKER_HUB_API
        if not scheme:
            plain = is_loopback(host) or bool({host, ref.registry} & self._plain_http)
            scheme = "http" if plain else "https"
        return Endpoint(f"{scheme}://{host}", repo, ref.registry, auth_host)

    def _registry_credentials(self, ep: Endpoint) -> Credentials | None:
        """The contacted host's credentials, when they may travel to it."""
        url = ep.url
        if not may_carry_credentials(url.scheme, url.host):
            return None
        return self._credentials(ep.auth_host or ep.host)

    def _realm_credentials(self, ep: Endpoint, realm: httpx.URL) -> Credentials | None:
        url = ep.url
        if not (
            may_carry_credentials(url.scheme, url.host)
            and may_carry_credentials(realm.scheme, realm.host)
        ):
            return None
        if realm_shares_credentials(ep.auth_host or ep.host, url.host, realm.host):
            return self._credentials(ep.auth_host or ep.host)
        return self._credentials(realm.netloc.decode("ascii"))

    def _token(self, ep: Endpoint, challenge: Mapping[str, str], scope: str) -> str:
        realm = challenge.get("realm", "")
        try:
            realm_url = httpx.URL(realm)
        except httpx.InvalidURL:
            realm_url = httpx.URL("")
        if realm_url.scheme not in ("https", "http") or not realm_url.host:
            raise Unverifiable(f"{ep.host}: unusable auth challenge")
        params = {"service": challenge.get("service", ""), "scope": scope}
        creds = self._realm_credentials(ep, realm_url)
        auth = (creds.username, creds.password) if creds else None
        url = f"{realm}{'&' if '?' in realm else '?'}{urlencode(params)}"
        try:
            with self._client.stream(
                "GET", url, auth=auth, extensions={"max_body": MAX_TOKEN_BYTES}
            ) as resp:
                status = resp.status_code
                body = read_limited(resp, MAX_TOKEN_BYTES) if status < 400 else b""
        except httpx.HTTPError as exc:
            raise Unverifiable(
                f"{ep.host}: token service unreachable or misbehaving ({_reason(exc)})"
            ) from None
        if status in (401, 403):
            raise Unverifiable(
                f"{ep.host}: access denied by the token service"
                + ("" if creds else self._why_anonymous(ep, realm_url))
            )
        if status >= 400:
            raise Unverifiable(f"{ep.host}: token service answered {status}")
        try:
            doc = json.loads(body)
        except (ValueError, RecursionError):
            raise Unverifiable(f"{ep.host}: token service sent no JSON") from None
        token = doc.get("token") or doc.get("access_token") if isinstance(doc, Mapping) else None
        if not isinstance(token, str) or not token:
            raise Unverifiable(f"{ep.host}: token service sent no token")
        return token

    def _why_anonymous(self, ep: Endpoint, realm: httpx.URL) -> str:
        if self._credentials(ep.auth_host or ep.host) is None:
            return " (no credentials configured)"
        for url in (ep.url, realm):
            if not may_carry_credentials(url.scheme, url.host):
                return f" (credentials are never sent over plain HTTP to {url.host})"
        return f" (credentials for {ep.auth_host} not sent to {realm.host}, another host)"

    def _request(
        self,
        method: str,
        ep: Endpoint,
        path: str,
        *,
        headers: Mapping[str, str] = {},
        max_body: int = MAX_MANIFEST_BYTES,
    ) -> httpx.Response:
        """Send with auth and retries. Returns any final response, streamed (the caller reads
        the status and the body, within `max_body`); raises Unverifiable on network failure
        or when retries run out."""
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
            request = self._client.build_request(
                method, url, headers=hdrs, extensions={"max_body": max_body}
            )
            try:
                resp = self._client.send(request, stream=True)
            except httpx.TimeoutException:
                raise Unverifiable(
                    f"{ep.host}: no answer within the timeout ({method} {path or '/v2/'})"
                ) from None
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
                    creds = self._registry_credentials(ep)
                    if not creds:
                        raise Unverifiable(
                            f"{ep.host}: authentication required " + self._why_no_basic(ep)
                        )
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
                    raise Unverifiable(
                        f"{ep.host}: answered {resp.status_code} and asks to "
                        f"retry after {wait:.0f}s"
                    )
                resp.close()
                attempt += 1
                self._sleep(wait)
                continue
            return resp

    def _why_no_basic(self, ep: Endpoint) -> str:
        if may_carry_credentials(ep.url.scheme, ep.url.host):
            return "(no credentials configured)"
        return f"(credentials are never sent over plain HTTP to {ep.url.host})"

    def _fail(self, resp: httpx.Response, ep: Endpoint, what: str) -> RegistryError:
        """The error for a final response >= 400; reads at most 64 KiB of its body."""
        status = resp.status_code
        codes = _error_codes(read_prefix(resp, MAX_ERROR_BYTES))
        if status == 404 or codes & {"MANIFEST_UNKNOWN", "NAME_UNKNOWN", "BLOB_UNKNOWN"}:
            return NotFound(f"{what} not found in {ep.host}/{ep.repository}")
        if status in (401, 403):
            return Unverifiable(
                f"{ep.host}: access denied to {ep.repository} (private, or it does not exist)"
            )
        if status in _RETRY_STATUS:
            return Unverifiable(f"{ep.host}: answered {status} after {self._retries + 1} attempts")
        return Unverifiable(f"{ep.host}: answered {status} for {what}")

    # --- manifests ----------------------------------------------------------------------

    def _read_limited(self, resp: httpx.Response, limit: int, what: str) -> bytes:
        try:
            return read_limited(resp, limit)
        except BodyTooLarge:
            raise Unverifiable(f"{what} is larger than {limit} bytes") from None
        except httpx.TimeoutException:
            raise Unverifiable(f"no complete {what} within the deadline") from None
        except httpx.HTTPError as exc:
            raise Unverifiable(f"connection lost reading {what} ({type(exc).__name__})") from None

    def head_digest(self, ref: Reference) -> str | None:
        """The digest the tag points to now (None when the registry does not say)."""
        ep = self.endpoint(ref)
        resp = self._request("HEAD", ep, f"manifests/{ref.reference}", headers={"Accept": _ACCEPT})
        if resp.status_code >= 400:
            raise self._fail(resp, ep, f"manifest {ref.reference}")
        resp.close()
        digest = resp.headers.get("Docker-Content-Digest")
        return digest if digest and digest.startswith("sha256:") else None

    def fetch_manifest(self, ref: Reference, reference: str, cache: Cache) -> tuple[bytes, str]:
        """The manifest bytes and digest; by-digest manifests come from the cache when there."""
        if reference.startswith("sha256:"):
            cached = cache.get_small(reference)
            if cached is not None:
                return cached, reference
        ep = self.endpoint(ref)
        resp = self._request("GET", ep, f"manifests/{reference}", headers={"Accept": _ACCEPT})
        if resp.status_code >= 400:
            raise self._fail(resp, ep, f"manifest {reference}")
        data = self._read_limited(resp, MAX_MANIFEST_BYTES, f"manifest {reference}")
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        expected = (
            reference
            if reference.startswith("sha256:")
            else resp.headers.get("Docker-Content-Digest")
        )
        if expected and expected.startswith("sha256:") and expected != digest:
            raise DigestMismatch(f"manifest of {ref} does not match its digest {expected}")
        cache.put_small(digest, data)
        return data, digest

    def resolve(
        self, ref: Reference, platform: str, cache: Cache, known_digest: str | None = None
    ) -> ResolvedImage:
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
            resp = self._request("GET", ep, path, max_body=MAX_TAG_PAGE_BYTES)
            if resp.status_code >= 400:
                raise self._fail(resp, ep, "tag list")
            body = self._read_limited(resp, MAX_TAG_PAGE_BYTES, f"{ep.host} tag list page")
            try:
                doc = json.loads(body)
            except (ValueError, RecursionError):
                raise Unverifiable(f"{ep.host}: tag list is not JSON") from None
            if not isinstance(doc, Mapping):
                raise Unverifiable(f"{ep.host}: tag list is not a JSON object")
            page = doc.get("tags")
            if isinstance(page, list):
                tags.extend(t for t in page if isinstance(t, str))
            if len(tags) > MAX_TAGS:
                raise Unverifiable(f"{ep.host}: more than {MAX_TAGS} tags in {ep.repository}")
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
        resp = self._request("GET", ep, f"blobs/{desc.digest}", max_body=desc.size)
        try:
            if resp.status_code >= 400:
                raise self._fail(resp, ep, f"blob {desc.digest}")
            cache.write_blob(desc.digest, _chunks(resp, desc.digest), desc.size)
        finally:
            resp.close()


def _reason(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "no complete answer within the deadline"
    return str(exc) if isinstance(exc, BodyTooLarge) else type(exc).__name__


def _chunks(resp: httpx.Response, what: str) -> Iterator[bytes]:
    try:
        yield from resp.iter_bytes(1 << 20)
    except BodyTooLarge:
        raise DigestMismatch(f"blob {what} is larger than its declared size") from None
    except httpx.TimeoutException:
        raise Unverifiable(f"no complete blob {what} within the deadline") from None
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
