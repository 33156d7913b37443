"""The public hypothesis strategies generate what their docstrings promise."""

from __future__ import annotations

from hypothesis import given
from stdnum.fr import siren, siret, tva

from chorus_core.model import Invoice
from chorus_core.model.codelists import CURRENCY_CODES, INVOICE_TYPE_CODES
from chorus_core.model.routing import routing_of
from chorus_core.testing import incomplete_invoices, invoices, sirens, sirets


@given(sirens())
def test_sirens_are_valid(value: str) -> None:
    """Generated SIRENs pass python-stdnum."""
    assert siren.is_valid(value)


@given(sirets())
def test_sirets_are_valid(value: str) -> None:
    """Generated SIRETs pass python-stdnum."""
    assert siret.is_valid(value)


@given(invoices())
def test_invoices_pass_the_strict_path_and_carry_routing(inv: Invoice) -> None:
    """A generated invoice is valid on the building path, routed to a valid SIRET, with a
    valid French seller VAT number and at least one line."""
    assert Invoice.model_validate(inv.model_dump()) == inv
    assert siret.is_valid(routing_of(inv).buyer_siret or "")
    assert inv.seller is not None and tva.is_valid(inv.seller.vat_identifier or "")
    assert inv.lines and inv.totals is not None


@given(invoices(credit_notes=False, attachments=False))
def test_invoice_knobs_narrow_the_output(inv: Invoice) -> None:
    """credit_notes=False gives 380 only; attachments=False gives no BG-24."""
    assert inv.invoice_type_code == "380" and inv.supporting_documents == ()


@given(incomplete_invoices())
def test_incomplete_invoices_load_with_what_was_given(inv: Invoice) -> None:
    """Incomplete invoices are Invoice objects, possibly with codes outside the lists."""
    assert isinstance(inv, Invoice)
    if inv.invoice_currency_code not in (None, *CURRENCY_CODES):
        assert inv.invoice_currency_code in {"EURO", "XXY", "eur", ""}
    if inv.invoice_type_code is not None and inv.invoice_type_code not in INVOICE_TYPE_CODES:
        assert inv.invoice_type_code in {"999", "FACTURE", "0", "381", "384", "389"}

