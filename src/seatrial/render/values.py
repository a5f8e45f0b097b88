"""User values, layered in ONE place for `check`, `matrix` and `converge`, in Helm v4's order
(`pkg/cli/values/options.go` MergeValues): `-f` files merged in order (maps key by key), then
each `--set-json`, `--set`, `--set-string`, `--set-file` expression parsed INTO the values
accumulated so far, as Helm's `strvals.ParseInto` does. So an assignment replaces what its key
held (`--set-json 'obj={"y":2}'` drops `obj.x` from a file), a dotted key goes into the existing
map (`--set obj.z=3` keeps `obj.y`), and an index sets one element of the existing list
(`--set l[1]=9` keeps `l[0]`; past the end the list grows with nulls). A dotted key through a
scalar, or an index into a map, is refused as Helm refuses it.

Each expression is first parsed alone by Helm's own parser (`helm_python`), so malformed input
gets Helm's message; `_Into` then applies it to the accumulated values following the grammar
of `pkg/strvals/parser.go` (keys with backslash escapes, `.`, `[N]`; values typed as `--set` types
them, lists `{a,b}`, JSON for `--set-json`, file contents for `--set-file`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from seatrial import yamlguard
from seatrial.errors import SourceError, UsageError


def deep_merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = deep_merge(dict(out[k]), v)
        else:
            out[k] = v
    return out


def _load_values_file(
    path: str, where: str | None = None, text: str | None = None
) -> dict[str, Any]:
    """A values file; a multi-document one is merged document by document, as Helm v4 does."""
    try:
        docs = yamlguard.load_values(
            text if text is not None else Path(path).read_text(encoding="utf-8")
        )
    except UnicodeDecodeError:
        raise SourceError(f"{where or path}: values file is not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read values file: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SourceError(f"{where or path}{line}: invalid YAML in values file") from None
    merged: dict[str, Any] = {}
    for data in docs:
        if data is None:
            continue
        if not isinstance(data, dict):
            raise SourceError(f"{where or path}: a values file must be a YAML mapping")
        merged = deep_merge(merged, data)
    return merged


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _check_files(expr: str) -> None:
    """--set-file KEY=PATH[,KEY=PATH]: every PATH must be a readable file (one-line error)."""
    for part in expr.split(","):
        key, sep, path = part.partition("=")
        if not sep or not key:
            raise UsageError(f"--set-file {expr}: expected KEY=PATH")
        try:
            Path(path).read_bytes()
        except OSError as exc:
            raise UsageError(f"--set-file {expr}: cannot read {path}: {exc.strerror}") from None


#: Helm's strvals.MaxIndex: a larger list index is refused
MAX_INDEX = 65536
_INT = re.compile(r"[+-]?[0-9]+")


class _Refused(ValueError):
    """An expression Helm refuses when parsing it into the values (one line)."""


def _typed(text: str) -> Any:
    """`--set`'s typing (strvals.typedVal): true/false/null, int64 when it does not start
    with 0, else the string (floats stay strings)."""
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "null":
        return None
    if text == "0":
        return 0
    if text and text[0] != "0" and _INT.fullmatch(text) and -(2**63) <= int(text) < 2**63:
        return int(text)
    return text


class _Into:
    """One expression parsed into `data`, after strvals' parser (ParseInto)."""

    def __init__(self, expr: str, kind: str, data: dict[str, Any]) -> None:
        self.s, self.i, self.kind, self.data = expr, 0, kind, data

    def _until(self, stop: str) -> tuple[str, str | None]:
        """Characters up to one of `stop` (consumed, returned); a backslash escapes the next."""
        out: list[str] = []
        while self.i < len(self.s):
            ch = self.s[self.i]
            self.i += 1
            if ch in stop:
                return "".join(out), ch
            if ch == "\\" and self.i < len(self.s):
                ch = self.s[self.i]
                self.i += 1
            out.append(ch)
        return "".join(out), None

    def parse(self) -> None:
        while self.i < len(self.s):
            self._key(self.data)

    def _key(self, data: dict[str, Any]) -> None:
        key, last = self._until("=[,.")
        if last == "[":
            index = self._index()
            old = data.get(key, [])
            if not isinstance(old, list):
                raise _Refused(f"{key} is not a list")
            data[key] = self._item(list(old), index)
        elif last == "=":
            data[key] = self._value()
        elif last == ".":
            if not key:
                raise _Refused("key map with no name")
            inner = data.get(key, {})
            if not isinstance(inner, dict):
                raise _Refused(f"{key} is not a map")
            inner = dict(inner)
            self._key(inner)
            data[key] = inner
        else:
            raise _Refused(f"key {key!r} has no value")

    def _index(self) -> int:
        text, last = self._until("]")
        if last is None or not _INT.fullmatch(text.strip()):
            raise _Refused(f"invalid list index {text!r}")
        index = int(text)
        if index < 0 or index > MAX_INDEX:
            raise _Refused(f"list index {index} out of range")
        return index

    def _item(self, items: list[Any], index: int) -> list[Any]:
        rest, last = self._until("[.=")
        if rest:
            raise _Refused(f"unexpected data at end of array index: {rest!r}")
        if len(items) <= index:
            items.extend([None] * (index + 1 - len(items)))
        if last == "=":
            items[index] = self._value()
        elif last == "[":
            nested = items[index] if items[index] is not None else []
            if not isinstance(nested, list):
                raise _Refused(f"element {index} is not a list")
            items[index] = self._item(list(nested), self._index())
        elif last == ".":
            inner = items[index] if isinstance(items[index], dict) else {}
            inner = dict(inner)
            self._key(inner)
            items[index] = inner
        else:
            raise _Refused("list index without a value")
        return items

    def _value(self) -> Any:
        if self.kind == "json":
            return self._json()
        if self.s.startswith("{", self.i):
            self.i += 1
            items = []
            while True:
                text, last = self._until(",}")
                items.append(self._convert(text))
                if last == "}":
                    break
                if last is None:
                    raise _Refused("list must terminate with '}'")
            if self.s.startswith(",", self.i):
                self.i += 1
            return items
        text, _ = self._until(",")
        return self._convert(text)

    def _convert(self, text: str) -> Any:
        if self.kind == "string":
            return text
        if self.kind == "file":
            return Path(text).read_text(encoding="utf-8", errors="replace")
        return _typed(text)

    def _json(self) -> Any:
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1
        if self.i >= len(self.s) or self.s[self.i] == ",":
            self.i += 1
            return None
        try:
            value, self.i = json.JSONDecoder().raw_decode(self.s, self.i)
        except ValueError as exc:
            raise _Refused(f"invalid JSON: {exc}") from None
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1
        if self.i < len(self.s):
            if self.s[self.i] != ",":
                raise _Refused("unexpected data after the JSON value")
            self.i += 1
        return value


def parse_into(values: dict[str, Any], expr: str, kind: str = "set") -> dict[str, Any]:
    """`values` with the expression applied as Helm's ParseInto does (a new dict; maps and
    lists on the way are copied). `kind`: set, string, json or file."""
    out = dict(values)
    _Into(expr, kind, out).parse()
    return out


def layer_values(
    value_files: tuple[str, ...] = (),
    set_values: tuple[str, ...] = (),
    set_string: tuple[str, ...] = (),
    set_json: tuple[str, ...] = (),
    set_file: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The user's values over which the chart's defaults sit, as `helm template` builds them."""
    values: dict[str, Any] = {}
    for f in value_files:
        values = deep_merge(values, _load_values_file(f))
    if not (set_values or set_string or set_json or set_file):
        return values
    import helm_python
    from helm_python.errors import HelmError

    layers: list[tuple[str, str, tuple[str, ...], Callable[[str], dict[str, Any]]]] = [
        ("--set-json", "json", set_json, helm_python.parse_set_json),
        ("--set", "set", set_values, helm_python.parse_set_string),
        ("--set-string", "string", set_string, helm_python.parse_set_string_values),
        ("--set-file", "file", set_file, helm_python.parse_set_file),
    ]
    for flag, kind, exprs, parse in layers:
        for expr in exprs:
            if flag == "--set-file":
                _check_files(expr)
            try:
                parse(expr)  # Helm's own message for a malformed expression
            except HelmError as exc:
                raise UsageError(f"{flag} {expr}: {_one_line(str(exc))}") from None
            try:
                values = parse_into(values, expr, kind)
            except (_Refused, OSError) as exc:
                raise UsageError(f"{flag} {expr}: {_one_line(str(exc))}") from None
    return values
