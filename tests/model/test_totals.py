"""Totals computed from lines satisfy the EN 16931 calculation rules."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given

from chorus_core.model import (
    DocumentAllowance,
    DocumentCharge,
    Invoice,
    InvoiceLine,
    LineAllowance,
    LineVatInformation,
    PriceDetails,
)
from chorus_core.model.totals import (
    compute_totals,
    line_net_amount,
    round_amount,
    with_totals,
)
from chorus_core.testing import invoices

D = Decimal


def _line(qty: str, price: str, rate: str = "20", cat: str = "S", base: str | None = None,
          allowance: str | None = None) -> InvoiceLine:
    return InvoiceLine(
        invoiced_quantity=D(qty),
        price_details=PriceDetails(net_price=D(price), base_quantity=D(base) if base else None),
        vat_information=LineVatInformation(category_code=cat, rate=D(rate)),
        allowances=(LineAllowance(amount=D(allowance), reason="x"),) if allowance else (),
    )


def test_line_net_amount_uses_base_quantity_and_allowances() -> None:
    """BT-131 = qty × price ÷ base − allowances, rounded half up to cents."""
    assert line_net_amount(_line("3", "10", base="2", allowance="0.125")) == D("14.88")


def test_rounding_is_half_away_from_zero() -> None:
    """0.005 rounds up, -0.005 rounds down."""
    assert (round_amount(D("0.005")), round_amount(D("-0.005"))) == (D("0.01"), D("-0.01"))


def test_document_allowance_and_charge_enter_the_vat_base() -> None:
    """BT-116 includes document charges and excludes document allowances of its category."""
    inv = with_totals(Invoice(
        lines=(_line("1", "100"),),
        allowances=(DocumentAllowance(amount=D("10"), vat_category_code="S", vat_rate=D("20")),),
        charges=(DocumentCharge(amount=D("5"), vat_category_code="S", vat_rate=D("20")),),
    ))
    (vat,) = inv.vat_breakdown
    assert (vat.taxable_amount, vat.tax_amount) == (D("95.00"), D("19.00"))
    assert inv.totals is not None
    assert (inv.totals.total_without_vat, inv.totals.total_with_vat) == (D("95"), D("114.00"))


def test_rates_group_numerically() -> None:
    """20 and 20.00 form one breakdown; exempt lines have no tax."""
    inv = with_totals(Invoice(lines=(
        _line("1", "10", rate="20"), _line("1", "10", rate="20.00"),
        _line("1", "7", rate="0", cat="E"),
    )))
    assert [(b.category_code, b.taxable_amount, b.tax_amount) for b in inv.vat_breakdown] == [
        ("S", D("20.00"), D("4.00")), ("E", D("7.00"), D("0.00")),
    ]


def test_paid_and_rounding_amounts_are_kept() -> None:
    """BT-113 and BT-114 are inputs: BT-115 = BT-112 − BT-113 + BT-114."""
    base = with_totals(Invoice(lines=(_line("1", "100"),)))
    assert base.totals is not None
    inv = base.model_copy(update={"totals": base.totals.model_copy(
        update={"paid_amount": D("20"), "rounding_amount": D("0.01")})})
    assert compute_totals(inv).amount_due_for_payment == D("100.01")


@given(invoices())
def test_generated_totals_satisfy_br_co_rules(inv: Invoice) -> None:
    """BR-CO-10…BR-CO-17 hold on every generated invoice."""
    t = inv.totals
    assert t is not None
    assert t.sum_of_line_net_amounts == sum(line.net_amount for line in inv.lines)  # BR-CO-10
    assert (t.sum_of_allowances or 0) == sum(a.amount for a in inv.allowances)  # BR-CO-11
    assert (t.sum_of_charges or 0) == sum(c.amount for c in inv.charges)  # BR-CO-12
    assert t.total_without_vat == (  # BR-CO-13
        t.sum_of_line_net_amounts - (t.sum_of_allowances or 0) + (t.sum_of_charges or 0))
    assert t.total_vat_amount == sum(b.tax_amount for b in inv.vat_breakdown)  # BR-CO-14
    assert t.total_with_vat == t.total_without_vat + t.total_vat_amount  # BR-CO-15
    assert t.amount_due_for_payment == (  # BR-CO-16
        t.total_with_vat - (t.paid_amount or 0) + (t.rounding_amount or 0))
    for b in inv.vat_breakdown:  # BR-CO-17
        assert b.tax_amount == round_amount(b.taxable_amount * (b.rate or 0) / 100)
    assert sum(b.taxable_amount for b in inv.vat_breakdown) == t.total_without_vat


@given(invoices())
def test_totals_are_idempotent(inv: Invoice) -> None:
    """Recomputing the totals of a consistent invoice changes nothing but BT-113 effects."""
    again = with_totals(inv)
    assert again.vat_breakdown == inv.vat_breakdown
    assert again.lines == inv.lines
