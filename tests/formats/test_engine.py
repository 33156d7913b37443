"""The binding engine (formats/_engine.py): behaviours of the reader walk itself."""

from __future__ import annotations

import pytest

from chorus_core.examples import sample_invoice
from chorus_core.formats import read_report, write


@pytest.mark.parametrize("name", ["ubl", "cii"])
def test_an_element_inside_a_text_value_is_reported(name: str) -> None:
    """Markup inside a plain text value (BT-10) is not a term: it is listed, the text kept."""
    data = write(sample_invoice(), name)
    marked = data.replace(b"SERV-TECHNIQUES", b"SERV-<x:b xmlns:x='urn:x'>bold</x:b>TECH", 1)
    reading = read_report(marked)
    assert reading.invoice.buyer_reference == "SERV-TECH"
    assert [u.path.rsplit("/", 1)[-1] for u in reading.unread] == ["x:b"]


def test_an_empty_group_element_is_kept_as_a_group() -> None:
    """An allowance holding only its charge indicator is an allowance without terms (so that
    the rules can say BT-92 is missing), not nothing."""
    from chorus_core.formats import read

    data = write(sample_invoice(), "ubl")
    marked = data.replace(b"<cac:TaxTotal>", b"<cac:AllowanceCharge><cbc:ChargeIndicator>false"
                          b"</cbc:ChargeIndicator></cac:AllowanceCharge><cac:TaxTotal>", 1)
    invoice = read(marked)
    assert len(invoice.allowances) == 1 and invoice.allowances[0].amount is None


def test_a_payment_means_without_account_is_no_credit_transfer() -> None:
    """A UBL PaymentMeans holding only its code opens no empty credit transfer (BG-17)."""
    from chorus_core.formats import read
    from chorus_core.model import PaymentInstructions

    invoice = sample_invoice().model_copy(update={
        "payment_instructions": PaymentInstructions(payment_means_type_code="30")})
    assert read(write(invoice, "ubl")).payment_instructions == PaymentInstructions(
        payment_means_type_code="30")
