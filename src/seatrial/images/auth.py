"""Registry credentials, found where Docker and Podman keep them.

Order, as `docker pull` does: `credHelpers[host]`, then `credsStore`, then `auths[host]` of
`$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`), then `auths` of
`$REGISTRY_AUTH_FILE` (Podman/skopeo). Credentials never appear in messages or logs, and go
only where they belong:

- to the host actually contacted: with `--registry-mirror docker.io=MIRROR` the mirror gets
  MIRROR's credentials, never Docker Hub's;
- over HTTPS, or plain HTTP to a loopback host only;
- to a bearer token service (the challenge's `realm`) only when it is the registry's own
  host, a parent domain of it (`registry.gitlab.com` -> `gitlab.com`), or Docker Hub's
  `auth.docker.io` for Docker Hub; any other realm gets the credentials configured for the
  realm's own host, or none (an anonymous token).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seatrial.images.refs import DOCKER_HUB, is_loopback
from seatrial.redact import remember

_HUB_KEYS = (
    "https://index.docker.io/v1/",
    "index.docker.io",
    "docker.io",
    "registry-1.docker.io",
    "https://registry-1.docker.io",
)


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)

    def __repr__(self) -> str:  # never print the secret
        return f"Credentials(username={self.username!r})"

    def __post_init__(self) -> None:
        remember(self.password)  # redacted from every output, wherever it came from


def _read_json(path: Path) -> Mapping[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, Mapping) else {}


def _keys_for(host: str) -> tuple[str, ...]:
    if host == DOCKER_HUB:
        return _HUB_KEYS
    return (host, f"https://{host}", f"http://{host}", f"https://{host}/v1/", f"https://{host}/v2/")


def _from_auths(auths: Any, host: str) -> Credentials | None:
    if not isinstance(auths, Mapping):
        return None
    for key in _keys_for(host):
        entry = auths.get(key)
        if not isinstance(entry, Mapping):
            continue
        if entry.get("auth"):
            try:
                user, _, password = base64.b64decode(str(entry["auth"])).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                continue
            return Credentials(user, password)
        if entry.get("username"):
            return Credentials(str(entry["username"]), str(entry.get("password", "")))
        if entry.get("identitytoken"):
            return Credentials("<token>", str(entry["identitytoken"]))
    return None


def _from_helper(helper: str, host: str) -> Credentials | None:
    server = "https://index.docker.io/v1/" if host == DOCKER_HUB else host
    try:
        out = subprocess.run(
            [f"docker-credential-{helper}", "get"],
            input=server.encode(),
            capture_output=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    try:
        data = json.loads(out.stdout)
    except ValueError:
        return None
    if not isinstance(data, Mapping) or not data.get("Secret"):
        return None
    return Credentials(str(data.get("Username", "")), str(data["Secret"]))


def docker_config_path() -> Path:
    base = os.environ.get("DOCKER_CONFIG")
    return Path(base) / "config.json" if base else Path.home() / ".docker" / "config.json"


def credentials_for(host: str) -> Credentials | None:
    """Credentials for `host` (the registry as written in the reference), or None."""
    config = _read_json(docker_config_path())
    helpers = config.get("credHelpers")
    if isinstance(helpers, Mapping):
        for key in _keys_for(host):
            if isinstance(helpers.get(key), str):
                return _from_helper(helpers[key], host)
    store = config.get("credsStore")
    if isinstance(store, str) and store:
        found = _from_helper(store, host)
        if found:
            return found
    found = _from_auths(config.get("auths"), host)
    if found:
        return found
    auth_file = os.environ.get("REGISTRY_AUTH_FILE")
    if auth_file:
        return _from_auths(_read_json(Path(auth_file)).get("auths"), host)
    return None


def may_carry_credentials(scheme: str, hostname: str) -> bool:
    """Credentials travel over HTTPS, or plain HTTP to this machine only."""
    return scheme == "https" or is_loopback(hostname)


def realm_shares_credentials(auth_host: str, hostname: str, realm_hostname: str) -> bool:
    """Whether the credentials of `auth_host` (contacted as `hostname`) may go to the token
    service at `realm_hostname`: its own host, a parent domain, or Docker Hub's auth."""
    if auth_host == DOCKER_HUB and realm_hostname == "auth.docker.io":
        return True
    if realm_hostname == hostname:
        return True
    is_ip = hostname.replace(".", "").isdigit() or ":" in hostname
    return not is_ip and "." in realm_hostname and hostname.endswith("." + realm_hostname)


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """Split a `WWW-Authenticate` header into its scheme and parameters."""
    scheme, _, rest = header.strip().partition(" ")
    params: dict[str, str] = {}
    i, n = 0, len(rest)
    while i < n:
        while i < n and rest[i] in " ,":
            i += 1
        eq = rest.find("=", i)
        if eq < 0:
            break
        key = rest[i:eq].strip().lower()
        i = eq + 1
        if i < n and rest[i] == '"':
            end = i + 1
            value = []
            while end < n and rest[end] != '"':
                if rest[end] == "\\" and end + 1 < n:
                    end += 1
                value.append(rest[end])
                end += 1
            params[key] = "".join(value)
            i = end + 1
        else:
            end = rest.find(",", i)
            end = n if end < 0 else end
            params[key] = rest[i:end].strip()
            i = end
    return scheme.lower(), params
