"""The Chorus Pro routing view reads the three buyer SIRET conventions."""

from __future__ import annotations

import pytest
from hypothesis import given
from pydantic import ValidationError

from chorus_core.model import Buyer, Identifier, Invoice, ProcessControl, lenient
from chorus_core.model.routing import (
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
