"""CII D16B reader and writer: corpus round trips under the official XSD and Schematron,
Chorus Pro placements, typed errors, and a hypothesis round trip."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from lxml import etree

from chorus_core.errors import (
    ConversionError,
    MalformedXMLError,
    ReadError,
    UnknownFormatError,
)
from chorus_core.formats import cii
from chorus_core.formats.cii import QDT, RAM, RSM, UDT, VAT_POINT_DATE_CODE_TO_CII
from chorus_core.formats.mapping import xpaths
from chorus_core.formats.xsd import validate_xsd
from chorus_core.model import (
    TERMS,
    Address,
    AttributeItem,
    Buyer,
    ClassificationIdentifier,
    Contact,
    CreditTransfer,
    DeliveryInformation,
    DirectDebit,
    DocumentAllowance,
    DocumentCharge,
    DocumentTotals,
    Identifier,
    Invoice,
    InvoiceLine,
    InvoiceNote,
    ItemInformation,
    LineAllowance,
    LineCharge,
    LinePeriod,
    LineVatInformation,
    Payee,
    PaymentCard,
    PaymentInstructions,
    Period,
    PrecedingInvoiceReference,
    PriceDetails,
    ProcessControl,
    Seller,
    SellerTaxRepresentative,
    SupportingDocument,
    VatBreakdown,
    lenient,
    term_values,
)
from chorus_core.testing import incomplete_invoices, invoices
from oracle import schematron_errors

PATHS = xpaths("cii")

SCHEMAS = "en16931/schemas"
EXAMPLES = sorted(
    [
        "CII-BR-CO-10-RoundingIssue.xml", "CII_business_example_01.xml",
        "CII_business_example_02.xml", "CII_business_example_Z.xml", "XRechnung-O.xml",
        "huf_example_cii.xml",
    ]
    + [f"CII_example{n}.xml" for n in range(1, 10)]
)
NS = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}


@pytest.fixture(scope="session")
def schema(corpus: Path) -> Path:
    """The folder of the official schemas (the library compiles each XSD once)."""
    return corpus / SCHEMAS


def _assert_valid(schema_dir: Path, data: bytes) -> None:
    report = validate_xsd(data, "cii", schema_dir=schema_dir)
    assert report.ok, [f.message_en for f in report]


def _xpath(data: bytes, path: str) -> list[str]:
    return [str(v) for v in etree.fromstring(data).xpath(path, namespaces=NS)]


# ------------------------------------------------------------------------------ corpus


def test_examples_list_is_the_whole_corpus_folder(corpus: Path) -> None:
    """The parametrised examples are exactly the 15 files of the corpus folder."""
    assert sorted(p.name for p in (corpus / "en16931/cii/examples").glob("*.xml")) == EXAMPLES


@pytest.mark.parametrize("name", EXAMPLES)
def test_corpus_round_trip(corpus: Path, schema: Path, name: str) -> None:
    """read → write gives an XSD-valid document, no new Schematron error, and the same model."""
    original = (corpus / "en16931/cii/examples" / name).read_bytes()
    model = cii.read(original)
    out = cii.write(model)
    _assert_valid(schema, out)
    assert cii.read(out) == model
    new_errors = schematron_errors(corpus, "cii", out) - schematron_errors(corpus, "cii", original)
    assert new_errors == set()


def test_corpus_example_terms(corpus: Path) -> None:
    """CII_example5 (maximum content) reads into the expected terms."""
    inv = cii.read((corpus / "en16931/cii/examples/CII_example5.xml").read_bytes())
    assert inv.invoice_number == "TOSL110"
    assert inv.invoice_issue_date == date(2013, 4, 10)
    assert inv.notes[0].subject_code == "AAI"
    assert inv.buyer_reference == "qwerty"
    assert inv.seller is not None and inv.seller.identifiers == (
        Identifier(scheme_id="0088", value="5790000436101"),
    )
    assert inv.seller.tax_registration_identifier == "NL16356706"
    line = inv.lines[0]
    assert line.price_details is not None
    assert line.price_details.net_price == Decimal("1")
    assert line.price_details.base_quantity == Decimal("1")
    assert line.price_details.gross_price == Decimal("1.1")
    assert line.price_details.price_discount == Decimal("10")
    assert line.object_identifier == Identifier(value="Object2")
    assert {c.reason_code for c in line.charges} == {"ABL"}
    assert {a.reason_code for a in line.allowances} == {"95"}


def test_attachments_keep_exact_bytes(corpus: Path) -> None:
    """Embedded attachments (BT-125) are the decoded bytes, and are written back identical."""
    original = (corpus / "en16931/cii/examples/CII_example5.xml").read_bytes()
    path = "//ram:AttachmentBinaryObject/text()"
    expected = [base64.b64decode("".join(text.split())) for text in _xpath(original, path)]
    inv = cii.read(original)
    assert [d.attached_document for d in inv.supporting_documents
            if d.attached_document is not None] == expected
    assert [base64.b64decode(text) for text in _xpath(cii.write(inv), path)] == expected


def test_attachment_with_every_byte_value_round_trips() -> None:
    """All 256 byte values survive write → read."""
    blob = bytes(range(256)) * 3
    inv = Invoice(supporting_documents=(SupportingDocument(
        reference="CSV-1", attached_document=blob, mime_code="text/csv",
        filename="pieces.csv"),))
    assert cii.read(cii.write(inv, draft=True)) == inv


def _ubl_documents() -> list[str]:
    from conftest import corpus_path

    root = corpus_path()
    if root is None:
        return []
    folders = [root / "en16931/ubl/examples", root / "en16931/tests/testfiles"]
    return sorted(str(p.relative_to(root)) for f in folders for p in f.iterdir()
                  if p.suffix.lower() == ".xml")


@pytest.mark.parametrize("name", _ubl_documents())
def test_ubl_corpus_written_as_cii(corpus: Path, schema: Path, name: str) -> None:
    """Every UBL example and test file, read and written as CII, is XSD- and Schematron-valid."""
    from chorus_core.formats import ubl

    out = cii.write(ubl.read((corpus / name).read_bytes()))
    _assert_valid(schema, out)
    assert schematron_errors(corpus, "cii", out) == set()


# ------------------------------------------------------------------------------ every term


def _max_invoice() -> Invoice:
    """An invoice with every EN 16931 term set, each to a value of its own."""
    def address(p: str) -> Address:
        return Address(line_one=f"{p}-l1", line_two=f"{p}-l2", line_three=f"{p}-l3",
                       city=f"{p}-city", post_code=f"{p}-pc", country_subdivision=f"{p}-sub",
                       country_code="FR")

    def contact(p: str) -> Contact:
        return Contact(point=f"{p}-point", telephone=f"{p}-tel", email=f"{p}@example.org")

    return Invoice(
        invoice_number="INV-1", invoice_issue_date=date(2026, 1, 2), invoice_type_code="380",
        invoice_currency_code="EUR", vat_accounting_currency_code="SEK",
        value_added_tax_point_date=date(2026, 1, 3), value_added_tax_point_date_code="35",
        payment_due_date=date(2026, 2, 1), buyer_reference="SERVICE-1",
        project_reference="PROJ-1", contract_reference="MARCHE-1",
        purchase_order_reference="EJ-1", sales_order_reference="SO-1",
        receiving_advice_reference="RA-1", despatch_advice_reference="DA-1",
        tender_or_lot_reference="LOT-1",
        invoiced_object_identifier=Identifier(value="OBJ-1", scheme_id="AAA"),
        buyer_accounting_reference="ACC-1", payment_terms="30 days",
        notes=(InvoiceNote(subject_code="AAI", note="a note"),),
        process_control=ProcessControl(business_process_type="A1",
                                       specification_identifier="urn:cen.eu:en16931:2017"),
        preceding_invoice_references=(PrecedingInvoiceReference(
            reference="PREV-1", issue_date=date(2025, 12, 1)),),
        seller=Seller(
            name="Seller SA", trading_name="Seller trade",
            identifiers=(Identifier(value="S-ID"), Identifier(value="5790000436101",
                                                             scheme_id="0088")),
            legal_registration_identifier=Identifier(value="S-LEGAL", scheme_id="0002"),
            vat_identifier="FRS-VAT", tax_registration_identifier="S-FC",
            additional_legal_information="SA au capital de 1 EUR",
            electronic_address=Identifier(value="s@example.org", scheme_id="EM"),
            postal_address=address("S"), contact=contact("S")),
        buyer=Buyer(
            name="Mairie", trading_name="Buyer trade",
            identifier=Identifier(value="11000201100044", scheme_id="0009"),
            legal_registration_identifier=Identifier(value="110002011", scheme_id="0002"),
            vat_identifier="FRB-VAT",
            electronic_address=Identifier(value="b@example.org", scheme_id="EM"),
            postal_address=address("B"), contact=contact("B")),
        payee=Payee(name="Payee", identifier=Identifier(value="P-ID", scheme_id="0088"),
                    legal_registration_identifier=Identifier(value="P-LEGAL", scheme_id="0002")),
        seller_tax_representative=SellerTaxRepresentative(
            name="Representative", vat_identifier="FRT-VAT", postal_address=address("T")),
        delivery=DeliveryInformation(
            party_name="Ship to", location_identifier=Identifier(value="LOC-1",
                                                                 scheme_id="0088"),
            actual_delivery_date=date(2025, 12, 20), address=address("D")),
        invoicing_period=Period(start_date=date(2025, 12, 1), end_date=date(2025, 12, 31)),
        payment_instructions=PaymentInstructions(
            payment_means_type_code="58", payment_means_text="SEPA", remittance_information="RI-1",
            credit_transfers=(CreditTransfer(account_identifier="FR7630006000011234567890189",
                                             account_name="Seller SA",
                                             service_provider_identifier="AGRIFRPP"),),
            payment_card=PaymentCard(primary_account_number="1234", holder_name="Holder"),
            direct_debit=DirectDebit(mandate_reference_identifier="MANDATE-1",
                                     bank_assigned_creditor_identifier="CRED-1",
                                     debited_account_identifier="DE89370400440532013000")),
        allowances=(DocumentAllowance(amount=Decimal("1.00"), base_amount=Decimal("10.00"),
                                      percentage=Decimal("10"), vat_category_code="S",
                                      vat_rate=Decimal("20"), reason="Discount",
                                      reason_code="95"),),
        charges=(DocumentCharge(amount=Decimal("2.00"), base_amount=Decimal("20.00"),
                                percentage=Decimal("10"), vat_category_code="S",
                                vat_rate=Decimal("20"), reason="Freight", reason_code="FC"),),
        totals=DocumentTotals(
            sum_of_line_net_amounts=Decimal("100.00"), sum_of_allowances=Decimal("1.00"),
            sum_of_charges=Decimal("2.00"), total_without_vat=Decimal("101.00"),
            total_vat_amount=Decimal("20.20"),
            total_vat_amount_in_accounting_currency=Decimal("230.00"),
            total_with_vat=Decimal("121.20"), paid_amount=Decimal("0.20"),
            rounding_amount=Decimal("0.01"), amount_due_for_payment=Decimal("121.01")),
        vat_breakdown=(VatBreakdown(taxable_amount=Decimal("101.00"),
                                    tax_amount=Decimal("20.20"), category_code="S",
                                    rate=Decimal("20"), exemption_reason="none",
                                    exemption_reason_code="VATEX-EU-79-C"),),
        supporting_documents=(SupportingDocument(
            reference="DOC-1", description="Timesheet", external_location="https://x.example",
            attached_document=b"%PDF-1.4", mime_code="application/pdf", filename="t.pdf"),),
        lines=(InvoiceLine(
            identifier="1", note="line note",
            object_identifier=Identifier(value="LOBJ-1", scheme_id="AAB"),
            invoiced_quantity=Decimal("4"), invoiced_quantity_unit_code="H87",
            net_amount=Decimal("100.00"), purchase_order_line_reference="PO-L1",
            buyer_accounting_reference="LACC-1",
            period=LinePeriod(start_date=date(2025, 12, 2), end_date=date(2025, 12, 30)),
            allowances=(LineAllowance(amount=Decimal("3.00"), base_amount=Decimal("30.00"),
                                      percentage=Decimal("10"), reason="Line discount",
                                      reason_code="95"),),
            charges=(LineCharge(amount=Decimal("3.00"), base_amount=Decimal("30.00"),
                                percentage=Decimal("10"), reason="Line fee",
                                reason_code="ABL"),),
            price_details=PriceDetails(net_price=Decimal("25.00"), price_discount=Decimal("1.00"),
                                       gross_price=Decimal("26.00"), base_quantity=Decimal("1"),
                                       base_quantity_unit_code="H87"),
            vat_information=LineVatInformation(category_code="S", rate=Decimal("20")),
            item=ItemInformation(
                name="Item", description="Item description", seller_identifier="SELL-1",
                buyer_identifier="BUY-1",
                standard_identifier=Identifier(value="1234567890128", scheme_id="0160"),
                classification_identifiers=(ClassificationIdentifier(
                    value="12345678", scheme_id="STI", scheme_version_id="v1"),),
                country_of_origin="DE",
                attributes=(AttributeItem(name="Colour", value="Blue"),)),
        ),),
    )


def _as_written(term: str, value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if term == "BT-8":
        return VAT_POINT_DATE_CODE_TO_CII[str(value)]
    return str(value)


def test_max_invoice_sets_every_term() -> None:
    """The max-content fixture really sets every term (so the next test is not moot)."""
    assert {term for term, _, _ in term_values(_max_invoice())} == {
        t for t in TERMS if t.startswith("BT-")}


def test_every_term_is_written_at_its_path(schema: Path) -> None:
    """Each term of a max-content invoice is written at the XPath of the path table, the
    document is XSD-valid, and it reads back equal."""
    inv = _max_invoice()
    out = cii.write(inv, draft=True)
    _assert_valid(schema, out)
    root = etree.fromstring(out)
    misplaced = []
    for term, model_path, value in term_values(inv):
        found = [str(getattr(n, "text", n)) for n in root.xpath(PATHS[term], namespaces=NS)]
        if _as_written(term, value) not in found:
            misplaced.append((term, model_path, value, found))
    assert misplaced == []
    for group in (t for t in TERMS if t.startswith("BG-")):
        assert root.xpath(PATHS[group], namespaces=NS), group
    assert cii.read(out) == inv


# ------------------------------------------------------------------------------ placements


def _chorus_invoice() -> Invoice:
    return Invoice(
        invoice_number="F-2026-1",
        invoice_type_code="380",
        invoice_currency_code="EUR",
        buyer_reference="SERVICE-42",
        purchase_order_reference="EJ-1234",
        contract_reference="MARCHE-7",
        process_control=ProcessControl(business_process_type="A1",
                                       specification_identifier="urn:cen.eu:en16931:2017"),
        buyer=Buyer(
            name="Mairie",
            identifier=Identifier(value="11000201100044", scheme_id="0009"),
            legal_registration_identifier=Identifier(value="110002011", scheme_id="0002"),
            electronic_address=Identifier(value="11000201100044", scheme_id="0009"),
        ),
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("//ram:ApplicableHeaderTradeAgreement/ram:BuyerReference/text()", "SERVICE-42"),
        ("//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID/text()", "EJ-1234"),
        ("//ram:ContractReferencedDocument/ram:IssuerAssignedID/text()", "MARCHE-7"),
        ("//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID/text()", "A1"),
        ("//ram:BuyerTradeParty/ram:GlobalID[@schemeID='0009']/text()", "11000201100044"),
        ("//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0002']/text()",
         "110002011"),
        ("//ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID[@schemeID='0009']/text()",
         "11000201100044"),
    ],
)
def test_chorus_placements(path: str, expected: str) -> None:
    """Code service, engagement, marché, cadre and buyer SIRET go where Chorus Pro reads them."""
    assert _xpath(cii.write(_chorus_invoice(), draft=True), path) == [expected]


def test_trade_party_id_never_has_a_scheme() -> None:
    """An identifier with a scheme is a ram:GlobalID; ram:ID only carries scheme-less ones."""
    inv = _chorus_invoice().model_copy(
        update={"buyer": Buyer(identifier=Identifier(value="B-77"))})
    out = cii.write(inv, draft=True)
    assert _xpath(out, "//ram:BuyerTradeParty/ram:ID/text()") == ["B-77"]
    assert _xpath(out, "//ram:BuyerTradeParty/ram:ID/@schemeID") == []
    assert cii.read(out).buyer == inv.buyer


def test_seller_identifiers_keep_their_order(schema: Path) -> None:
    """BT-29 identifiers come back in model order, even a scheme-less one after a schemed one."""
    seller = Seller(name="S", identifiers=(
        Identifier(value="A"), Identifier(value="5790000436101", scheme_id="0088"),
        Identifier(value="B")))
    out = cii.write(Invoice(invoice_number="F-1", invoice_issue_date=date(2026, 1, 2),
                            seller=seller), draft=True)
    assert _xpath(out, "//ram:SellerTradeParty/ram:ID/text()") == ["A"]
    assert _xpath(out, "//ram:SellerTradeParty/ram:GlobalID/text()") == ["5790000436101", "B"]
    _assert_valid(schema, out)
    assert cii.read(out).seller == seller


def test_credit_note_keeps_type_code_and_signs(schema: Path) -> None:
    """A credit note is TypeCode 381 with the amounts exactly as in the model."""
    inv = _chorus_invoice().model_copy(update={
        "invoice_type_code": "381",
        "totals": DocumentTotals(total_with_vat=Decimal("-12.50"),
                                 amount_due_for_payment=Decimal("-12.50")),
        "lines": (InvoiceLine(identifier="1", invoiced_quantity=Decimal("-1"),
                              net_amount=Decimal("-10.42")),),
    })
    out = cii.write(inv, draft=True)
    assert _xpath(out, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode/text()") == [
        "381"]
    assert _xpath(out, "//ram:DuePayableAmount/text()") == ["-12.50"]
    back = cii.read(out)
    assert back.is_credit_note
    assert back == inv


def test_additional_documents_are_told_apart_by_type_code() -> None:
    """BT-17 (50), BT-18 (130) and BG-24 (916) share AdditionalReferencedDocument."""
    inv = Invoice(
        tender_or_lot_reference="LOT-3",
        invoiced_object_identifier=Identifier(value="OBJ-9", scheme_id="AAA"),
        supporting_documents=(SupportingDocument(reference="DOC-1", description="Timesheet"),),
    )
    out = cii.write(inv, draft=True)
    assert sorted(_xpath(out, "//ram:AdditionalReferencedDocument/ram:TypeCode/text()")) == [
        "130", "50", "916"]
    assert cii.read(out) == inv


def test_vat_point_date_code_uses_the_cii_code_list() -> None:
    """BT-8 is UNTDID 2005 in the model and UNTDID 2475 in CII (3 ↔ 5)."""
    inv = Invoice(value_added_tax_point_date_code="3", value_added_tax_point_date=date(2026, 1, 2),
                  vat_breakdown=(VatBreakdown(category_code="S", rate=Decimal("20")),
                                 VatBreakdown(category_code="S", rate=Decimal("10"))))
    out = cii.write(inv, draft=True)
    assert _xpath(out, "//ram:DueDateTypeCode/text()") == ["5"]
    assert _xpath(out, "//ram:TaxPointDate/udt:DateString/text()") == ["20260102"]
    assert cii.read(out) == inv


def test_vat_total_in_accounting_currency_is_told_apart_by_currency() -> None:
    """BT-110 carries @currencyID = BT-5 and BT-111 @currencyID = BT-6."""
    inv = Invoice(invoice_currency_code="EUR", vat_accounting_currency_code="SEK",
                  totals=DocumentTotals(total_vat_amount=Decimal("20.00"),
                                        total_vat_amount_in_accounting_currency=Decimal("230")))
    out = cii.write(inv, draft=True)
    assert _xpath(out, "//ram:TaxTotalAmount/@currencyID") == ["EUR", "SEK"]
    assert cii.read(out) == inv


def test_price_base_quantity_round_trips() -> None:
    """BT-149/BT-150 sit on the net price and survive a round trip."""
    line = InvoiceLine(identifier="1", price_details=PriceDetails(
        net_price=Decimal("9.5"), gross_price=Decimal("10"), price_discount=Decimal("0.5"),
        base_quantity=Decimal("12"), base_quantity_unit_code="H87"))
    out = cii.write(Invoice(lines=(line,)), draft=True)
    assert _xpath(out, "//ram:NetPriceProductTradePrice/ram:BasisQuantity/@unitCode") == ["H87"]
    assert cii.read(out).lines == (line,)


def test_discount_without_gross_price_gets_a_derived_gross_price(
        schema: Path) -> None:
    """CII needs a gross price next to a discount: it is written as net price + discount."""
    line = InvoiceLine(identifier="1", price_details=PriceDetails(
        net_price=Decimal("9.00"), price_discount=Decimal("1.50")))
    out = cii.write(Invoice(lines=(line,)), draft=True)
    assert _xpath(out, "//ram:GrossPriceProductTradePrice/ram:ChargeAmount/text()") == ["10.50"]
    back = cii.read(out).lines[0].price_details
    assert back is not None
    assert (back.gross_price, back.price_discount, back.net_price) == (
        Decimal("10.50"), Decimal("1.50"), Decimal("9.00"))


def test_invalid_codes_are_kept_as_read() -> None:
    """The reader is lenient: an unknown currency and type code are kept for the rules."""
    inv = lenient(Invoice, invoice_currency_code="EURO", invoice_type_code="999")
    back = cii.read(cii.write(inv, draft=True))
    assert (back.invoice_currency_code, back.invoice_type_code) == ("EURO", "999")


def test_markup_characters_are_escaped_and_round_trip(schema: Path) -> None:
    """Texts and attributes holding markup, quotes, tabs and line breaks come back unchanged."""
    tricky = 'A&B <c> "d" \'e\'\tf\r\ng'
    inv = Invoice(
        invoice_number="F&1",
        payment_terms=tricky,
        buyer=Buyer(name=tricky, identifier=Identifier(value="X<1>", scheme_id='0"9')),
        supporting_documents=(SupportingDocument(reference="R", attached_document=b"x",
                                                 mime_code="text/csv", filename=tricky),),
    )
    assert cii.read(cii.write(inv, draft=True)) == inv


def test_control_character_gives_conversion_error() -> None:
    """A control character (not allowed in XML 1.0) is refused with ConversionError."""
    with pytest.raises(ConversionError, match="U\\+0001"):
        cii.write(Invoice(payment_terms="due\x01now"), draft=True)


# ------------------------------------------------------------------------------ errors


@dataclass
class _Broken:
    path: str
    text: str
    bt: str


def _break(data: bytes, path: str, text: str) -> bytes:
    root = etree.fromstring(data)
    nodes = root.xpath(path, namespaces=NS)
    assert nodes, path
    nodes[0].text = text
    return bytes(etree.tostring(root))


def _full_invoice() -> bytes:
    inv = _chorus_invoice().model_copy(update={
        "invoice_issue_date": date(2026, 3, 1),
        "totals": DocumentTotals(amount_due_for_payment=Decimal("12.00")),
        "supporting_documents": (SupportingDocument(reference="A", attached_document=b"%PDF",
                                                    mime_code="application/pdf"),),
        "lines": (InvoiceLine(identifier="1", invoiced_quantity=Decimal("2"),
                              net_amount=Decimal("10")),),
    })
    return cii.write(inv, draft=True)


@pytest.mark.parametrize(
    "broken",
    [
        _Broken("//ram:LineTotalAmount", "12,50", "BT-131"),
        _Broken("//ram:BilledQuantity", "two", "BT-129"),
        _Broken("//ram:DuePayableAmount", "NaN", "BT-115"),
        _Broken("//rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", "20261301",
                "BT-2"),
        _Broken("//ram:AttachmentBinaryObject", "not base64!", "BT-125"),
    ],
    ids=lambda b: b.bt,
)
def test_unrepresentable_values_give_read_error(broken: _Broken) -> None:
    """A value that is not a number, a date or base64 raises ReadError naming the BT and path."""
    data = _break(_full_invoice(), broken.path, broken.text)
    with pytest.raises(ReadError) as info:
        cii.read(data)
    assert info.value.bt == broken.bt
    assert info.value.path is not None and info.value.path.startswith("/rsm:CrossIndustryInvoice")


def test_fixture_without_breakage_reads() -> None:
    """The fixture used by the error tests is itself readable (so the errors are not moot)."""
    assert cii.read(_full_invoice()).invoice_issue_date == date(2026, 3, 1)


def test_malformed_xml_gives_malformed_xml_error() -> None:
    """Truncated XML raises MalformedXMLError with a position."""
    with pytest.raises(MalformedXMLError) as info:
        cii.read(_full_invoice()[:200])
    assert info.value.line is not None


def test_entity_declaration_is_refused() -> None:
    """A DTD with entities is refused by the hardened parser."""
    data = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]>'
            b'<rsm:CrossIndustryInvoice xmlns:rsm="' + RSM.encode() + b'"/>')
    with pytest.raises(MalformedXMLError):
        cii.read(data)


@pytest.mark.parametrize(
    "data",
    [
        b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
        b"<CrossIndustryInvoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
        b"<CrossIndustryInvoice/>",
        b"<rsm:ExchangedDocument xmlns:rsm='" + RSM.encode() + b"'/>",
    ],
    ids=["ubl-invoice", "cii-root-ubl-namespace", "no-namespace", "wrong-cii-root"],
)
def test_not_cii_gives_unknown_format_error(data: bytes) -> None:
    """Well-formed XML that is not a CII root raises UnknownFormatError; detect says False."""
    with pytest.raises(UnknownFormatError):
        cii.read(data)
    assert not cii.detect(etree.fromstring(data))


def test_read_accepts_str_and_element() -> None:
    """read takes bytes, str or an already parsed root."""
    data = _full_invoice()
    expected = cii.read(data)
    assert cii.read(data.decode("utf-8")) == expected
    assert cii.read(etree.fromstring(data)) == expected


# ------------------------------------------------------------------------------ properties


@settings(max_examples=50)
@given(invoices())
def test_generated_invoices_round_trip(inv: Invoice) -> None:
    """For generated valid invoices, read(write(inv)) == inv."""
    assert cii.read(cii.write(inv, draft=True)) == inv


@settings(max_examples=50)
@given(incomplete_invoices())
def test_incomplete_invoices_round_trip(inv: Invoice) -> None:
    """Incomplete invoices with invalid codes (as a lenient reader makes them) round-trip too."""
    assert cii.read(cii.write(inv, draft=True)) == inv


@settings(max_examples=20)
@given(inv=invoices())
def test_generated_invoices_are_xsd_valid(corpus: Path, inv: Invoice) -> None:
    """For generated valid invoices, the CII output is valid against the D16B XSD."""
    _assert_valid(corpus / SCHEMAS, cii.write(inv))


def test_vat_accounting_currency_equal_to_the_invoice_currency_is_left_out() -> None:
    """CII BR-53 forbids BT-6 = BT-5: the writer leaves BT-6 out, a different BT-6 stays."""
    same = Invoice(invoice_currency_code="EUR", vat_accounting_currency_code="EUR")
    other = Invoice(invoice_currency_code="EUR", vat_accounting_currency_code="USD")
    assert b"TaxCurrencyCode" not in cii.write(same, draft=True)
    assert cii.read(cii.write(other, draft=True)).vat_accounting_currency_code == "USD"
