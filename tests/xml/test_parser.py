"""The hardened parser enforces every XML limit, encodes str input inside its guard, and locates
each failure (see tests/test_attacks.py for the hostile documents through the public API)."""

from __future__ import annotations

import pytest
from lxml import etree

from chorus_core.errors import MalformedXMLError, UsageError, XMLLimitError
from chorus_core.limits import Limits, using_limits
from chorus_core.xml import BINARY_ELEMENTS, parse_xml

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def nested(depth: int) -> bytes:
    return b"<a>" * depth + b"</a>" * depth


def test_str_with_a_lone_surrogate_is_malformed_with_its_position() -> None:
    """A str that UTF-8 cannot encode gives MalformedXMLError at the surrogate's line/column."""
    with pytest.raises(MalformedXMLError) as info:
        parse_xml("<a>\n  <b>x\udc80</b>\n</a>")
    assert (info.value.line, info.value.column) == (2, 7)
    assert "U+DC80" in str(info.value)


def test_surrogate_after_a_declaration_is_located_in_the_str() -> None:
    """The position counts the declaration that is dropped before encoding."""
    with pytest.raises(MalformedXMLError) as info:
        parse_xml("<?xml version='1.0'?>\n<a>\ud800</a>")
    assert (info.value.line, info.value.column) == (2, 4)


def test_utf_16_documents_are_counted_exactly() -> None:
    """In UTF-16 "</" is not two bytes: the element count falls back to counting while parsing."""
    data = ("<a>" + "<b></b>" * 600 + "</a>").encode("utf-16")
    assert len(parse_xml(data, limits=Limits(max_elements=700))) == 600
    with pytest.raises(XMLLimitError):
        parse_xml(data, limits=Limits(max_elements=500))


def test_str_with_its_own_declaration_is_parsed_as_text() -> None:
    """The encoding declared by a str no longer applies: it is dropped and the text kept."""
    root = parse_xml('  <?xml version="1.0" encoding="ISO-8859-1"?><a>é€</a>')
    assert root.text == "é€"


def test_non_text_argument_names_the_argument() -> None:
    """Neither bytes nor str: UsageError naming ``data``."""
    with pytest.raises(UsageError) as info:
        parse_xml(["<a/>"])  # type: ignore[arg-type]
    assert info.value.argument == "data"


@pytest.mark.parametrize("data", [b"<a>" + b"x" * 2048 + b"</a>",
                                  "<a>" + "x" * 2048 + "</a>"])
def test_document_size_limit(data: bytes | str) -> None:
    """Over max_document_bytes (bytes or characters): XMLLimitError naming the limit."""
    with pytest.raises(XMLLimitError) as info:
        parse_xml(data, limits=Limits(max_document_bytes=1024))
    assert info.value.limit == "max_document_bytes"
    with pytest.raises(XMLLimitError, match="exceeds"):
        parse_xml(data, max_bytes=1024)  # the keyword of the first version still works
    assert parse_xml(data, max_bytes=4096).tag == "a"


@pytest.mark.parametrize("limit", [4, 100, 255])
def test_depth_limit_below_libxml2s(limit: int) -> None:
    """Depth limit exactly: max_depth levels parse, one more is refused at its line."""
    assert parse_xml(nested(limit), limits=Limits(max_depth=limit)) is not None
    deeper = b"<a>" * limit + b"\n<a/>" + b"</a>" * limit
    with pytest.raises(XMLLimitError) as info:
        parse_xml(nested(limit + 1), limits=Limits(max_depth=limit))
    assert info.value.limit == "max_depth"
    with pytest.raises(XMLLimitError) as info:
        parse_xml(deeper, limits=Limits(max_depth=limit))
    assert info.value.line == 2


def test_default_depth_is_libxml2s_and_can_be_raised() -> None:
    """Depth 256 parses by default, 257 is refused; max_depth=1000 admits 1000, not 1001."""
    parse_xml(nested(256))
    with pytest.raises(XMLLimitError) as info:
        parse_xml(nested(257))
    assert info.value.limit == "max_depth" and info.value.column is not None
    with using_limits(max_depth=1000):
        parse_xml(nested(1000))
        with pytest.raises(XMLLimitError, match=r"max_depth \(1000\)"):
            parse_xml(nested(1001))


def test_depth_is_checked_in_a_document_over_ten_megabytes() -> None:
    """Where libxml2's caps are lifted for an attachment, the depth limit still holds."""
    blob = b"A" * 11_000_000
    attachment = f"<b:EmbeddedDocumentBinaryObject xmlns:b='{CBC}'>".encode() + blob + (
        b"</b:EmbeddedDocumentBinaryObject>")
    assert len(parse_xml(b"<r>" + attachment + nested(20) + b"</r>")[0].text or "") == len(blob)
    with pytest.raises(XMLLimitError) as info:
        parse_xml(b"<r>" + attachment + nested(300) + b"</r>")
    assert info.value.limit == "max_depth"


@pytest.mark.parametrize("filler", [b"", b"<!--<-->" * 50, b"<![CDATA[<<<<]]>" * 50])
def test_element_count_limit_is_exact(filler: bytes) -> None:
    """max_elements elements parse and one more is refused, whatever '<' comments or CDATA add."""
    body = b"<b/>" * 99
    root = parse_xml(b"<a>" + filler + body + b"</a>", limits=Limits(max_elements=100))
    assert len(root.findall("b")) == 99
    with pytest.raises(XMLLimitError) as info:
        parse_xml(b"<a>" + filler + body + b"<b/></a>", limits=Limits(max_elements=100))
    assert info.value.limit == "max_elements"


def test_element_count_is_refused_from_the_bytes_or_stops_the_parse_early() -> None:
    """Too many elements are refused before parsing, or, when comments could hide '<' in their
    text, by a streaming parse that stops at the limit (at the line it reached)."""
    data = b"<a>\n" + b"<b/>\n" * 300_000 + b"</a>"
    with pytest.raises(XMLLimitError) as info:
        parse_xml(data, limits=Limits(max_elements=1000))
    assert info.value.limit == "max_elements" and info.value.line is None
    with pytest.raises(XMLLimitError) as info:
        parse_xml(b"<!-- <c> -->" + data, limits=Limits(max_elements=1000))
    assert info.value.line is not None and info.value.line < 5000
    assert len(parse_xml(b'<?xml version="1.0"?>' + data)) == 300_000


def test_text_limit_spares_attachment_elements() -> None:
    """A long text is refused in an ordinary element and accepted in an attachment element."""
    text = b"A" * 2000
    limits = Limits(max_text_length=1000)
    attachment = f"<r><b:EmbeddedDocumentBinaryObject xmlns:b='{CBC}'>".encode() + text + (
        b"</b:EmbeddedDocumentBinaryObject></r>")
    assert parse_xml(attachment, limits=limits)[0].text == text.decode()
    for data in [b"<r><note>" + text + b"</note></r>", b"<r note='" + text + b"'/>",
                 b"<r><![CDATA[" + text.replace(b"AA", b"<A") + b"]]></r>"]:
        with pytest.raises(XMLLimitError) as info:
            parse_xml(data, limits=limits)
        assert info.value.limit == "max_text_length"
        assert info.value.line == 1


def test_binary_elements_can_be_chosen_by_the_caller() -> None:
    """A reader may name its own attachment elements; the default set is then not exempt."""
    limits = Limits(max_text_length=10)
    data = b"<r><Blob>" + b"A" * 100 + b"</Blob></r>"
    assert parse_xml(data, limits=limits, binary_elements={"Blob"})[0].tag == "Blob"
    with pytest.raises(XMLLimitError):
        parse_xml(data, limits=limits)
    assert "Fichier" in BINARY_ELEMENTS and "Contenu" in BINARY_ELEMENTS


def test_attachment_text_is_held_to_the_attachment_limit() -> None:
    """The base64 of an attachment over max_attachment_bytes is refused by the parser."""
    limits = Limits(max_text_length=100, max_attachment_bytes=3000)
    ok = b"<r><Contenu>" + b"A" * 4000 + b"</Contenu></r>"
    assert parse_xml(ok, limits=limits) is not None
    with pytest.raises(XMLLimitError) as info:
        parse_xml(b"<r><Contenu>" + b"A" * 6000 + b"</Contenu></r>", limits=limits)
    assert info.value.limit == "max_attachment_bytes"


def test_a_text_node_over_ten_megabytes_is_refused_outside_attachments() -> None:
    """libxml2's 10 MB cap is lifted only for attachments: a long note is still refused."""
    with pytest.raises(XMLLimitError) as info:
        parse_xml(b"<r><note>" + b"x" * 11_000_000 + b"</note></r>")
    assert info.value.limit == "max_text_length"
    with using_limits(max_text_length=20_000_000):
        assert len(parse_xml(b"<r><note>" + b"x" * 11_000_000 + b"</note></r>")[0].text or "") \
            == 11_000_000


def test_text_limit_at_libxml2s_default_needs_no_huge_tree() -> None:
    """Without attachments allowed over 10 MB, a long text is refused by libxml2 itself."""
    limits = Limits(max_attachment_bytes=1000)
    with pytest.raises(XMLLimitError) as info:
        parse_xml(b"<r><Contenu>" + b"x" * 10_000_001 + b"</Contenu></r>", limits=limits)
    assert info.value.limit == "max_text_length" and info.value.line == 1


def test_byte_order_mark_contradicted_by_the_declaration() -> None:
    """A UTF-8 byte order mark with a declaration of another encoding is refused."""
    with pytest.raises(MalformedXMLError, match="byte order mark") as info:
        parse_xml(b'\xef\xbb\xbf<?xml version="1.0" encoding="ISO-8859-1"?><a/>')
    assert (info.value.line, info.value.column) == (1, 31)
    assert parse_xml(b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?><a/>').tag == "a"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf_16_byte_order_mark_contradicted_by_the_declaration(codec: str) -> None:
    """A UTF-16 document declaring ISO-8859-1 is refused; declaring UTF-16 it parses."""
    bom = b"\xfe\xff" if codec.endswith("be") else b""  # the utf-16 codec writes its own BOM
    lying = bom + '<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>'.encode(codec)
    with pytest.raises(MalformedXMLError, match="byte order mark") as info:
        parse_xml(lying)
    assert (info.value.line, info.value.column) == (1, 31)
    honest = bom + '<?xml version="1.0" encoding="UTF-16"?><a>é</a>'.encode(codec)
    assert parse_xml(honest).text == "é"


def test_iso_8859_1_documents_parse() -> None:
    """PES documents declare ISO-8859-1: their accented letters are decoded by the declaration."""
    root = parse_xml('<?xml version="1.0" encoding="ISO-8859-1"?><a>Hélios</a>'.encode("latin-1"))
    assert root.text == "Hélios"


def test_xinclude_is_refused_and_never_processed() -> None:
    """An XInclude element is refused at its line; its namespace in a text is harmless."""
    data = (b"<a xmlns:xi='http://www.w3.org/2001/XInclude'>\n"
            b"<xi:include href='file:///etc/passwd' parse='text'/></a>")
    with pytest.raises(MalformedXMLError, match="XInclude") as info:
        parse_xml(data)
    assert info.value.line == 2
    assert parse_xml(b"<a>http://www.w3.org/2001/XInclude</a>").text is not None
    # beside a text over 10 MB, in the tag that opens it or after it
    big = b"x" * 11_000_000
    for data in [b"<r><xi:a xmlns:xi='http://www.w3.org/2001/XInclude'>" + big + b"</xi:a></r>",
                 b"<r><Contenu>" + big + b"</Contenu><xi:a xmlns:xi='http://www.w3.org/2001/"
                 b"XInclude'/></r>"]:
        with pytest.raises(MalformedXMLError, match="XInclude"):
            parse_xml(data, limits=Limits(max_text_length=20_000_000))


def test_syntax_errors_keep_line_and_column() -> None:
    """libxml2's position reaches the typed error, without lxml's own suffix."""
    with pytest.raises(MalformedXMLError) as info:
        parse_xml(b"<a>\n<b>\n</a>")
    assert (info.value.line, info.value.column) == (3, 5)
    assert "(<string>" not in str(info.value)


def test_lxml_options_stay_hardened() -> None:
    """The parsers never resolve entities, load DTDs or use the network."""
    from chorus_core.xml import parser

    for p in parser._PARSERS.values():
        root = etree.fromstring(b"<!DOCTYPE a [<!ENTITY e 'boom'>]><a>&e;</a>", p)
        assert etree.tostring(root) == b"<a>&e;</a>"


def test_iter_elements_frees_what_was_read() -> None:
    """Streaming a flow keeps at most one fed chunk of elements: the read ones are removed."""
    from chorus_core.xml import iter_elements

    count = 300_000  # about 5 MB: five chunks of 1 MiB
    data = b"<f>" + b"".join(b"<i><v>%d</v></i>" % n for n in range(count)) + b"</f>"
    seen = 0
    largest = 0
    for element in iter_elements(data, "i"):
        assert element.findtext("v") == str(seen)
        seen += 1
        if seen % 10_000 == 0:  # len() walks the children: sampled
            parent = element.getparent()
            assert parent is not None
            largest = max(largest, len(parent))
    assert seen == count
    assert largest < count // 3  # never the whole flow at once


def test_iter_elements_applies_the_same_refusals() -> None:
    """A DTD, too many elements or another root are refused by the streaming parse too."""
    from chorus_core.errors import MalformedXMLError, UnknownFormatError, XMLLimitError
    from chorus_core.limits import Limits
    from chorus_core.xml import iter_elements

    with pytest.raises(MalformedXMLError, match="DTD"):
        list(iter_elements(b'<!DOCTYPE f [<!ENTITY x "y">]><f>&x;</f>', "i"))
    with pytest.raises(XMLLimitError) as info:
        list(iter_elements(b"<f>" + b"<i/>" * 20 + b"</f>", "i", limits=Limits(max_elements=10)))
    assert info.value.limit == "max_elements"
    with pytest.raises(UnknownFormatError):
        list(iter_elements(b"<g><i/></g>", "i", root="f"))
    with pytest.raises(MalformedXMLError):
        list(iter_elements(b"<f><i></f>", "i"))
