"""Parse rendered or plain YAML into `K8sObject`s, keeping the line of every field."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from seatrial import yamlguard
from seatrial.errors import SourceError
from seatrial.objects.model import FieldPath, K8sObject
from seatrial.yamlguard import GO_TAG as _GO
from seatrial.yamlguard import go_key, go_scalar, guard_node

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
#: mapping keys PyYAML's SafeConstructor rewrites (`<<` merges, `=` values)
_SPECIAL_KEYS = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})


def _key(node: yaml.Node) -> Any:
    """A plain mapping key as a JSON key (`y:` is "true")."""
    value = go_scalar(node.value)
    return value if type(value) is str else go_key(value)


class _Loader(yamlguard.GoLoader):
    """yamlguard's loader with Go's scalar rules (C when available: several times faster on
    large renders), as Helm and kubectl read a manifest before the cluster gets it, with what
    a rendered chart makes it do ~100,000 times a second done in fewer Python steps and the
    same result: plain scalars, strings, mappings and sequences are built directly (anything
    else, `<<` merge keys included, by SafeConstructor)."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        #: aliases share a node (and PyYAML the object built from it): only with anchors
        self._anchored = not isinstance(stream, str) or "&" in stream

    def construct_document(self, node: yaml.Node) -> Any:
        scalar, mapping, sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
        slow = self.construct_object
        memo: dict[int, Any] | None = {} if self._anchored else None

        def build(n: yaml.Node) -> Any:
            kind, tag = type(n), n.tag
            if kind is scalar:
                if tag == _GO:
                    return go_scalar(n.value)
                return n.value if tag == _STR else slow(n, deep=True)
            if memo is not None and id(n) in memo:
                return memo[id(n)]
            if kind is mapping and tag == _MAP:
                pairs = n.value
                if any(k.tag in _SPECIAL_KEYS or type(k) is not scalar for k, _ in pairs):
                    out: Any = slow(n, deep=True)
                else:
                    out = {}
                    if memo is not None:
                        memo[id(n)] = out
                    for k, v in pairs:
                        out[
                            _key(k)
                            if k.tag == _GO
                            else k.value
                            if k.tag == _STR
                            else go_key(slow(k, deep=True))
                        ] = build(v)
            elif kind is sequence and tag == _SEQ:
                out = []
                if memo is not None:
                    memo[id(n)] = out
                out.extend(build(item) for item in n.value)
            else:
                out = slow(n, deep=True)
            if memo is not None:
                memo[id(n)] = out
            return out

        try:
            return build(node)
        finally:
            self.constructed_objects: dict[Any, Any] = {}
            self.recursive_objects: dict[Any, Any] = {}
            self.deep_construct = False


def _walk(node: yaml.Node, path: FieldPath, out: dict[FieldPath, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = (
                _key(key)
                if key.tag == _GO
                else key.value
                if isinstance(key, yaml.ScalarNode)
                else str(key.value)
            )
            p = (*path, k)
            out[p] = key.start_mark.line + 1
            _walk(value, p, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            p = (*path, i)
            out[p] = item.start_mark.line + 1
            _walk(item, p, out)


def iter_documents(
    text: str, source: str, *, with_lines: bool = True, offset: int = 0, rendered: bool = False
) -> Iterator[tuple[int, Any, dict[FieldPath, int]]]:
    """Yield (first line of the document, body, field lines) for each YAML document; the
    field lines stay empty without `with_lines`.

    Raises SourceError with the file and line on broken YAML: `offset` lines after the
    start of `text`; for a template's `rendered` output, that line of its output (not a
    line of the template).
    """
    loader = _Loader(text)
    # an alias needs an anchor (`&a`): a text without `&` cannot expand
    anchored = "&" in text
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            if anchored:
                guard_node(node)
            lines: dict[FieldPath, int] = {}
            if with_lines:
                _walk(node, (), lines)
            body = loader.construct_document(node)
            yield node.start_mark.line, body, lines
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is None:
            where = source
        elif rendered:
            where = f"{source}, line {mark.line + 1 + offset} of its output"
        else:
            where = f"{source}:{mark.line + 1 + offset}"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(f"{where}: invalid YAML: {problem}") from None
    finally:
        loader.dispose()


# Go's `\s` (RE2: ASCII only) and `strings.TrimSpace` (Unicode White_Space)
_GO_SPACE = "[\t\n\f\r ]"
_TRIM = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: Helm's `releaseutil.SplitManifests` separator, `(?:^|\s*\n)---\s*`
_SEPARATOR = re.compile(rf"(?:^|{_GO_SPACE}*\n)---{_GO_SPACE}*")


def split_documents(text: str, *, trim: bool = True) -> list[tuple[int, str]]:
    """Split a YAML stream into documents exactly as Helm's `releaseutil.SplitManifests` does:
    the whole text trimmed, split on `(?:^|\\s*\\n)---\\s*`, each part trimmed, empty parts
    dropped. A line such as `---# Permission to ...` (left when `-}}` eats the newline after
    `---`) therefore starts a new document. Yields (0-based line where the document starts,
    document text); a document may start in the middle of its first line.

    `trim=False` keeps each document's end up to the newline before the separator, as
    kubectl applies plain manifests: the last line of a block scalar keeps its newline."""
    lead = len(text) - len(text.lstrip(_TRIM))
    body = text[lead:] if not trim else text[lead:].rstrip(_TRIM)
    docs: list[tuple[int, str]] = []
    start = 0
    # a separator's `---` starts the text or a line: without one, skip the regex (slow on
    # the large single documents of CRDs)
    maybe = body.startswith("---") or "\n---" in body
    for sep in [*(_SEPARATOR.finditer(body) if maybe else ()), None]:
        end = (
            len(body)
            if sep is None
            else (sep.start() if trim else sep.start() + sep.group(0).rfind("\n") + 1)
        )
        part = body[start:end]
        doc = part.strip(_TRIM) if trim else part.lstrip(_TRIM)
        if doc.strip(_TRIM):
            at = lead + start + (len(part) - len(part.lstrip(_TRIM)))
            docs.append((text.count("\n", 0, at), doc))
        if sep is not None:
            start = sep.end()
    return docs


def is_manifest_template(path: str) -> bool:
    """Whether Helm installs what template `path` renders: every template but partials
    (`_helpers.tpl`, any base name starting with `_`) and `NOTES.txt`, whatever its extension."""
    return not path.rsplit("/", 1)[-1].startswith("_") and not path.endswith("NOTES.txt")


def parse_objects(text: str, source: str, *, is_template: bool) -> list[K8sObject]:
    """Every Kubernetes object in `text` (multi-document YAML). `List` kinds are expanded.

    Documents that are empty or not mappings with a kind are skipped (Helm does the same with
    whitespace-only template output).
    """
    out: list[K8sObject] = []
    for start, doc in split_documents(text, trim=is_template):
        blocks = _by_blocks(doc, source)
        parsed = (
            [(0, blocks, {})]
            if blocks is not None
            else iter_documents(doc, source, with_lines=False, offset=start, rendered=is_template)
        )
        for n, (_, body, _lines) in enumerate(parsed):
            if not isinstance(body, Mapping) or "kind" not in body:
                continue
            items = body.get("items") if str(body.get("kind", "")).endswith("List") else None
            if isinstance(items, list):
                for i, item in enumerate(items):
                    if isinstance(item, dict) and "kind" in item:
                        out.append(_make(item, doc, source, start, is_template, n, i))
                continue
            out.append(_make(body, doc, source, start, is_template, n, None))
    return out


#: documents at least this large are parsed a top-level key at a time (`_by_blocks`)
_LARGE = 1 << 16
#: a top-level key line: `key:` then a space or the line's end
_TOP_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/]*:(?:[ \t]|$)")


class _BlockCache:
    """Parsed top-level blocks by text, up to a bound (the values are shared, read-only)."""

    LIMIT = 64 << 20  # characters of block text kept

    def __init__(self) -> None:
        self.parsed: dict[str, dict[str, Any]] = {}
        self.size = 0

    def get(self, block: str) -> dict[str, Any] | None:
        return self.parsed.get(block)

    def put(self, block: str, parsed: dict[str, Any]) -> None:
        if self.size + len(block) > self.LIMIT:
            self.parsed.clear()
            self.size = 0
        self.parsed[block] = parsed
        self.size += len(block)


_BLOCKS = _BlockCache()
#: a top-level block at least this large is parsed when first read (`LazyBody`)
_LAZY = 1 << 14


class LazyBody(Mapping[str, Any]):
    """A large document's top-level mapping whose large blocks are parsed when first read:
    checks read a CRD's `apiVersion`, `kind` and `metadata`, rarely its megabyte of `spec`
    (kyverno's CRDs: 3.2 MB parsed for nothing). Each block was checked to be valid YAML when
    the document was read; one without tags (`!`) cannot fail to build later. Two bodies of the
    same text are equal without parsing."""

    __slots__ = ("_pending", "_text", "_values", "_where")

    def __init__(
        self, values: dict[str, Any], pending: dict[str, str], text: str, where: str
    ) -> None:
        self._values = values  # every key, in order (a pending key's value is a placeholder)
        self._pending = pending  # key -> its block's text, not parsed yet
        self._text = text
        self._where = where

    def __getitem__(self, key: str) -> Any:
        block = self._pending.get(key)
        if block is not None:
            parsed = _parse_block(block)
            if parsed is None:  # well formed without tags or aliases: not expected
                raise SourceError(f"{self._where}: invalid YAML under `{key}`")
            self._values[key] = parsed[key]
            self._pending.pop(key, None)
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyBody) and other._text == self._text:
            return True
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]


def _parse_block(block: str) -> dict[str, Any] | None:
    """One top-level block as a one-key mapping (kept in `_BLOCKS`); None when it does not
    parse alone."""
    parsed = _BLOCKS.get(block)
    if parsed is None:
        try:
            found = yaml.load(block, Loader=_Loader)
        except yaml.YAMLError:
            return None
        if not isinstance(found, dict) or len(found) != 1:
            return None
        parsed = found
        _BLOCKS.put(block, parsed)
    return parsed


def _plain(text: str) -> bool:
    """Whether `text` is valid YAML without anchors or aliases, read as events only (no
    Python objects for its nodes: several times faster than building it)."""
    try:
        for e in yaml.parse(text, Loader=_Loader):
            if type(e) is yaml.AliasEvent or getattr(e, "anchor", None) is not None:
                return False
    except yaml.YAMLError:
        return False
    return True


def _by_blocks(doc: str, where: str) -> Mapping[str, Any] | None:
    """A large document that is a plain block mapping, parsed one top-level key at a time,
    each block's result kept: renders of one template that differ in a line of `metadata`
    (argo-cd's 1.4 MB CRD with or without a `keep` annotation) parse `spec` once. Each
    top-level key and its indented lines parse alone as they do in the whole document, as
    long as every line at column 0 is a simple key or a comment and nothing is anchored.
    None (parse the whole document) otherwise, or when a block does not parse alone."""
    if len(doc) < _LARGE or doc.startswith("%"):
        return None
    lines = doc.split("\n")
    starts: list[int] = []
    for i, line in enumerate(lines):
        if not line or line[0] in " \t#":
            continue
        if not _TOP_KEY.match(line):
            return None
        starts.append(i)
    # an `&` in a text is mostly no anchor (`a && b` in a CRD's description): read the events
    checked = "&" in doc
    if checked and not _plain(doc):
        return None
    body: dict[str, Any] = {}
    pending: dict[str, str] = {}
    for a, b in zip(starts, [*starts[1:], len(lines)], strict=True):
        block = "\n".join(lines[a:b])
        key = lines[a].split(":", 1)[0]
        lazy = len(block) >= _LAZY and "!" not in block and block not in _BLOCKS.parsed
        if lazy and go_scalar(key) == key:  # a key Go reads as itself (not `y`, `on`, `1`)
            # valid, and one key (every other line is indented): built when first read
            if not checked and not _plain(block):
                return None
            body.setdefault(key, None)
            pending[key] = block
            continue
        parsed = _parse_block(block)
        if parsed is None:
            return None
        body.update(parsed)
        pending.pop(key, None)
    if not body:
        return None
    return LazyBody(body, pending, doc, where) if pending else body


def field_lines(text: str, doc_index: int, item_index: int | None) -> dict[FieldPath, int]:
    """The field lines of one object of `text` (see K8sObject.lines): its YAML document's,
    or the part under `items[item_index]` of a `List`. Empty when the text no longer
    parses (it parsed when the object was made)."""
    loader = _Loader(text)
    try:
        n = 0
        while loader.check_node():
            node = loader.get_node()  # composed only: lines need no Python objects
            if node is None:
                continue
            if n == doc_index:
                lines: dict[FieldPath, int] = {}
                _walk(node, (), lines)
                if item_index is None:
                    return lines
                return {p[2:]: ln for p, ln in lines.items() if p[:2] == ("items", item_index)}
            n += 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return {}


def _make(
    body: Mapping[str, Any],
    doc: str,
    source: str,
    start: int,
    is_template: bool,
    doc_index: int,
    item_index: int | None,
) -> K8sObject:
    md = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
    assert isinstance(md, dict)
    return K8sObject(
        api_version=str(body.get("apiVersion", "")),
        kind=str(body.get("kind", "")),
        name=str(md.get("name") or md.get("generateName") or ""),
        namespace=str(md.get("namespace") or ""),
        body=body,
        source=source,
        text=doc,
        doc_line=start,
        is_template=is_template,
        doc_index=doc_index,
        item_index=item_index,
    )
