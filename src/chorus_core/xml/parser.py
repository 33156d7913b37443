"""The hardened XML parser: the one parsing path of every reader, PES included.

No DTD (a ``<!DOCTYPE`` is refused outright: no invoice format needs one, and it carries entity
bombs and external entities), no entity expansion, no network, no XInclude (a document using
the XInclude namespace is refused), and the :class:`~chorus_core.limits.Limits` in force:
document size, nesting depth, element count and text length.  A ``str`` is encoded inside the
guard.  Every failure is a :class:`~chorus_core.errors.MalformedXMLError` with line and column
when the parser knows them (:class:`~chorus_core.errors.XMLLimitError` for a limit, naming it).

libxml2's own hard limits stay on (``huge_tree`` off: text nodes of 10 MB, depth 256).  Only a
document with a text over that cap while the limits allow more (a base64 attachment over 10 MB)
is parsed with ``huge_tree``, and the checks below replace libxml2's.  They are
cheap: the element count is bounded by counting bytes before parsing (``<`` not followed by
``/``, ``!`` or ``?``; a streaming parse that stops at the limit is needed only when comments
or CDATA sections make that count uncertain), and depth and text length are checked after the
parse by XPath in C, only where libxml2's caps were lifted or the limits are lower than them.

More information:

* OWASP XML External Entity Prevention Cheat Sheet; libxml2 ``XML_PARSE_HUGE``
* ``SECURITY.md`` (threat model and defaults)

>>> parse_xml(b"<a><b>1</b></a>").tag
'a'
>>> parse_xml(b"<a><b></a>")
Traceback (most recent call last):
...
chorus_core.errors.MalformedXMLError: Opening and ending tag mismatch: ... (line 1, column 11)
>>> parse_xml(b"<a>" * 5 + b"</a>" * 5, limits=Limits(max_depth=4))
Traceback (most recent call last):
...
chorus_core.errors.XMLLimitError: element nested deeper than Limits.max_depth (4) (line 1)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Any, Literal

from lxml import etree

from ..errors import MalformedXMLError, UnknownFormatError, UsageError, XMLLimitError
from ..limits import DEFAULT_LIMITS, Limits, current_limits

__all__ = ["BINARY_ELEMENTS", "MAX_DOCUMENT_BYTES", "iter_elements", "parse_xml", "serialize"]

MAX_DOCUMENT_BYTES = DEFAULT_LIMITS.max_document_bytes
"""Default largest document (200 MiB); kept for callers, see ``Limits.max_document_bytes``."""

BINARY_ELEMENTS: frozenset[str] = frozenset({
    # BT-125 attachments (UBL, CII)
    "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
    "EmbeddedDocumentBinaryObject",
    "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
    "AttachmentBinaryObject",
    # PJ/Contenu of the Chorus Pro pivot (base64 of a ZIP), PES_PJ PJ/Contenu/Fichier (gzip)
    "Contenu",
    "Fichier",
})
"""Elements (Clark names) whose text is a base64 attachment: their text may be as long as
``Limits.max_attachment_text_length``; every other text node is held to ``max_text_length``."""

XINCLUDE_NAMESPACE = "http://www.w3.org/2001/XInclude"

_LIBXML2_TEXT_LIMIT = 10_000_000  # XML_MAX_TEXT_LENGTH, lifted only by huge_tree
_LIBXML2_DEPTH_LIMIT = 256  # xmlParserMaxDepth without huge_tree
_RESOURCE_LIMIT = 114  # XML_ERR_RESOURCE_LIMIT: depth, text node or buffer over libxml2's cap
_POSITION = re.compile(r",? line \d+, column \d+$")
_ENCODING = re.compile(r"""<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BOMS = (  # UTF-32 is not listed: libxml2 does not read it
    (b"\xef\xbb\xbf", "utf-8", ("utf-8", "utf8")),
    (b"\xff\xfe", "utf-16-le", ("utf-16", "utf-16le", "utf-16-le", "utf16")),
    (b"\xfe\xff", "utf-16-be", ("utf-16", "utf-16be", "utf-16-be", "utf16")),
)
_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*<\?xml[ \t\r\n]")
_STREAM_CHUNK = 1 << 20


def _parser(huge: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=huge,
        remove_comments=False,
        remove_pis=False,
    )


_PARSERS = {False: _parser(False), True: _parser(True)}


def parse_xml(
    data: bytes | str,
    *,
    max_bytes: int | None = None,
    limits: Limits | None = None,
    binary_elements: Collection[str] = BINARY_ELEMENTS,
) -> etree._Element:
    """Parse ``data`` with the hardened parser and return the root element.

    ``limits`` defaults to :func:`~chorus_core.limits.current_limits`; ``max_bytes``, if given,
    overrides its ``max_document_bytes``.  ``binary_elements`` names the elements whose text is
    a base64 attachment (see :data:`BINARY_ELEMENTS`).  Raises
    :class:`~chorus_core.errors.MalformedXMLError` for malformed XML, a DTD, an entity
    declaration, XInclude, a lying encoding declaration or a ``str`` that cannot be encoded,
    :class:`~chorus_core.errors.XMLLimitError` for a document over a limit, and
    :class:`~chorus_core.errors.UsageError` for an argument that is neither bytes nor str.

    >>> parse_xml("<a>\\ud800</a>")
    Traceback (most recent call last):
    ...
    chorus_core.errors.MalformedXMLError: character U+D800 cannot be encoded: ... (line 1, column 4)
    """
    if limits is None:
        limits = current_limits()
    if max_bytes is not None:
        limits = limits.replace(max_document_bytes=max_bytes)
    raw, runs = _document(data, limits.max_document_bytes)
    # None: only a streaming parse that counts can tell; it stops at the limit
    stream = _too_many_elements(raw, limits.max_elements, sum(e - s for s, e in runs)) is None
    huge = limits.max_depth > _LIBXML2_DEPTH_LIMIT or (
        # a run of 10 MB without '<' will hit libxml2's text-node cap: lift it at once when the
        # limits allow such a text (an attachment); the checks below replace libxml2's
        bool(runs)
        and max(limits.max_text_length, limits.max_attachment_text_length) > _LIBXML2_TEXT_LIMIT)
    try:
        root = _parse(raw, huge, limits.max_elements if stream else None)
    except etree.XMLSyntaxError as exc:
        if huge or getattr(exc, "code", None) != _RESOURCE_LIMIT:
            raise _syntax_error(exc) from None
        line, column = exc.position if exc.position else (None, None)
        if "depth" in str(exc.msg):
            raise XMLLimitError(
                f"element nested deeper than Limits.max_depth ({_LIBXML2_DEPTH_LIMIT})",
                limit="max_depth", line=line, column=column) from None
        if max(limits.max_text_length, limits.max_attachment_text_length) <= _LIBXML2_TEXT_LIMIT:
            raise XMLLimitError(
                f"text longer than Limits.max_text_length ({limits.max_text_length} characters)",
                limit="max_text_length", line=line, column=column) from None
        # a text node over libxml2's 10 MB made of CDATA sections: parse again without the cap
        huge = True
        try:
            root = _parse(raw, huge, limits.max_elements if stream else None)
        except etree.XMLSyntaxError as again:
            raise _syntax_error(again) from None
    _check_tree(root, raw, runs, huge, limits, binary_elements)
    return root


_ELEMENT_START = re.compile(rb"<[A-Za-z_]")


def iter_elements(
    data: bytes | str, tag: str, *, root: str | None = None, limits: Limits | None = None,
) -> Iterator[etree._Element]:
    """Parse ``data`` as :func:`parse_xml` does, yielding each ``tag`` element once complete.

    A flow of N invoices is read invoice by invoice: each yielded element is cleared, and its
    read siblings removed, when the caller asks for the next one, so memory does not grow with
    the number of elements beyond what the caller keeps.  The same refusals apply (no DTD,
    entity, XInclude, lying encoding; size, depth and element-count limits); ``root``, if
    given, is the required root element.

    >>> [el.text for el in iter_elements(b"<f><i>1</i><i>2</i></f>", "i")]
    ['1', '2']
    >>> list(iter_elements(b"<!DOCTYPE f []><f/>", "i"))
    Traceback (most recent call last):
    ...
    chorus_core.errors.MalformedXMLError: DTD and entity declarations are not allowed
    """
    if limits is None:
        limits = current_limits()
    raw, runs = _document(data, limits.max_document_bytes)
    first = _ELEMENT_START.search(raw)
    prolog = raw[: first.start()] if first else raw
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
        raise MalformedXMLError("DTD and entity declarations are not allowed")
    if _in_markup(raw, b"w3.org/2001/XI", runs):
        raise MalformedXMLError("XInclude is not allowed")
    huge = limits.max_depth > _LIBXML2_DEPTH_LIMIT or bool(runs)
    parser = _pull_parser(("start", "end"), huge)
    count = depth = 0
    try:
        for event, element in _events(parser, raw):
            if event == "start":
                count += 1
                depth += 1
                if count == 1 and root is not None and element.tag != root:
                    raise UnknownFormatError(f"the root element is {element.tag}, not {root}")
                if count > limits.max_elements:
                    raise XMLLimitError(
                        f"more than Limits.max_elements ({limits.max_elements}) elements",
                        limit="max_elements", line=element.sourceline)
                if depth > limits.max_depth:
                    raise XMLLimitError(
                        f"element nested deeper than Limits.max_depth ({limits.max_depth})",
                        limit="max_depth", line=element.sourceline)
                continue
            depth -= 1
            if element.tag == tag:
                yield element
                element.clear()
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        parser.close()
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc) from None
    except (ValueError, etree.LxmlError) as exc:
        raise MalformedXMLError(str(exc)) from None


def _too_many_elements(raw: bytes, limit: int, in_runs: int = 0) -> bool | None:
    """False when ``raw`` holds at most ``limit`` elements, None when only a parse can tell.

    Raises :class:`XMLLimitError` when the bytes alone prove there are more.  An element takes
    4 bytes at least (``<a/>``) and starts with a ``<`` that is not followed by ``/`` (end
    tag), ``!`` (comment, CDATA, DOCTYPE) or ``?`` (processing instruction): counting those is
    exact unless comments, CDATA sections or processing instructions put more ``<`` inside.
    ``in_runs`` bytes are known to hold no ``<`` (long texts such as attachments).
    """
    if (len(raw) - in_runs) // 4 <= limit:
        return False
    opening = raw.count(b"<")
    if opening <= limit:
        return False
    special = raw.count(b"<!") + raw.count(b"<?")
    starts = opening - raw.count(b"</") - special
    if starts <= limit:
        return False
    if special > (1 if _DECLARATION.match(raw) else 0) or b"\x00" in raw[:4]:
        return None  # the '<' of comments, or UTF-16, where "</" is not two bytes
    raise XMLLimitError(f"more than Limits.max_elements ({limit}) elements ({starts})",
                        limit="max_elements")


def _document(data: object, max_bytes: int) -> tuple[bytes, list[tuple[int, int]]]:
    """``data`` as bytes, checked (size, not empty, encoding declaration), and its runs of
    10 MB without ``<`` (attachments, or texts over libxml2's cap)."""
    raw = _as_bytes(data, max_bytes)
    if not raw or raw.isspace():  # isspace does not copy the document, strip would
        raise MalformedXMLError("empty document")
    _check_declared_encoding(raw)
    return raw, _long_runs(raw, _LIBXML2_TEXT_LIMIT) if len(raw) > _LIBXML2_TEXT_LIMIT else []


def _as_bytes(data: object, max_bytes: int) -> bytes:
    if isinstance(data, str):
        if len(data) > max_bytes:  # every character takes at least one byte
            raise _too_large(len(data), max_bytes, "characters")
        # the declaration of a str no longer applies (lxml refuses it): drop it, encode as UTF-8
        start = _declaration_end(data)
        try:
            raw = data[start:].encode("utf-8") if start else data.encode("utf-8")
        except UnicodeEncodeError as exc:
            where = start + exc.start
            line = data.count("\n", 0, where) + 1
            column = where - data.rfind("\n", 0, where)
            raise MalformedXMLError(
                f"character U+{ord(data[where]):04X} cannot be encoded: {exc.reason}",
                line=line, column=column) from None
    elif isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        raise UsageError(
            f"data must be bytes or str (an XML document), not {type(data).__name__}",
            f"data doit être bytes ou str (un document XML), pas {type(data).__name__}",
            argument="data")
    if len(raw) > max_bytes:
        raise _too_large(len(raw), max_bytes, "bytes")
    return raw


def _declaration_end(text: str) -> int:
    """Where the XML declaration of ``text`` ends (0 without one)."""
    start = len(text) - len(text.lstrip())
    if text.startswith("<?xml", start):
        end = text.find("?>", start)
        if end != -1:
            return end + 2
    return 0


def _too_large(size: int, limit: int, unit: str) -> XMLLimitError:
    return XMLLimitError(
        f"document of {size} {unit} exceeds Limits.max_document_bytes ({limit})",
        limit="max_document_bytes")


def _check_declared_encoding(raw: bytes) -> None:
    # a byte order mark wins over the declaration in libxml2: refuse the contradiction
    for bom, codec, names in _BOMS:
        if raw.startswith(bom):
            head = raw[len(bom) : len(bom) + 512].decode(codec, errors="ignore")
            match = _ENCODING.match(head)
            if match and match.group(1).lower().replace("_", "-") not in names:
                raise MalformedXMLError(
                    f"encoding declaration {match.group(1)!r} contradicts the {names[0].upper()} "
                    "byte order mark", line=1, column=match.start(1) + 1)
            return


def _syntax_error(exc: etree.XMLSyntaxError) -> MalformedXMLError:
    line, column = exc.position if exc.position else (None, None)
    message = _POSITION.sub("", str(exc.msg or exc))
    return MalformedXMLError(message, line=line, column=column)


def _parse(raw: bytes, huge: bool, max_elements: int | None) -> etree._Element:
    # XMLSyntaxError goes to the caller, which may parse again with huge_tree
    try:
        if max_elements is None:
            return etree.fromstring(raw, parser=_PARSERS[huge])
        return _parse_counting(raw, huge, max_elements)
    except etree.XMLSyntaxError:
        raise
    except (ValueError, etree.LxmlError) as exc:
        raise MalformedXMLError(str(exc)) from None


def _parse_counting(raw: bytes, huge: bool, max_elements: int) -> etree._Element:
    # exact count while parsing, so that the tree never grows past the limit
    parser = _pull_parser(("start",), huge)
    for count, (_, element) in enumerate(_events(parser, raw), 1):
        if count > max_elements:
            raise XMLLimitError(
                f"more than Limits.max_elements ({max_elements}) elements",
                limit="max_elements", line=element.sourceline)
    root: etree._Element = parser.close()
    return root


def _pull_parser(events: tuple[Literal["start", "end"], ...], huge: bool) -> etree.XMLPullParser:
    """A pull parser with the options of :func:`_parser`, reporting ``events``."""
    return etree.XMLPullParser(
        events=events, resolve_entities=False, no_network=True, load_dtd=False,
        attribute_defaults=False, huge_tree=huge, remove_comments=False, remove_pis=False)


def _events(parser: etree.XMLPullParser, raw: bytes) -> Iterator[tuple[str, Any]]:
    """Feed ``raw`` to ``parser`` a chunk at a time, yielding the events of each chunk."""
    for offset in range(0, len(raw), _STREAM_CHUNK):
        parser.feed(raw[offset : offset + _STREAM_CHUNK])
        events: Any = parser.read_events()
        yield from events


def _check_tree(
    root: etree._Element, raw: bytes, runs: list[tuple[int, int]], huge: bool, limits: Limits,
    binary: Collection[str],
) -> None:
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise MalformedXMLError("DTD and entity declarations are not allowed")
    if root.tag is etree.Entity or not isinstance(root.tag, str):
        raise MalformedXMLError("the document has no element root")
    if _in_markup(raw, b"w3.org/2001/XI", runs):  # the namespace, cut where search skips fastest
        found = _first(root, "(//*[namespace-uri() = $ns])[1]", ns=XINCLUDE_NAMESPACE)
        if found is not None:
            raise MalformedXMLError("XInclude is not allowed", line=found.sourceline)
    # libxml2 already stops at depth 256 without huge_tree
    if huge or limits.max_depth < _LIBXML2_DEPTH_LIMIT:
        # the elements at depth max_depth + 1, found level by level in C
        deep = _first(root, "(/" + "*/" * limits.max_depth + "*)[1]")
        if deep is not None:
            raise XMLLimitError(
                f"element nested deeper than Limits.max_depth ({limits.max_depth})",
                limit="max_depth", line=deep.sourceline)
    _check_text(root, raw, huge, limits, binary)


def _check_text(
    root: etree._Element, raw: bytes, huge: bool, limits: Limits, binary: Collection[str]
) -> None:
    text_limit = limits.max_text_length
    binary_limit = max(limits.max_attachment_text_length, text_limit)
    # without huge_tree libxml2 caps a text node at 10 MB; a long text (or attribute) needs a
    # long run of bytes without '<', unless CDATA sections put '<' inside it
    ceiling = len(raw) if huge else min(len(raw), _LIBXML2_TEXT_LIMIT)
    if ceiling <= text_limit or (not _long_run(raw, text_limit) and b"<![CDATA[" not in raw):
        return
    names = sorted(binary)
    exempt = " or ".join(
        f"(local-name() = $l{i} and namespace-uri() = $n{i})" for i in range(len(names)))
    variables: dict[str, str] = {}
    for i, name in enumerate(names):
        namespace, _, local = name[1:].rpartition("}") if name.startswith("{") else ("", "", name)
        variables[f"l{i}"], variables[f"n{i}"] = local, namespace
    # the element test first: the text of an attachment is never measured here; elements, not
    # texts, are returned (no copy of a long text into Python)
    condition = f"[not({exempt})]" if names else ""
    long_text = _first(
        root,
        f"(//*{condition}[text()[string-length() > $limit]]"
        " | //*[@*[string-length() > $limit]])[1]",
        limit=text_limit, **variables)
    if long_text is not None:
        raise XMLLimitError(
            f"text longer than Limits.max_text_length ({text_limit} characters)",
            limit="max_text_length", line=long_text.sourceline)
    if names and ceiling > binary_limit:
        long_binary = _first(
            root, f"(//*[{exempt}][text()[string-length() > $limit]])[1]",
            limit=binary_limit, **variables)
        if long_binary is not None:
            raise XMLLimitError(
                f"attachment text longer than Limits.max_attachment_bytes "
                f"({limits.max_attachment_bytes} bytes) in base64", limit="max_attachment_bytes",
                line=long_binary.sourceline)


def _first(root: etree._Element, expression: str, **variables: object) -> Any:
    """The first node of an XPath node set, or None (lxml evaluates it in C)."""
    evaluate: Any = root.xpath
    found = evaluate(expression, **variables)
    return found[0] if found else None


def _long_runs(raw: bytes, length: int) -> list[tuple[int, int]]:
    """The runs of more than ``length`` bytes without a ``<`` in ``raw``, as (start, end).

    Such a run covers one of the offsets ``length``, ``2 × length``, …: look around those only.
    """
    runs: list[tuple[int, int]] = []
    for probe in range(length, len(raw), length):
        if runs and runs[-1][1] > probe:
            continue
        after = raw.find(b"<", probe)
        end = after if after != -1 else len(raw)
        start = raw.rfind(b"<", 0, probe) + 1
        if end - start > length:
            runs.append((start, end))
    return runs


def _in_markup(raw: bytes, needle: bytes, runs: list[tuple[int, int]]) -> bool:
    """Whether ``needle`` occurs in ``raw`` outside the texts of ``runs`` (only their tag)."""
    position = 0
    for start, end in runs:
        tag_end = raw.find(b">", start, end)
        if raw.find(needle, position, tag_end + 1 if tag_end != -1 else end) != -1:
            return True
        position = end
    return raw.find(needle, position) != -1


def _long_run(raw: bytes, length: int) -> bool:
    return bool(_long_runs(raw, length))


def serialize(root: etree._Element, *, encoding: str = "UTF-8") -> bytes:
    """Serialize ``root`` with an XML declaration in ``encoding``.

    >>> serialize(parse_xml("<a>é</a>"))
    b"<?xml version='1.0' encoding='UTF-8'?>\\n<a>\\xc3\\xa9</a>"
    """
    return etree.tostring(root, xml_declaration=True, encoding=encoding)  # type: ignore[return-value]
