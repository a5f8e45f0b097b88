"""What checks learn about an image: `ImageFacts` when the registry answered, `ImageProblem`
when it could not (absent, or unverifiable). Checks read `ctx.facts.images[container.image]`.

`ImageFacts` is data only (the image config and its file tree): reading a file's content out
of the cached layers is I/O, done by `images.index.read_image_file` while facts are gathered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from seatrial.facts.files import FileEntry, FileIndex
from seatrial.objects.kubelet import DEFAULT_PATH

ProblemKind = Literal["not-found", "unverifiable"]


@dataclass(frozen=True)
class ImageProblem:
    """`not-found`: the registry says the tag, digest, repository or platform does not exist.
    `unverifiable`: it could not be checked (auth, network, offline without cache, a hostile
    or broken image); `reason` says which. `nearest_tags` are the closest published tags by
    version (lower, then higher) for a missing tag. `offline`: the run was `--offline` and the
    image was not in the cache (nothing is known about it, good or bad)."""

    kind: ProblemKind
    reason: str
    nearest_tags: tuple[str, ...] = ()
    offline: bool = False

    def detail(self, ref: str) -> str:
        """The reason without the reference it starts with (`busybox` may be named
        `docker.io/library/busybox:latest: offline, ...`), for a message that names it."""
        bare = ref if "@" in ref or ":" in ref.rsplit("/", 1)[-1] else f"{ref}:latest"
        names = {ref, bare, f"docker.io/{bare}", f"docker.io/library/{bare}"}
        for name in sorted(names, key=len, reverse=True):
            if self.reason.startswith(f"{name}: "):
                return self.reason[len(name) + 2 :]
        return self.reason


@dataclass(frozen=True)
class Layer:
    digest: str
    size: int


@dataclass(frozen=True)
class ImageFacts:
    ref: str  # as written in the manifest
    resolved: str  # normalised reference, e.g. docker.io/clastix/capsule:v0.10.0
    digest: str  # manifest digest of the platform image
    entrypoint: tuple[str, ...] | None
    cmd: tuple[str, ...] | None
    env: tuple[str, ...]
    working_dir: str
    user: str
    files: FileIndex = field(repr=False, compare=False)
    layers: tuple[Layer, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. "offline: tag resolved from the cache"
    #: where `images.index.read_image_file` finds the layers (a directory name, not a reader)
    cache_root: str = field(default="", repr=False, compare=False)

    # --- config ------------------------------------------------------------------------

    def env_value(self, name: str) -> str | None:
        for item in self.env:
            key, sep, value = item.partition("=")
            if sep and key == name:
                return value
        return None

    @property
    def path_env(self) -> str:
        """The image's PATH, or the runtime default when the image sets none."""
        value = self.env_value("PATH")
        return DEFAULT_PATH if value is None else value

    # --- files (no I/O) ----------------------------------------------------------------

    def lookup(self, path: str) -> FileEntry | None:
        return self.files.lookup(path)

    def _cwd(self, cwd: str | None) -> str:
        return cwd or self.working_dir or "/"

    def resolve(self, path: str, cwd: str | None = None) -> FileEntry | None:
        """Symlinks followed; relative paths from `cwd` (default: the image WorkingDir);
        raises `index.SymlinkLoop` past 40 links."""
        return self.files.resolve(path, self._cwd(cwd))

    def exists(self, path: str, cwd: str | None = None) -> bool:
        return self.files.exists(path, self._cwd(cwd))

    def is_executable(self, path: str, cwd: str | None = None) -> bool:
        return self.files.is_executable(path, self._cwd(cwd))

    def which(self, name: str, path_env: str | None = None, cwd: str | None = None) -> str | None:
        """Where `name` is found, searching `path_env` (default: the image PATH)."""
        return self.files.which(
            name, self.path_env if path_env is None else path_env, self._cwd(cwd)
        )


ImageResult = ImageFacts | ImageProblem

#: reads one file's content out of an image (`images.index.read_image_file`): I/O, handed to
#: the gathering phase (`shell.gather`), never to a check
ImageFileReader = Callable[[ImageFacts, str], "bytes | None"]
