"""UBL 2.1 reader and writer: corpus round trips under the official XSD and Schematron, the
Chorus Pro placements, the UBL binding pitfalls, typed errors and a hypothesis round trip."""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from lxml import etree

from chorus_core.errors import MalformedXMLError, ReadError, UnknownFormatError
from chorus_core.formats import ubl, validate_xsd
from chorus_core.formats.ubl import CAC_NS, CBC_NS
from chorus_core.model import (
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
)
from chorus_core.model.routing import find_buyer_siret, routing_of
from chorus_core.testing import incomplete_invoices, invoices
from oracle import schematron_errors

SCHEMAS = "en16931/schemas"
EXAMPLES = [
    "BIS3_Invoice_negativ.XML",
    "BIS3_Invoice_positive.XML",
    "FT G2G_TD01 con Allegato, Bonifico e Split Payment.xml",
    "guide-example1.xml",
    "guide-example2.xml",
    "guide-example3.xml",
    "issue116.xml",
    "sample-discount-price.xml",
    "ubl-tc434-creditnote1.xml",
    *[f"ubl-tc434-example{n}.xml" for n in range(1, 11)],
]
TESTFILES = [
    *[
        f"BIS_Billing_30-{name}.xml"
        for name in (
            "DataIT",
            "Elhandel",
            "Elnat",
            "Factoring",
            "Forskott_(ej moms)",
            "Forskott_slutreglering",
            "Hyrbil",
            "Inkopskort",
            "InomstatligFakturering",
            "Kreditering_(urspr_faktura)",
            "Kreditering_med_kreditnota",
            "Kreditering_med_negativ_faktura",
            "OmvandSkattskyldighet",
            "Rabatter_och_avgifter",
            "Rantefaktura_Enkel",
            "Rantefaktura_Saml",
            "Resor_Bokning",
            "Resor_Taxi",
            "Telefoni",
            "Tjanster_Bevakning",
            "Tjanster_Kopiering",
            "Valutor i faktura",
        )
    ],
    "CreditNote-Max_content.xml",
    "CreditNote-Min_content_with_VAT.xml",
    "CreditNote-Min_content_without_VAT.xml",
    "Invoice-Max_content.xml",
    "Invoice-Min_content_with_VAT.xml",
    "Invoice-Min_content_without_VAT.xml",
    "ubl-tc434-test-1.xml",
]
CORPUS_FILES = [f"en16931/ubl/examples/{n}" for n in EXAMPLES] + [
    f"en16931/tests/testfiles/{n}" for n in TESTFILES
]
NS = {"cac": CAC_NS, "cbc": CBC_NS}
HEAD = (
    '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
    f'xmlns:cac="{CAC_NS}" xmlns:cbc="{CBC_NS}">'
)


def ubl_doc(body: str, *, head: str = HEAD, tail: str = "</Invoice>") -> bytes:
    return (head + body + tail).encode()


def test_the_corpus_lists_are_complete(corpus: Path) -> None:
    """The tests cover all 19 UBL examples and 29 UBL test files of the corpus."""
    on_disk = sorted(p.name for p in (corpus / "en16931/ubl/examples").iterdir())
    assert sorted(EXAMPLES) == on_disk and len(EXAMPLES) == 19
    on_disk = sorted(p.name for p in (corpus / "en16931/tests/testfiles").iterdir())
    assert sorted(TESTFILES) == on_disk and len(TESTFILES) == 29


@pytest.mark.parametrize("name", CORPUS_FILES, ids=lambda n: n.rsplit("/", 1)[1])
def test_corpus_round_trip(corpus: Path, name: str) -> None:
    """read → write UBL is XSD-valid, adds no Schematron error and reads back equal."""
    source = (corpus / name).read_bytes()
    assert validate_xsd(source, "ubl", schema_dir=corpus / SCHEMAS).ok  # the test is not moot
    invoice = ubl.read(source)
    out = ubl.write(invoice)
    report = validate_xsd(out, "ubl", schema_dir=corpus / SCHEMAS)
    assert report.ok, [f.message_en for f in report]
    assert schematron_errors(corpus, "ubl", out) <= schematron_errors(corpus, "ubl", source)
    assert ubl.read(out) == invoice
    assert etree.fromstring(out).tag == etree.fromstring(source).tag  # Invoice vs CreditNote


def test_max_content_reads_every_binding(corpus: Path) -> None:
    """The Peppol maximal invoice fills the terms whose UBL binding needs a discriminator."""
    inv = ubl.read((corpus / "en16931/tests/testfiles/Invoice-Max_content.xml").read_bytes())
    assert inv.invoiced_object_identifier == Identifier(value="ABC123", scheme_id="VT")  # 130
    assert inv.tender_or_lot_reference == "Tender 2017-12, lot no. 3"
    assert inv.project_reference == "Project 99"
    assert [d.reference for d in inv.supporting_documents] == [
        "MT123",
        "Time report 1",
        "Example 1",
    ]
    assert inv.supporting_documents[1].attached_document == base64.b64decode("01234567")
    assert inv.supporting_documents[2].external_location == "http://www.example.com/index.html"
    assert inv.totals is not None
    assert inv.totals.total_vat_amount == Decimal("2500")  # SEK TaxTotal, with the breakdown
    assert inv.totals.total_vat_amount_in_accounting_currency == Decimal("249")  # EUR
    assert inv.seller is not None and inv.seller.vat_identifier == "SE123456789001"
    assert inv.seller.tax_registration_identifier == "Godkänd för F-skatt"  # TaxScheme TAX
    assert len(inv.seller.identifiers) == 2
    pay = inv.payment_instructions
    assert pay is not None and len(pay.credit_transfers) == 4
    assert pay.payment_means_text == "Credit transfer"
    line = inv.lines[0]
    assert line.price_details == PriceDetails(
        net_price=Decimal("20"),
        price_discount=Decimal("0.50"),
        gross_price=Decimal("20.50"),
        base_quantity=Decimal("1"),
        base_quantity_unit_code="MTR",
    )
    assert line.object_identifier == Identifier(value="130-DR35141", scheme_id="ABZ")
    assert [c.reason for c in line.charges] == ["Warehousing"]


def test_credit_note_bindings(corpus: Path) -> None:
    """In a CreditNote, BT-11 is an AdditionalDocumentReference of type 50 and lines credit."""
    source = (corpus / "en16931/tests/testfiles/CreditNote-Max_content.xml").read_bytes()
    inv = ubl.read(source)
    assert inv.is_credit_note and inv.project_reference == "11111111"
    assert inv.lines[0].invoiced_quantity is not None
    out = ubl.write(inv)
    ref = etree.fromstring(out).xpath(
        "cac:AdditionalDocumentReference[cbc:DocumentTypeCode='50']/cbc:ID/text()", namespaces=NS
    )
    assert ref == ["11111111"]


def test_credit_note_due_date_goes_to_payment_means() -> None:
    """BT-9 of a credit note is written as PaymentMeans/PaymentDueDate (no cbc:DueDate)."""
    inv = Invoice(invoice_number="C-1", invoice_type_code="381", payment_due_date=date(2026, 1, 31),
                  payment_instructions=PaymentInstructions(payment_means_type_code="30"))
    root = etree.fromstring(ubl.write(inv, draft=True))
    assert etree.QName(root).localname == "CreditNote"
    assert root.xpath("cac:PaymentMeans/cbc:PaymentDueDate/text()", namespaces=NS) == ["2026-01-31"]
    assert root.find("cbc:DueDate", NS) is None
    assert ubl.read(ubl.write(inv, draft=True)) == inv


def test_credit_note_due_date_without_payment_means_code_is_reported() -> None:
    """A CreditNote carries BT-9 only in a PaymentMeans, which requires BT-81: without it,
    BT-9 is not written and the writer says so (no empty PaymentMeansCode, BR-49)."""
    inv = Invoice(invoice_number="C-1", invoice_type_code="381", payment_due_date=date(2026, 1, 31))
    written = ubl.write_report(inv, draft=True)
    assert etree.fromstring(written.data).find("cac:PaymentMeans", NS) is None
    assert [(bt, path) for bt, path, _ in written.missing] == [("BT-9", "payment_due_date")]


def test_invoice_due_date_is_cbc_due_date() -> None:
    """BT-9 of an invoice is cbc:DueDate."""
    inv = Invoice(invoice_number="F-1", invoice_type_code="380", payment_due_date=date(2026, 1, 31))
    root = etree.fromstring(ubl.write(inv, draft=True))
    assert root.findtext("cbc:DueDate", namespaces=NS) == "2026-01-31"


def _chorus_invoice() -> Invoice:
    return Invoice(
        invoice_number="F-2026-1",
        invoice_issue_date=date(2026, 3, 1),
        invoice_type_code="380",
        invoice_currency_code="EUR",
        buyer_reference="SERV-EXEC-01",
        purchase_order_reference="EJ-4500012345",
        contract_reference="MARCHE-2026-07",
        process_control=ProcessControl(business_process_type="A1"),
        buyer=Buyer(name="Mairie", identifier=Identifier(value="21310555400017", scheme_id="0009")),
    )


def test_chorus_placements() -> None:
    """Code service, engagement, marché, cadre and buyer SIRET go where Chorus Pro reads them."""
    root = etree.fromstring(ubl.write(_chorus_invoice(), draft=True))
    assert root.findtext("cbc:BuyerReference", namespaces=NS) == "SERV-EXEC-01"  # BT-10
    assert root.findtext("cac:OrderReference/cbc:ID", namespaces=NS) == "EJ-4500012345"  # 13
    assert (
        root.findtext("cac:ContractDocumentReference/cbc:ID", namespaces=NS) == "MARCHE-2026-07"
    )  # BT-12
    assert root.findtext("cbc:ProfileID", namespaces=NS) == "A1"  # BT-23
    siret = root.find("cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID", NS)
    assert siret is not None and (siret.text, siret.get("schemeID")) == (
        "21310555400017",
        "0009",
    )  # convention (c)


@pytest.mark.parametrize(
    ("party", "term"),
    [
        (
            '<cac:PartyIdentification><cbc:ID schemeID="0009">21310555400017</cbc:ID>'
            "</cac:PartyIdentification>",
            "BT-46",
        ),
        ('<cbc:EndpointID schemeID="0009">21310555400017</cbc:EndpointID>', "BT-49"),
        (
            "<cac:PartyLegalEntity><cbc:RegistrationName>M</cbc:RegistrationName>"
            '<cbc:CompanyID schemeID="0002">21310555400017</cbc:CompanyID></cac:PartyLegalEntity>',
            "BT-47",
        ),
    ],
    ids=["c-BT-46", "b-BT-49", "a-BT-47"],
)
def test_buyer_siret_read_in_all_three_conventions(party: str, term: str) -> None:
    """The buyer SIRET is found whichever of the three conventions placed it."""
    data = ubl_doc(
        f"<cbc:ID>1</cbc:ID><cac:AccountingCustomerParty><cac:Party>{party}"
        "</cac:Party></cac:AccountingCustomerParty>"
    )
    assert find_buyer_siret(ubl.read(data)) == ("21310555400017", term)


def test_chorus_routing_survives_a_round_trip() -> None:
    """The routing view read back equals the routing view written."""
    inv = _chorus_invoice()
    assert routing_of(ubl.read(ubl.write(inv, draft=True))) == routing_of(inv)


def test_note_subject_code_is_a_prefix() -> None:
    """BT-21 is written as '#CODE#' before the note text and read back apart."""
    inv = Invoice(
        invoice_number="1",
        notes=(InvoiceNote(subject_code="AAI", note="Livré"), InvoiceNote(note="Sans code")),
    )
    root = etree.fromstring(ubl.write(inv, draft=True))
    assert root.xpath("cbc:Note/text()", namespaces=NS) == ["#AAI#Livré", "Sans code"]
    assert ubl.read(ubl.write(inv, draft=True)).notes == inv.notes


def test_a_note_code_without_text_reads_back_without_text() -> None:
    """A BT-21 without BT-22 is written '#REG#' and read back as a code without note, not an
    empty note the conversion did not declare (found by tests/test_fuzz.py: a CII note whose
    Content moved away, converted to UBL)."""
    inv = Invoice(invoice_number="1", notes=(InvoiceNote(subject_code="REG"),))
    data = ubl.write(inv, draft=True)
    assert etree.fromstring(data).xpath("cbc:Note/text()", namespaces=NS) == ["#REG#"]
    assert ubl.read(data).notes == inv.notes


def test_invalid_codes_are_kept_as_read() -> None:
    """Lenient reading: a currency and a VAT category outside their lists are kept."""
    data = ubl_doc(
        "<cbc:ID>1</cbc:ID><cbc:DocumentCurrencyCode>EURO</cbc:DocumentCurrencyCode>"
        '<cac:TaxTotal><cbc:TaxAmount currencyID="EURO">1</cbc:TaxAmount>'
        "<cac:TaxSubtotal><cbc:TaxAmount>1</cbc:TaxAmount><cac:TaxCategory>"
        "<cbc:ID>QQ</cbc:ID></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>"
    )
    inv = ubl.read(data)
    assert inv.invoice_currency_code == "EURO"
    assert inv.vat_breakdown[0].category_code == "QQ"


def test_incomplete_document_loads() -> None:
    """A document with only a number loads; everything else is absent."""
    inv = ubl.read(ubl_doc("<cbc:ID>1</cbc:ID>"))
    assert inv == Invoice(invoice_number="1")


def test_text_is_kept_exactly() -> None:
    """Text values are kept as read, white space included (as the CII reader does)."""
    inv = ubl.read(ubl_doc("<cbc:ID> F 1 </cbc:ID>"))
    assert inv.invoice_number == " F 1 "


def test_amount_that_is_not_a_number_is_a_read_error() -> None:
    """An amount that is not a number gives ReadError naming the BT and the path."""
    data = ubl_doc(
        "<cbc:ID>1</cbc:ID><cac:LegalMonetaryTotal>"
        '<cbc:PayableAmount currencyID="EUR">12,50</cbc:PayableAmount>'
        "</cac:LegalMonetaryTotal>"
    )
    with pytest.raises(ReadError) as info:
        ubl.read(data)
    assert info.value.bt == "BT-115"
    assert info.value.path == "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount"


def test_line_quantity_error_has_the_line_position() -> None:
    """The path of a bad value in the second line says which line."""
    line = (
        '<cac:InvoiceLine><cbc:ID>{n}</cbc:ID><cbc:InvoicedQuantity unitCode="C62">{q}'
        "</cbc:InvoicedQuantity></cac:InvoiceLine>"
    )
    data = ubl_doc(line.format(n=1, q="1") + line.format(n=2, q="NaN"))
    with pytest.raises(ReadError) as info:
        ubl.read(data)
    assert (info.value.bt, info.value.path) == (
        "BT-129",
        "/Invoice/cac:InvoiceLine[2]/cbc:InvoicedQuantity",
    )


def test_impossible_date_is_a_read_error() -> None:
    """An impossible issue date gives ReadError on BT-2."""
    with pytest.raises(ReadError) as info:
        ubl.read(ubl_doc("<cbc:ID>1</cbc:ID><cbc:IssueDate>2026-02-30</cbc:IssueDate>"))
    assert info.value.bt == "BT-2"


def test_broken_base64_is_a_read_error() -> None:
    """An attachment that is not base64 gives ReadError on BT-125."""
    data = ubl_doc(
        "<cbc:ID>1</cbc:ID><cac:AdditionalDocumentReference><cbc:ID>A</cbc:ID>"
        '<cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="text/csv" '
        'filename="a.csv">abc</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>'
        "</cac:AdditionalDocumentReference>"
    )
    with pytest.raises(ReadError) as info:
        ubl.read(data)
    assert info.value.bt == "BT-125"


def test_attachment_bytes_are_kept_exactly() -> None:
    """BT-125 keeps every byte, including bytes that are not text."""
    payload = bytes(range(256)) * 3
    inv = Invoice(
        invoice_number="1",
        supporting_documents=(
            SupportingDocument(
                reference="R",
                attached_document=payload,
                mime_code="application/pdf",
                filename="x.pdf",
            ),
        ),
    )
    assert ubl.read(ubl.write(inv, draft=True)).supporting_documents[0].attached_document == payload


@pytest.mark.parametrize(
    "data",
    [
        b"<CrossIndustryInvoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
        b"<Invoice/>",
        b"<rsm:CrossIndustryInvoice xmlns:rsm="
        b"'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100'/>",
    ],
    ids=["cii-root-in-ubl-namespace", "no-namespace", "cii"],
)
def test_other_roots_are_refused(data: bytes) -> None:
    """A root that is not a UBL Invoice or CreditNote gives UnknownFormatError."""
    with pytest.raises(UnknownFormatError):
        ubl.read(data)


def test_malformed_xml_is_refused() -> None:
    """Malformed XML gives MalformedXMLError with its line."""
    with pytest.raises(MalformedXMLError) as info:
        ubl.read(b"<Invoice>\n<a></b></Invoice>")
    assert info.value.line == 2


def test_bt110_is_the_sum_of_bt117_when_absent(corpus: Path) -> None:
    """UBL requires TaxTotal/TaxAmount: a missing BT-110 is written as the sum of BT-117."""
    inv = Invoice(
        invoice_number="1",
        invoice_currency_code="EUR",
        vat_breakdown=(
            VatBreakdown(
                taxable_amount=Decimal(100),
                tax_amount=Decimal("5.5"),
                category_code="S",
                rate=Decimal("5.5"),
            ),
            VatBreakdown(
                taxable_amount=Decimal(10),
                tax_amount=Decimal(2),
                category_code="S",
                rate=Decimal(20),
            ),
        ),
    )
    back = ubl.read(ubl.write(inv, draft=True))
    assert back.totals == DocumentTotals(total_vat_amount=Decimal("7.5"))


def test_bt90_goes_to_the_payee_when_there_is_one() -> None:
    """BT-90 (creditor identifier) is a SEPA party identifier, of the payee if any."""
    inv = Invoice(
        invoice_number="1",
        payee=Payee(name="Factor"),
        payment_instructions=PaymentInstructions(
            payment_means_type_code="59",
            direct_debit=DirectDebit(
                bank_assigned_creditor_identifier="FR12ZZZ", mandate_reference_identifier="M1"
            ),
        ),
    )
    root = etree.fromstring(ubl.write(inv, draft=True))
    assert root.xpath(
        "cac:PayeeParty/cac:PartyIdentification/cbc:ID[@schemeID='SEPA']/text()", namespaces=NS
    ) == ["FR12ZZZ"]
    assert ubl.read(ubl.write(inv, draft=True)) == inv


def test_sales_order_alone_keeps_purchase_order_absent() -> None:
    """BT-14 without BT-13: the required OrderReference/ID is written empty and read absent."""
    inv = Invoice(invoice_number="1", sales_order_reference="SO-1")
    assert ubl.read(ubl.write(inv, draft=True)) == inv


def test_gross_price_alone_round_trips() -> None:
    """A gross price without discount: the XSD forces a 0 discount, read back as absent."""
    inv = Invoice(
        invoice_number="1",
        lines=(
            InvoiceLine(
                identifier="1",
                price_details=(PriceDetails(net_price=Decimal(10), gross_price=Decimal(10))),
            ),
        ),
    )
    assert ubl.read(ubl.write(inv, draft=True)) == inv


@settings(max_examples=40)
@given(invoices())
def test_generated_invoices_round_trip(invoice: Invoice) -> None:
    """For generated valid invoices, UBL write → read is exact."""
    assert ubl.read(ubl.write(invoice, draft=True)) == invoice


@settings(max_examples=20)
@given(invoice=invoices())
def test_generated_invoices_are_xsd_valid(corpus: Path, invoice: Invoice) -> None:
    """For generated valid invoices, the UBL output is valid against the OASIS XSD."""
    report = validate_xsd(ubl.write(invoice), "ubl", schema_dir=corpus / SCHEMAS)
    assert report.ok, [f.message_en for f in report]


def test_special_characters_round_trip() -> None:
    """Markup characters, quotes, line breaks and non-ASCII text are escaped and read back."""
    text = "A & B <c> \"d\" 'e'\r\nligne 2 — été"
    inv = Invoice(
        invoice_number=text,
        notes=(InvoiceNote(note=text),),
        supporting_documents=(
            SupportingDocument(
                reference="R",
                attached_document=b"x",
                mime_code="text/csv",
                filename='a "b" & c\n.csv',
            ),
        ),
    )
    assert ubl.read(ubl.write(inv, draft=True)) == inv


def test_control_characters_cannot_be_written() -> None:
    """A control character has no XML form: ConversionError, not a broken document."""
    from chorus_core.errors import ConversionError

    with pytest.raises(ConversionError, match="U\\+0001"):
        ubl.write(Invoice(invoice_number="F\x01"), draft=True)


@pytest.mark.parametrize("name", ["Invoice-Max_content.xml", "CreditNote-Max_content.xml"])
def test_root_children_follow_the_xsd_order(corpus: Path, name: str) -> None:
    """The root children of the written document follow the maindoc XSD sequence."""
    from chorus_core.formats._xsd_order import ORDER

    source = (corpus / "en16931/tests/testfiles" / name).read_bytes()
    root = etree.fromstring(ubl.write(ubl.read(source)))
    column = "ubl" if etree.QName(root).localname == "Invoice" else "ubl_credit_note"
    order = [tag for tag, _, _ in ORDER[column][etree.QName(root).localname]]
    positions = [order.index(child.prefix + ":" + etree.QName(child).localname)
                 for child in root]
    assert positions == sorted(positions)


@settings(max_examples=10)
@given(invoice=invoices())
def test_generated_invoices_pass_the_schematron(corpus: Path, invoice: Invoice) -> None:
    """For generated valid invoices, the official EN 16931 Schematron finds no error in UBL."""
    assert schematron_errors(corpus, "ubl", ubl.write(invoice)) == set()


# ---------------------------------------------------------------- every term


def _addr(p: str) -> Address:
    return Address(
        line_one=f"{p}1",
        line_two=f"{p}2",
        line_three=f"{p}3",
        city=f"{p}c",
        post_code="75001",
        country_subdivision=f"{p}s",
        country_code="FR",
    )


def full_invoice(type_code: str = "380") -> Invoice:
    """An invoice with every term of EN 16931 present (BT-7 and BT-8 together, on purpose)."""
    return Invoice(
        invoice_number="F-1",
        invoice_issue_date=date(2026, 1, 2),
        invoice_type_code=type_code,
        invoice_currency_code="EUR",
        vat_accounting_currency_code="USD",
        value_added_tax_point_date=date(2026, 1, 3),
        value_added_tax_point_date_code="3",
        payment_due_date=date(2026, 2, 1),
        buyer_reference="SERV",
        project_reference="PRJ",
        contract_reference="MARCHE",
        purchase_order_reference="EJ",
        sales_order_reference="SO",
        receiving_advice_reference="RA",
        despatch_advice_reference="DA",
        tender_or_lot_reference="LOT",
        invoiced_object_identifier=Identifier(value="OBJ", scheme_id="AAA"),
        buyer_accounting_reference="ACC",
        payment_terms="30 jours",
        notes=(InvoiceNote(subject_code="AAI", note="n1"), InvoiceNote(note="n2")),
        process_control=ProcessControl(
            business_process_type="A1", specification_identifier="urn:cen.eu:en16931:2017"
        ),
        preceding_invoice_references=(
            PrecedingInvoiceReference(reference="P1", issue_date=date(2025, 12, 1)),
        ),
        seller=Seller(
            name="S",
            trading_name="ST",
            identifiers=(
                Identifier(value="10000000900017", scheme_id="0009"),
                Identifier(value="X"),
            ),
            legal_registration_identifier=Identifier(value="100000009", scheme_id="0002"),
            vat_identifier="FR88100000009",
            tax_registration_identifier="TAXREG",
            additional_legal_information="SAS",
            electronic_address=Identifier(value="s@x", scheme_id="EM"),
            postal_address=_addr("s"),
            contact=Contact(point="P", telephone="01", email="a@b"),
        ),
        buyer=Buyer(
            name="B",
            trading_name="BT",
            identifier=Identifier(value="21310555400017", scheme_id="0009"),
            legal_registration_identifier=Identifier(value="213105554", scheme_id="0002"),
            vat_identifier="FR00213105554",
            electronic_address=Identifier(value="b@x", scheme_id="EM"),
            postal_address=_addr("b"),
            contact=Contact(point="Q", telephone="02", email="c@d"),
        ),
        payee=Payee(
            name="PAYEE",
            identifier=Identifier(value="PID", scheme_id="0088"),
            legal_registration_identifier=Identifier(value="PLR", scheme_id="0002"),
        ),
        seller_tax_representative=SellerTaxRepresentative(
            name="REP", vat_identifier="FR11", postal_address=_addr("r")
        ),
        delivery=DeliveryInformation(
            party_name="DP",
            location_identifier=Identifier(value="LOC", scheme_id="0088"),
            actual_delivery_date=date(2026, 1, 1),
            address=_addr("d"),
        ),
        invoicing_period=Period(start_date=date(2026, 1, 1), end_date=date(2026, 1, 31)),
        payment_instructions=PaymentInstructions(
            payment_means_type_code="30",
            payment_means_text="Virement",
            remittance_information="REM",
            credit_transfers=(
                CreditTransfer(
                    account_identifier="FR7630006000011234567890189",
                    account_name="Compte",
                    service_provider_identifier="AGRIFRPP",
                ),
                CreditTransfer(account_identifier="FR7630006000011234567890190"),
            ),
            payment_card=PaymentCard(primary_account_number="1234", holder_name="Holder"),
            direct_debit=DirectDebit(
                mandate_reference_identifier="MND",
                bank_assigned_creditor_identifier="FR12ZZZ",
                debited_account_identifier="FR76DEBIT",
            ),
        ),
        allowances=(
            DocumentAllowance(
                amount=Decimal("1"),
                base_amount=Decimal("10"),
                percentage=Decimal("10"),
                vat_category_code="S",
                vat_rate=Decimal("20"),
                reason="Remise",
                reason_code="95",
            ),
        ),
        charges=(
            DocumentCharge(
                amount=Decimal("2"),
                base_amount=Decimal("20"),
                percentage=Decimal("10"),
                vat_category_code="S",
                vat_rate=Decimal("20"),
                reason="Port",
                reason_code="FC",
            ),
        ),
        totals=DocumentTotals(
            sum_of_line_net_amounts=Decimal("100"),
            sum_of_allowances=Decimal("1"),
            sum_of_charges=Decimal("2"),
            total_without_vat=Decimal("101"),
            total_vat_amount=Decimal("20.20"),
            total_vat_amount_in_accounting_currency=Decimal("22"),
            total_with_vat=Decimal("121.20"),
            paid_amount=Decimal("1"),
            rounding_amount=Decimal("0.01"),
            amount_due_for_payment=Decimal("120.21"),
        ),
        vat_breakdown=(
            VatBreakdown(
                taxable_amount=Decimal("101"),
                tax_amount=Decimal("20.20"),
                category_code="S",
                rate=Decimal("20"),
            ),
            VatBreakdown(
                taxable_amount=Decimal("0"),
                tax_amount=Decimal("0"),
                category_code="E",
                rate=Decimal("0"),
                exemption_reason="Exonéré",
                exemption_reason_code="VATEX-EU-132",
            ),
        ),
        supporting_documents=(
            SupportingDocument(
                reference="DOC", description="desc", external_location="https://x.example/a.pdf"
            ),
            SupportingDocument(
                reference="ATT",
                attached_document=b"%PDF-1.4\x00\xff",
                mime_code="application/pdf",
                filename="a.pdf",
            ),
        ),
        lines=(
            InvoiceLine(
                identifier="1",
                note="ln",
                object_identifier=Identifier(value="LOBJ", scheme_id="AAA"),
                invoiced_quantity=Decimal("2"),
                invoiced_quantity_unit_code="C62",
                net_amount=Decimal("100"),
                purchase_order_line_reference="OL1",
                buyer_accounting_reference="LACC",
                period=LinePeriod(start_date=date(2026, 1, 1), end_date=date(2026, 1, 15)),
                allowances=(
                    LineAllowance(
                        amount=Decimal("1"),
                        base_amount=Decimal("10"),
                        percentage=Decimal("10"),
                        reason="r",
                        reason_code="95",
                    ),
                ),
                charges=(
                    LineCharge(
                        amount=Decimal("1"),
                        base_amount=Decimal("10"),
                        percentage=Decimal("10"),
                        reason="c",
                        reason_code="FC",
                    ),
                ),
                price_details=PriceDetails(
                    net_price=Decimal("50"),
                    price_discount=Decimal("5"),
                    gross_price=Decimal("55"),
                    base_quantity=Decimal("1"),
                    base_quantity_unit_code="C62",
                ),
                vat_information=LineVatInformation(category_code="S", rate=Decimal("20")),
                item=ItemInformation(
                    name="Item",
                    description="Desc",
                    seller_identifier="SID",
                    buyer_identifier="BID",
                    standard_identifier=Identifier(value="1234567890123", scheme_id="0160"),
                    classification_identifiers=(
                        ClassificationIdentifier(
                            value="CL", scheme_id="STI", scheme_version_id="1"
                        ),
                    ),
                    country_of_origin="FR",
                    attributes=(AttributeItem(name="Couleur", value="Bleu"),),
                ),
            ),
        ),
    )


@pytest.mark.parametrize("type_code", ["380", "381"])
def test_every_term_round_trips(corpus: Path, type_code: str) -> None:
    """An invoice carrying every BT is written XSD-valid and read back equal, BT by BT."""
    from chorus_core.formats import diff_terms
    from chorus_core.model import model_terms, term_values

    invoice = full_invoice(type_code)
    present = {bt for bt, _, _ in term_values(invoice)}
    assert present == {t for t in model_terms() if t.startswith("BT-")}  # the fixture is full
    out = ubl.write(invoice)
    report = validate_xsd(out, "ubl", schema_dir=corpus / SCHEMAS)
    assert report.ok, [f.message_en for f in report]
    assert diff_terms(invoice, ubl.read(out)) == ()


@pytest.mark.parametrize(
    ("currency", "totals"),
    [
        (
            "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>",
            DocumentTotals(
                total_vat_amount=Decimal(20), total_vat_amount_in_accounting_currency=Decimal(22)
            ),
        ),
        (
            "",
            DocumentTotals(
                total_vat_amount=Decimal(20), total_vat_amount_in_accounting_currency=Decimal(22)
            ),
        ),
    ],
    ids=["with-bt5", "without-bt5"],
)
def test_tax_totals_are_told_apart(currency: str, totals: DocumentTotals) -> None:
    """The first TaxTotal (invoice currency) is BT-110, the other BT-111, even without BT-5."""
    data = ubl_doc(
        f"<cbc:ID>1</cbc:ID>{currency}"
        '<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">20</cbc:TaxAmount></cac:TaxTotal>'
        '<cac:TaxTotal><cbc:TaxAmount currencyID="USD">22</cbc:TaxAmount></cac:TaxTotal>'
    )
    assert ubl.read(data).totals == totals


@settings(max_examples=40)
@given(incomplete_invoices())
def test_incomplete_invoices_round_trip(invoice: Invoice) -> None:
    """Incomplete invoices (terms missing, codes wrong) round trip; the only differences are
    the documented ones, and the writer declares each: a missing BT-110 beside a VAT breakdown
    is written as the sum of BT-117, and BT-9/BT-83 without BT-81 cannot sit in a PaymentMeans
    (BT-9 only in a CreditNote)."""
    from chorus_core.formats import diff_terms

    written = ubl.write_report(invoice, draft=True)
    back = ubl.read(written.data)
    losses = {(loss.bt, loss.kind) for loss in diff_terms(invoice, back)}
    declared = {(bt, "dropped") for bt, _, _ in written.missing}
    declared |= {(bt, "added" if before is None else "changed")
                 for bt, _, before, _ in written.changed}
    assert losses == declared
    assert declared <= {("BT-110", "added"), ("BT-9", "dropped"), ("BT-83", "dropped")}
    if not declared:
        assert back == invoice
