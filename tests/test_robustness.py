"""Robustness sweep over every reader: junk and broken input gives a typed error from the
chorus_core family, in bounded time, and never an lxml, pydantic or Python exception.

Hostile documents (entity bombs, external entities, XInclude, deep nesting, huge texts, lying
encodings, archive bombs) are in tests/test_attacks.py, which measures time and memory.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus_core.errors import (
    ChorusError,
    MalformedXMLError,
    PdfError,
    ReadError,
    UnknownFormatError,
    UsageError,
)
from chorus_core.formats import FORMATS, convert, detect_format, read
from chorus_core.model import Invoice

UBL_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"

READERS: dict[str, Callable[[Any], Any]] = {
    **{f"{name}.read": module.read for name, module in FORMATS.items()},
    "formats.read": read,
    "detect_format": detect_format,
    "convert-to-ubl": lambda data: convert(data, to="ubl"),
    "convert-to-cii": lambda data: convert(data, to="cii"),
}
LIMIT_SECONDS = 2.0

JUNK: dict[str, Any] = {
    "empty": b"",
    "whitespace": b"  \n\t ",
    "nul-bytes": b"\x00" * 64,
    "random-bytes": bytes(range(256)),
    "text": b"Facture 2026-001, montant 1200 EUR",
    "json": b'{"invoice_number": "F-1"}',
    "bom-only": b"\xef\xbb\xbf",
    "unclosed-root": f"<Invoice xmlns='{UBL_NS}'>".encode(),
}
WRONG_ROOTS = {
    "html": b"<html><body>Facture</body></html>",
    "no-namespace-invoice": b"<Invoice><ID>1</ID></Invoice>",
    "cii-root-in-ubl-namespace": f"<CrossIndustryInvoice xmlns='{UBL_NS}'/>".encode(),
    "ubl-root-in-cii-namespace": f"<rsm:Invoice xmlns:rsm='{CII_NS}'/>".encode(),
    "ubl-2.0-credit-note-namespace-typo": (
        b"<CreditNote xmlns='urn:oasis:names:specification:ubl:schema:xsd:Creditnote-2'/>"),
    "pes-like": b"<PES_Aller><EnTetePES/></PES_Aller>",
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("case", JUNK)
def test_junk_is_malformed(reader: str, case: str) -> None:
    """Junk input gives MalformedXMLError quickly (the bound is a hang guard, not a benchmark)."""
    start = time.perf_counter()
    with pytest.raises(MalformedXMLError):
        READERS[reader](JUNK[case])
    assert time.perf_counter() - start < LIMIT_SECONDS


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("junk", [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"\r\n%PDF-1.4\n1 0 obj"])
def test_a_broken_pdf_is_a_pdf_error_from_every_reader(
        reader: str, junk: bytes) -> None:
    """A PDF header with no PDF behind it: every reader (each format's, the generic ones) takes
    it as a PDF and says it is broken, quickly."""
    start = time.perf_counter()
    with pytest.raises(PdfError) as info:
        READERS[reader](junk)
    assert info.value.reason == "corrupt" and info.value.message_fr
    assert time.perf_counter() - start < LIMIT_SECONDS


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("value", [12345, None, ["<Invoice/>"]])
def test_not_a_document_is_a_usage_error(reader: str, value: object) -> None:
    """Neither bytes nor str: UsageError naming the ``data`` argument, from every reader."""
    with pytest.raises(UsageError) as info:
        READERS[reader](value)
    assert info.value.argument == "data"


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("case", WRONG_ROOTS)
def test_wrong_roots_are_unknown_formats(reader: str, case: str) -> None:
    """Well-formed XML that is no supported invoice gives UnknownFormatError."""
    with pytest.raises(UnknownFormatError):
        READERS[reader](WRONG_ROOTS[case])


@pytest.mark.parametrize("name", ["ubl", "cii"])
def test_each_reader_refuses_the_other_syntax(name: str) -> None:
    """The UBL reader refuses CII and the CII reader refuses UBL, with UnknownFormatError."""
    other = {"ubl": f"<rsm:CrossIndustryInvoice xmlns:rsm='{CII_NS}'/>",
             "cii": f"<Invoice xmlns='{UBL_NS}'/>"}[name]
    with pytest.raises(UnknownFormatError):
        FORMATS[name].read(other.encode())


@pytest.mark.parametrize("cut", [0.1, 0.25, 0.5, 0.75, 0.99])
@pytest.mark.parametrize("path", [
    "en16931/ubl/examples/ubl-tc434-example1.xml",
    "en16931/ubl/examples/ubl-tc434-creditnote1.xml",
    "en16931/cii/examples/CII_example1.xml",
])
def test_truncated_documents_are_malformed(corpus: Path, path: str, cut: float) -> None:
    """A corpus document cut short gives MalformedXMLError with a line number."""
    data = (corpus / path).read_bytes()
    with pytest.raises(MalformedXMLError) as info:
        read(data[: int(len(data) * cut)])
    assert info.value.line is not None


def test_huge_document_is_read_in_bounded_time(corpus: Path) -> None:
    """A 3.3 MB invoice with an attachment, and a 5,000-line invoice, read in bounded time."""
    big = (corpus / "en16931/ubl/examples/"
           "FT G2G_TD01 con Allegato, Bonifico e Split Payment.xml").read_bytes()
    start = time.perf_counter()
    for name in FORMATS:  # draft: the pivot requires a buyer SIRET this invoice lacks
        read(convert(big, to=name, draft=True).data)
    source = (corpus / "en16931/ubl/examples/ubl-tc434-example1.xml").read_bytes()
    head, _, rest = source.partition(b"<cac:InvoiceLine>")
    line, _, tail = rest.partition(b"</cac:InvoiceLine>")
    last = tail.rfind(b"</cac:InvoiceLine>")
    many = head + (b"<cac:InvoiceLine>" + line + b"</cac:InvoiceLine>") * 5000 + tail[
        last + len(b"</cac:InvoiceLine>"):]
    inv = read(many)
    assert len(inv.lines) == 5000
    assert time.perf_counter() - start < 10 * LIMIT_SECONDS


@pytest.mark.parametrize("reader", [name for name in READERS if name != "detect_format"])
@pytest.mark.parametrize("value", ["12,50", "douze", "1.2.3", "Infinity", ""])
def test_bad_amounts_are_read_errors(reader: str, value: str) -> None:
    """An amount that is not a finite number gives ReadError naming BT-115, whatever syntax."""
    ubl = (f"<Invoice xmlns='{UBL_NS}' xmlns:cac='urn:oasis:names:specification:ubl:schema:"
           "xsd:CommonAggregateComponents-2' xmlns:cbc='urn:oasis:names:specification:ubl:"
           "schema:xsd:CommonBasicComponents-2'><cbc:ID>1</cbc:ID><cac:LegalMonetaryTotal>"
           f"<cbc:PayableAmount currencyID='EUR'>{value}</cbc:PayableAmount>"
           "</cac:LegalMonetaryTotal></Invoice>")
    # the CII reader gets the same broken amount in its own syntax
    data = (_cii_with_amount(value) if reader == "cii.read" else
            _pivot_with_amount(value) if reader == "pes_pivot.read" else
            _asap_with_amount(value) if reader == "pes_asap.read" else ubl)
    with pytest.raises(ReadError) as info:
        READERS[reader](data.encode())
    assert info.value.bt == "BT-115"
    assert info.value.path


def _asap_with_amount(value: str) -> str:
    return ("<n:PES_Aller xmlns:n='http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller'>"
            "<PES_Facture><FactureIndiv><TotalAPayer>"
            f"<MtTotalTTC V='{value}'/></TotalAPayer></FactureIndiv></PES_Facture></n:PES_Aller>")


def _pivot_with_amount(value: str) -> str:
    return ("<CPPFacturePivot><CPPFactures Compteur='1'><CPPFacturePivotUnitaire>"
            f"<DonneesFacture><Montants><MontantNetAPayer>{value}</MontantNetAPayer></Montants>"
            "</DonneesFacture></CPPFacturePivotUnitaire></CPPFactures></CPPFacturePivot>")


def _cii_with_amount(value: str) -> str:
    ram = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    return (f"<rsm:CrossIndustryInvoice xmlns:rsm='{CII_NS}' xmlns:ram='{ram}'>"
            "<rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeSettlement>"
            "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
            f"<ram:DuePayableAmount>{value}</ram:DuePayableAmount>"
            "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
            "</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>"
            "</rsm:CrossIndustryInvoice>")


@settings(max_examples=200)
@given(st.binary(max_size=512))
def test_arbitrary_bytes_give_only_typed_errors(data: bytes) -> None:
    """Any bytes either read or raise a typed library error, never another exception."""
    for call in READERS.values():
        with contextlib.suppress(ChorusError):
            call(data)


@settings(max_examples=100)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=60), st.booleans())
def test_arbitrary_str_gives_only_typed_errors(text: str, wrap: bool) -> None:
    """Any str, lone surrogates included, bare or inside a UBL root, reads or raises a typed
    library error: it is encoded inside the parser's guard."""
    data = f"<Invoice xmlns='{UBL_NS}'><ID>{text}</ID></Invoice>" if wrap else text
    for call in READERS.values():
        with contextlib.suppress(ChorusError):
            call(data)


@settings(max_examples=100)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), st.sampled_from([
    "cbc:ID", "cbc:IssueDate", "cbc:DocumentCurrencyCode", "cbc:TaxPointDate", "cbc:DueDate",
]))
def test_arbitrary_values_give_an_invoice_or_a_read_error(value: str, tag: str) -> None:
    """Any text in a UBL element gives an Invoice or a ReadError, never another exception."""
    from xml.sax.saxutils import escape

    body = f"<{tag}>{escape(value)}</{tag}>"
    data = (f"<Invoice xmlns='{UBL_NS}' xmlns:cbc='urn:oasis:names:specification:ubl:schema:"
            f"xsd:CommonBasicComponents-2'>{body}</Invoice>").encode()
    with contextlib.suppress(ReadError, MalformedXMLError):
        assert isinstance(read(data), Invoice)


@settings(max_examples=60)
@given(st.data())
def test_mutilated_corpus_documents_give_an_invoice_or_a_typed_error(
    corpus: Path, data: st.DataObject
) -> None:
    """Removing elements or replacing a text in a real invoice never breaks a reader."""
    from lxml import etree

    path = data.draw(st.sampled_from([
        "en16931/tests/testfiles/Invoice-Max_content.xml",
        "en16931/tests/testfiles/CreditNote-Max_content.xml",
        "en16931/cii/examples/CII_example5.xml",
    ]))
    root = etree.fromstring((corpus / path).read_bytes())
    elements = [el for el in root.iter() if isinstance(el.tag, str) and el is not root]
    for _ in range(data.draw(st.integers(1, 5))):
        victim = data.draw(st.sampled_from(elements))
        if data.draw(st.booleans()) and victim.getparent() is not None:
            victim.getparent().remove(victim)
        else:
            victim.text = data.draw(st.text(st.characters(
                codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=12))
    mutilated = etree.tostring(root)
    for call in READERS.values():
        with contextlib.suppress(ChorusError):
            call(mutilated)


@pytest.mark.parametrize("name", [  # the formats that carry attachments (BT-125)
    name for name, module in sorted(FORMATS.items())
    if all(cell.carried for column in module.SYNTAX.columns.values()
           for term, cell in module.SYNTAX.cells(column).items() if term == "BT-125")])
def test_twelve_megabyte_attachment_round_trips(name: str) -> None:
    """An attachment over libxml2's default 10 MB text-node limit keeps its bytes exactly."""
    from chorus_core.examples import sample_invoice
    from chorus_core.model import SupportingDocument

    blob = bytes(range(256)) * (12 * 4096)  # 12 MiB, every byte value
    inv = sample_invoice().model_copy(update={"supporting_documents": (SupportingDocument(
        reference="PJ-1", attached_document=blob, mime_code="application/pdf",
        filename="annexe.pdf"),)})
    back = FORMATS[name].read(FORMATS[name].write(inv))
    assert back.supporting_documents[0].attached_document == blob
