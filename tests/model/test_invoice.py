"""Building strictly refuses bad values; reading leniently keeps them as given."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from pydantic import ValidationError

from chorus_core.model import (
    Buyer,
    Identifier,
    Invoice,
    InvoiceLine,
    PriceDetails,
    SupportingDocument,
    lenient,
)
from chorus_core.testing import invoices


def _error(exc: pytest.ExceptionInfo[ValidationError]) -> tuple[tuple[str | int, ...], str]:
    errors = exc.value.errors()
    assert len(errors) == 1
    return errors[0]["loc"], errors[0]["type"]


def test_float_amount_is_refused_naming_the_field() -> None:
    """A float price is refused with our error type at the field's location."""
    with pytest.raises(ValidationError) as exc:
        InvoiceLine(price_details=PriceDetails(net_price=10.5))  # type: ignore[arg-type]
    assert _error(exc) == (("net_price",), "float_not_allowed")


def test_float_is_refused_in_nested_data() -> None:
    """The location names the path from the invoice down to the amount."""
    with pytest.raises(ValidationError) as exc:
        Invoice.model_validate({"lines": [{"net_amount": 1.5}]})
    assert _error(exc) == (("lines", 0, "net_amount"), "float_not_allowed")


def test_unknown_currency_is_refused() -> None:
    """BT-5 must be an ISO 4217 code on the building path."""
    with pytest.raises(ValidationError) as exc:
        Invoice(invoice_currency_code="EURO")
    assert _error(exc) == (("invoice_currency_code",), "code_unknown")


def test_thirteen_digit_siret_is_refused() -> None:
    """A buyer SIRET (scheme 0009) of 13 digits is refused with siret_invalid."""
    with pytest.raises(ValidationError) as exc:
        Buyer.model_validate({"identifier": {"value": "1100020110004", "scheme_id": "0009"}})
    assert _error(exc) == (("identifier", "value"), "siret_invalid")


def test_siret_with_wrong_check_digit_is_refused() -> None:
    """One flipped digit breaks the Luhn check."""
    with pytest.raises(ValidationError) as exc:
        Identifier(value="11000201100045", scheme_id="0009")
    assert _error(exc) == (("value",), "siret_invalid")


def test_la_poste_siret_is_accepted() -> None:
    """La Poste establishments follow their own check (python-stdnum knows it)."""
    assert Identifier(value="35600000000048", scheme_id="0009").value == "35600000000048"


def test_siret_is_not_checked_under_other_schemes() -> None:
    """A 13-character value under another scheme is none of our business."""
    assert Identifier(value="1100020110004", scheme_id="0088").value == "1100020110004"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("invoice_type_code", "999"),
        ("invoice_currency_code", "EURO"),
        ("value_added_tax_point_date_code", "1"),
    ],
)
def test_lenient_path_keeps_invalid_codes(field: str, value: str) -> None:
    """The reading path keeps what it read, for the rules to report."""
    assert getattr(lenient(Invoice, **{field: value}), field) == value


def test_lenient_path_keeps_a_float_amount_as_written() -> None:
    """A float given on the reading path becomes the Decimal of its text, never a float."""
    line = lenient(InvoiceLine, net_amount=10.1, invoiced_quantity=3)
    assert line.net_amount == Decimal("10.1") and type(line.net_amount) is Decimal
    assert line.invoiced_quantity == Decimal(3)


def test_lenient_path_keeps_a_thirteen_digit_siret() -> None:
    """The 13-digit SIRET refused when building is kept as read."""
    buyer = lenient(Buyer, identifier={"value": "1100020110004", "scheme_id": "0009"})
    assert buyer.identifier is not None and buyer.identifier.value == "1100020110004"


def test_lenient_path_keeps_a_bad_siret() -> None:
    """A SIRET with a bad check digit survives the reading path unchanged."""
    buyer = lenient(Buyer, identifier={"value": "11000201100045", "scheme_id": "0009"})
    assert buyer.identifier is not None and buyer.identifier.value == "11000201100045"


def test_lenient_path_still_refuses_what_cannot_be_represented() -> None:
    """An amount that is not a number has no representation, even when reading."""
    with pytest.raises(ValidationError) as exc:
        lenient(InvoiceLine, net_amount="douze")
    assert _error(exc)[0] == ("net_amount",)


def test_model_is_immutable() -> None:
    """Canonical models are frozen."""
    inv = Invoice(invoice_number="1")
    with pytest.raises(ValidationError):
        inv.invoice_number = "2"  # type: ignore[misc]


def test_unknown_field_is_refused() -> None:
    """Nothing is silently dropped: an unknown field is an error."""
    with pytest.raises(ValidationError) as exc:
        Invoice(invoice_nmber="1")  # type: ignore[call-arg]
    assert _error(exc) == (("invoice_nmber",), "extra_forbidden")


def test_attachment_bytes_survive_json() -> None:
    """Binary attachments (BT-125) go through JSON as base64 and come back byte for byte."""
    blob = bytes(range(256))
    doc = SupportingDocument(reference="1", attached_document=blob, mime_code="application/pdf")
    assert SupportingDocument.model_validate_json(doc.model_dump_json()).attached_document == blob


def test_decimal_keeps_its_exponent_through_json() -> None:
    """'10.50' stays '10.50', not '10.5': what was written is what is read back."""
    line = InvoiceLine(net_amount=Decimal("10.50"), invoiced_quantity=Decimal("1E+1"))
    back = InvoiceLine.model_validate_json(line.model_dump_json())
    assert str(back.net_amount) == "10.50" and back.invoiced_quantity == Decimal(10)


def test_credit_note_detection() -> None:
    """BT-3 381 is a credit note, 380 an invoice."""
    assert Invoice(invoice_type_code="381").is_credit_note
    assert not Invoice(invoice_type_code="380").is_credit_note


def test_dates_are_dates() -> None:
    """ISO strings become datetime.date."""
    assert Invoice(invoice_issue_date="2026-11-28").invoice_issue_date == date(2026, 11, 28)


@given(invoices())
def test_json_round_trip_is_exact(inv: Invoice) -> None:
    """model → JSON → model gives back an equal invoice."""
    assert Invoice.model_validate_json(inv.model_dump_json()) == inv


@given(invoices())
def test_python_round_trip_through_the_building_path(inv: Invoice) -> None:
    """A generated invoice passes the strict building path again."""
    assert Invoice.model_validate(inv.model_dump()) == inv
