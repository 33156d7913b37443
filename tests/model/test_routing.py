"""The Chorus Pro routing view reads the three buyer SIRET conventions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from pydantic import ValidationError

from chorus_core.errors import ChorusError, UsageError
from chorus_core.model import Buyer, Identifier, Invoice, ProcessControl, lenient
from chorus_core.model.routing import (
    AIFE_GATEWAY,
    CADRES,
    STATE_SIRET,
    DocumentKind,
    Routing,
    normalize_cadre,
    routing_of,
)
from chorus_core.testing import invoices, sirets


def _buyer(**ids: Identifier) -> Invoice:
    return Invoice(buyer=Buyer(**ids))


def test_convention_c_bt46() -> None:
    """French reform: BT-46 with scheme 0009."""
    r = routing_of(_buyer(identifier=Identifier(value=STATE_SIRET, scheme_id="0009")))
    assert (r.buyer_siret, r.buyer_siret_term) == (STATE_SIRET, "BT-46")


def test_convention_b_bt49() -> None:
    """Peppol: BT-49 electronic address with scheme 0009."""
    r = routing_of(_buyer(electronic_address=Identifier(value=STATE_SIRET, scheme_id="0009")))
    assert (r.buyer_siret, r.buyer_siret_term) == (STATE_SIRET, "BT-49")


def test_convention_b_bt49_0225() -> None:
    """Reform electronic address SIREN_SIRET_ROUTAGE under scheme 0225."""
    addr = Identifier(value=f"110002011_{STATE_SIRET}_SERV", scheme_id="0225")
    r = routing_of(_buyer(electronic_address=addr))
    assert (r.buyer_siret, r.buyer_siret_term) == (STATE_SIRET, "BT-49")


def test_convention_a_bt47() -> None:
    """FNFE Factur-X: BT-47 with scheme 0002 holding the 14-digit SIRET."""
    r = routing_of(_buyer(
        legal_registration_identifier=Identifier(value=STATE_SIRET, scheme_id="0002")))
    assert (r.buyer_siret, r.buyer_siret_term) == (STATE_SIRET, "BT-47")


def test_tryton_and_oca_bt47_with_legacy_scheme_1() -> None:
    """Tryton account_fr_chorus and older OCA CII write the buyer SIRET as BT-47, schemeID "1"."""
    r = routing_of(_buyer(
        legal_registration_identifier=Identifier(value="21310555400017", scheme_id="1")))
    assert (r.buyer_siret, r.buyer_siret_term) == ("21310555400017", "BT-47")


@pytest.mark.parametrize("scheme", ["0009", None])
def test_peppol_gateway_in_bt49_yields_to_the_siret_in_bt46(scheme: str | None) -> None:
    """Odoo's Peppol route: the AIFE gateway 0009:11000201100044 in BT-49, the SIRET in BT-46."""
    r = routing_of(_buyer(
        identifier=Identifier(value="21310555400017", scheme_id=scheme),
        electronic_address=Identifier(value=AIFE_GATEWAY, scheme_id="0009")))
    assert (r.buyer_siret, r.buyer_siret_term) == ("21310555400017", "BT-46")


def test_peppol_gateway_yields_to_a_tryton_bt47() -> None:
    """With the gateway in BT-49 and the SIRET in BT-47 (scheme 1), BT-47 routes the invoice."""
    r = routing_of(_buyer(
        legal_registration_identifier=Identifier(value="21310555400017", scheme_id="1"),
        electronic_address=Identifier(value=AIFE_GATEWAY, scheme_id="0009")))
    assert (r.buyer_siret, r.buyer_siret_term) == ("21310555400017", "BT-47")


def test_gateway_alone_routes_to_the_state() -> None:
    """When nothing else names the buyer, the gateway address in BT-49 is the State's SIRET."""
    r = routing_of(_buyer(electronic_address=Identifier(value=AIFE_GATEWAY, scheme_id="0009")))
    assert (r.buyer_siret, r.buyer_siret_term) == (STATE_SIRET, "BT-49")


def test_routing_of_bytes_is_a_typed_error() -> None:
    """routing_of on the bytes of a document raises UsageError naming the argument."""
    with pytest.raises(UsageError) as caught:
        routing_of(b"<Invoice/>")  # type: ignore[arg-type]
    assert isinstance(caught.value, ChorusError) and caught.value.argument == "invoice"
    assert "chorus_core.read" in caught.value.message_en


def test_siren_in_bt47_is_not_a_siret() -> None:
    """A 9-digit SIREN in BT-47 gives no SIRET."""
    r = routing_of(_buyer(
        legal_registration_identifier=Identifier(value="110002011", scheme_id="0002")))
    assert r.buyer_siret is None


def test_routing_keeps_a_bad_siret_as_read() -> None:
    """The view built from a read document keeps an invalid SIRET for the checks to report."""
    inv = lenient(Invoice, buyer={"identifier": {"value": "123", "scheme_id": "0009"}})
    assert routing_of(inv).buyer_siret == "123"


def test_strict_routing_refuses_a_bad_siret() -> None:
    """Built by hand, the routing view checks the SIRET."""
    with pytest.raises(ValidationError) as exc:
        Routing(buyer_siret="11000201100045")
    assert [(e["loc"], e["type"]) for e in exc.value.errors()] == [
        (("buyer_siret",), "siret_invalid")]


def test_cadre_defaults_to_a1() -> None:
    """Chorus Pro applies A1 when BT-23 is absent."""
    assert routing_of(Invoice()).cadre == "A1"
    inv = Invoice(process_control=ProcessControl(business_process_type="A9"))
    assert routing_of(inv).cadre == "A9"
    assert normalize_cadre("  ") == "A1"


def test_cadres_table() -> None:
    """25 cadres; only A9 and A12 need a validator; the invoice API takes A1, A2, A9, A12."""
    assert list(CADRES) == [f"A{n}" for n in range(1, 26)]
    assert {c.code for c in CADRES.values() if c.needs_validator} == {"A9", "A12"}
    assert {c.code for c in CADRES.values() if c.accepted_by_invoice_api} == {
        "A1", "A2", "A9", "A12"}


def test_a11_is_withdrawn() -> None:
    """A11 is in pivot V1_20/V1_21 and absent from V1_22 and V2_02: the only withdrawn cadre."""
    assert {c.code for c in CADRES.values() if c.withdrawn} == {"A11"}


def test_a25_is_deposited_by_the_moa(corpus: Path) -> None:
    """The V2_02 pivot XSD: A25 is « déposé par la maitrise d ouvrage », not by the MOE."""
    text = (corpus / "pes" / "CPPFacturePivot_V2_02.xsd").read_text(encoding="utf-8")
    assert "A25: Décompte général et définitif déposé par la maitrise d ouvrage" in text
    assert "maîtrise d'ouvrage" in CADRES["A25"].label_fr
    assert "contracting authority" in CADRES["A25"].label_en


def test_a11_is_absent_from_the_current_pivots(corpus: Path) -> None:
    """A11 is listed by CPPFacturePivot_V1_21 and by neither V1_22 nor V2_02."""
    def listed(name: str) -> bool:
        text = (corpus / "pes" / name).read_text(encoding="utf-8")
        return '<xs:enumeration value="A11"/>' in text
    assert [listed(n) for n in ("CPPFacturePivot_V1_21.xsd", "CPPFacturePivot_V1_22.xsd",
                                "CPPFacturePivot_V2_02.xsd")] == [True, False, False]


def test_invoices_are_not_works() -> None:
    """The invoice cadres (A1, A2, A9, A12), frais de justice (A3) and TIC (A21) are not works."""
    assert {c.code for c in CADRES.values() if not c.works} == {
        "A1", "A2", "A3", "A9", "A12", "A21"}


def test_document_kind() -> None:
    """381 is an AVOIR, 386 an ACOMPTE, 380 a FACTURE."""
    kinds = [routing_of(Invoice(invoice_type_code=c)).kind for c in ("380", "381", "386")]
    assert kinds == [DocumentKind.FACTURE, DocumentKind.AVOIR, DocumentKind.ACOMPTE]


@given(invoices())
def test_generated_invoices_route_to_their_buyer(inv: Invoice) -> None:
    """The generated buyer SIRET is found, and the code service is BT-10."""
    r = routing_of(inv)
    assert inv.buyer is not None and inv.buyer.identifier is not None
    assert r.buyer_siret == inv.buyer.identifier.value
    assert r.code_service == inv.buyer_reference
    assert r.engagement == inv.purchase_order_reference


@given(sirets())
def test_generated_sirets_pass_stdnum(value: str) -> None:
    """Generated SIRETs are valid for python-stdnum."""
    from stdnum.fr import siret

    assert siret.is_valid(value)
