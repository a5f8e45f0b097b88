"""The one layer every output goes through: secret values out, control characters escaped.

What counts as secret (gathered while the command runs, by `remember`):
- the values of every Secret parsed anywhere (`data`, both its base64 text and the decoded
  value, and `stringData`), which covers the values a container reads through `secretKeyRef`,
  `secretRef` and secret volumes;
- registry credentials: passwords, identity tokens and `auth` strings of
  `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`) and `$REGISTRY_AUTH_FILE`,
  read when a `Redactor` is built, and any credential a helper returned during the run.

How a value is recognised: the value itself, the value reversed, its base64 (standard and
URL-safe, with and without padding, and the part of a longer base64 text that encodes the
value alone, as `base64 <<< value` or a docker `auth` of `user:value` holds it), its
percent-encoding, its JSON-escaped form and, for values of 4 characters or more, its hex.
A form of 4 characters or more is replaced wherever it occurs. A shorter form ("ab", "x")
would destroy every message if replaced anywhere, so it is replaced only where it stands as a
value: a whole field (an object name, a cell value, a JSON string), a path component
(`/state/ab/x`), a quoted token (`'ab'`, `"ab"`), the value of an assignment (`KEY=ab`,
`user:ab`), a link target (`-> ab`) or a YAML `key: ab` (at a line end or before `,` `}` `]`).
A short value inside prose ("error: ab cd") is left as it is.

What a report shows by design is public: the names of the objects, containers and template
files it is about, and the matrix's own values (cell names and override values, which
include seatrial's probe values). A Secret value equal to one of them, or of 4 characters or
more and part of one (a redis password `argocd` next to Deployment `argocd-server`), is left
alone, rather than turning every mention of the object or file into `[secret]`.

What is not recognised: other transforms (hashes, gzip, encryption, case changes, a value
split across lines or fields); values that are not in a Secret or a registry credential file
(a password passed as a plain env value or a ConfigMap entry).

Control characters (C0 except newline and tab, DEL, C1, lone surrogates, U+FFFE/U+FFFF and
the bidirectional overrides) in input-derived strings are shown as `\\xNN` / `\\uNNNN`, so
no report can drive a terminal, break an XML parser or hide text.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import os
import re
import threading
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

MARKER = "[secret]"
#: forms at least this long are replaced anywhere, shorter ones only where they are a value
ANYWHERE_MIN = 4

_lock = threading.Lock()
_scopes: list[set[str]] = [set()]


def remember(*values: object) -> None:
    """Add secret values to the current scope (empty and non-string values are ignored)."""
    with _lock:
        _scopes[-1].update(v for v in values if isinstance(v, str) and v.strip())


def known() -> frozenset[str]:
    with _lock:
        return frozenset(_scopes[-1])


@contextmanager
def scope() -> Iterator[None]:
    """A fresh set of known secrets for one command (so one run's values do not redact the
    next run's output in the same process)."""
    with _lock:
        _scopes.append(set())
    try:
        yield
    finally:
        with _lock:
            _scopes.pop()


def secret_values(body: Mapping[str, Any]) -> list[str]:
    """The values of a Secret manifest: `data` as written and decoded, and `stringData`."""
    out: list[str] = []
    data = body.get("data")
    if isinstance(data, Mapping):
        for value in data.values():
            if isinstance(value, str):
                out.append(value)
                with suppress(binascii.Error, ValueError):
                    out.append(base64.b64decode(value, validate=True).decode("utf-8", "replace"))
    string_data = body.get("stringData")
    if isinstance(string_data, Mapping):
        out.extend(str(v) for v in string_data.values() if isinstance(v, str | int | float))
    return out


def _auth_file_secrets(path: Path) -> list[str]:
    try:
        doc = json.loads(path.read_text()) if path.stat().st_size < 1 << 20 else {}
    except (OSError, ValueError, RecursionError):
        return []
    auths = doc.get("auths") if isinstance(doc, Mapping) else None
    out: list[str] = []
    for entry in auths.values() if isinstance(auths, Mapping) else ():
        if not isinstance(entry, Mapping):
            continue
        for key in ("auth", "password", "identitytoken", "registrytoken"):
            value = entry.get(key)
            if isinstance(value, str):
                out.append(value)
        auth = entry.get("auth")
        if isinstance(auth, str):
            with suppress(binascii.Error, ValueError):
                out.append(base64.b64decode(auth).decode("utf-8", "replace").partition(":")[2])
    return out


def registry_secrets() -> list[str]:
    """Passwords and tokens from the Docker config and `$REGISTRY_AUTH_FILE`."""
    base = os.environ.get("DOCKER_CONFIG")
    paths = [Path(base) / "config.json" if base else Path.home() / ".docker" / "config.json"]
    if os.environ.get("REGISTRY_AUTH_FILE"):
        paths.append(Path(os.environ["REGISTRY_AUTH_FILE"]))
    return [s for p in paths for s in _auth_file_secrets(p)]


def forms(value: str) -> set[str]:
    """The texts under which `value` may show up in an output."""
    raw = value.encode("utf-8", "surrogatepass")
    out = {value, value[::-1], urllib.parse.quote(value, safe=""), json.dumps(value)[1:-1]}
    for enc in (base64.b64encode, base64.urlsafe_b64encode):
        for v in (value, value[::-1]):
            text = enc(v.encode("utf-8", "surrogatepass")).decode()
            out |= {text, text.rstrip("=")}
    if len(value) >= ANYWHERE_MIN:
        out.add(raw.hex())
    out |= _base64_cores(raw)
    stripped = value.strip()
    if stripped != value and stripped:
        out |= forms(stripped)
    return {f for f in out if f}


def _base64_cores(raw: bytes) -> set[str]:
    """The base64 characters that encode `raw` alone, at each of the three alignments it can
    have inside a longer encoded text (`user:value`, `value` + newline): 8 or more of them."""
    out: set[str] = set()
    for k in range(3):
        start, end = (8 * k + 5) // 6, 8 * (k + len(raw)) // 6
        if end - start >= 8:
            for enc in (base64.b64encode, base64.urlsafe_b64encode):
                out.add(enc(b"\0" * k + raw).decode()[start:end])
    return out


def _is_public(value: str, public: set[str]) -> bool:
    """Shown by the report anyway: equal to a public name or, from 4 characters on, part of
    one (`argocd` of `argocd-server`)."""
    if value in public:
        return True
    return len(value) >= ANYWHERE_MIN and any(value in p for p in public)


def _alternation(items: Iterable[str]) -> str:
    return "|".join(re.escape(s) for s in sorted(items, key=len, reverse=True))


def _trie_pattern(items: Iterable[str]) -> str:
    """An alternation of `items` as a trie (`ab(?:c|d)`): the regex engine then fails at a
    position after one character class test instead of trying every item."""
    trie: dict[str, Any] = {}
    for item in items:
        node = trie
        for ch in item:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if "" in node:
            branches.append("")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(trie)


class _Literals:
    """Many literal strings of `ANYWHERE_MIN` characters or more, replaced leftmost-longest
    (as an alternation of them, longest first, would). One regex over their distinct first
    characters finds where one may start; compiling an alternation of the strings themselves
    took seconds once a run had seen a few hundred generated certificates."""

    def __init__(self, items: Iterable[str]) -> None:
        self._by_head: dict[str, list[str]] = {}
        for item in sorted(items, key=len, reverse=True):
            self._by_head.setdefault(item[:ANYWHERE_MIN], []).append(item)
        self._heads = re.compile(f"(?=({_trie_pattern(self._by_head)}))")

    def sub(self, marker: str, text: str) -> str:
        out: list[str] = []
        done = 0
        for m in self._heads.finditer(text):
            at = m.start()
            if at < done:
                continue
            for item in self._by_head[m.group(1)]:
                if text.startswith(item, at):
                    out += (text[done:at], marker)
                    done = at + len(item)
                    break
        if not out:
            return text
        out.append(text[done:])
        return "".join(out)


class Redactor:
    """Replaces secret values in strings and in whole reports (see the module docstring)."""

    def __init__(
        self, secrets: Iterable[str] = (), marker: str = MARKER, public: Iterable[str] = ()
    ) -> None:
        self.marker = marker
        shown = set(public)
        every = {
            f
            for s in set(secrets)
            if s and s.strip() and not _is_public(s, shown)
            for f in forms(s)
        }
        self._short = frozenset(f for f in every if len(f) < ANYWHERE_MIN)
        long_ = {f for f in every if len(f) >= ANYWHERE_MIN}
        self._anywhere = _Literals(long_) if long_ else None
        self._tokens: re.Pattern[str] | None = None
        self._fields: dict[str, str] = {}
        if self._short:
            alt = _alternation(self._short)
            end = r"""(?=$|[/\s"'`,;)\]}@])"""
            self._tokens = re.compile(
                rf"""(?<=[/=:])(?:{alt}){end}"""  # path component, assignment, user:pw
                rf"""|(?<=-> )(?:{alt}){end}"""  # link target
                rf"""|^(?:{alt})(?=$|/)"""  # leading path component, whole line
                rf"""|(?<=: )(?:{alt})(?=$|[,}}\]])"""  # YAML `key: value`, block or flow
                rf"""|(?<=(?P<q>["'`]))(?:{alt})(?=(?P=q))""",  # quoted
                re.MULTILINE,
            )

    @classmethod
    def current(
        cls, extra: Iterable[str] = (), marker: str = MARKER, public: Iterable[str] = ()
    ) -> Redactor:
        """A redactor for everything known so far in this command, plus `extra`."""
        return cls([*known(), *registry_secrets(), *extra], marker, public)

    def text(self, text: str) -> str:
        """`text` with every secret form replaced (short forms only where they are values)."""
        if self._anywhere is not None:
            text = self._anywhere.sub(self.marker, text)
        if self._tokens is not None:
            text = self._tokens.sub(self.marker, text)
        return text

    def field(self, value: str) -> str:
        """A whole field: also replaced when it is a short secret as a whole. Memoized: a
        report repeats its cells, paths and messages many times."""
        found = self._fields.get(value)
        if found is None:
            if value in self._short or value.strip() in self._short:
                found = self.marker
            else:
                found = self.text(value)
            self._fields[value] = found
        return found

    def __call__(self, text: str) -> str:
        return self.text(text)


_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)


def _escape_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with control characters shown as escapes; newline and tab are kept."""
    return _CONTROL.sub(_escape_char, text)


def clean(text: str, redactor: Redactor | None = None) -> str:
    """Redacted (with the current known secrets unless `redactor` is given) and printable."""
    return printable((redactor or Redactor.current()).text(text))


def scrub(value: Any, redactor: Redactor) -> Any:
    """A copy of `value` (strings, dataclasses, lists, tuples, dicts, nested) with every string
    redacted as a field and made printable; other leaves are kept as they are. A string, and
    a frozen dataclass or tuple met again (a cell named by many findings), is scrubbed once."""
    seen: dict[int, tuple[Any, Any]] = {}  # id -> (the object, kept alive; its copy)
    strings: dict[str, str] = {}

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            found = strings.get(value)
            if found is None:
                found = strings[value] = printable(redactor.field(value))
            return found
        shared = isinstance(value, tuple) or _frozen(value)
        if shared and id(value) in seen:
            return seen[id(value)][1]
        out: Any = value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {
                f.name: walk(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
            }
            out = dataclasses.replace(value, **changes)
        elif isinstance(value, Mapping):
            out = {walk(k): walk(v) for k, v in value.items()}
        elif isinstance(value, list):
            out = [walk(v) for v in value]
        elif isinstance(value, tuple):
            out = tuple(walk(v) for v in value)
        if shared:
            seen[id(value)] = (value, out)
        return out

    return walk(value)


def _frozen(value: Any) -> bool:
    params = getattr(type(value), "__dataclass_params__", None)
    return bool(params is not None and params.frozen)
