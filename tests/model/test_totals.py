"""Totals computed from lines satisfy the EN 16931 calculation rules."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import given

from chorus_core.errors import CalculationError, ChorusError
from chorus_core.formats import read
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
    compute_vat_breakdown,
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


UBL = "urn:oasis:names:specification:ubl:schema:xsd:"


def _ubl_line(quantity: str, price: str) -> bytes:
    return (f"<Invoice xmlns='{UBL}Invoice-2' xmlns:cac='{UBL}CommonAggregateComponents-2' "
            f"xmlns:cbc='{UBL}CommonBasicComponents-2'><cbc:ID>1</cbc:ID><cac:InvoiceLine>"
            f"<cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode='C62'>{quantity}"
            "</cbc:InvoicedQuantity><cac:Price><cbc:PriceAmount currencyID='EUR'>"
            f"{price}</cbc:PriceAmount></cac:Price></cac:InvoiceLine></Invoice>").encode()


def test_a_read_quantity_too_large_gives_a_calculation_error_naming_bt_131() -> None:
    """with_totals(read(x)) never lets a decimal exception out: CalculationError, BT-131, line."""
    inv = read(_ubl_line("1" + "0" * 150, "1"))  # 153 digits once rounded to the cent
    with pytest.raises(CalculationError) as info:
        with_totals(inv)
    assert (info.value.bt, info.value.path) == ("BT-131", "lines[0]")
    assert isinstance(info.value, ChorusError)


@pytest.mark.parametrize(("quantity", "price", "signal"), [
    ("1e308", "1", "InvalidOperation"),  # 311 digits once rounded to the cent
    ("1e999999", "1e999999", "Overflow"),
    ("1e77", "10", "InvalidOperation"),  # 81 digits: one too many
])
def test_values_too_large_give_a_calculation_error(quantity: str, price: str, signal: str) -> None:
    """Exponents the model accepts: CalculationError naming BT-131 and the line, and why."""
    inv = Invoice(lines=(_line("1", "1"), _line(quantity, price)))
    with pytest.raises(CalculationError) as info:
        with_totals(inv)
    assert (info.value.bt, info.value.path) == ("BT-131", "lines[1]")
    assert signal in str(info.value)


def test_largest_computable_amount_is_exact() -> None:
    """78 integer digits still compute to the cent; 29-digit prices are exact."""
    assert line_net_amount(_line("1", "9" * 78, rate="0", cat="E")) == D("9" * 78 + ".00")
    inv = with_totals(read(_ubl_line("1", "1" + "0" * 28)))
    assert inv.lines[0].net_amount == D("1" + "0" * 28 + ".00")
    assert inv.totals is not None and inv.totals.total_without_vat == D("1" + "0" * 28 + ".00")


def test_forty_digit_decimals_round_like_exact_arithmetic() -> None:
    """Quantity and price of 40 digits: the cents equal an exact 200-digit computation."""
    qty = "1234567890.123456789012345678901234567891"
    price = "0.9999999999999999999999999999999999999995"
    with decimal.localcontext(decimal.Context(prec=200)):
        exact = (D(qty) * D(price)).quantize(D("0.01"), rounding=decimal.ROUND_HALF_UP)
    assert line_net_amount(_line(qty, price)) == exact


def test_the_callers_decimal_context_does_not_matter() -> None:
    """A 5-digit context with every trap set gives the same totals, and is left as it was."""
    inv = Invoice(lines=(_line("3", "41152.26"), _line("1", "0.01", rate="5.5")))
    expected = with_totals(inv)
    strict = decimal.Context(prec=5, traps=[
        decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Overflow,
        decimal.Underflow, decimal.Subnormal, decimal.Clamped, decimal.DivisionByZero])
    with decimal.localcontext(strict) as ctx:
        assert with_totals(inv) == expected
        assert ctx.prec == 5 and not ctx.flags[decimal.Inexact]
    assert expected.totals is not None and expected.totals.total_with_vat == D("148148.15")


def test_a_huge_stated_line_amount_names_bt_116() -> None:
    """A stated BT-131 too large to round is reported on the VAT breakdown being computed."""
    line = _line("1", "1").model_copy(update={"net_amount": D("1e500")})
    with pytest.raises(CalculationError) as info:
        compute_vat_breakdown(Invoice(lines=(line,)))
    assert (info.value.bt, info.value.path) == ("BT-116", "vat_breakdown[0]")


def test_overflowing_sums_name_their_term() -> None:
    """Two allowances of 9e999999 overflow BT-116 in the breakdown, BT-107 in the totals."""
    huge = DocumentAllowance(amount=D("9e999999"), vat_category_code="S", vat_rate=D("20"))
    inv = Invoice(lines=(_line("1", "1"),), allowances=(huge, huge))
    with pytest.raises(CalculationError) as info:
        with_totals(inv)
    assert (info.value.bt, info.value.path) == ("BT-116", "allowances[1]")
    with pytest.raises(CalculationError) as info:
        compute_totals(inv, breakdown=())
    assert info.value.bt == "BT-107"


def test_not_a_number_never_reaches_a_total() -> None:
    """A NaN smuggled past validation (model_construct) is a CalculationError, not a NaN total."""
    line = InvoiceLine.model_construct(
        invoiced_quantity=D("NaN"), price_details=PriceDetails(net_price=D("1")),
        allowances=(), charges=(), vat_information=None, net_amount=None)
    with pytest.raises(CalculationError) as info:
        line_net_amount(line)
    assert info.value.bt == "BT-131" and info.value.path is None
    with pytest.raises(CalculationError) as info:
        round_amount(D("sNaN"))
    assert info.value.bt is None
