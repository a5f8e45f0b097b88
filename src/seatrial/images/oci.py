"""What the image side shares without talking to a registry: the descriptors of a resolved
image, the two ways a registry answer fails, the exchange deadline. Kept apart from
`images.registry` and `images.exchange` (httpx, ~80 ms to import) so that a run that only
reads the image cache (`--offline`) never imports httpx."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seatrial.errors import RegistryError
from seatrial.images.cache import digest_hex

#: seconds one registry exchange may take at least (see images.exchange)
BASE_DEADLINE = 60.0


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
