"""Tests of chorus_core.formats.pes_depense: PES Dépense data and the PES_DepenseAller piece."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError

from chorus_core.errors import PesWriteError, Severity
from chorus_core.examples import sample_invoice
from chorus_core.formats import pes_depense
from chorus_core.formats.pes_depense import (
    DepenseData,
    Dgp,
    InterestRateCode,
    Mandate,
    SupplierIdNature,
    Tiers,
    check,
    depense_data,
    split_name,
    write_piece,
)
from chorus_core.model import (
    LENIENT,
    Address,
    CreditTransfer,
    DocumentTotals,
    Identifier,
    Invoice,
    PaymentInstructions,
    Seller,
)
from chorus_core.testing import invoices
from chorus_core.workflow import History, Status, payment_delay

MANDATE = Mandate(number=812, account="60632")
PES_ALLER = "{http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller}PES_Aller"


@pytest.fixture(scope="module")
def schema(corpus: Path) -> etree.XMLSchema:
    """The v5.17 PES_Aller schema of the corpus (it includes PES_DepenseAller)."""
    path = corpus / "pes" / "pes_v2" / "schemas_pes_v5.17" / "PES_V2" / "Rev0" / "PES_Aller.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def _envelope(piece: bytes, amount: str = "1.00") -> bytes:
    """A minimal valid PES_Aller dépense flow holding ``piece`` in its one bordereau."""
    return (
        b'<?xml version="1.0" encoding="ISO-8859-1"?>'
        b'<n:PES_Aller xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller">'
        b'<Enveloppe><Parametres><Version V="2"/><TypFic V="PESALR2"/><NomFic V="TEST"/>'
        b'</Parametres><Emetteur><Sigle V="chorus_core"/><Adresse V="tests"/></Emetteur>'
        b'</Enveloppe><EnTetePES><DteStr V="2026-11-20"/><IdPost V="069000"/>'
        b'<IdColl V="21690123100011"/><CodCol V="100"/><CodBud V="00"/></EnTetePES>'
        b'<PES_DepenseAller><EnTeteDepense><IdVer V="2"/></EnTeteDepense><Bordereau>'
        b'<BlocBordereau><Exer V="2026"/><IdBord V="1"/><DteBordEm V="2026-11-20"/>'
        b'<TypBord V="01"/><NbrPce V="1"/><MtBordHT V="' + amount.encode() + b'"/>'
        b'</BlocBordereau>' + piece + b'</Bordereau></PES_DepenseAller></n:PES_Aller>'
    )


def _assert_valid(schema: etree.XMLSchema, piece: bytes) -> etree._Element:
    doc = etree.fromstring(_envelope(piece))
    assert schema.validate(doc), schema.error_log
    found = doc.find(".//Piece")
    assert found is not None
    return found


def _v(piece: etree._Element, path: str) -> str | None:
    el = piece.find(path)
    return None if el is None else el.get("V")


def _seller(invoice: Invoice, **update: object) -> Invoice:
    assert invoice.seller is not None
    return invoice.model_copy(update={"seller": invoice.seller.model_copy(update=update)})


def _codes(data: DepenseData) -> list[str]:
    return [f.code for f in data.findings]


# ---------------------------------------------------------------- the sample invoice


def test_envelope_alone_is_a_valid_flow(schema: etree.XMLSchema) -> None:
    """The wrapping flow of these tests is valid with a known-good piece (else tests are moot)."""
    good = (b'<Piece><BlocPiece><InfoPce><IdPce V="1"/><TypPce V="01"/><NatPce V="01"/>'
            b'</InfoPce></BlocPiece><LigneDePiece><BlocLignePiece><InfoLignePce>'
            b'<IdLigne V="1"/><Nature V="6068"/><TVAIntraCom V="0"/><MtHT V="1.00"/>'
            b'</InfoLignePce></BlocLignePiece></LigneDePiece></Piece>')
    _assert_valid(schema, good)
    assert not schema.validate(etree.fromstring(_envelope(good.replace(b"MtHT", b"MtXX"))))


def test_sample_invoice_gives_a_valid_piece_with_its_data(schema: etree.XMLSchema) -> None:
    """The sample invoice's supplier, amounts, number and marché reach a valid piece."""
    invoice = sample_invoice()
    data = depense_data(invoice, dgp=Dgp.starting(date(2026, 11, 2)))
    assert data.findings == ()
    piece = _assert_valid(schema, write_piece(data, MANDATE.model_copy(
        update={"piece_type": "09", "payment_mode": "03"})))
    assert invoice.totals is not None and invoice.seller is not None
    assert _v(piece, ".//InfoLignePce/Facture") == invoice.invoice_number
    assert Decimal(_v(piece, ".//InfoLignePce/MtHT") or "") == invoice.totals.total_without_vat
    assert Decimal(_v(piece, ".//InfoLignePce/MtTVA") or "") == invoice.totals.total_vat_amount
    assert _v(piece, ".//LiensIdent/IdMarche") == invoice.contract_reference
    assert _v(piece, ".//InfoTiers/IdTiers") == invoice.seller.identifiers[0].value
    assert _v(piece, ".//InfoTiers/NatIdTiers") == "01"
    assert _v(piece, ".//InfoTiers/Nom") == invoice.seller.name
    assert _v(piece, ".//CpteBancaire/IBAN") == "FR7630006000011234567890189"
    assert _v(piece, ".//CpteBancaire/TitCpte") == "Atelier Dupont SARL"
    assert [_v(piece, f".//DGP/{n}") for n in ("Dgp", "DteDebDgp", "DteFinDgp", "DureeDgp")] == [
        "0", "2026-11-02", "2026-12-02", "30"]
    assert (_v(piece, ".//InfoPce/IdPce"), _v(piece, ".//InfoPce/TypPce")) == ("812", "09")


def test_fragment_is_ascii_with_character_references(schema: etree.XMLSchema) -> None:
    """Non-ASCII names are written as character references, readable in any PES encoding."""
    invoice = _seller(sample_invoice(), name="Œuvres d'Art & Cie – Lyon")
    xml = write_piece(depense_data(invoice), MANDATE)
    assert xml.isascii() and b"&#338;uvres" in xml
    assert _v(_assert_valid(schema, xml), ".//InfoTiers/Nom") == "Œuvres d'Art & Cie – Lyon"


# ---------------------------------------------------------------- the invoice number


@pytest.mark.parametrize("number, code", [
    (None, "CHORUS-DEPENSE-001"),
    ("F" * 21, "CHORUS-DEPENSE-002"),
    ("FA-2026-0042-RELIQUAT", "CHORUS-DEPENSE-002"),
    ("0000", "CHORUS-DEPENSE-003"),
    ("nc", "CHORUS-DEPENSE-003"),
    ("FA\n12", "CHORUS-DEPENSE-003"),
])
def test_an_invoice_number_that_cannot_be_written_is_refused(number: str | None,
                                                             code: str) -> None:
    """A missing, too long or PES-refused invoice number is an error, never truncated."""
    data = depense_data(sample_invoice().model_copy(update={"invoice_number": number}))
    assert _codes(data) == [code]
    assert data.findings[0].severity is Severity.ERROR and data.findings[0].bt == ("BT-1",)
    assert data.invoice_number == number  # kept as is for the caller to fix
    with pytest.raises(PesWriteError) as caught:
        write_piece(data, MANDATE)
    assert [f.code for f in caught.value.findings] == [code]


def test_a_twenty_character_number_is_written_whole(schema: etree.XMLSchema) -> None:
    """Exactly 20 characters fit InfoLignePce/Facture and are written unchanged."""
    number = "FA/2026-000000042 +X"
    data = depense_data(sample_invoice().model_copy(update={"invoice_number": number}))
    assert data.findings == ()
    assert _v(_assert_valid(schema, write_piece(data, MANDATE)), ".//Facture") == number


def test_a_fixed_number_can_be_written_after_the_refusal() -> None:
    """Once the caller shortens the number, check() is empty and the piece is written."""
    data = depense_data(sample_invoice().model_copy(update={"invoice_number": "F" * 25}))
    fixed = data.model_copy(update={"invoice_number": "F" * 20})
    assert check(fixed) == ()
    assert b'<Facture V="' + b"F" * 20 + b'"/>' in write_piece(fixed, MANDATE)


# ---------------------------------------------------------------- the marché number


@pytest.mark.parametrize("length", [31, 50])
def test_a_marche_longer_than_30_is_reported(length: int) -> None:
    """The pivot's 50-character NumeroMarche does not fit IdMarche (30): error, no truncation."""
    marche = ("M-" + "9" * 60)[:length]
    data = depense_data(sample_invoice().model_copy(update={"contract_reference": marche}))
    assert _codes(data) == ["CHORUS-DEPENSE-004"]
    assert str(length) in data.findings[0].message_en
    with pytest.raises(PesWriteError):
        write_piece(data, MANDATE)


def test_a_thirty_character_marche_and_none_are_written(schema: etree.XMLSchema) -> None:
    """IdMarche carries 30 characters; without BT-12 there is no LiensIdent block."""
    marche = "M" * 30
    piece = _assert_valid(schema, write_piece(depense_data(
        sample_invoice().model_copy(update={"contract_reference": marche})), MANDATE))
    assert _v(piece, ".//LiensIdent/IdMarche") == marche
    piece = _assert_valid(schema, write_piece(depense_data(
        sample_invoice().model_copy(update={"contract_reference": None})), MANDATE))
    assert piece.find(".//LiensIdent") is None


# ---------------------------------------------------------------- the supplier


def test_a_long_name_is_split_over_nom_and_complnom(schema: etree.XMLSchema) -> None:
    """A 50-character name goes to Nom and ComplNom at a space, with a warning."""
    name = "ETABLISSEMENTS DUPONT ET FILS REUNIS DE LA VALLEE"
    data = depense_data(_seller(sample_invoice(), name=name))
    assert _codes(data) == ["CHORUS-DEPENSE-006"]
    assert data.findings[0].severity is Severity.WARNING
    piece = _assert_valid(schema, write_piece(data, MANDATE))
    nom, compl = _v(piece, ".//InfoTiers/Nom"), _v(piece, ".//InfoTiers/ComplNom")
    assert f"{nom} {compl}" == name and len(nom or "") <= 38


def test_a_name_too_long_for_both_fields_is_an_error() -> None:
    """More than 38 + 38 characters cannot be written: error, and the name is kept whole."""
    name = "A" * 40 + " " + "B" * 40
    data = depense_data(_seller(sample_invoice(), name=name))
    assert _codes(data) == ["CHORUS-DEPENSE-008"]
    assert data.supplier.name == name
    with pytest.raises(PesWriteError):
        write_piece(data, MANDATE)


def test_a_missing_name_is_an_error() -> None:
    """Nom is mandatory in InfoTiers."""
    assert _codes(depense_data(_seller(sample_invoice(), name=None))) == ["CHORUS-DEPENSE-007"]


@given(st.text(st.characters(codec="ascii", categories=("L", "N", "Zs")), min_size=39,
               max_size=76))
def test_split_name_keeps_every_character_but_one_space(name: str) -> None:
    """Splitting never drops anything but the space it cuts at, and each part fits 38."""
    nom, compl = split_name(name)
    assert compl is not None and len(nom) <= 38 and len(compl) <= 38
    assert name in (nom + compl, nom + " " + compl)


def _with_id(scheme: str | None, value: str, country: str, vat: str | None = None) -> Invoice:
    return _seller(
        sample_invoice(),
        identifiers=(Identifier.model_validate({"scheme_id": scheme, "value": value},
                                               context=LENIENT),),
        legal_registration_identifier=None, vat_identifier=vat,
        postal_address=Address(city="X", country_code=country),
    )


@pytest.mark.parametrize("invoice, identifier, nature", [
    (_with_id("0009", "73282932000074", "FR"), "73282932000074", SupplierIdNature.SIRET),
    (_with_id("0002", "732829320", "FR"), "732829320", SupplierIdNature.SIREN),
    (_with_id(None, "0776091951", "BE", vat="BE0776091951"), "BE0776091951",
     SupplierIdNature.VAT_INTRA_EU),
    (_with_id(None, "US123456789", "US"), "US123456789", SupplierIdNature.OUTSIDE_EU),
    (_with_id(None, "A12345", "PF"), "A12345", SupplierIdNature.TAHITI),
    (_with_id(None, "1234567001", "NC"), "1234567001", SupplierIdNature.RIDET),
    (_with_id("6", "EN2026", "FR"), "EN2026", SupplierIdNature.PENDING_REGISTRATION),
])
def test_supplier_identifier_natures(schema: etree.XMLSchema, invoice: Invoice,
                                     identifier: str, nature: SupplierIdNature) -> None:
    """Each kind of supplier identifier is written with its NatIdTiers."""
    data = depense_data(invoice)
    assert data.findings == ()
    assert (data.supplier.identifier, data.supplier.identifier_nature) == (identifier, nature)
    piece = _assert_valid(schema, write_piece(data, MANDATE))
    assert (_v(piece, ".//IdTiers"), _v(piece, ".//NatIdTiers")) == (identifier, nature.value)


@pytest.mark.parametrize("invoice, value", [
    (_with_id("7", "Jean Martin", "FR"), "Jean Martin"),
    (_with_id(None, "US-123-456", "US"), "US-123-456"),
    (_with_id(None, "1234567.001", "NC"), "1234567.001"),
    (_with_id("0009", "7328293200007", "FR"), "7328293200007"),
])
def test_an_identifier_pes_cannot_hold_is_left_out_and_reported(
    schema: etree.XMLSchema, invoice: Invoice, value: str
) -> None:
    """A private person's id, or one with punctuation, is not written, and a warning says so."""
    data = depense_data(invoice)
    assert _codes(data) == ["CHORUS-DEPENSE-009"]
    assert repr(value) in data.findings[0].message_en
    assert data.supplier.identifier is None and data.supplier.identifier_nature is None
    piece = _assert_valid(schema, write_piece(data, MANDATE))
    assert piece.find(".//IdTiers") is None and piece.find(".//NatIdTiers") is None


# ---------------------------------------------------------------- the bank account


def _with_account(iban: str, bic: str | None = None, holder: str | None = None,
                  count: int = 1) -> Invoice:
    transfer = CreditTransfer(account_identifier=iban, service_provider_identifier=bic,
                              account_name=holder)
    return sample_invoice().model_copy(update={"payment_instructions": PaymentInstructions(
        payment_means_type_code="30", credit_transfers=(transfer,) * count)})


def test_a_spaced_iban_and_a_bic_are_written(schema: etree.XMLSchema) -> None:
    """An IBAN printed in groups is compacted; the BIC and holder come along."""
    data = depense_data(_with_account("FR76 3000 6000 0112 3456 7890 189", "AGRIFRPP882",
                                      "DUPONT"))
    assert data.findings == ()
    piece = _assert_valid(schema, write_piece(data, MANDATE))
    assert [_v(piece, f".//CpteBancaire/{n}") for n in ("BIC", "IBAN", "TitCpte")] == [
        "AGRIFRPP882", "FR7630006000011234567890189", "DUPONT"]


@pytest.mark.parametrize("invoice", [
    _with_account("12345"),
    _with_account("FR7630006000011234567890189", bic="agri"),
    _with_account("FR7630006000011234567890189", holder="H" * 33),
])
def test_a_bank_account_pes_cannot_hold_is_left_out_and_reported(
    schema: etree.XMLSchema, invoice: Invoice
) -> None:
    """A malformed IBAN or BIC, or a holder over 32 characters: no CpteBancaire, a warning."""
    data = depense_data(invoice)
    assert _codes(data) == ["CHORUS-DEPENSE-015"]
    assert data.supplier.iban is None
    assert _assert_valid(schema, write_piece(data, MANDATE)).find(".//CpteBancaire") is None


def test_only_the_first_account_is_kept_and_that_is_said() -> None:
    """Two credit transfers: the first is written, the second is reported."""
    data = depense_data(_with_account("FR7630006000011234567890189", count=2))
    assert _codes(data) == ["CHORUS-DEPENSE-015"] and data.supplier.iban is not None


# ---------------------------------------------------------------- amounts


def _with_totals(**totals: Decimal | None) -> Invoice:
    return sample_invoice().model_copy(update={"totals": DocumentTotals(**totals)})


def test_amounts_with_trailing_zeros_are_not_reported() -> None:
    """The pivot's six decimals are exact cents when the extra digits are zeros."""
    data = depense_data(_with_totals(total_without_vat=Decimal("3245.680000"),
                                     total_vat_amount=Decimal("649.136000")))
    assert _codes(data) == ["CHORUS-DEPENSE-011"]  # only the VAT had a real third decimal
    assert data.amount_without_vat == Decimal("3245.68")
    assert data.vat_amount == Decimal("649.14")
    assert data.findings[0].bt == ("BT-110",) and "649.136" in data.findings[0].message_en


def test_negative_and_huge_amounts_are_errors() -> None:
    """MtHT is never negative and has 12 digits before the point at most."""
    assert _codes(depense_data(_with_totals(total_without_vat=Decimal("-10.00")))) == [
        "CHORUS-DEPENSE-012"]
    assert _codes(depense_data(_with_totals(total_without_vat=Decimal("1000000000000.00")))) == [
        "CHORUS-DEPENSE-013"]
    assert _codes(depense_data(_with_totals(total_without_vat=Decimal("999999999999.99")))) == []


def test_missing_total_without_vat_is_an_error() -> None:
    """MtHT is mandatory."""
    assert _codes(depense_data(_with_totals(total_vat_amount=Decimal("1.00")))) == [
        "CHORUS-DEPENSE-010"]


def test_vat_falls_back_to_the_breakdown_then_to_nothing(schema: etree.XMLSchema) -> None:
    """Without BT-110, MtTVA is the sum of BT-117; without either, MtTVA is left out."""
    data = depense_data(_with_totals(total_without_vat=Decimal("1023.70")))
    assert data.vat_amount == Decimal("195.34")
    bare = sample_invoice().model_copy(update={
        "totals": DocumentTotals(total_without_vat=Decimal("1023.70")), "vat_breakdown": ()})
    data = depense_data(bare)
    assert data.vat_amount is None and data.findings == ()
    assert _assert_valid(schema, write_piece(data, MANDATE)).find(".//MtTVA") is None


def test_a_model_amount_with_three_decimals_is_refused() -> None:
    """A value set by hand with more than two decimals is refused, not rounded silently."""
    data = depense_data(sample_invoice()).model_copy(update={"vat_amount": Decimal("1.005")})
    assert [f.code for f in check(data)] == ["CHORUS-DEPENSE-017"]
    with pytest.raises(PesWriteError):
        write_piece(data, MANDATE)


def test_another_currency_is_an_error() -> None:
    """Mandate amounts are euros: an invoice in USD is refused until converted."""
    data = depense_data(sample_invoice().model_copy(update={"invoice_currency_code": "USD"}))
    assert _codes(data) == ["CHORUS-DEPENSE-016"]
    assert check(data.model_copy(update={"currency_code": "EUR"})) == ()


def test_a_credit_note_is_a_warning_about_the_kind_of_mandate() -> None:
    """A credit note is flagged (annulation-réduction) but its data are still given."""
    data = depense_data(sample_invoice().model_copy(update={"invoice_type_code": "381"}))
    assert _codes(data) == ["CHORUS-DEPENSE-014"]
    assert write_piece(data, MANDATE.model_copy(update={"piece_type": "02",
                                                        "piece_nature": "06"}))


# ---------------------------------------------------------------- DGP


def test_dgp_from_the_workflow_clock(schema: etree.XMLSchema) -> None:
    """The DGP block takes the start, due date and delay of the payment-delay clock."""
    h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 11, 2)),
                          (Status.SUSPENDUE, date(2026, 11, 10)),
                          (Status.COMPLETEE, date(2026, 11, 17))])
    delay = payment_delay(h, date(2026, 11, 20), delay_days=50)
    dgp = Dgp.from_delay(delay)
    assert (dgp.start, dgp.end, dgp.duration_days) == (
        delay.started_on, delay.due_date, 50)
    dgp = dgp.model_copy(update={"eligible": False, "interest_rate_code": InterestRateCode.ECB,
                                 "interest_rate": Decimal("10.15")})
    piece = _assert_valid(schema, write_piece(depense_data(sample_invoice(), dgp=dgp), MANDATE))
    assert [_v(piece, f".//DGP/{n}") for n in ("Dgp", "DureeDgp", "CodIntMor", "TxIntMor")] == [
        "1", "50", "02", "10.15"]


def test_dgp_of_a_paused_clock_is_refused() -> None:
    """While suspended, the clock has no due date: no DGP block can be given."""
    h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 11, 2)),
                          (Status.SUSPENDUE, date(2026, 11, 10))])
    with pytest.raises(PesWriteError, match=r"no due date yet \(paused\)"):
        Dgp.from_delay(payment_delay(h, date(2026, 11, 20)))


def test_dgp_values_are_checked() -> None:
    """An end before the start, or a delay outside 1–99 days, is refused at building."""
    with pytest.raises(ValidationError, match="before its start"):
        Dgp(start=date(2026, 3, 2), end=date(2026, 3, 1), duration_days=30)
    with pytest.raises(ValidationError, match="duration_days"):
        Dgp.starting(date(2026, 3, 2), duration_days=100)
    with pytest.raises(ValidationError) as caught:
        Dgp(start=date(2026, 3, 2), end=date(2026, 4, 1), duration_days=30, interest_rate=10.15)
    assert caught.value.errors()[0]["type"] == "float_not_allowed"


def test_amounts_refuse_floats() -> None:
    """Money in the model is Decimal: a float amount is refused with our error type."""
    with pytest.raises(ValidationError) as caught:
        DepenseData(supplier=Tiers(name="X"), amount_without_vat=12.5)
    assert caught.value.errors()[0]["type"] == "float_not_allowed"


# ---------------------------------------------------------------- mandate and XML


def test_mandate_values_are_checked() -> None:
    """The entity's data must fit PES: account digits, a two-digit piece type, a PES object."""
    with pytest.raises(ValidationError, match="account"):
        Mandate(number=1, account="606-32")
    with pytest.raises(ValidationError, match="piece_type"):
        Mandate(number=1, account="6068", piece_type="9")
    with pytest.raises(ValidationError, match="Obj"):
        Mandate(number=1, account="6068", object="nc")


@pytest.mark.parametrize("tiers, code", [
    (Tiers(name="X", identifier="73282932000074"), "CHORUS-DEPENSE-018"),
    (Tiers(name="X", identifier_nature=SupplierIdNature.SIRET), "CHORUS-DEPENSE-018"),
    (Tiers(name="X", identifier="US-1", identifier_nature=SupplierIdNature.OUTSIDE_EU),
     "CHORUS-DEPENSE-018"),
    (Tiers(name="X", iban="FR7630006000011234567890189"), "CHORUS-DEPENSE-019"),
    (Tiers(name="X", iban="FR76 3000", account_holder="X"), "CHORUS-DEPENSE-019"),
    (Tiers(name="X", bic="AGRIFRPP882"), "CHORUS-DEPENSE-019"),
])
def test_a_hand_built_supplier_is_checked_not_dropped(tiers: Tiers, code: str) -> None:
    """A model set by hand with a half identifier or a bad account is refused, not skipped."""
    data = DepenseData(supplier=tiers, invoice_number="F1", amount_without_vat=Decimal("1.00"))
    assert [f.code for f in check(data)] == [code]
    with pytest.raises(PesWriteError):
        write_piece(data, MANDATE)


def test_a_character_xml_cannot_carry_is_a_typed_error() -> None:
    """A control character in a name is refused with PesWriteError, not an lxml error."""
    data = DepenseData(supplier=Tiers(name="Dupont\x07"), invoice_number="F1",
                       amount_without_vat=Decimal("1.00"))
    with pytest.raises(PesWriteError):
        write_piece(data, MANDATE)


def test_rules_are_well_formed() -> None:
    """Each PES Dépense finding code is unique, namespaced and has two distinct messages."""
    assert all(re.fullmatch(r"CHORUS-DEPENSE-\d{3}", c) for c in pes_depense.RULES)
    assert all(r.message_fr != r.message_en for r in pes_depense.RULES.values())


# ---------------------------------------------------------------- properties


@given(
    invoices(),
    st.none() | st.text("ABCDEFGH0123456789-/", min_size=1, max_size=26),
    st.none() | st.text("ABCDEFGH0123456789-", min_size=1, max_size=55),
    st.text(st.characters(codec="latin-1", categories=("L", "N", "Zs", "P")), min_size=1,
            max_size=90),
    st.none() | st.builds(Dgp.starting,
                          st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
                          duration_days=st.integers(1, 99), suspended_days=st.integers(0, 60)),
)
def test_a_piece_is_valid_or_refused_never_truncated(
    schema: etree.XMLSchema, invoice: Invoice, number: str | None, marche: str | None,
    name: str, dgp: Dgp | None,
) -> None:
    """Any invoice gives either a valid piece carrying its values exactly, or a refusal
    whose findings are exactly what check() reports."""
    assert invoice.seller is not None
    invoice = invoice.model_copy(update={
        "invoice_number": number, "contract_reference": marche,
        "seller": Seller.model_validate({**invoice.seller.model_dump(), "name": name})})
    data = depense_data(invoice, dgp=dgp)
    problems = check(data)
    assert all(f in data.findings for f in problems)
    if problems:
        with pytest.raises(PesWriteError) as caught:
            write_piece(data, MANDATE)
        assert caught.value.findings == problems
        return
    piece = _assert_valid(schema, write_piece(data, MANDATE))
    assert _v(piece, ".//Facture") == number
    assert _v(piece, ".//IdMarche") == marche
    assert invoice.totals is not None
    assert Decimal(_v(piece, ".//MtHT") or "") == invoice.totals.total_without_vat
    nom, compl = _v(piece, ".//Nom"), _v(piece, ".//ComplNom")
    assert name in (nom, f"{nom}{compl}", f"{nom} {compl}")
    assert (piece.find(".//DGP") is None) == (dgp is None)
    if dgp is not None:
        assert _v(piece, ".//DteFinDgp") == dgp.end.isoformat()
