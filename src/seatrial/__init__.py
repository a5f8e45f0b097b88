"""seatrial: sea-trial Kubernetes deployments before they ship."""

from __future__ import annotations

import functools


@functools.cache
def _installed_version() -> str:
    """From the installed metadata, which setuptools-scm takes from the git tag. Read when
    first asked for: render workers import this package and never need it."""
    try:  # written by setuptools-scm when the package is built or installed
        from seatrial._version import version as written

        return str(written)
    except ImportError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("seatrial")
    except PackageNotFoundError:  # pragma: no cover - running from a tree not installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module 'seatrial' has no attribute {name!r}")
