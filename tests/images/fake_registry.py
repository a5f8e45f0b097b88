"""An in-memory registry behind `httpx.MockTransport`, for fault injection only (the main
tests use the real `docker-registry`). Serves images built with testkit/oci.py and lets a
test corrupt, truncate, delay or refuse any request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from testkit.oci import Blob, Image

Fault = Callable[[httpx.Request], httpx.Response | None]


@dataclass
class FakeRegistry:
    manifests: dict[str, Blob] = field(default_factory=dict)  # "repo:tag" and "repo@digest"
    blobs: dict[str, bytes] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    seen: list[httpx.Request] = field(default_factory=list)

    def add(self, repo: str, tag: str, image: Image) -> None:
        self.manifests[f"{repo}:{tag}"] = image.manifest
        self.manifests[f"{repo}@{image.digest}"] = image.manifest
        for blob in image.blobs:
            self.blobs[blob.digest] = blob.data

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        for fault in self.faults:
            answer = fault(request)
            if answer is not None:
                return answer
        path = request.url.path
        if path == "/v2/":
            return httpx.Response(200, json={})
        repo, kind, ref = _split(path)
        if kind == "manifests":
            sep = "@" if ref.startswith("sha256:") else ":"
            blob = self.manifests.get(f"{repo}{sep}{ref}")
            if blob is None:
                return httpx.Response(404, json={"errors": [{"code": "MANIFEST_UNKNOWN"}]})
            headers = {"Content-Type": blob.media_type, "Docker-Content-Digest": blob.digest}
            body = b"" if request.method == "HEAD" else blob.data
            return httpx.Response(200, content=body, headers=headers)
        if kind == "blobs" and ref in self.blobs:
            return httpx.Response(200, content=self.blobs[ref])
        if kind == "tags":
            tags = sorted(k.split(":", 1)[1] for k in self.manifests if k.startswith(repo + ":"))
            return httpx.Response(200, json={"name": repo, "tags": tags})
        return httpx.Response(404, json={"errors": [{"code": "BLOB_UNKNOWN"}]})


def _split(path: str) -> tuple[str, str, str]:
    rest = path.removeprefix("/v2/")
    for kind in ("manifests", "blobs", "tags"):
        marker = f"/{kind}/"
        if marker in rest:
            repo, _, ref = rest.partition(marker)
            return repo, kind, ref
    return rest, "", ""
