"""One exception tree. Every error a user can cause is a `SeatrialError`; the CLI prints its
message on one line and exits 2. Anything else is a bug.

    SeatrialError
    ├── UsageError          bad flags or combinations
    ├── ConfigError         .seatrial.yaml or rules that do not validate
    ├── SourceError         missing or unreadable path, not a chart, broken YAML, hostile .tgz
    ├── RenderError         every cell failed to render, or nothing rendered
    ├── RegistryError       a registry could not be used (carries a reason, never credentials)
    ├── ArchiveError        an archive is broken or hostile (assets, image layers)
    └── SandboxError        bubblewrap missing or unable to create namespaces
"""

from __future__ import annotations

from pathlib import Path


class SeatrialError(Exception):
    """An error the user can act on. `str(err)` is the one line shown."""

    exit_code = 2


class UsageError(SeatrialError):
    pass


class ConfigError(SeatrialError):
    pass


class SourceError(SeatrialError):
    pass


class RenderError(SeatrialError):
    pass


class RegistryError(SeatrialError):
    pass


class ArchiveError(SeatrialError):
    pass


class SandboxError(SeatrialError):
    pass


def read_user_text(path: Path, error: type[SeatrialError]) -> str:
    """A file the user named, as UTF-8 text; `error` with one clear line when it is not."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise error(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None
