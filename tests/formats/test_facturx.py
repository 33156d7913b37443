"""Factur-X / ZUGFeRD PDFs: the embedded CII is read like the CII itself, attach writes what
Factur-X requires (read back with pypdf, an independent reader), hostile or broken PDFs give
typed errors, and a file path passed as data is refused."""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from chorus_core.errors import (
    AttachmentError,
    ChorusError,
    FormatError,
    MalformedXMLError,
    PdfError,
    UnknownFormatError,
    UsageError,
)
from chorus_core.examples import sample_invoice
from chorus_core.formats import (
    convert,
    detect_format,
    facturx,
    ignored_elements,
    read,
    read_report,
    write,
)
from chorus_core.limits import using_limits

FX = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
GUIDELINE = b"<ram:ID>urn:cen.eu:en16931:2017</ram:ID>"
MODIFIED = datetime.datetime(2026, 10, 30, 9, 15, 0, tzinfo=datetime.UTC)


def blank_pdf(**metadata: str) -> bytes:
    """A one-page PDF made by pypdf, with optional document information."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if metadata:
        writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_files(*files: tuple[str, bytes], compress: bool = True, params: bool = True,
                   in_tree: bool = True, in_af: bool = False, corrupt: bool = False) -> bytes:
    """A blank PDF embedding ``files`` by hand (not through facturx.attach)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    pairs = ArrayObject()
    associated = ArrayObject()
    for name, data in sorted(files):
        plain = DecodedStreamObject()
        plain.set_data(data)
        stream: StreamObject = plain.flate_encode() if compress else plain
        if corrupt:
            stream._data = b"\xff" * 40  # not a zlib stream, still under /FlateDecode
        stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
        if params:
            stream[NameObject("/Params")] = DictionaryObject(
                {NameObject("/Size"): NumberObject(len(data))})
        spec = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject(name),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(stream)}),
        }))
        pairs.extend([TextStringObject(name), spec])
        associated.append(spec)
    if in_tree:
        writer.root_object[NameObject("/Names")] = DictionaryObject({
            NameObject("/EmbeddedFiles"): DictionaryObject({NameObject("/Names"): pairs})})
    if in_af:
        writer.root_object[NameObject("/AF")] = associated
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def cii() -> bytes:
    return write(sample_invoice(), "cii")


@pytest.fixture(scope="module")
def pdf(cii: bytes) -> bytes:
    return facturx.attach(blank_pdf(), cii, modified=MODIFIED)


def catalog_of(data: bytes) -> DictionaryObject:
    root = PdfReader(io.BytesIO(data)).trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    return root


def xmp_of(data: bytes) -> etree._Element:
    metadata = catalog_of(data)["/Metadata"].get_object()
    return etree.fromstring(metadata.get_data())


def fx_values(data: bytes) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for element in xmp_of(data).iter(f"{{{FX}}}*"):
        values.setdefault(etree.QName(element).localname, []).append(element.text or "")
    return values


# -- reading a Factur-X PDF ------------------------------------------------------------------


def test_read_pdf_gives_the_invoice_of_the_embedded_cii(pdf: bytes, cii: bytes) -> None:
    """A Factur-X PDF reads to the same invoice as the CII it carries."""
    assert read(pdf) == read(cii)
    assert read(pdf).invoice_number == sample_invoice().invoice_number


def test_read_report_and_ignored_elements_of_pdf_are_those_of_the_cii(
        pdf: bytes, cii: bytes) -> None:
    """What the model does not hold is reported for the embedded CII as for the CII alone."""
    extended = cii.replace(b"<rsm:ExchangedDocumentContext>",
                           b"<rsm:ExchangedDocumentContext><ram:TestIndicator><udt:Indicator>"
                           b"true</udt:Indicator></ram:TestIndicator>", 1)
    with_extra = facturx.attach(blank_pdf(), extended)
    assert read_report(with_extra).unread == read_report(extended).unread
    assert ignored_elements(with_extra) == ignored_elements(extended) != ()
    assert ignored_elements(pdf) == ignored_elements(cii)


def test_detect_format_of_pdf_is_cii(pdf: bytes) -> None:
    """The format of a Factur-X PDF is that of its embedded XML."""
    assert detect_format(pdf) == "cii"


def test_convert_pdf_to_ubl(pdf: bytes, cii: bytes) -> None:
    """A Factur-X PDF converts to UBL as its CII does."""
    result = convert(pdf, to="ubl")
    assert result.source_format == "cii"
    assert detect_format(result.data) == "ubl"
    assert read(result.data) == read(convert(cii, to="ubl").data)
    assert result.losses == convert(cii, to="ubl").losses


def test_pdf_with_leading_junk_is_read(pdf: bytes, cii: bytes) -> None:
    """Bytes before the %PDF- header (as PDF readers allow in the first 1024) are tolerated."""
    assert read(b"\x00junk\r\n" * 50 + pdf) == read(cii)


def test_xml_mentioning_pdf_header_is_still_xml() -> None:
    """XML whose text holds %PDF- is not mistaken for a PDF."""
    assert not facturx.is_pdf(b"<a>%PDF-1.7</a>")
    with pytest.raises(MalformedXMLError):
        read(b"<a>%PDF-1.7</b>")


@pytest.mark.parametrize("name", facturx.ATTACHMENT_NAMES)
def test_each_known_name_is_found(name: str, cii: bytes) -> None:
    """factur-x.xml, zugferd-invoice.xml, ZUGFeRD-invoice.xml and xrechnung.xml are read."""
    data = pdf_with_files((name, cii), ("notes.txt", b"hello"))
    assert facturx.extract(data) == (name, cii)
    assert read(data) == read(cii)


def test_preferred_name_wins(cii: bytes) -> None:
    """With several invoice names, factur-x.xml is taken before zugferd-invoice.xml."""
    other = cii.replace(b"FA-2026-0042", b"FA-OTHER", 1)
    data = pdf_with_files(("zugferd-invoice.xml", other), ("factur-x.xml", cii))
    assert facturx.extract(data) == ("factur-x.xml", cii)
    data = pdf_with_files(("xrechnung.xml", other), ("zugferd-invoice.xml", cii))
    assert facturx.extract(data)[0] == "zugferd-invoice.xml"


def test_file_listed_only_in_associated_files_is_found(cii: bytes) -> None:
    """A PDF/A-3 whose invoice is in the catalog's /AF only (no name tree) is read."""
    data = pdf_with_files(("factur-x.xml", cii), in_tree=False, in_af=True)
    assert "/Names" not in catalog_of(data)
    assert facturx.extract(data) == ("factur-x.xml", cii)


def test_uncompressed_embedded_file_is_read(cii: bytes) -> None:
    """An embedded file stored without /FlateDecode is read as it is."""
    data = pdf_with_files(("factur-x.xml", cii), compress=False)
    assert facturx.extract(data)[1] == cii


# -- PDFs that carry no readable invoice -----------------------------------------------------


def test_pdf_without_attachment_is_a_pdf_error() -> None:
    """A plain PDF says it carries no Factur-X/ZUGFeRD XML, in English and French."""
    with pytest.raises(PdfError) as caught:
        read(blank_pdf())
    assert caught.value.reason == "no_invoice"
    assert "no Factur-X/ZUGFeRD XML" in caught.value.message_en
    assert "pas de XML Factur-X/ZUGFeRD" in caught.value.message_fr


def test_pdf_with_other_attachments_only_lists_them() -> None:
    """A PDF whose attachments have other names is refused, naming what it carries."""
    with pytest.raises(PdfError) as caught:
        facturx.extract(pdf_with_files(("invoice.xml", b"<a/>"), ("notes.txt", b"x")))
    assert caught.value.reason == "no_invoice"
    assert "'invoice.xml'" in caught.value.message_en
    assert "'notes.txt'" in caught.value.message_fr


def test_attachment_that_is_not_xml_is_malformed_xml() -> None:
    """An embedded factur-x.xml that is not XML fails as malformed XML, as any document."""
    with pytest.raises(MalformedXMLError):
        read(pdf_with_files(("factur-x.xml", b"%PDF-1.7 this is not XML")))


def test_attachment_that_is_hostile_xml_is_refused() -> None:
    """The embedded XML goes through the hardened parser: a DOCTYPE is refused."""
    bomb = b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'
    with pytest.raises(MalformedXMLError):
        read(pdf_with_files(("factur-x.xml", bomb)))


def test_attachment_over_document_limit(cii: bytes) -> None:
    """An embedded file larger than Limits.max_document_bytes is refused before parsing."""
    data = pdf_with_files(("factur-x.xml", cii))
    with using_limits(max_document_bytes=len(cii) - 1), pytest.raises(AttachmentError) as caught:
        facturx.extract(data)
    assert caught.value.reason == "size"


def test_attachment_over_limit_without_declared_size(cii: bytes) -> None:
    """Without /Params /Size, the limit stops the decompression itself."""
    data = pdf_with_files(("factur-x.xml", cii + b" " * 200_000), params=False)
    with using_limits(max_document_bytes=100_000), pytest.raises(AttachmentError) as caught:
        facturx.extract(data)
    assert caught.value.reason == "size"
    with using_limits(max_document_bytes=len(cii) + 200_000):
        assert facturx.extract(data)[1] == cii + b" " * 200_000


def test_uncompressed_attachment_over_limit(cii: bytes) -> None:
    """A stored (uncompressed) embedded file is held to the same limit."""
    data = pdf_with_files(("factur-x.xml", cii), compress=False, params=False)
    with using_limits(max_document_bytes=len(cii) - 1), pytest.raises(AttachmentError):
        facturx.extract(data)


def test_compression_bomb_is_stopped_by_ratio(cii: bytes) -> None:
    """Well-formed XML padded with 8 MiB of spaces (ratio > 100) is refused while inflating."""
    data = pdf_with_files(("factur-x.xml", cii + b" " * (8 << 20)), params=False)
    assert len(data) < 100_000
    with pytest.raises(AttachmentError) as caught:
        facturx.extract(data)
    assert caught.value.reason == "ratio"


def test_broken_compressed_stream_is_an_attachment_error(cii: bytes) -> None:
    """An embedded stream under /FlateDecode that is not zlib data is refused as corrupt."""
    data = pdf_with_files(("factur-x.xml", cii), corrupt=True)
    with pytest.raises(AttachmentError) as caught:
        facturx.extract(data)
    assert caught.value.reason == "corrupt"


def test_cyclic_name_tree_is_corrupt() -> None:
    """A name tree whose /Kids point back to itself stops at a bound: a PdfError, no hang."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    node = DictionaryObject()
    ref = writer._add_object(node)
    node[NameObject("/Kids")] = ArrayObject([ref, ref])
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/EmbeddedFiles"): ref})
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PdfError) as caught:
        facturx.extract(out.getvalue())
    assert caught.value.reason == "corrupt"


def test_pdf_over_max_pdf_bytes(pdf: bytes) -> None:
    """A PDF larger than Limits.max_pdf_bytes is refused without being parsed."""
    with using_limits(max_pdf_bytes=len(pdf) - 1), pytest.raises(PdfError) as caught:
        read(pdf)
    assert caught.value.reason == "size"


def test_encrypted_pdf(cii: bytes) -> None:
    """A password-protected PDF is refused; one with an empty user password is read."""
    for user, readable in (("secret", False), ("", True)):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(facturx.attach(blank_pdf(), cii))))
        writer.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        if readable:
            assert read(out.getvalue()) == read(cii)
        else:
            with pytest.raises(PdfError) as caught:
                read(out.getvalue())
            assert caught.value.reason == "encrypted"


@pytest.mark.parametrize("tail", [b"", b"\n" * 200])
def test_pdf_cut_to_its_header_is_corrupt(pdf: bytes, tail: bytes) -> None:
    """A PDF cut right after its header (or followed by blank lines only) is a PdfError."""
    with pytest.raises(PdfError) as caught:
        read(pdf[:9] + tail)
    assert caught.value.reason == "corrupt"


@settings(max_examples=20, deadline=None)
@given(fraction=st.floats(min_value=0.0, max_value=0.999))
def test_truncated_pdf_is_read_or_typed_error(pdf: bytes, cii: bytes, fraction: float) -> None:
    """A PDF cut anywhere either still yields the invoice (pypdf recovers) or a typed error."""
    data = pdf[: max(9, int(len(pdf) * fraction))]
    try:
        invoice = read(data)
    except FormatError:
        return
    assert invoice == read(cii)


@settings(max_examples=25, deadline=None)
@given(junk=st.binary(max_size=4096))
def test_random_bytes_after_header_are_typed_error(junk: bytes) -> None:
    """%PDF- followed by random bytes is a PdfError, never a raw exception."""
    with pytest.raises(PdfError):
        read(b"%PDF-1.7\n" + junk)


@settings(max_examples=20, deadline=None)
@given(position=st.integers(min_value=0), junk=st.binary(min_size=1, max_size=64))
def test_corrupted_pdf_is_read_or_typed_error(pdf: bytes, cii: bytes, position: int,
                                              junk: bytes) -> None:
    """Random bytes written over a Factur-X PDF give the invoice (the zlib checksum guards the
    embedded XML), or a ChorusError."""
    at = 9 + position % (len(pdf) - 9)
    data = pdf[:at] + junk + pdf[at + len(junk):]
    try:
        invoice = read(data)
    except ChorusError:
        return
    assert invoice == read(cii)


# -- attach ----------------------------------------------------------------------------------


def test_attach_writes_the_pdfa3_structure(pdf: bytes, cii: bytes) -> None:
    """The embedded file has /AFRelationship, /Subtype text/xml, /Params /ModDate; /AF lists it."""
    catalog = catalog_of(pdf)
    (spec,) = [item.get_object() for item in catalog["/AF"]]
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/F"] == spec["/UF"] == "factur-x.xml"
    stream = spec["/EF"]["/F"].get_object()
    assert stream["/Type"] == "/EmbeddedFile"
    assert stream["/Subtype"] == "/text/xml"
    assert stream["/Params"]["/ModDate"] == "D:20261030091500+00'00'"
    assert stream["/Params"]["/Size"] == len(cii)
    assert stream.get_data() == cii
    tree = catalog["/Names"]["/EmbeddedFiles"]["/Names"]
    assert tree[0] == "factur-x.xml" and tree[1].get_object() == spec
    assert b"/text#2Fxml" in pdf  # the name written escaped, as PDF names are


def test_attach_writes_the_factur_x_xmp(pdf: bytes) -> None:
    """The XMP metadata carries the fx: properties and declares them in a PDF/A extension."""
    assert fx_values(pdf) == {"DocumentFileName": ["factur-x.xml"], "DocumentType": ["INVOICE"],
                              "Version": ["1.0"], "ConformanceLevel": ["EN 16931"]}
    xmp = xmp_of(pdf)
    uris = [e.text for e in xmp.iter("{http://www.aiim.org/pdfa/ns/schema#}namespaceURI")]
    assert uris == [FX]
    names = [e.text for e in xmp.iter("{http://www.aiim.org/pdfa/ns/property#}name")]
    assert names == ["DocumentFileName", "DocumentType", "Version", "ConformanceLevel"]
    metadata = catalog_of(pdf)["/Metadata"].get_object()
    assert metadata["/Type"] == "/Metadata" and metadata["/Subtype"] == "/XML"
    assert metadata.get_data().startswith(b"<?xpacket begin=")


@pytest.mark.parametrize(("guideline", "level"), [
    ("urn:factur-x.eu:1p0:minimum", "MINIMUM"),
    ("urn:factur-x.eu:1p0:basicwl", "BASIC WL"),
    ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", "BASIC"),
    ("urn:cen.eu:en16931:2017", "EN 16931"),
    ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", "EXTENDED"),
    ("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0", "XRECHNUNG"),
    ("urn:example:unknown", "EN 16931"),
])
def test_conformance_level_follows_the_guideline(cii: bytes, guideline: str, level: str) -> None:
    """fx:ConformanceLevel is read from BT-24, EN 16931 when it names no profile."""
    assert GUIDELINE in cii
    document = cii.replace(GUIDELINE, f"<ram:ID>{guideline}</ram:ID>".encode(), 1)
    assert facturx.conformance_level(document) == level
    assert fx_values(facturx.attach(blank_pdf(), document))["ConformanceLevel"] == [level]


def test_profile_and_relationship_options(cii: bytes) -> None:
    """profile overrides the level read from the CII; relationship is written as asked."""
    data = facturx.attach(blank_pdf(), cii, profile="BASIC", relationship="Alternative",
                          filename="xrechnung.xml")
    assert fx_values(data)["ConformanceLevel"] == ["BASIC"]
    assert fx_values(data)["DocumentFileName"] == ["xrechnung.xml"]
    (spec,) = [item.get_object() for item in catalog_of(data)["/AF"]]
    assert spec["/AFRelationship"] == "/Alternative"
    assert facturx.extract(data) == ("xrechnung.xml", cii)


@pytest.mark.parametrize(("option", "value"), [
    ("relationship", "Supplement"), ("profile", "en16931"), ("filename", "invoice.xml"),
    ("modified", "2026-10-30"),
])
def test_attach_refuses_bad_options(cii: bytes, option: str, value: str) -> None:
    """An unknown relationship, profile or file name is a UsageError naming the argument."""
    with pytest.raises(UsageError) as caught:
        facturx.attach(blank_pdf(), cii, **{option: value})  # type: ignore[arg-type]
    assert caught.value.argument == option
    assert caught.value.message_fr


def test_attach_refuses_ubl(cii: bytes) -> None:
    """Factur-X embeds CII only: a UBL invoice is refused with a UsageError."""
    with pytest.raises(UsageError) as caught:
        facturx.attach(blank_pdf(), write(sample_invoice(), "ubl"))
    assert caught.value.argument == "xml"
    assert "CII" in caught.value.message_fr


def test_attach_refuses_malformed_xml_and_non_pdf(cii: bytes) -> None:
    """Malformed XML, text instead of bytes, and bytes that are not a PDF are typed errors."""
    with pytest.raises(MalformedXMLError):
        facturx.attach(blank_pdf(), b"<rsm:CrossIndustryInvoice")
    with pytest.raises(UsageError):
        facturx.attach(blank_pdf(), cii.decode())  # type: ignore[arg-type]
    with pytest.raises(PdfError) as caught:
        facturx.attach(cii, cii)
    assert caught.value.reason == "not_pdf"
    with pytest.raises(PdfError) as caught:
        facturx.attach(b"%PDF-1.7\n" + bytes(range(256)), cii)
    assert caught.value.reason == "corrupt"


def test_attach_twice_replaces_the_invoice(pdf: bytes, cii: bytes) -> None:
    """Attaching again replaces the file, its /AF entry and its fx: properties (no duplicate)."""
    other = cii.replace(b"FA-2026-0042", b"FA-2026-0043", 1)
    again = facturx.attach(pdf, other, profile="EXTENDED")
    assert facturx.extract(again) == ("factur-x.xml", other)
    assert read(again).invoice_number == "FA-2026-0043"
    catalog = catalog_of(again)
    assert len(catalog["/AF"]) == 1
    assert len(catalog["/Names"]["/EmbeddedFiles"]["/Names"]) == 2
    assert fx_values(again)["ConformanceLevel"] == ["EXTENDED"]
    uris = [e.text for e in xmp_of(again).iter("{http://www.aiim.org/pdfa/ns/schema#}namespaceURI")]
    assert uris == [FX]
    reader = PdfReader(io.BytesIO(again))
    streams = [reader.get_object(number) for number in reader.xref[0]]
    contents = [s.get_data() for s in streams if isinstance(s, StreamObject)]
    assert sum(b"<?xpacket begin" in c for c in contents) == 1
    assert not any(b"FA-2026-0042" in c for c in contents)  # the former invoice is emptied


def test_attach_raises_the_header_to_pdf_1_7(pdf: bytes) -> None:
    """PDF/A-3 is based on PDF 1.7: an older header is raised (pypdf writes 1.3)."""
    assert blank_pdf().startswith(b"%PDF-1.3")
    assert pdf.startswith(b"%PDF-1.7")


def test_attach_keeps_other_attachments_and_metadata(cii: bytes) -> None:
    """Other embedded files and XMP properties survive; pdfaid:part 2 becomes 3."""
    base = pdf_with_files(("notes.txt", b"hello"))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base)))
    xmp = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
           b'<rdf:RDF xmlns:rdf="' + RDF.encode() + b'"><rdf:Description rdf:about="" '
           b'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           b"<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
           b"<dc:format>application/pdf</dc:format></rdf:Description></rdf:RDF></x:xmpmeta>"
           b'<?xpacket end="w"?>')
    stream = DecodedStreamObject()
    stream.set_data(xmp)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    data = facturx.attach(out.getvalue(), cii)
    names = catalog_of(data)["/Names"]["/EmbeddedFiles"]["/Names"]
    assert [names[0], names[2]] == ["factur-x.xml", "notes.txt"]
    assert PdfReader(io.BytesIO(data)).attachments["notes.txt"] == [b"hello"]
    result = xmp_of(data)
    assert [e.text for e in result.iter("{http://www.aiim.org/pdfa/ns/id/}part")] == ["3"]
    assert [e.text for e in result.iter("{http://purl.org/dc/elements/1.1/}format")] == [
        "application/pdf"]
    assert fx_values(data)["DocumentType"] == ["INVOICE"]


def test_attach_keeps_the_pages(cii: bytes) -> None:
    """The PDF keeps its pages and document information."""
    base = blank_pdf(**{"/Title": "Facture FA-2026-0042"})
    data = facturx.attach(base, cii)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert reader.metadata is not None and reader.metadata.title == "Facture FA-2026-0042"


# -- a file path is not a document -----------------------------------------------------------


@pytest.mark.parametrize("data", [
    "facture.xml", "invoices/FA-2026-0042.xml", "C:\\factures\\FA-1.pdf", "/tmp/x",
    " ./facture.PDF\n", "facture.pdf",
])
def test_str_path_is_a_usage_error(data: str) -> None:
    """A str that looks like a path, not XML, is refused with a hint, in English and French."""
    for function in (read, read_report, detect_format, ignored_elements):
        with pytest.raises(UsageError) as caught:
            function(data)
        assert caught.value.argument == "data"
        assert "Path(p).read_bytes()" in caught.value.message_en
        assert "chemin de fichier" in caught.value.message_fr
    with pytest.raises(UsageError):
        convert(data, to="ubl")


@pytest.mark.parametrize("path", [Path("facture.xml"), PurePosixPath("a/b.pdf"),
                                  PureWindowsPath("C:/f.xml")])
def test_path_object_is_a_usage_error(path: object) -> None:
    """A pathlib path passed as data is refused the same way, without touching the disk."""
    with pytest.raises(UsageError) as caught:
        read(path)  # type: ignore[arg-type]
    assert "Path(p).read_bytes()" in caught.value.message_en


def test_xml_str_is_still_read(cii: bytes) -> None:
    """Real XML text (even after a BOM and whitespace, even holding slashes) is still parsed."""
    text = cii.decode().split("?>", 1)[1]
    assert read("\ufeff \n" + text) == read(cii)
    for text in ("not a document at all", "version 1.5", "junk<a/>", "a/b\n<c/>"):
        with pytest.raises(MalformedXMLError):
            read(text)


def test_pdf_read_as_text_is_a_usage_error(pdf: bytes) -> None:
    """A PDF decoded to str (opened in text mode) is refused: pass the bytes."""
    with pytest.raises(UsageError) as caught:
        read(pdf.decode("latin-1"))
    assert caught.value.argument == "data"


def test_a_broken_pdf_prints_nothing_in_an_application_without_logging() -> None:
    """pypdf's repair warnings do not reach stderr through Python's last-resort handler: the
    library says what is wrong with its PdfError, and prints nothing."""
    code = ("from chorus_core import read\n"
            "try:\n    read(b'%PDF-1.7\\n1 0 obj <<>> trailer')\n"
            "except Exception as exc:\n    print(type(exc).__name__)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.stdout.strip() == "PdfError" and done.stderr == "", done.stderr


def test_each_format_reader_takes_a_pdf(pdf: bytes, cii: bytes) -> None:
    """cii.read takes a Factur-X PDF as it takes its CII; ubl.read says the PDF holds no UBL."""
    from chorus_core.formats import cii as cii_format
    from chorus_core.formats import ubl

    assert cii_format.read(pdf) == cii_format.read(cii)
    with pytest.raises(UnknownFormatError):
        ubl.read(pdf)


def test_validate_a_pdf_gives_the_report_of_its_cii(pdf: bytes, cii: bytes) -> None:
    """validate() and validate_xsd() take the PDF too: the same findings and layers as its CII."""
    import chorus_core

    assert chorus_core.validate(pdf, profile="chorus") == chorus_core.validate(
        cii, profile="chorus")
