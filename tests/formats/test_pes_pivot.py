"""The PES Pivot (Chorus Pro CPPFacturePivot) flow: samples, round trips, conversions, attacks."""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from chorus_core.errors import (
    AttachmentError,
    ConversionError,
    MalformedXMLError,
    ReadError,
    UnknownFormatError,
    UsageError,
)
from chorus_core.examples import sample_invoice
from chorus_core.formats import convert, diff_terms, pes_pivot, read, validate_xsd, write
from chorus_core.formats.pes_pivot import Envelope, PivotExtension, PivotInvoice
from chorus_core.model import Invoice, SupportingDocument
from chorus_core.testing import invoices
from chorus_core.xml import zip_single

SAMPLES = ["facture-pivot.xml", "facture_1221.xml", "facture_1222.xml", "facture_1223.xml",
           "facture_1224.xml", "CPPFichierFormatPivot.xml"]
EN16931_SCHEMAS = "en16931/schemas"


def _sample(corpus: Path, name: str) -> bytes:
    return (corpus / "pes" / name).read_bytes()


def _valid(corpus: Path, data: bytes) -> None:
    report = validate_xsd(data, "pes_pivot", schema_dir=corpus / "pes")
    assert report.ok, [f.message_en for f in report.findings][:3]


def _attachments(data: bytes) -> list[tuple[str, bytes]]:
    """Every PJ of a flow unpacked with the standard library: an oracle independent of ours."""
    out = []
    for pj in etree.fromstring(data).iter("PJ"):
        content = pj.findtext("Contenu")
        if content is None:
            continue
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(content))) as archive:
            (entry,) = archive.infolist()
            out.append((entry.filename, archive.read(entry)))
    return out


def _with_pj(content: str) -> bytes:
    """The sample invoice's flow with the content of its first PJ replaced."""
    root = etree.fromstring(write(sample_invoice(), "pes_pivot"))
    pj = next(root.iter("PJ"))
    pj.find("Contenu").text = content  # type: ignore[union-attr]
    return etree.tostring(root)


# ---------------------------------------------------------------- the samples


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_validates_and_reads(corpus: Path, name: str) -> None:
    """Each sample is valid against V2_02 (the test is not moot) and reads, one invoice per
    CPPFacturePivotUnitaire, with its number, supplier, SIRET and amounts."""
    data = _sample(corpus, name)
    _valid(corpus, data)
    flow = pes_pivot.read_flow(data)
    units = etree.fromstring(data).findall("CPPFactures/CPPFacturePivotUnitaire")
    assert len(flow.invoices) == len(units) >= 1
    for unit, item in zip(units, flow.invoices, strict=True):
        invoice = item.invoice
        assert invoice.invoice_number == unit.findtext("DonneesFacture/Id")
        assert invoice.buyer is not None and invoice.buyer.identifier is not None
        assert invoice.buyer.identifier.value == unit.findtext("Debiteur/Identifiant")
        assert invoice.totals is not None
        assert invoice.totals.amount_due_for_payment == Decimal(
            unit.findtext("DonneesFacture/Montants/MontantNetAPayer") or "")
        assert item.extension.reception_date == date.fromisoformat(
            unit.findtext("DonneesFacture/DateReception") or "")


@pytest.mark.parametrize("name", SAMPLES)
def test_writing_a_sample_back_is_valid_and_reads_equal(corpus: Path, name: str) -> None:
    """A sample written back is V2_02-valid, reads to equal invoices and extensions, and
    every attachment keeps its bytes (checked with zipfile, not our unpacker)."""
    data = _sample(corpus, name)
    flow = pes_pivot.read_flow(data)
    out = pes_pivot.write_flow(flow.invoices, flow.envelope)
    _valid(corpus, out)
    back = pes_pivot.read_flow(out)
    assert back.invoices == flow.invoices
    assert back.envelope == flow.envelope
    source = [(name.strip(), content) for name, content in _attachments(data)]
    assert _attachments(out) == source


@pytest.mark.parametrize("name", SAMPLES)
def test_a_sample_is_written_as_v1_22(corpus: Path, name: str) -> None:
    """The samples (which use no V2_02 element) are written V1_22-valid and read back equal."""
    flow = pes_pivot.read_flow(_sample(corpus, name))
    out = pes_pivot.write_flow(flow.invoices, flow.envelope, version="V1_22")
    schema = etree.XMLSchema(etree.parse(str(corpus / "pes" / "CPPFacturePivot_V1_22.xsd")))
    assert schema.validate(etree.fromstring(out)), schema.error_log.last_error
    assert pes_pivot.read_flow(out).invoices == flow.invoices


def test_v1_22_refuses_what_it_cannot_carry() -> None:
    """A delivery date (BT-72, DateLivraison) cannot be written V1_22: ConversionError, V2_02
    writes it."""
    from chorus_core.model import DeliveryInformation

    inv = sample_invoice().model_copy(update={
        "delivery": DeliveryInformation(actual_delivery_date=date(2026, 10, 29))})
    with pytest.raises(ConversionError, match="BT-72"):
        pes_pivot.write_flow([inv], version="V1_22")
    assert read(pes_pivot.write_flow([inv])).delivery == inv.delivery


def _listed_cadres(corpus: Path, version: str) -> set[str]:
    """The Cadre enumeration of a pivot XSD (read from the schema, not from our code)."""
    xsd = etree.parse(str(corpus / "pes" / f"CPPFacturePivot_{version}.xsd"))
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    (cadre,) = xsd.xpath("//xs:element[@name='Cadre']", namespaces=ns)
    return {str(v) for v in cadre.xpath(".//xs:enumeration/@value", namespaces=ns)}


@pytest.mark.parametrize("version", ["V2_02", "V1_22"])
def test_every_cadre_is_written_or_refused_by_the_xsd_of_the_version(
        corpus: Path, version: str) -> None:
    """Each cadre A1…A25 gives a valid flow when the version's XSD lists it, else a
    ConversionError; a Peppol profile in BT-23 is written A1 and reported as changed."""
    from chorus_core.model import ProcessControl
    from chorus_core.model.routing import CADRES

    listed = _listed_cadres(corpus, version)
    schema = etree.XMLSchema(etree.parse(str(corpus / "pes" / f"CPPFacturePivot_{version}.xsd")))
    for cadre in CADRES:
        inv = sample_invoice().model_copy(update={
            "process_control": ProcessControl(business_process_type=cadre)})
        if cadre in listed:
            out = pes_pivot.write_flow([inv], version=version)
            assert schema.validate(etree.fromstring(out)), (cadre, schema.error_log.last_error)
            assert read(out).process_control == inv.process_control
        else:
            with pytest.raises(ConversionError, match=cadre):
                pes_pivot.write_flow([inv], version=version)
    peppol = sample_invoice().model_copy(update={"process_control": ProcessControl(
        business_process_type="urn:fdc:peppol.eu:2017:poacc:billing:01:1.0")})
    result = convert(write(peppol, "ubl"), to="pes_pivot")
    assert [(loss.bt, loss.kind, loss.target) for loss in result.losses if loss.bt == "BT-23"] == [
        ("BT-23", "changed", "A1")]


def test_an_unknown_version_is_a_usage_error() -> None:
    """write_flow(version=...) takes V2_02 or V1_22 only."""
    with pytest.raises(UsageError) as info:
        pes_pivot.write_flow([sample_invoice()], version="V3")
    assert info.value.argument == "version"


def test_a_flow_of_several_invoices_is_read_with_read_flow(corpus: Path) -> None:
    """read() refuses a flow of 4 invoices (naming read_flow); split() gives 4 one-invoice
    flows that read like the flow's invoices."""
    data = _sample(corpus, "CPPFichierFormatPivot.xml")
    with pytest.raises(ReadError, match="read_flow"):
        pes_pivot.read(data)
    flow = pes_pivot.read_flow(data)
    parts = pes_pivot.split(data)
    assert [read(part) for part in parts] == [item.invoice for item in flow.invoices]
    assert len(parts) == 4


def test_vat_rates_written_as_fractions_are_read_as_percent(corpus: Path) -> None:
    """0.021 (AIFE samples) is 2.1 %, 5.5 (a real file) is 5.5 %; the extension says which."""
    fraction = pes_pivot.read_flow(_sample(corpus, "facture_1223.xml")).invoices[0]
    percent = pes_pivot.read_flow(_sample(corpus, "facture-pivot.xml")).invoices[0]
    assert fraction.invoice.vat_breakdown[0].rate == Decimal("2.1")
    assert fraction.invoice.lines[0].vat_information is not None
    assert fraction.invoice.lines[0].vat_information.rate == Decimal("2.1")
    assert fraction.extension.vat_rate_unit == "fraction"
    assert percent.invoice.vat_breakdown[0].rate == Decimal("5.5")
    assert percent.extension.vat_rate_unit == "percent"


def test_rates_are_written_as_the_source_wrote_them(corpus: Path) -> None:
    """With its extension a fraction flow is written in fractions again, without in percent."""
    item = pes_pivot.read_flow(_sample(corpus, "facture_1223.xml")).invoices[0]
    assert b"<Taux>0.021</Taux>" in pes_pivot.write_flow([item])
    assert b"<Taux>2.1</Taux>" in pes_pivot.write_flow([item.invoice])


def test_rates_all_below_one_percent_round_trip() -> None:
    """An invoice whose only rate is 0.9 % is written as a fraction, so it reads back 0.9 %."""
    inv = sample_invoice()
    small = inv.model_copy(update={
        "vat_breakdown": tuple(b.model_copy(update={"rate": Decimal("0.9")})
                               for b in inv.vat_breakdown),
        "lines": tuple(line.model_copy(update={"vat_information": line.vat_information.model_copy(
            update={"rate": Decimal("0.9")})}) for line in inv.lines if line.vat_information)})
    data = write(small, "pes_pivot")
    assert b"<Taux>0.009</Taux>" in data
    assert read(data).vat_breakdown[0].rate == Decimal("0.9")


def test_xsi_type_and_empty_elements_are_tolerated(corpus: Path) -> None:
    """xsi:type on leaves is not reported; an empty NumeroMarche reads as ''."""
    reading = pes_pivot.read_report(_sample(corpus, "facture-pivot.xml"))
    assert reading.invoice.seller is not None
    assert reading.invoice.seller.identifiers[0].value == "38947246500027"
    assert not [u for u in reading.unread if "type" in u.path]
    assert read(_sample(corpus, "facture_1223.xml")).contract_reference == ""


def test_the_main_document_is_the_extension_and_can_be_read(corpus: Path) -> None:
    """TypePJ 01 is the invoice itself, not a BG-24 document; a UBL one reads for detail."""
    item = pes_pivot.read_flow(_sample(corpus, "facture_1224.xml")).invoices[0]
    main = item.extension.main_document
    assert main is not None and main.mime_type == "application/xml"
    original = item.original()
    assert isinstance(original, Invoice) and original.invoice_number is not None
    assert all(d.filename != main.name for d in item.invoice.supporting_documents)


def test_a_pdf_main_document_has_no_original(corpus: Path) -> None:
    """original() is None when the invoice document is a PDF."""
    item = pes_pivot.read_flow(_sample(corpus, "facture_1222.xml")).invoices[0]
    main = item.extension.main_document
    assert main is not None and main.content is not None and main.content.startswith(b"%PDF")
    assert item.original() is None


def test_the_extension_round_trips() -> None:
    """Service name, mode d'émission, reception date and the envelope are written and read."""
    extension = PivotExtension(service_name="FINANCES", issue_mode="PDF",
                               reception_date=date(2026, 11, 2), bank_name="Banque X",
                               chorus_id="12345", resent="Non")
    envelope = Envelope.of("FLUX-1", date(2026, 11, 3), receiver="ENT042")
    data = pes_pivot.write_flow([PivotInvoice(invoice=sample_invoice(), extension=extension)],
                                envelope)
    flow = pes_pivot.read_flow(data)
    got = flow.invoices[0].extension
    assert (got.service_name, got.issue_mode, got.reception_date, got.bank_name, got.chorus_id,
            got.resent) == ("FINANCES", "PDF", date(2026, 11, 2), "Banque X", "12345", "Non")
    assert flow.envelope == envelope and flow.envelope.flow_id == "FLUX-1"


def test_without_an_original_the_ubl_rendering_is_the_main_document(corpus: Path) -> None:
    """A flow written from a canonical invoice embeds its UBL as TypePJ 01 (valid V2_02)."""
    data = write(sample_invoice(), "pes_pivot")
    _valid(corpus, data)
    item = pes_pivot.read_flow(data).invoices[0]
    assert item.original() == read(write(sample_invoice(), "ubl"))


def test_the_loss_report_names_what_the_pivot_cannot_carry() -> None:
    """UBL → pivot drops exactly the sample's terms the pivot column declares not carried."""
    result = convert(write(sample_invoice(), "ubl"), to="pes_pivot")
    cells = pes_pivot.SYNTAX.cells("pes_pivot")
    dropped = {loss.bt for loss in result.losses if loss.kind == "dropped"}
    assert dropped and all(not cells[bt].carried for bt in dropped)
    assert {loss.bt for loss in diff_terms(sample_invoice(), read(result.data))} == dropped


# ---------------------------------------------------------------- generated flows


@settings(max_examples=15)
@given(st.lists(invoices(), min_size=1, max_size=3), st.sampled_from(["ubl", "cii"]))
def test_generated_flows_convert_to_valid_ubl_and_cii(
        corpus: Path, items: list[Invoice], target: str) -> None:
    """Generated invoices in a pivot flow convert, one by one, to XSD-valid UBL/CII carrying
    the key terms (number, dates, parties, totals, VAT lines, lines, routing, cadre); the
    declared losses are what reading the target back shows."""
    flow = pes_pivot.write_flow(items, draft=True)
    for part, source in zip(pes_pivot.split(flow), items, strict=True):
        result = convert(part, to=target)
        report = validate_xsd(result.data, target, schema_dir=corpus / EN16931_SCHEMAS)
        assert report.ok, [f.message_en for f in report.findings][:3]
        back = read(result.data)
        pivot = read(part)
        assert back == pivot or {(loss.bt, loss.path) for loss in result.losses
                                 if loss.kind != "unread"} == {
            (loss.bt, loss.path) for loss in diff_terms(pivot, back)}
        assert back.invoice_number == source.invoice_number
        assert back.invoice_issue_date == source.invoice_issue_date
        assert back.buyer_reference == source.buyer_reference
        assert back.purchase_order_reference == source.purchase_order_reference
        assert back.contract_reference == source.contract_reference
        assert back.process_control is not None and source.process_control is not None
        assert back.process_control.business_process_type == (
            source.process_control.business_process_type or "A1")
        assert back.seller is not None and source.seller is not None
        assert back.seller.name == source.seller.name
        assert back.buyer is not None and source.buyer is not None
        assert back.buyer.identifier == source.buyer.identifier
        assert back.totals is not None and source.totals is not None
        assert back.totals.amount_due_for_payment == source.totals.amount_due_for_payment
        assert [(b.taxable_amount, b.tax_amount, b.rate) for b in back.vat_breakdown] == [
            (b.taxable_amount, b.tax_amount, b.rate) for b in source.vat_breakdown]
        assert [line.net_amount for line in back.lines] == [
            line.net_amount for line in source.lines]
        assert [d.attached_document for d in back.supporting_documents] == [
            d.attached_document for d in source.supporting_documents]


# ---------------------------------------------------------------- hostile input


def test_a_zip_bomb_in_a_pj_is_refused() -> None:
    """A PJ that inflates past the limits is an AttachmentError (size or ratio)."""
    name = etree.fromstring(write(sample_invoice(), "pes_pivot")).findtext(".//PJ/NomPJ")
    bomb = base64.b64encode(zip_single(name or "", b"\0" * (20 * 1024 * 1024))).decode()
    with pytest.raises(AttachmentError) as info:
        pes_pivot.read_flow(_with_pj(bomb))
    assert info.value.reason in {"size", "ratio"}


def test_a_nested_zip_in_a_pj_is_refused() -> None:
    """A ZIP inside the PJ's ZIP is an AttachmentError (nested)."""
    inner = zip_single("a.pdf", b"%PDF-1.7")
    name = etree.fromstring(write(sample_invoice(), "pes_pivot")).findtext(".//PJ/NomPJ")
    buffer = io.BytesIO()  # built by hand: zip_single refuses to pack a ZIP inside a ZIP
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name or "", inner)
    nested = base64.b64encode(buffer.getvalue()).decode()
    with pytest.raises(AttachmentError) as info:
        pes_pivot.read_flow(_with_pj(nested))
    assert info.value.reason == "nested"


def test_a_two_file_zip_in_a_pj_is_refused() -> None:
    """A PJ ZIP of two files is an AttachmentError (entries)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.pdf", b"1")
        archive.writestr("b.pdf", b"2")
    with pytest.raises(AttachmentError) as info:
        pes_pivot.read_flow(_with_pj(base64.b64encode(buffer.getvalue()).decode()))
    assert info.value.reason == "entries"


def test_a_pj_named_otherwise_than_its_entry_is_refused() -> None:
    """The ZIP entry must be the file NomPJ names: another name is an AttachmentError."""
    other = base64.b64encode(zip_single("other.xml", b"<x/>")).decode()
    with pytest.raises(AttachmentError) as info:
        pes_pivot.read_flow(_with_pj(other))
    assert info.value.reason == "name"


def test_a_pj_that_is_not_base64_is_a_read_error() -> None:
    """Junk in Contenu is a ReadError naming BT-125 for a BG-24 document."""
    inv = sample_invoice().model_copy(update={"supporting_documents": (SupportingDocument(
        reference="a.csv", attached_document=b"x", mime_code="text/csv", filename="a.csv"),)})
    root = etree.fromstring(write(inv, "pes_pivot"))
    root.findall(".//PJ")[1].find("Contenu").text = "!!"  # type: ignore[union-attr]
    with pytest.raises(ReadError) as info:
        pes_pivot.read(etree.tostring(root))
    assert info.value.bt == "BT-125"


@pytest.mark.parametrize("data", [
    "<?xml version='1.0' encoding='ISO-8859-1'?><CPPFacturePivot/>".encode("utf-16"),
    b"<?xml version='1.0' encoding='no-such-codec'?><CPPFacturePivot/>",
])
def test_a_wrong_encoding_declaration_is_malformed_xml(data: bytes) -> None:
    """A declaration contradicting the bytes, or an unknown codec, is MalformedXMLError."""
    with pytest.raises(MalformedXMLError):
        pes_pivot.read_flow(data)


def test_another_root_is_not_a_pivot() -> None:
    """A UBL document given to the pivot reader is UnknownFormatError."""
    with pytest.raises(UnknownFormatError):
        pes_pivot.read_flow(write(sample_invoice(), "ubl"))


def test_iter_flow_streams_the_same_invoices_as_read_flow() -> None:
    """iter_flow over bytes (streamed) reads the invoices read_flow reads, in order."""
    from chorus_core.examples import sample_invoice
    from chorus_core.formats.pes_pivot import iter_flow, read_flow, write_flow

    first = sample_invoice()
    second = first.model_copy(update={"invoice_number": "FA-2026-0043"})
    data = write_flow([first, second])
    streamed = [reading.invoice for reading, _ in iter_flow(data)]
    assert streamed == [item.invoice for item in read_flow(data).invoices]
    assert [inv.invoice_number for inv in streamed] == ["FA-2026-0042", "FA-2026-0043"]


def test_a_validation_cycle_is_written_valid_and_read_back(corpus: Path) -> None:
    """The validation cycle of the extension is written after the PJ, every optional element
    only when set, and reads back equal."""
    from chorus_core.formats.pes_pivot import Producer, Validation

    cycle = (
        Validation(date=date(2026, 11, 2), code="1", comment="ok",
                   producer=Producer(type="1", id="12345678200010", name="MAIRIE",
                                     country="FR")),
        Validation(date=date(2026, 11, 3), code="2", complement="c",
                   producer=Producer(type="1", id="12345678200010", name="MAIRIE",
                                     country="FR", note="n")))
    data = pes_pivot.write_flow([PivotInvoice(invoice=sample_invoice(),
                                              extension=PivotExtension(validation_cycle=cycle))])
    _valid(corpus, data)
    unit = etree.fromstring(data).find(f"CPPFactures/{pes_pivot.UNIT}")
    assert unit is not None and unit[-1].tag == "CycleDeValidation"
    steps = unit[-1].findall("ValidationUnitaire")
    assert [child.tag for child in steps[0]] == [
        "DateStatut", "CodeStatut", "Commentaire", "ProducteurStatut"]
    assert [child.tag for child in steps[1].find("ProducteurStatut")] == [  # type: ignore[union-attr]
        "TypeIdentifiant", "Id", "RaisonSociale", "CodePays", "Note"]
    assert pes_pivot.read_flow(data).invoices[0].extension.validation_cycle == cycle
