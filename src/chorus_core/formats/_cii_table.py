"""CII D16B binding tables: namespaces, element names and the BT ↔ element rows shared by the
reader and the writer of :mod:`chorus_core.formats.cii`.

Each leaf table lists ``(element, model field, kind, BT)`` rows **in the element order of the
D16B XSD** (``CrossIndustryInvoice_100pD16B.xsd``): the writer emits the rows in this order, the
reader looks rows up by element name.  Kinds are ``text``, ``amount`` (a decimal) and ``date``
(``udt:DateTimeString`` with ``format="102"``).

Only the flat groups are tables; the nested ones (parties, payment means, lines) are code in
:mod:`chorus_core.formats.cii`, each branch commented with its BT id.

More information:

* ``../shared/corpus/en16931/mapping/en16931_bt_ubl_cii_xpaths.csv`` (a guide)
* UN/CEFACT CII D16B SCRDM subset, ``ReusableAggregateBusinessInformationEntity_100pD16B.xsd``

>>> [row.element for row in ADDRESS][:3]
['PostcodeCode', 'LineOne', 'LineTwo']
>>> VAT_POINT_DATE_CODE_TO_CII["3"], VAT_POINT_DATE_CODE_FROM_CII["5"]
('5', '3')
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = [
    "ADDRESS",
    "ALLOWANCE_CHARGE",
    "HEADER_TOTALS",
    "QDT",
    "RAM",
    "RSM",
    "UDT",
    "VAT_BREAKDOWN",
    "VAT_POINT_DATE_CODE_FROM_CII",
    "VAT_POINT_DATE_CODE_TO_CII",
    "Row",
]

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"

Kind = Literal["text", "amount", "date"]


class Row(NamedTuple):
    """One leaf binding: a ``ram:`` element, the model field it carries, its kind and BT id."""

    element: str
    field: str
    kind: Kind
    bt: str


ADDRESS: tuple[Row, ...] = (
    # BG-5 / BG-8 / BG-12 / BG-15; BT ids given for the seller (BG-5), the others are parallel
    Row("PostcodeCode", "post_code", "text", "BT-38"),
    Row("LineOne", "line_one", "text", "BT-35"),
    Row("LineTwo", "line_two", "text", "BT-36"),
    Row("LineThree", "line_three", "text", "BT-162"),
    Row("CityName", "city", "text", "BT-37"),
    Row("CountryID", "country_code", "text", "BT-40"),
    Row("CountrySubDivisionName", "country_subdivision", "text", "BT-39"),
)
"""``ram:PostalTradeAddress`` (TradeAddressType)."""

HEADER_TOTALS: tuple[Row, ...] = (
    # BG-22 ``ram:SpecifiedTradeSettlementHeaderMonetarySummation``; TaxTotalAmount appears
    # twice, told apart by @currencyID (BT-110 in BT-5, BT-111 in BT-6): handled in code.
    Row("LineTotalAmount", "sum_of_line_net_amounts", "amount", "BT-106"),
    Row("ChargeTotalAmount", "sum_of_charges", "amount", "BT-108"),
    Row("AllowanceTotalAmount", "sum_of_allowances", "amount", "BT-107"),
    Row("TaxBasisTotalAmount", "total_without_vat", "amount", "BT-109"),
    Row("TaxTotalAmount", "total_vat_amount", "amount", "BT-110"),
    Row("RoundingAmount", "rounding_amount", "amount", "BT-114"),
    Row("GrandTotalAmount", "total_with_vat", "amount", "BT-112"),
    Row("TotalPrepaidAmount", "paid_amount", "amount", "BT-113"),
    Row("DuePayableAmount", "amount_due_for_payment", "amount", "BT-115"),
)
"""BG-22 document totals."""

ALLOWANCE_CHARGE: tuple[Row, ...] = (
    # BG-20/BG-21/BG-27/BG-28 ``ram:SpecifiedTradeAllowanceCharge`` after ``ChargeIndicator``
    # and before ``CategoryTradeTax``; BT ids given for BG-20.
    Row("CalculationPercent", "percentage", "amount", "BT-94"),
    Row("BasisAmount", "base_amount", "amount", "BT-93"),
    Row("ActualAmount", "amount", "amount", "BT-92"),
    Row("ReasonCode", "reason_code", "text", "BT-98"),
    Row("Reason", "reason", "text", "BT-97"),
)
"""Allowance and charge leaves (TradeAllowanceChargeType)."""

VAT_BREAKDOWN: tuple[Row, ...] = (
    # BG-23 ``ram:ApplicableTradeTax`` (TradeTaxType); TypeCode ``VAT`` is written after
    # CalculatedAmount, TaxPointDate (BT-7) and DueDateTypeCode (BT-8) are handled in code.
    Row("CalculatedAmount", "tax_amount", "amount", "BT-117"),
    Row("ExemptionReason", "exemption_reason", "text", "BT-120"),
    Row("BasisAmount", "taxable_amount", "amount", "BT-116"),
    Row("CategoryCode", "category_code", "text", "BT-118"),
    Row("ExemptionReasonCode", "exemption_reason_code", "text", "BT-121"),
    Row("RateApplicablePercent", "rate", "amount", "BT-119"),
)
"""VAT breakdown leaves, in XSD order."""

VAT_POINT_DATE_CODE_TO_CII: dict[str, str] = {"3": "5", "35": "29", "432": "72"}
"""BT-8: the model holds UNTDID 2005 (as UBL); CII carries UNTDID 2475 (BR-CL-… CII lists)."""

VAT_POINT_DATE_CODE_FROM_CII: dict[str, str] = {v: k for k, v in VAT_POINT_DATE_CODE_TO_CII.items()}
"""BT-8: UNTDID 2475 (CII ``ram:DueDateTypeCode``) back to UNTDID 2005; other codes kept as read."""
