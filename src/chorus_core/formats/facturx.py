"""Factur-X / ZUGFeRD: the CII invoice embedded in a PDF, extracted and attached.

A Factur-X (France) or ZUGFeRD 2 (Germany) invoice is a PDF/A-3 that carries its CII XML as an
embedded file: ``factur-x.xml`` (``zugferd-invoice.xml`` in ZUGFeRD 2.0, ``xrechnung.xml`` for
the XRechnung profile), listed in the catalog's ``/AF`` array with an ``/AFRelationship``, and
described by the ``fx:`` properties of the XMP metadata.  :func:`extract` finds that XML in the
bytes of a PDF; :func:`chorus_core.formats.read` and its siblings call it when handed a PDF, then
read the XML through the one hardened parser, under the same limits and with the same errors as
any document.  :func:`attach` does the converse, bytes in, bytes out: it embeds a CII in an
existing PDF, PDF/A-3 style.

The PDF is untrusted: it is parsed by pypdf under :class:`~chorus_core.limits.Limits`
(``max_pdf_bytes``), every pypdf failure becomes a :class:`~chorus_core.errors.PdfError`, the
name tree is walked with a bound on its nodes, and the embedded XML is decompressed chunk by chunk
up to ``max_document_bytes`` and ``max_compression_ratio`` (an
:class:`~chorus_core.errors.AttachmentError` beyond).  :func:`attach` does not make a PDF/A-3 of
a plain PDF (fonts, colour profile and the rest are the PDF producer's job): start from a
PDF/A-3, or a PDF/A-2 whose ``pdfaid:part`` it raises to 3.

More information:

* Factur-X 1.0 specification (FNFE-MPE and FeRD): the PDF/A-3 container, the file names, the
  ``fx:`` XMP properties and their extension schema, the profiles and their identifiers
* ISO 19005-3 (PDF/A-3): embedded files, associated files (``/AF``) and ``/AFRelationship``
* ``SECURITY.md`` (threat model and limits)

>>> from chorus_core.examples import sample_invoice
>>> from chorus_core.formats import read, write
>>> from io import BytesIO
>>> from pypdf import PdfWriter
>>> blank = BytesIO()
>>> writer = PdfWriter()
>>> _ = writer.add_blank_page(width=595, height=842)
>>> _ = writer.write(blank)
>>> cii = write(sample_invoice(), "cii")
>>> pdf = attach(blank.getvalue(), cii)
>>> extract(pdf) == ("factur-x.xml", cii)
True
>>> read(pdf) == read(cii)
True
>>> extract(blank.getvalue())
Traceback (most recent call last):
...
chorus_core.errors.PdfError: this PDF carries no Factur-X/ZUGFeRD XML: ... [no_invoice]
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import zlib
from collections.abc import Iterator
from typing import Any, Literal

from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from ..errors import AttachmentError, ChorusError, PdfError, UsageError
from ..limits import Limits, current_limits
from ..xml import parse_xml
from . import cii
from ._input import is_pdf

# pypdf reports the repairs it tries on a damaged PDF as warnings on its logger; a library
# must not print them (Python's last-resort handler would, when the application configured no
# logging).  An application that configures logging still receives them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

__all__ = [
    "ATTACHMENT_NAMES",
    "CONFORMANCE_LEVELS",
    "RELATIONSHIPS",
    "attach",
    "conformance_level",
    "extract",
    "is_pdf",
]

ATTACHMENT_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "ZUGFeRD-invoice.xml", "xrechnung.xml")
"""Names of the embedded invoice, in order of preference when a PDF carries several."""

CONFORMANCE_LEVELS = ("MINIMUM", "BASIC WL", "BASIC", "EN 16931", "EXTENDED", "XRECHNUNG")
"""Values of ``fx:ConformanceLevel`` (the Factur-X profiles, XRECHNUNG since Factur-X 1.0.07)."""

RELATIONSHIPS = ("Data", "Alternative", "Source")
"""Values of ``/AFRelationship`` Factur-X allows for the invoice XML."""

Relationship = Literal["Data", "Alternative", "Source"]

_CHUNK = 64 * 1024
_RATIO_FLOOR = 1 << 20  # the compression ratio is checked once the output exceeds 1 MiB
_MAX_TREE_NODES = 4096  # name tree nodes visited, at most (a cycle or a huge tree stops there)
_MAX_TREE_DEPTH = 32

FX_NAMESPACE = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PDFAID = "http://www.aiim.org/pdfa/ns/id/"
_EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"

# BT-24 (specification identifier) -> Factur-X profile; the ZUGFeRD 2.0 ids too
_GUIDELINES = {
    "urn:factur-x.eu:1p0:minimum": "MINIMUM",
    "urn:zugferd.de:2p0:minimum": "MINIMUM",
    "urn:factur-x.eu:1p0:basicwl": "BASIC WL",
    "urn:zugferd.de:2p0:basicwl": "BASIC WL",
    "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic": "BASIC",
    "urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic": "BASIC",
    "urn:cen.eu:en16931:2017": "EN 16931",
    "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended": "EXTENDED",
    "urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended": "EXTENDED",
}
_XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung"

_PROPERTIES = (  # the fx: properties, declared in the PDF/A extension schema
    ("DocumentFileName", "name of the embedded XML invoice file"),
    ("DocumentType", "INVOICE"),
    ("Version", "The actual version of the Factur-X XML schema"),
    ("ConformanceLevel", "The conformance level of the embedded Factur-X data"),
)
_PACKET_BEGIN = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_PACKET_END = b'\n<?xpacket end="w"?>'
_EMPTY_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="' + _RDF.encode() + b'"/>'
    b"</x:xmpmeta>")


def extract(pdf: bytes) -> tuple[str, bytes]:
    """The name and bytes of the invoice XML embedded in the PDF ``pdf``.

    The embedded files of the catalog's name tree and of its ``/AF`` array are searched for the
    :data:`ATTACHMENT_NAMES`, in that order of preference (a name in another case is taken
    last).  The XML is returned as embedded, not parsed.  Raises
    :class:`~chorus_core.errors.PdfError` for bytes that are not a readable PDF or a PDF
    without such a file, :class:`~chorus_core.errors.AttachmentError` for an embedded file that
    cannot be decompressed within the limits.

    >>> extract(b"%PDF-1.7 not really")
    Traceback (most recent call last):
    ...
    chorus_core.errors.PdfError: broken PDF: ... [corrupt]
    """
    limits = current_limits()
    raw = _pdf_bytes(pdf, limits)
    reader = _open(raw)
    try:
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError("the PDF is protected by a password",
                           "le PDF est protégé par un mot de passe", reason="encrypted")
        files = list(_embedded_files(reader.trailer["/Root"].get_object()))
        chosen = _choose(files)
        if chosen is None:
            names = ", ".join(repr(name) for name, _ in files) or "none"
            raise PdfError(
                "this PDF carries no Factur-X/ZUGFeRD XML: no embedded file named "
                f"{', '.join(ATTACHMENT_NAMES)} (embedded files: {names})",
                "ce PDF ne porte pas de XML Factur-X/ZUGFeRD : aucun fichier joint nommé "
                f"{', '.join(ATTACHMENT_NAMES)} (fichiers joints : {names})",
                reason="no_invoice")
        name, spec = chosen
        return name, _content(name, spec, limits)
    except ChorusError:
        raise
    except Exception as exc:  # pypdf raises many kinds, lazily, as objects are resolved
        raise _broken(exc) from None


def attach(pdf: bytes, xml: bytes, *, filename: str = "factur-x.xml",
           relationship: Relationship = "Data", profile: str | None = None,
           modified: datetime.datetime | None = None) -> bytes:
    """The PDF ``pdf`` with the CII invoice ``xml`` embedded, Factur-X style (PDF/A-3).

    The XML is embedded as ``filename`` (one of :data:`ATTACHMENT_NAMES`), compressed, with
    ``/Subtype /text#2Fxml``, ``/Params`` (``/ModDate`` from ``modified``, now by default;
    ``/Size``; ``/CheckSum``) and ``/AFRelationship`` ``relationship``; its file specification
    is listed in the catalog's name tree and ``/AF`` array, replacing a file of the same name.
    The XMP metadata gets the ``fx:`` properties and their PDF/A extension schema: the file
    name, ``INVOICE``, version ``1.0`` and the conformance level ``profile`` (one of
    :data:`CONFORMANCE_LEVELS`; by default read from the CII's specification identifier, BT-24,
    see :func:`conformance_level`); other metadata is kept, a ``pdfaid:part`` 1 or 2 becomes 3.

    Raises :class:`~chorus_core.errors.UsageError` for an ``xml`` that is not a CII invoice or
    a bad option, the reading errors of :func:`chorus_core.xml.parse_xml` for malformed XML and
    :class:`~chorus_core.errors.PdfError` for a ``pdf`` that is not a readable, unencrypted PDF.

    >>> attach(b"%PDF-1.7", b"<Invoice/>")
    Traceback (most recent call last):
    ...
    chorus_core.errors.UsageError: xml must be a CII invoice (rsm:CrossIndustryInvoice), ...
    """
    limits = current_limits()
    raw = _pdf_bytes(pdf, limits)
    content = _xml_bytes(xml)
    root = parse_xml(content)
    if not cii.detect(root):
        qname = etree.QName(root)
        raise UsageError(
            f"xml must be a CII invoice (rsm:CrossIndustryInvoice), not {qname.localname} "
            f"in {qname.namespace or 'no namespace'}: Factur-X embeds CII only",
            f"xml doit être une facture CII (rsm:CrossIndustryInvoice), et non "
            f"{qname.localname} de {qname.namespace or 'aucun espace de noms'} : "
            "Factur-X n'embarque que du CII", argument="xml")
    if filename not in ATTACHMENT_NAMES:
        raise UsageError(
            f"filename must be one of {', '.join(ATTACHMENT_NAMES)}, not {filename!r}",
            f"filename doit être l'un de {', '.join(ATTACHMENT_NAMES)}, et non {filename!r}",
            argument="filename")
    if relationship not in RELATIONSHIPS:
        raise UsageError(
            f"relationship must be one of {', '.join(RELATIONSHIPS)}, not {relationship!r}",
            f"relationship doit être l'une de {', '.join(RELATIONSHIPS)}, et non "
            f"{relationship!r}", argument="relationship")
    if profile is not None and profile not in CONFORMANCE_LEVELS:
        raise UsageError(
            f"profile must be one of {', '.join(CONFORMANCE_LEVELS)}, not {profile!r}",
            f"profile doit être l'un de {', '.join(CONFORMANCE_LEVELS)}, et non {profile!r}",
            argument="profile")
    if modified is not None and not isinstance(modified, datetime.datetime):
        raise UsageError(
            f"modified must be a datetime, not {type(modified).__name__}",
            f"modified doit être un datetime, et non {type(modified).__name__}",
            argument="modified")
    level = profile or conformance_level(root)
    when = modified or datetime.datetime.now(datetime.UTC)
    reader = _open(raw)
    try:
        if reader.is_encrypted:
            raise PdfError("the PDF is encrypted: attach to an unencrypted PDF (PDF/A forbids "
                           "encryption)", "le PDF est chiffré : joindre à un PDF non chiffré "
                           "(PDF/A interdit le chiffrement)", reason="encrypted")
        writer = PdfWriter(clone_from=reader)
        if _version(writer.pdf_header) < (1, 7):
            writer.pdf_header = "%PDF-1.7"  # PDF/A-3 is based on PDF 1.7
        catalog = writer.root_object
        spec = _add_file(writer, filename, content, relationship, when)
        replaced = _set_name_tree(catalog, filename, spec)
        replaced += _set_associated_files(writer, catalog, filename, spec)
        for former in replaced:  # left unreferenced in the file: emptied, not left readable
            _empty_stream(former)
        _set_metadata(writer, catalog, filename, level)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except ChorusError:
        raise
    except Exception as exc:
        raise _broken(exc) from None


def conformance_level(xml: bytes | etree._Element) -> str:
    """The Factur-X conformance level of a CII invoice, from its specification identifier.

    BT-24 (``ram:GuidelineSpecifiedDocumentContextParameter/ram:ID``) names the profile;
    an identifier that names none gives ``EN 16931``.

    >>> ram = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    >>> conformance_level(f'''<rsm:CrossIndustryInvoice xmlns:ram="{ram}"
    ...   xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">
    ...   <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
    ...   <ram:ID>urn:factur-x.eu:1p0:basicwl</ram:ID>
    ...   </ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
    ...   </rsm:CrossIndustryInvoice>'''.encode())
    'BASIC WL'
    """
    root = xml if isinstance(xml, etree._Element) else parse_xml(_xml_bytes(xml))
    found = root.find(f"{{{_RSM}}}ExchangedDocumentContext/"
                      f"{{{_RAM}}}GuidelineSpecifiedDocumentContextParameter/{{{_RAM}}}ID")
    guideline = (found.text or "").strip() if found is not None else ""
    if guideline.startswith(_XRECHNUNG):
        return "XRECHNUNG"
    return _GUIDELINES.get(guideline, "EN 16931")


# -- reading ---------------------------------------------------------------------------------


def _pdf_bytes(pdf: object, limits: Limits) -> bytes:
    if isinstance(pdf, str) and pdf.lstrip().startswith("%PDF-"):
        raise UsageError("pdf must be the bytes of the file, not text: read it in binary mode",
                         "pdf doit être les octets du fichier, pas du texte : le lire en "
                         "mode binaire", argument="pdf")
    if not isinstance(pdf, bytes | bytearray | memoryview):
        raise UsageError(f"pdf must be bytes (a PDF file), not {type(pdf).__name__}",
                         f"pdf doit être bytes (un fichier PDF), et non {type(pdf).__name__}",
                         argument="pdf")
    raw = bytes(pdf)
    if len(raw) > limits.max_pdf_bytes:
        raise PdfError(f"PDF of {len(raw)} bytes, over Limits.max_pdf_bytes "
                       f"({limits.max_pdf_bytes})",
                       f"PDF de {len(raw)} octets, au-delà de Limits.max_pdf_bytes "
                       f"({limits.max_pdf_bytes})", reason="size")
    if not is_pdf(raw):
        raise PdfError("not a PDF: no %PDF- header in the first 1024 bytes",
                       "pas un PDF : pas d'en-tête %PDF- dans les 1024 premiers octets",
                       reason="not_pdf")
    return raw


def _xml_bytes(xml: object) -> bytes:
    if isinstance(xml, bytes | bytearray | memoryview):
        return bytes(xml)
    raise UsageError(f"xml must be bytes (an XML document), not {type(xml).__name__}",
                     f"xml doit être bytes (un document XML), et non {type(xml).__name__}",
                     argument="xml")


def _broken(exc: BaseException) -> PdfError:
    detail = str(exc).strip() or type(exc).__name__
    if len(detail) > 200:
        detail = detail[:200] + "…"
    return PdfError(f"broken PDF: {detail}", f"PDF illisible : {detail}", reason="corrupt")


def _open(raw: bytes) -> PdfReader:
    try:
        return PdfReader(io.BytesIO(raw), strict=False)
    except Exception as exc:
        raise _broken(exc) from None


def _embedded_files(catalog: Any) -> Iterator[tuple[str, DictionaryObject]]:
    # the name tree /Names /EmbeddedFiles, then the catalog's /AF array (PDF/A-3)
    budget = [_MAX_TREE_NODES]
    names = _resolve(catalog.get("/Names"))
    if isinstance(names, DictionaryObject):
        tree = _resolve(names.get("/EmbeddedFiles"))
        if isinstance(tree, DictionaryObject):
            yield from _walk(tree, 0, budget)
    associated = _resolve(catalog.get("/AF"))
    if isinstance(associated, ArrayObject):
        for item in associated[:_MAX_TREE_NODES]:
            spec = _resolve(item)
            if isinstance(spec, DictionaryObject):
                yield _spec_name(spec), spec


def _walk(node: DictionaryObject, depth: int, budget: list[int]
          ) -> Iterator[tuple[str, DictionaryObject]]:
    budget[0] -= 1
    if depth > _MAX_TREE_DEPTH or budget[0] < 0:
        raise PdfError("broken PDF: embedded files name tree too deep or too large",
                       "PDF illisible : arbre des fichiers joints trop profond ou trop grand",
                       reason="corrupt")
    pairs = _resolve(node.get("/Names"))
    if isinstance(pairs, ArrayObject):
        for index in range(0, min(len(pairs), 2 * _MAX_TREE_NODES) - 1, 2):
            spec = _resolve(pairs[index + 1])
            if isinstance(spec, DictionaryObject):
                key = _resolve(pairs[index])
                yield _spec_name(spec) or (str(key) if key is not None else ""), spec
    kids = _resolve(node.get("/Kids"))
    if isinstance(kids, ArrayObject):
        for kid in kids:
            child = _resolve(kid)
            if isinstance(child, DictionaryObject):
                yield from _walk(child, depth + 1, budget)


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, PdfObject) else value


def _spec_name(spec: DictionaryObject) -> str:
    for key in ("/UF", "/F"):
        value = _resolve(spec.get(key))
        if isinstance(value, str) and value:
            return value
    return ""


def _choose(files: list[tuple[str, DictionaryObject]]) -> tuple[str, DictionaryObject] | None:
    with_content = [(name, spec) for name, spec in files if _stream(spec) is not None]
    for wanted in ATTACHMENT_NAMES:
        for name, spec in with_content:
            if name == wanted:
                return name, spec
    folded = [wanted.casefold() for wanted in ATTACHMENT_NAMES]
    for wanted in folded:
        for name, spec in with_content:
            if name.casefold() == wanted:
                return name, spec
    return None


def _stream(spec: DictionaryObject) -> StreamObject | None:
    files = _resolve(spec.get("/EF"))
    if not isinstance(files, DictionaryObject):
        return None
    for key in ("/UF", "/F"):
        stream = _resolve(files.get(key))
        if isinstance(stream, StreamObject):
            return stream
    return None


def _content(name: str, spec: DictionaryObject, limits: Limits) -> bytes:
    stream = _stream(spec)
    assert stream is not None  # _choose keeps only the specifications with a stream
    cap = limits.max_document_bytes
    params = _resolve(stream.get("/Params"))
    declared = _resolve(params.get("/Size")) if isinstance(params, DictionaryObject) else None
    if isinstance(declared, int) and declared > cap:
        raise AttachmentError(
            f"embedded file {name!r} declares {declared} bytes, over "
            f"Limits.max_document_bytes ({cap})", reason="size")
    raw: bytes = stream._data  # the stream as stored, before any filter
    filters = _resolve(stream.get("/Filter"))
    if isinstance(filters, ArrayObject):
        filters = [_resolve(item) for item in filters]
        if len(filters) == 1:
            filters = filters[0]
    decode_parms = _resolve(stream.get("/DecodeParms"))
    if isinstance(decode_parms, NullObject):
        decode_parms = None
    if filters is None:
        data = raw
    elif filters == "/FlateDecode" and not decode_parms:
        data = _inflate(raw, name, limits)
    else:  # other filters (rare for an XML file): pypdf's decoders, under pypdf's own caps
        data = stream.get_data()
    if len(data) > cap:
        raise AttachmentError(
            f"embedded file {name!r} exceeds Limits.max_document_bytes ({cap}) once "
            "decompressed", reason="size")
    return data


def _inflate(raw: bytes, name: str, limits: Limits) -> bytes:
    # FlateDecode (a zlib stream), decompressed 64 KiB at a time and stopped at the first
    # chunk over a limit: a bomb is never decompressed whole
    decompressor = zlib.decompressobj()
    out = bytearray()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), _CHUNK):
            piece = view[start : start + _CHUNK]
            data: bytes | memoryview = piece
            while True:
                chunk = decompressor.decompress(data, _CHUNK)
                data = decompressor.unconsumed_tail
                out += chunk
                consumed = start + len(piece) - len(data)
                if len(out) > limits.max_document_bytes:
                    raise AttachmentError(
                        f"embedded file {name!r} exceeds Limits.max_document_bytes "
                        f"({limits.max_document_bytes}) once decompressed", reason="size")
                if len(out) > max(_RATIO_FLOOR, limits.max_compression_ratio * consumed):
                    raise AttachmentError(
                        f"embedded file {name!r} decompresses to more than "
                        f"Limits.max_compression_ratio ({limits.max_compression_ratio}) times "
                        "its size", reason="ratio")
                if decompressor.eof or (not data and len(chunk) < _CHUNK):
                    break
            if decompressor.eof:
                break
    except zlib.error as exc:
        raise AttachmentError(f"embedded file {name!r}: broken compressed stream: {exc}",
                              reason="corrupt") from None
    return bytes(out)  # a stream cut short of its checksum gives what it holds, as pypdf does


# -- writing ---------------------------------------------------------------------------------


def _add_file(writer: PdfWriter, filename: str, content: bytes, relationship: str,
              when: datetime.datetime) -> Any:
    plain = DecodedStreamObject()
    plain.set_data(content)
    embedded = plain.flate_encode(level=9)
    embedded.update({
        NameObject("/Type"): NameObject("/EmbeddedFile"),
        NameObject("/Subtype"): NameObject("/text/xml"),
        NameObject("/Params"): DictionaryObject({
            NameObject("/ModDate"): TextStringObject(_pdf_date(when)),
            NameObject("/Size"): NumberObject(len(content)),
            NameObject("/CheckSum"): ByteStringObject(hashlib.md5(content).digest()),
        }),
    })
    stream = writer._add_object(embedded)
    name = TextStringObject(filename)
    spec = DictionaryObject({
        NameObject("/Type"): NameObject("/Filespec"),
        NameObject("/F"): name,
        NameObject("/UF"): name,
        NameObject("/Desc"): TextStringObject("Factur-X invoice"),
        NameObject("/AFRelationship"): NameObject(f"/{relationship}"),
        NameObject("/EF"): DictionaryObject({NameObject("/F"): stream,
                                             NameObject("/UF"): stream}),
    })
    return writer._add_object(spec)


def _version(header: str) -> tuple[int, int]:
    major, _, minor = header.removeprefix("%PDF-").partition(".")
    try:
        return int(major), int(minor[:1] or 0)
    except ValueError:
        return (1, 0)


def _pdf_date(when: datetime.datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    offset = when.utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"D:{when:%Y%m%d%H%M%S}{sign}{hours:02d}'{minutes:02d}'"


def _set_name_tree(catalog: DictionaryObject, filename: str, spec: Any
                   ) -> list[DictionaryObject]:
    # the name tree is rewritten flat and sorted, without the former file of the same name
    names = _resolve(catalog.get("/Names"))
    if not isinstance(names, DictionaryObject):
        names = DictionaryObject()
        catalog[NameObject("/Names")] = names
    tree = _resolve(names.get("/EmbeddedFiles"))
    kept: list[tuple[str, Any]] = []
    if isinstance(tree, DictionaryObject):
        kept = [(name, _reference(item)) for name, item in _walk(tree, 0, [_MAX_TREE_NODES])]
    replaced = [_resolve(item) for name, item in kept if name == filename]
    kept = [(name, item) for name, item in kept if name != filename]
    kept.append((filename, spec))
    pairs = ArrayObject()
    for name, item in sorted(kept, key=lambda pair: pair[0]):
        pairs.extend([TextStringObject(name), item])
    names[NameObject("/EmbeddedFiles")] = DictionaryObject({NameObject("/Names"): pairs})
    return replaced


def _empty_stream(spec: DictionaryObject) -> None:
    stream = _stream(spec)
    if stream is not None:
        for key in ("/Filter", "/DecodeParms", "/Params"):
            stream.pop(key, None)
        stream._data = b""


def _reference(spec: DictionaryObject) -> Any:
    return spec.indirect_reference or spec


def _set_associated_files(writer: PdfWriter, catalog: DictionaryObject, filename: str,
                          spec: Any) -> list[DictionaryObject]:
    current = _resolve(catalog.get("/AF"))
    files = ArrayObject()
    replaced: list[DictionaryObject] = []
    if isinstance(current, ArrayObject):
        for item in current:
            other = _resolve(item)
            if isinstance(other, DictionaryObject) and _spec_name(other) == filename:
                replaced.append(other)
            else:
                files.append(item)
    files.append(spec)
    catalog[NameObject("/AF")] = writer._add_object(files)
    return replaced


def _set_metadata(writer: PdfWriter, catalog: DictionaryObject, filename: str,
                  level: str) -> None:
    current = _resolve(catalog.get("/Metadata"))
    root = _current_xmp(current)
    rdf = root if etree.QName(root).localname == "RDF" else root.find(f"{{{_RDF}}}RDF")
    assert rdf is not None  # _current_xmp returns a packet with an rdf:RDF
    for description in list(rdf.iterfind(f"{{{_RDF}}}Description")):
        _forget_factur_x(description)
        if _empty(description):
            rdf.remove(description)
    for part in rdf.iter(f"{{{_PDFAID}}}part"):
        if (part.text or "").strip() in ("1", "2"):
            part.text = "3"
    for description in rdf.iterfind(f"{{{_RDF}}}Description"):
        if description.get(f"{{{_PDFAID}}}part", "").strip() in ("1", "2"):
            description.set(f"{{{_PDFAID}}}part", "3")
    rdf.append(_fx_description(filename, level))
    bag = rdf.find(f"{{{_RDF}}}Description/{{{_EXTENSION}}}schemas/{{{_RDF}}}Bag")
    if bag is None:
        holder = etree.SubElement(rdf, f"{{{_RDF}}}Description",
                                  nsmap={"rdf": _RDF, "pdfaExtension": _EXTENSION})
        holder.set(f"{{{_RDF}}}about", "")
        schemas = etree.SubElement(holder, f"{{{_EXTENSION}}}schemas")
        bag = etree.SubElement(schemas, f"{{{_RDF}}}Bag")
    bag.append(_fx_schema())
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    packet = _PACKET_BEGIN + body + _PACKET_END
    if isinstance(current, StreamObject):  # rewritten in place: no stale packet left behind
        for key in ("/Filter", "/DecodeParms"):
            current.pop(key, None)
        current._data = packet
        current.update({NameObject("/Type"): NameObject("/Metadata"),
                        NameObject("/Subtype"): NameObject("/XML")})
        return
    stream = DecodedStreamObject()
    stream.set_data(packet)
    stream.update({NameObject("/Type"): NameObject("/Metadata"),
                   NameObject("/Subtype"): NameObject("/XML")})
    catalog[NameObject("/Metadata")] = writer._add_object(stream)


def _current_xmp(stream: Any) -> etree._Element:
    # the PDF's XMP packet when it has a readable one, else an empty packet
    if isinstance(stream, StreamObject):
        try:
            root = parse_xml(stream.get_data())
            if etree.QName(root).localname == "RDF" or root.find(f"{{{_RDF}}}RDF") is not None:
                return root
        except ChorusError:
            pass
    return parse_xml(_EMPTY_XMP)


def _forget_factur_x(description: etree._Element) -> None:
    # the fx: properties and their extension schema of an earlier attach
    prefix = f"{{{FX_NAMESPACE}}}"
    for name in [name for name in description.attrib if str(name).startswith(prefix)]:
        del description.attrib[name]
    for child in list(description):
        if etree.QName(child).namespace == FX_NAMESPACE:
            description.remove(child)
    for item in list(description.iterfind(f"{{{_EXTENSION}}}schemas/{{{_RDF}}}Bag/{{{_RDF}}}li")):
        uri = item.find(f"{{{_SCHEMA}}}namespaceURI")
        if uri is not None and (uri.text or "").strip() == FX_NAMESPACE:
            parent = item.getparent()
            assert parent is not None
            parent.remove(item)
    for schemas in list(description.iterfind(f"{{{_EXTENSION}}}schemas")):
        bag = schemas.find(f"{{{_RDF}}}Bag")
        if bag is not None and len(bag) == 0:
            description.remove(schemas)


def _empty(description: etree._Element) -> bool:
    return len(description) == 0 and set(description.attrib) <= {f"{{{_RDF}}}about"}


def _fx_description(filename: str, level: str) -> etree._Element:
    description = etree.Element(f"{{{_RDF}}}Description", nsmap={"rdf": _RDF, "fx": FX_NAMESPACE})
    description.set(f"{{{_RDF}}}about", "")
    values = {"DocumentFileName": filename, "DocumentType": "INVOICE", "Version": "1.0",
              "ConformanceLevel": level}
    for name, _ in _PROPERTIES:
        etree.SubElement(description, f"{{{FX_NAMESPACE}}}{name}").text = values[name]
    return description


def _fx_schema() -> etree._Element:
    prop = "http://www.aiim.org/pdfa/ns/property#"
    item = etree.Element(f"{{{_RDF}}}li",
                         nsmap={"rdf": _RDF, "pdfaSchema": _SCHEMA, "pdfaProperty": prop})
    item.set(f"{{{_RDF}}}parseType", "Resource")
    etree.SubElement(item, f"{{{_SCHEMA}}}schema").text = "Factur-X PDFA Extension Schema"
    etree.SubElement(item, f"{{{_SCHEMA}}}namespaceURI").text = FX_NAMESPACE
    etree.SubElement(item, f"{{{_SCHEMA}}}prefix").text = "fx"
    sequence = etree.SubElement(etree.SubElement(item, f"{{{_SCHEMA}}}property"),
                                f"{{{_RDF}}}Seq")
    for name, description in _PROPERTIES:
        entry = etree.SubElement(sequence, f"{{{_RDF}}}li")
        entry.set(f"{{{_RDF}}}parseType", "Resource")
        etree.SubElement(entry, f"{{{prop}}}name").text = name
        etree.SubElement(entry, f"{{{prop}}}valueType").text = "Text"
        etree.SubElement(entry, f"{{{prop}}}category").text = "external"
        etree.SubElement(entry, f"{{{prop}}}description").text = description
    return item
