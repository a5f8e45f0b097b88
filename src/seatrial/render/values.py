"""User values, layered in ONE place for `check` and `matrix`, in Helm v4's order
(`pkg/cli/values/options.go` MergeValues): `-f` files in order, then `--set-json`, `--set`,
`--set-string`, `--set-file`; later layers win, maps merge key by key."""

from __future__ import annotations

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


def _load_values_file(path: str, where: str | None = None,
                      text: str | None = None) -> dict[str, Any]:
    """A values file; a multi-document one is merged document by document, as Helm v4 does."""
    try:
        docs = yamlguard.safe_load_all(
            text if text is not None else Path(path).read_text(encoding="utf-8"))
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


def layer_values(value_files: tuple[str, ...] = (), set_values: tuple[str, ...] = (),
                 set_string: tuple[str, ...] = (), set_json: tuple[str, ...] = (),
                 set_file: tuple[str, ...] = ()) -> dict[str, Any]:
    """The user's values over which the chart's defaults sit, as `helm template` builds them."""
    values: dict[str, Any] = {}
    for f in value_files:
        values = deep_merge(values, _load_values_file(f))
    if not (set_values or set_string or set_json or set_file):
        return values
    import helm_python
    from helm_python.errors import HelmError

    layers: list[tuple[str, tuple[str, ...], Callable[[str], dict[str, Any]]]] = [
        ("--set-json", set_json, helm_python.parse_set_json),
        ("--set", set_values, helm_python.parse_set_string),
        ("--set-string", set_string, helm_python.parse_set_string_values),
        ("--set-file", set_file, helm_python.parse_set_file),
    ]
    for flag, exprs, parse in layers:
        for expr in exprs:
            if flag == "--set-file":
                _check_files(expr)
            try:
                values = deep_merge(values, parse(expr))
            except HelmError as exc:
                raise UsageError(f"{flag} {expr}: {_one_line(str(exc))}") from None
    return values
