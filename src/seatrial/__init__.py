"""seatrial: sea-trial Kubernetes deployments before they ship."""

__version__ = "0.1.0"
