"""seatrial: sea-trial Kubernetes deployments before they ship."""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    #: from the installed metadata, which setuptools-scm takes from the git tag
    __version__ = _version("seatrial")
except PackageNotFoundError:  # pragma: no cover - running from a tree that is not installed
    __version__ = "0.0.0+unknown"
