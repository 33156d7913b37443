"""PES ASAP (PES_Aller + PES_Facture TypeFact 09): the v5.17 schema, round trips, PES_PJ."""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from lxml import etree

from chorus_core.errors import (
    AttachmentError,
    IncompleteInvoiceError,
    MalformedXMLError,
    ReadError,
    UnknownFormatError,
)
from chorus_core.examples import sample_invoice
from chorus_core.formats import convert, diff_terms, pes_asap, read, validate_xsd, write
from chorus_core.formats.pes_asap import (
    AsapAddress,
    AsapExtension,
    AsapInvoice,
    AsapIssuer,
    Centre,
    Signatory,
    TitreRef,
)
from chorus_core.model import Invoice
from chorus_core.testing import invoices
from chorus_core.xml import gzip_bytes

PES_V2 = "pes/pes_v2"
SCHEMAS = "pes/pes_v2/schemas_pes_v5.17"
EN16931_SCHEMAS = "en16931/schemas"


def _valid(corpus: Path, data: bytes) -> None:
    report = validate_xsd(data, "pes_asap", schema_dir=corpus / SCHEMAS)
    assert report.ok, [f.message_en for f in report.findings][:3]


def _authored(corpus: Path) -> bytes:
    return (corpus / PES_V2 / "asap-example-authored.xml").read_bytes()


def _full() -> AsapInvoice:
    """The sample invoice as an ASAP with everything the ASAP rules ask for."""
    return AsapInvoice(invoice=sample_invoice(), extension=AsapExtension(
        issuer=AsapIssuer(creditor_reference="FR37ZZZ999123", tipi_code="099999",
                          tipi_url="https://www.payfip.gouv.fr",
                          signatory=Signatory(last_name="DUPONT", first_name="MARIE",
                                              role="LE MAIRE")),
        collection_centre=Centre(name="CENTRE D'ENCAISSEMENT",
                                 complement="DES FINANCES PUBLIQUES",
                                 address=AsapAddress(line3="TSA 12345", post_code="35908",
                                                     city="RENNES CEDEX 9")),
        finance_centre=Centre(name="SGC DE LYON", address=AsapAddress(
            line2="4 RUE DES FINANCES", post_code="69003", city="LYON"), phone="04 00 00 00 00"),
        titre=TitreRef(year="2026", bordereau="12", titre="345"),
        slip=("0000000000000000000000 099 00 2026 0000012 000000345 0 00",
              "00000000000000000000000000121904 0000000000 00"),
        tip=True, contest="Tribunal judiciaire de Lyon"))


def test_the_authored_example_validates_reads_and_round_trips(corpus: Path) -> None:
    """The authored ASAP is v5.17-valid (not moot), reads, and is written back valid and
    equal (invoice and extension)."""
    source = _authored(corpus)
    _valid(corpus, source)
    asap = pes_asap.read_asap(source)
    assert asap.invoice.invoice_number == "2025-ENF-000345"
    assert asap.invoice.totals is not None
    assert asap.invoice.totals.amount_due_for_payment == Decimal("69.90")
    assert [line.item.name for line in asap.invoice.lines if line.item] == [
        "REPAS RESTAURANT SCOLAIRE - LEO MARTIN",
        "GARDERIE PERISCOLAIRE MATIN ET SOIR - LEO MARTIN"]
    assert asap.extension.titre == TitreRef(year="2025", bordereau="12", titre="345")
    assert asap.extension.tip is True
    assert asap.extension.finance_centre is not None
    assert asap.extension.finance_centre.name == "SGC DE SAINT EXEMPLE"
    out = pes_asap.write_asap(asap)
    _valid(corpus, out)
    assert pes_asap.read_asap(out) == asap


def test_a_full_asap_respects_the_asap_rules(corpus: Path) -> None:
    """Written with its extension, an ASAP is valid and has exactly one collection centre
    (25) and one public finance centre (26, with the bank account), positive amounts, and the
    mandatory blocks (issuer address, signatory, titre, slip, TIP mode)."""
    data = pes_asap.write_asap(_full())
    _valid(corpus, data)
    facture = etree.fromstring(data).find("PES_Facture")
    assert facture is not None
    kinds = [t.find("InfoTiers/TypTiers").get("V") for t in facture.iterfind("Tiers")]  # type: ignore[union-attr]
    assert sorted(kinds) == ["25", "26"]
    finance = next(t for t in facture.iterfind("Tiers")
                   if t.find("InfoTiers/TypTiers").get("V") == "26")  # type: ignore[union-attr]
    assert finance.find("CpteBancaire/IBAN") is not None
    assert facture.find("TypeFact").get("V") == "09"  # type: ignore[union-attr]
    for path in ("Emetteur/Adresse/Adr2", "Emetteur/Signataire", "Emetteur/InfoSuppl/RefBdf",
                 "FactureIndiv/RefTitre", "FactureIndiv/TalonOptique2Lignes",
                 "FactureIndiv/ModeRecouvrement", "FactureIndiv/Debiteur/Adresse/Adr2"):
        assert facture.find(path) is not None, path
    for amount in facture.iter("MtHT", "MtTTC", "MtTotalTTC"):
        assert Decimal(amount.get("V") or "0") > 0
    assert pes_asap.read_asap(data) == pes_asap.read_asap(pes_asap.write_asap(
        pes_asap.read_asap(data)))


def test_the_output_is_iso_8859_1() -> None:
    """The ASAP is written in ISO-8859-1; a character outside Latin-1 is a character
    reference and reads back unchanged."""
    inv = sample_invoice()
    assert inv.seller is not None
    named = inv.model_copy(update={"seller": inv.seller.model_copy(
        update={"name": "Régie des œuvres – 2026"})})
    data = write(named, "pes_asap")
    assert data.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
    assert "R\xe9gie".encode("latin-1") in data and b"&#339;" in data
    back = read(data)
    assert back.seller is not None and back.seller.name == "Régie des œuvres – 2026"


def test_the_loss_report_names_what_an_asap_cannot_carry() -> None:
    """UBL → ASAP drops exactly sample terms the pes_asap column declares not carried."""
    result = convert(write(sample_invoice(), "ubl"), to="pes_asap")
    cells = pes_asap.SYNTAX.cells("pes_asap")
    dropped = {loss.bt for loss in result.losses if loss.kind == "dropped"}
    assert {"BT-10", "BT-13", "BT-119"} <= dropped
    assert all(not cells[bt].carried for bt in dropped)
    assert {loss.bt for loss in diff_terms(sample_invoice(), read(result.data))} == dropped


def test_a_currency_other_than_the_euro_is_reported_as_changed() -> None:
    """An ASAP is in euros: a USD invoice is written, and the report says USD became EUR."""
    usd = sample_invoice().model_copy(update={"invoice_currency_code": "USD"})
    result = convert(write(usd, "ubl"), to="pes_asap")
    assert [(loss.bt, loss.kind, loss.source, loss.target) for loss in result.losses
            if loss.bt == "BT-5"] == [("BT-5", "changed", "USD", "EUR")]
    assert read(result.data).invoice_currency_code == "EUR"


def test_a_missing_value_in_v_is_named() -> None:
    """A required value the engine puts in V (BT-131, MtHT) is named like any other."""
    inv = sample_invoice()
    broken = inv.model_copy(update={"lines": (inv.lines[0].model_copy(
        update={"net_amount": None}),)})
    with pytest.raises(IncompleteInvoiceError) as info:
        write(broken, "pes_asap")
    assert info.value.terms == ("BT-131",)
    assert read(write(broken, "pes_asap", draft=True)).lines[0].net_amount is None


def test_two_invoices_in_one_pes_facture_are_refused(corpus: Path) -> None:
    """chorus_core reads one FactureIndiv per ASAP: two are a ReadError."""
    root = etree.fromstring(_authored(corpus))
    facture = root.find("PES_Facture")
    assert facture is not None
    indiv = facture.find("FactureIndiv")
    assert indiv is not None
    indiv.addnext(etree.fromstring(etree.tostring(indiv)))
    with pytest.raises(ReadError, match="2 FactureIndiv"):
        pes_asap.read(etree.tostring(root))


def test_a_depense_flow_is_not_an_asap(corpus: Path) -> None:
    """A PES_Aller without PES_Facture (a dépense flow) is UnknownFormatError."""
    with pytest.raises(UnknownFormatError):
        pes_asap.read((corpus / "pes" / "PES_ex.xml").read_bytes())


@settings(max_examples=15)
@given(invoices(credit_notes=False, attachments=False))
def test_generated_asaps_convert_to_valid_ubl(corpus: Path, invoice: Invoice) -> None:
    """A generated invoice written as an ASAP and converted to UBL gives XSD-valid UBL with
    the number, date, parties, totals and lines; the declared losses are the read-back ones."""
    asap = write(invoice, "pes_asap", draft=True)
    result = convert(asap, to="ubl", draft=True)
    report = validate_xsd(result.data, "ubl", schema_dir=corpus / EN16931_SCHEMAS)
    assert report.ok, [f.message_en for f in report.findings][:3]
    back = read(result.data)
    declared = {(loss.bt, loss.path) for loss in result.losses if loss.kind != "unread"}
    assert declared == {(loss.bt, loss.path) for loss in diff_terms(read(asap), back)}
    assert (back.invoice_number, back.invoice_issue_date) == (
        invoice.invoice_number, invoice.invoice_issue_date)
    assert back.seller is not None and invoice.seller is not None
    assert back.seller.name == invoice.seller.name
    assert back.buyer is not None and invoice.buyer is not None
    assert back.buyer.name == invoice.buyer.name
    assert back.totals is not None and invoice.totals is not None
    assert back.totals.amount_due_for_payment == invoice.totals.amount_due_for_payment
    assert [line.net_amount for line in back.lines] == [line.net_amount for line in invoice.lines]


# ---------------------------------------------------------------- PES_PJ


def test_the_transport_example_holds_the_asap(corpus: Path) -> None:
    """The PES_PJ of the authored transport flow unpacks (gunzip) to the authored ASAP."""
    (pj,) = pes_asap.unpack_pj((corpus / PES_V2 / "asap-transport-example-authored.xml")
                               .read_bytes())
    assert (pj.type, pj.mime_type) == ("006", "text/xml")
    assert pj.content == _authored(corpus)
    assert pes_asap.read(pj.content).invoice_number == "2025-ENF-000345"


def test_pack_pj_round_trips_the_bytes() -> None:
    """pack_pj then unpack_pj gives the same bytes, name and type."""
    data = write(sample_invoice(), "pes_asap")
    pj = pes_asap.pack_pj(data, name="ASAP_2026.xml", unique_id="ASAP2026", description="ASAP")
    (back,) = pes_asap.unpack_pj(pj)
    assert (back.content, back.name, back.type) == (data, "ASAP_2026.xml", "006")


def test_a_gzip_bomb_in_a_pes_pj_is_refused() -> None:
    """A PES_PJ file that inflates past the limits is an AttachmentError (size or ratio)."""
    pj = pes_asap.pack_pj(b"", name="a.xml", unique_id="A1", description="A")
    fichier = pj.find("Contenu/Fichier")
    assert fichier is not None
    fichier.text = base64.b64encode(gzip_bytes(b"\0" * (20 * 1024 * 1024))).decode()
    with pytest.raises(AttachmentError) as info:
        pes_asap.unpack_pj(pj)
    assert info.value.reason in {"size", "ratio"}


@pytest.mark.parametrize("data", [
    "<?xml version='1.0' encoding='ISO-8859-1'?><PES_Aller/>".encode("utf-16"),
    b"<?xml version='1.0' encoding='no-such-codec'?><PES_Aller/>",
])
def test_a_wrong_encoding_declaration_is_malformed_xml(data: bytes) -> None:
    """A declaration contradicting the bytes, or an unknown codec, is MalformedXMLError."""
    with pytest.raises(MalformedXMLError):
        pes_asap.read(data)


def test_dates_are_xs_date(corpus: Path) -> None:
    """A date in V in another form is a ReadError naming its term."""
    data = _authored(corpus).replace(b'<DateEmission V="2025-02-10"/>',
                                     b'<DateEmission V="20250210"/>')
    with pytest.raises(ReadError) as info:
        pes_asap.read(data)
    assert info.value.bt == "BT-2"
    assert pes_asap.read_asap(_authored(corpus)).extension.issue_date == date(2025, 2, 10)
