"""What the engine learns about the scripts a container runs (gathered before checks run).

`ContainerScripts` is the contract between `shell.gather` (all I/O: ConfigMaps, images,
`--script-path` trees) and the ST3xx checks (pure). It carries the scripts found, where each
came from, the entry arguments, the variables read under nounset that the scripts themselves
never assign on the path the arguments select, and why a script could not be used.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from seatrial.findings import Location


class OriginKind(enum.Enum):
    CONFIGMAP = "ConfigMap"
    SECRET = "Secret"
    IMAGE = "image"
    LOCAL = "local file"
    INLINE = "inline"


@dataclass(frozen=True)
class ScriptOrigin:
    """Where a script's text came from.

    `path` is the path inside the container ("/scripts/install.sh", "<inline>"). `file` is
    the file the user edits (the manifest or template holding the ConfigMap or the inline
    command, the local file under `--script-path`, or the image reference); `first_line` is
    the line of `file` that holds the script's line 1, None when it cannot be known exactly
    (a ConfigMap rendered from a template, a file inside an image). `ref` names the source
    ("ConfigMap kata-scripts key install.sh", "image ghcr.io/x/y:1"). `manifest` is the manifest
    location of the data key or command that provides the script.
    """

    kind: OriginKind
    path: str
    file: str
    ref: str
    first_line: int | None = None
    manifest: Location | None = None

    def location(self, line: int | None) -> Location | None:
        """The Location of a script line (None when the line is unknown)."""
        if line is None:
            return None
        return self.at(line)

    def at(self, line: int) -> Location:
        if self.kind is OriginKind.IMAGE:
            return Location(self.path, line, note=self.ref)
        if self.first_line is not None:
            return Location(self.file, self.first_line + line - 1)
        return Location(self.file, None, note=f"{self.label()} line {line}")

    def label(self) -> str:
        if self.kind in (OriginKind.CONFIGMAP, OriginKind.SECRET):
            return f"{self.path} ({self.ref})"
        if self.kind is OriginKind.IMAGE:
            return f"{self.path} in {self.ref}"
        if self.kind is OriginKind.LOCAL:
            return self.file
        return f"inline script ({self.ref})"

    def where(self, line: int) -> str:
        """The script line as a user finds it: `file:line`, with the script named when the
        file is a manifest."""
        if self.kind is OriginKind.LOCAL:
            return f"{self.file}:{(self.first_line or 1) + line - 1}"
        at = f" at {self.file}:{self.first_line + line - 1}" if self.first_line is not None else ""
        if self.kind is OriginKind.INLINE:
            return f"line {line} of the {self.label()}{at}"
        if self.kind is OriginKind.IMAGE:
            return f"{self.path}:{line} (in {self.ref})"
        return f"{self.path}:{line} ({self.ref}{at})"


@dataclass(frozen=True)
class Script:
    origin: ScriptOrigin
    text: str
    args: tuple[str, ...] = ()

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


@dataclass(frozen=True)
class UnboundRead:
    """A variable read under nounset, on the path the container's arguments select, that no
    earlier statement on that path assigns. Whether the container provides it (env, envFrom,
    image Env, Kubernetes) is decided by the check."""

    name: str
    origin: ScriptOrigin
    line: int
    via: tuple[str, ...] = ()  # function call chain, outermost first
    #: a statement before the read whose assignments could not be followed (`source` of an
    #: unreadable file, `eval "$(...)"`, `export $(cat .env)`), which may provide the variable
    opaque_before: str = ""
    #: the read is in the default of `${A:-$X}`: it happens only when these are all unset
    unless_set: tuple[str, ...] = ()
    #: the read is in `${A:+$X}`: it happens only when these are all set
    only_if_set: tuple[str, ...] = ()

    def happens(self, provided: frozenset[str]) -> bool:
        """Whether the read is reached when the environment provides `provided`."""
        return not any(v in provided for v in self.unless_set) and all(
            v in provided for v in self.only_if_set
        )

    @property
    def where(self) -> str:
        return self.origin.where(self.line)


class ProblemKind(enum.Enum):
    NOT_FOUND = "not-found"
    UNPARSABLE = "unparsable"


@dataclass(frozen=True)
class ScriptProblem:
    kind: ProblemKind
    path: str
    reason: str
    line: int | None = None  # the script line of a parse error
    origin: ScriptOrigin | None = None
    #: not found only because where it would be could not be read (the image unavailable)
    unverified: bool = False


@dataclass(frozen=True)
class ContainerScripts:
    """The scripts one container runs. `scripts[0]` is the entry script when there is one;
    sourced and exec'd scripts follow. `entry_digest` identifies the entry script across
    workloads (same text = same script)."""

    container: str
    argv: tuple[str, ...]
    scripts: tuple[Script, ...]
    reads: tuple[UnboundRead, ...] = ()
    problems: tuple[ScriptProblem, ...] = ()
    exported: frozenset[str] = frozenset()  # names the entry script exports to its children

    @staticmethod
    def of(
        scripts: Mapping[tuple[str, str], ContainerScripts], object_key: str, container: str
    ) -> ContainerScripts | None:
        """The entry of `Facts.scripts` for one container, if it runs scripts."""
        return scripts.get((object_key, container))

    def problems_of(self, kind: ProblemKind) -> list[ScriptProblem]:
        return [p for p in self.problems if p.kind is kind]

    @property
    def entry(self) -> Script | None:
        return self.scripts[0] if self.scripts else None

    @property
    def digests(self) -> frozenset[str]:
        return frozenset(s.digest for s in self.scripts)
