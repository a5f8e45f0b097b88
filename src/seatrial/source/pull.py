"""Charts that live elsewhere, downloaded to a scratch `.tgz` that the ordinary archive loader
then reads (member names, links and sizes checked there, as for any archive the user hands in):

- `oci://HOST/PATH/NAME` (`--version`, else the newest tag), pulled with Helm's registry
  client; credentials as for images (Docker's `config.json`, credential helpers,
  `REGISTRY_AUTH_FILE`), else Helm's own registry login;
- `REPO/NAME` (`--version`, else the newest stable version): REPO is a repository of the user's
  Helm repositories file (`$HELM_REPOSITORY_CONFIG`, else `$HELM_CONFIG_HOME/repositories.yaml`,
  else `~/.config/helm/repositories.yaml`), its index read from Helm's repository cache
  (`$HELM_REPOSITORY_CACHE`, else `~/.cache/helm/repository/REPO-index.yaml`) or downloaded
  when the cache has none; the repository's username and password go to its own host only;
- `http(s)://HOST/PATH/NAME-1.2.3.tgz`: a chart archive URL.

`--registry-mirror SRC=DST` applies to every host contacted (the OCI registry, the repository
and its archives), so an air-gapped CI reaches only its mirror. `--offline` refuses a pull from
a host off this machine (after mirroring) with one line; loopback mirrors stay allowed.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import yaml

from seatrial import yamlguard
from seatrial.errors import SourceError

#: bytes we download for a chart archive (the loader caps what it expands, too)
MAX_DOWNLOAD = 64 << 20
#: bytes of a repository index (large public repositories are tens of MiB)
MAX_INDEX = 256 << 20
_REPO_CHART = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)/([A-Za-z0-9][A-Za-z0-9_.-]*)$")
_SEMVER = re.compile(
    r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?"
    r"(?:\+[0-9A-Za-z.-]+)?$"
)

#: (username, password) for a host, or None (images/auth.py's lookup, given by the caller)
CredentialLookup = Callable[[str], "tuple[str, str] | None"]


@dataclass(frozen=True)
class PullOptions:
    version: str | None = None
    offline: bool = False
    #: --registry-mirror SRC=DST ([scheme://]HOST[:PORT][/PREFIX])
    mirrors: Mapping[str, str] = field(default_factory=dict)
    #: --plain-http hosts (loopback always is)
    plain_http: frozenset[str] = frozenset()
    credentials: CredentialLookup | None = None


def is_loopback(host: str) -> bool:
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    hostname = hostname.strip("[]")
    return hostname == "localhost" or hostname.startswith("127.") or hostname == "::1"


def remote_kind(target: str) -> str | None:
    """ "oci", "url" or "repo" for a target that is not on disk, else None."""
    if target.startswith("oci://"):
        return "oci"
    if target.startswith(("http://", "https://")):
        return "url"
    if _REPO_CHART.match(target) and not os.path.lexists(target):
        return "repo"
    return None


def mirror_url(
    url: str, mirrors: Mapping[str, str], plain_http: frozenset[str] = frozenset()
) -> str:
    """`url` (oci://, http://, https://) with its host replaced by its mirror, if any; a
    mirror may carry a scheme and a path prefix. oci:// URLs keep their scheme."""
    parts = urlsplit(url)
    host = parts.netloc
    mirror = mirrors.get(host)
    if not mirror:
        return url
    scheme = parts.scheme
    if "://" in mirror:
        wanted, _, mirror = mirror.partition("://")
        scheme = scheme if scheme == "oci" else wanted
    elif scheme != "oci":
        scheme = "http" if is_loopback(mirror.split("/", 1)[0]) or mirror in plain_http else "https"
    mhost, _, prefix = mirror.partition("/")
    path = f"/{prefix.strip('/')}{parts.path}" if prefix.strip("/") else parts.path
    return urlunsplit((scheme, mhost, path, parts.query, ""))


def _refuse_offline(target: str, url: str, opts: PullOptions) -> None:
    host = urlsplit(url).hostname or ""
    if opts.offline and not is_loopback(host):
        raise SourceError(
            f"{target}: pulling from {host} reaches the network; --offline "
            "forbids it: pull through a mirror on this machine "
            "(--registry-mirror), or run without --offline"
        )


def _scratch() -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="seatrial-pull-"))
    atexit.register(shutil.rmtree, tmp, True)
    return tmp


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _pull_oci(target: str, opts: PullOptions) -> Path:
    import helm_python
    from helm_python.errors import HelmError

    ref = target.split("@", 1)[0]
    name, _, tag = ref.rpartition(":")
    version = opts.version
    if tag and "/" not in tag and name != "oci":  # oci://host/x:1.2.3
        ref, version = name, version or tag
    url = mirror_url(ref, opts.mirrors)
    _refuse_offline(target, url, opts)
    host = urlsplit(url).netloc
    plain = is_loopback(host) or host in opts.plain_http
    login = opts.credentials(host) if opts.credentials else None
    tmp = _scratch()
    try:
        if login:
            # a client of our own whose login lives in the scratch folder: the user's Helm
            # registry config is neither read for this host nor written
            with helm_python.RegistryClient(
                plain_http=plain, credentials_file=tmp / "registry.json"
            ) as client:
                client.login(host, login[0], login[1], plain_http=plain)
                client.pull(url, destination=tmp, version=version, plain_http=plain)
        else:
            helm_python.pull(url, destination=tmp, version=version, plain_http=plain)
    except HelmError as exc:
        raise SourceError(
            f"{target}: cannot pull"
            f"{f' version {version}' if version else ''}: "
            f"{_one_line(str(exc))}"
        ) from None
    found = sorted(tmp.glob("*.tgz"))
    if not found:
        raise SourceError(f"{target}: the registry returned no chart archive")
    return found[0]


def _client(target: str, opts: PullOptions) -> Any:
    import httpx

    def guard(request: httpx.Request) -> None:  # redirects included
        _refuse_offline(target, str(request.url), opts)

    return httpx.Client(
        follow_redirects=True, timeout=30.0, max_redirects=5, event_hooks={"request": [guard]}
    )


def _download(
    target: str,
    url: str,
    limit: int,
    what: str,
    opts: PullOptions,
    auth: tuple[str, str] | None = None,
) -> bytes:
    import httpx

    _refuse_offline(target, url, opts)
    parts = urlsplit(url)
    if auth and not (parts.scheme == "https" or is_loopback(parts.netloc)):
        auth = None  # credentials never travel in clear text off this machine
    try:
        with _client(target, opts) as client, client.stream("GET", url, auth=auth) as resp:
            if resp.status_code != 200:
                raise SourceError(f"{target}: {what} {_safe(url)}: HTTP {resp.status_code}")
            data = bytearray()
            for chunk in resp.iter_bytes():
                data += chunk
                if len(data) > limit:
                    raise SourceError(
                        f"{target}: {what} {_safe(url)} is larger than {limit >> 20} MiB; refusing"
                    )
            return bytes(data)
    except httpx.HTTPError as exc:
        raise SourceError(
            f"{target}: cannot download {what} {_safe(url)}: "
            f"{_one_line(str(exc)) or type(exc).__name__}"
        ) from None


def _safe(url: str) -> str:
    """A URL without user info or query (either may carry a secret)."""
    p = urlsplit(url)
    host = p.hostname or ""
    port = f":{p.port}" if p.port else ""
    return urlunsplit((p.scheme, host + port, p.path, "", ""))


def _save(data: bytes, name: str) -> Path:
    path = _scratch() / (re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "chart.tgz")
    if not path.name.endswith((".tgz", ".tar.gz")):
        path = path.with_name(path.name + ".tgz")
    path.write_bytes(data)
    return path


def _pull_url(target: str, opts: PullOptions) -> Path:
    url = mirror_url(target, opts.mirrors, opts.plain_http)
    data = _download(target, url, MAX_DOWNLOAD, "chart archive", opts)
    return _save(data, urlsplit(target).path.rsplit("/", 1)[-1])


# --- REPO/NAME ------------------------------------------------------------------------------


def _helm_path(override: str, home: str, xdg: str, xdg_default: str, leaf: str) -> Path:
    """Where Helm keeps a file: `$override`, else `$home/leaf`, else `$xdg/helm/leaf` (XDG
    default `~/xdg_default`), as Helm's helmpath package resolves it."""
    env = os.environ.get(override)
    if env:
        return Path(env)
    base = os.environ.get(home) or os.path.join(
        os.environ.get(xdg) or os.path.join(Path.home(), xdg_default), "helm"
    )
    return Path(base) / leaf


def helm_repository_config() -> Path:
    return _helm_path(
        "HELM_REPOSITORY_CONFIG",
        "HELM_CONFIG_HOME",
        "XDG_CONFIG_HOME",
        ".config",
        "repositories.yaml",
    )


def helm_repository_cache() -> Path:
    return _helm_path(
        "HELM_REPOSITORY_CACHE", "HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache", "repository"
    )


def _repository(target: str, repo: str) -> Mapping[str, Any]:
    config = helm_repository_config()
    try:
        doc = yamlguard.safe_load(config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(
            f"{target}: no such file or directory, and no Helm repositories "
            f"file ({config}) to find repository {repo!r} in"
        ) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
        raise SourceError(
            f"{config}: not a readable Helm repositories file: {_one_line(str(exc))}"
        ) from None
    entries = doc.get("repositories") if isinstance(doc, Mapping) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping) and entry.get("name") == repo and entry.get("url"):
            return entry
    raise SourceError(
        f"{target}: no such file or directory, and no repository {repo!r} in "
        f"{config} (helm repo add {repo} URL)"
    )


def _semver(text: str) -> tuple[int, int, int, int, str] | None:
    """Sort key: (major, minor, patch, 1 for a release / 0 for a prerelease, prerelease)."""
    m = _SEMVER.match(text.strip())
    if not m:
        return None
    major, minor, patch, pre = m.groups()
    return (int(major), int(minor or 0), int(patch or 0), 0 if pre else 1, pre or "")


def _index(
    target: str, repo: str, url: str, auth: tuple[str, str] | None, opts: PullOptions
) -> Mapping[str, Any]:
    cached = helm_repository_cache() / f"{repo}-index.yaml"
    where = str(cached)
    try:
        if cached.stat().st_size > MAX_INDEX:
            raise SourceError(f"{cached}: repository index larger than {MAX_INDEX >> 20} MiB")
        text = cached.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        index_url = mirror_url(url.rstrip("/") + "/index.yaml", opts.mirrors, opts.plain_http)
        where = _safe(index_url)
        data = _download(target, index_url, MAX_INDEX, "repository index", opts, auth)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise SourceError(f"{target}: repository index {where} is not UTF-8 text") from None
    except OSError as exc:
        raise SourceError(f"{cached}: cannot read: {exc.strerror}") from None
    try:
        doc = yamlguard.safe_load(text)
    except (yaml.YAMLError, ValueError) as exc:
        raise SourceError(f"{where}: not a Helm repository index: {_one_line(str(exc))}") from None
    if not isinstance(doc, Mapping) or not isinstance(doc.get("entries"), Mapping):
        raise SourceError(f"{where}: not a Helm repository index (no entries)")
    return doc


def _pick(
    target: str, name: str, versions: list[Mapping[str, Any]], wanted: str | None
) -> Mapping[str, Any]:
    known = [
        (k, v)
        for v in versions
        if isinstance(v, Mapping)
        if (k := _semver(str(v.get("version", "")))) is not None
    ]
    known.sort(key=lambda kv: kv[0], reverse=True)
    if wanted:
        key = _semver(wanted)
        for k, v in known:
            if k == key:
                return v
        have = ", ".join(str(v.get("version")) for _, v in known[:5])
        raise SourceError(
            f"{target}: no version {wanted} of {name} in the repository (newest: {have or 'none'})"
        )
    for k, v in known:
        if k[3] == 1:
            return v
    raise SourceError(f"{target}: {name} has no stable version in the repository; give --version")


def _pull_repo(target: str, opts: PullOptions) -> Path:
    repo, name = target.split("/", 1)
    entry = _repository(target, repo)
    url = str(entry["url"])
    user, password = entry.get("username"), entry.get("password")
    auth = (str(user), str(password or "")) if user else None
    if auth is None and opts.credentials:
        auth = opts.credentials(urlsplit(url).netloc)
    if url.startswith("oci://"):
        return _pull_oci(f"{url.rstrip('/')}/{name}", opts)
    index = _index(target, repo, url, auth, opts)
    versions = index["entries"].get(name)
    if not isinstance(versions, list) or not versions:
        raise SourceError(f"{target}: no chart {name!r} in repository {repo} ({_safe(url)})")
    chosen = _pick(target, name, versions, opts.version)
    urls = chosen.get("urls")
    if not isinstance(urls, list) or not urls or not isinstance(urls[0], str):
        raise SourceError(
            f"{target}: the repository index lists no URL for {name} {chosen.get('version')}"
        )
    archive = urljoin(url.rstrip("/") + "/", urls[0])
    if archive.startswith("oci://"):
        return _pull_oci(
            archive,
            PullOptions(
                str(chosen.get("version")),
                opts.offline,
                opts.mirrors,
                opts.plain_http,
                opts.credentials,
            ),
        )
    same_host = urlsplit(archive).netloc == urlsplit(url).netloc
    data = _download(
        target,
        mirror_url(archive, opts.mirrors, opts.plain_http),
        MAX_DOWNLOAD,
        "chart archive",
        opts,
        auth if same_host or entry.get("pass_credentials_all") else None,
    )
    digest = chosen.get("digest")
    if isinstance(digest, str) and digest and hashlib.sha256(data).hexdigest() != digest:
        raise SourceError(
            f"{target}: {_safe(archive)} does not match the digest in the "
            "repository index; refusing"
        )
    return _save(data, f"{name}-{chosen.get('version')}.tgz")


def pull(target: str, opts: PullOptions) -> Path:
    """The downloaded archive of a remote target (see remote_kind); removed at exit."""
    kind = remote_kind(target)
    if kind == "oci":
        return _pull_oci(target, opts)
    if kind == "url":
        return _pull_url(target, opts)
    if kind == "repo":
        return _pull_repo(target, opts)
    raise SourceError(f"{target}: not a remote chart reference")


__all__ = [
    "PullOptions",
    "helm_repository_cache",
    "helm_repository_config",
    "is_loopback",
    "mirror_url",
    "pull",
    "remote_kind",
]
