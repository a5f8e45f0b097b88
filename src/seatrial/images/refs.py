"""Image references parsed exactly as Docker does (distribution/reference normalisation).

nginx                       -> docker.io/library/nginx:latest
clastix/capsule:v0.10.0     -> docker.io/clastix/capsule:v0.10.0
localhost:5000/app@sha256:… -> localhost:5000/app@sha256:…
ghcr.io/org/app:1.0@sha256:… keeps the tag for display, resolves by digest
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from seatrial.errors import RegistryError

DOCKER_HUB = "docker.io"
DOCKER_HUB_API = "registry-1.docker.io"

_PATH_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$")
_DOMAIN = re.compile(
    r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
    r"|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$"
)


class InvalidReference(RegistryError):
    """The reference cannot be parsed (Docker would refuse it too)."""


@dataclass(frozen=True, order=True)
class Reference:
    registry: str  # "docker.io", "ghcr.io", "127.0.0.1:5000"
    repository: str  # "library/nginx"
    tag: str | None = None
    digest: str | None = None

    @property
    def reference(self) -> str:
        """What to ask the registry for: the digest when pinned, else the tag."""
        return self.digest or self.tag or "latest"

    @property
    def name(self) -> str:
        return f"{self.registry}/{self.repository}"

    def __str__(self) -> str:
        out = self.name
        if self.tag:
            out += f":{self.tag}"
        if self.digest:
            out += f"@{self.digest}"
        return out


def _split_domain(name: str) -> tuple[str, str]:
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        domain, remainder = first, rest
    else:
        domain, remainder = DOCKER_HUB, name
    if domain == "index.docker.io":
        domain = DOCKER_HUB
    if domain == DOCKER_HUB and "/" not in remainder:
        remainder = f"library/{remainder}"
    return domain, remainder


def parse_reference(text: str) -> Reference:
    """Parse and normalise `text`; raise `InvalidReference` with the reason otherwise."""
    raw = text.strip()
    if not raw:
        raise InvalidReference("empty image reference")
    if raw != text or any(c.isspace() for c in raw):
        raise InvalidReference(f"image reference {text!r} contains whitespace")
    name, digest = raw, None
    if "@" in raw:
        name, _, digest = raw.partition("@")
        if not _DIGEST.match(digest):
            raise InvalidReference(f"invalid digest {digest!r} in image reference {raw!r}")
    tag = None
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
        if not _TAG.match(tag):
            raise InvalidReference(f"invalid tag {tag!r} in image reference {raw!r}")
    domain, repo = _split_domain(name)
    if not _DOMAIN.match(domain):
        raise InvalidReference(f"invalid registry host {domain!r} in image reference {raw!r}")
    if not repo or len(name) > 255:
        raise InvalidReference(f"invalid repository name in image reference {raw!r}")
    for part in repo.split("/"):
        if not _PATH_COMPONENT.match(part):
            hint = " (repository names must be lowercase)" if part.lower() != part else ""
            raise InvalidReference(f"invalid repository name {repo!r} in {raw!r}{hint}")
    if tag is None and digest is None:
        tag = "latest"
    return Reference(domain, repo, tag, digest)


def is_loopback(host: str) -> bool:
    """Docker talks plain HTTP to registries on loopback without being told."""
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    hostname = hostname.strip("[]")
    return hostname == "localhost" or hostname.startswith("127.") or hostname == "::1"
