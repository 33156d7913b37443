"""The canonical invoice: every business group and term of EN 16931 (BG-1…BG-32, BT-1…BT-165).

One model for every format.  Field names are the EN 16931 term names in snake_case; each field
records its ``BT-…``/``BG-…`` id in its metadata (``json_schema_extra["bt"]``), read by the
formats, the rules and the loss reports.  Money, quantities and rates are :class:`~decimal.Decimal`;
dates are :class:`datetime.date`; repeating groups are tuples (the model is immutable).

Everything is optional at the type level: an incomplete document loads, and the business rules
(BR-01…BR-65) say what is missing.  Building an invoice in code validates codes and SIRETs
strictly; readers use :func:`chorus_core.model.lenient` to keep what they read.

More information:

* EN 16931-1:2017 semantic data model
* https://github.com/ConnectingEurope/eInvoicing-EN16931

>>> from decimal import Decimal
>>> inv = Invoice(invoice_number="F-1", invoice_currency_code="EUR",
...               buyer=Buyer(name="Mairie", identifier=Identifier(value="21310555400017",
...                                                                 scheme_id="0009")))
>>> inv.buyer.identifier.value
'21310555400017'
>>> Invoice(invoice_currency_code="EURO")
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Invoice
invoice_currency_code
  'EURO' is not a code of ISO 4217 [type=code_unknown, input_value='EURO', input_type=str]
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo, field_validator

from . import codelists as cl
from ._base import (
    Amount,
    CanonicalModel,
    Percentage,
    Quantity,
    UnitPrice,
    brief,
    bt,
    bt_many,
    capped,
    check_siret,
    coded,
    is_lenient,
)

__all__ = [
    "CREDIT_NOTE_TYPE_CODES",
    "Address",
    "AttributeItem",
    "Buyer",
    "ClassificationIdentifier",
    "Contact",
    "CreditTransfer",
    "DeliveryInformation",
    "DirectDebit",
    "DocumentAllowance",
    "DocumentCharge",
    "DocumentTotals",
    "Identifier",
    "Invoice",
    "InvoiceLine",
    "InvoiceNote",
    "ItemInformation",
    "LineAllowance",
    "LineCharge",
    "LinePeriod",
    "LineVatInformation",
    "Payee",
    "PaymentCard",
    "PaymentInstructions",
    "Period",
    "PrecedingInvoiceReference",
    "PriceDetails",
    "ProcessControl",
    "Seller",
    "SellerTaxRepresentative",
    "SupportingDocument",
    "VatBreakdown",
]

CREDIT_NOTE_TYPE_CODES = cl.CREDIT_NOTE_TYPE_CODES
"""UNTDID 1001 codes of credit notes (written as UBL ``CreditNote``)."""

CurrencyCode = Annotated[str, AfterValidator(coded("ISO 4217", cl.CURRENCY_CODES))]
CountryCode = Annotated[str, AfterValidator(coded("ISO 3166-1", cl.COUNTRY_CODES))]
VatCategoryCode = Annotated[str, AfterValidator(coded("UNTDID 5305", cl.VAT_CATEGORY_CODES))]
PaymentMeansCode = Annotated[str, AfterValidator(coded("UNTDID 4461", cl.PAYMENT_MEANS_CODES))]
DocumentTypeCode = Annotated[
    str,
    AfterValidator(coded("UNTDID 1001", cl.INVOICE_TYPE_CODES | cl.CREDIT_NOTE_TYPE_CODES)),
]
VatPointDateCode = Annotated[str, AfterValidator(coded("UNTDID 2005", cl.VAT_POINT_DATE_CODES))]
UnitCode = Annotated[str, AfterValidator(coded("UN/ECE Rec. 20/21", cl.UNIT_CODES))]
MimeCode = Annotated[str, AfterValidator(coded("MIME (BR-CL-24)", cl.MIME_CODES))]
AllowanceReasonCode = Annotated[
    str, AfterValidator(coded("UNTDID 5189", cl.ALLOWANCE_REASON_CODES))
]
ChargeReasonCode = Annotated[str, AfterValidator(coded("UNTDID 7161", cl.CHARGE_REASON_CODES))]
VatexCode = Annotated[str, AfterValidator(coded("VATEX", cl.VATEX_CODES))]

SIRET_SCHEMES = frozenset({"0009"})
"""ISO 6523 ICD schemes whose identifiers are SIRETs (checked on the building path)."""


# ---------------------------------------------------------------- shared small groups


class Identifier(CanonicalModel):
    """An identifier with an optional scheme (ISO 6523 ICD, EAS, UNTDID 1153, …).

    On the building path, a value under the SIRET scheme ``0009`` must pass the SIRET check
    digits (python-stdnum, La Poste exception included).

    >>> Identifier(value="12345678901234", scheme_id="0009")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Identifier
    value
      '12345678901234' is not a valid SIRET: ... [type=siret_invalid, ...]
    """

    scheme_id: str | None = None
    value: str | None = None

    @field_validator("value")
    @classmethod
    def _check_siret(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or is_lenient(info) or info.data.get("scheme_id") not in SIRET_SCHEMES:
            return value
        return check_siret(value)


class ClassificationIdentifier(CanonicalModel):
    """Item classification identifier (BT-158) with its scheme (BT-158-1) and version (BT-158-2)."""

    value: str | None = None
    scheme_id: str | None = None
    scheme_version_id: str | None = None


class Address(CanonicalModel):
    """A postal address (BG-5, BG-8, BG-12, BG-15): three lines, city, post code, subdivision,
    country (ISO 3166-1 alpha-2)."""

    line_one: str | None = None
    line_two: str | None = None
    line_three: str | None = None
    city: str | None = None
    post_code: str | None = None
    country_subdivision: str | None = None
    country_code: CountryCode | None = None


class Contact(CanonicalModel):
    """A contact (BG-6 seller contact, BG-9 buyer contact)."""

    point: str | None = None
    telephone: str | None = None
    email: str | None = None


class Period(CanonicalModel):
    """A period with start and end dates (BG-14 invoicing period)."""

    start_date: date | None = bt("BT-73")
    end_date: date | None = bt("BT-74")


class LinePeriod(CanonicalModel):
    """Invoice line period (BG-26)."""

    start_date: date | None = bt("BT-134")
    end_date: date | None = bt("BT-135")


# ---------------------------------------------------------------- header groups


class InvoiceNote(CanonicalModel):
    """Invoice note (BG-1): a text with an optional subject code (UNTDID 4451)."""

    subject_code: str | None = bt("BT-21")
    note: str | None = bt("BT-22")


class ProcessControl(CanonicalModel):
    """Process control (BG-2): business process (BT-23, the Chorus Pro *cadre de facturation*)
    and specification identifier (BT-24)."""

    business_process_type: str | None = bt("BT-23")
    specification_identifier: str | None = bt("BT-24")


class PrecedingInvoiceReference(CanonicalModel):
    """Preceding invoice reference (BG-3)."""

    reference: str | None = bt("BT-25")
    issue_date: date | None = bt("BT-26")


class Seller(CanonicalModel):
    """Seller (BG-4) with its postal address (BG-5) and contact (BG-6)."""

    name: str | None = bt("BT-27")
    trading_name: str | None = bt("BT-28")
    identifiers: tuple[Identifier, ...] = bt_many("BT-29", scheme_id="BT-29-1")
    legal_registration_identifier: Identifier | None = bt("BT-30", scheme_id="BT-30-1")
    vat_identifier: str | None = bt("BT-31")
    tax_registration_identifier: str | None = bt("BT-32")
    additional_legal_information: str | None = bt("BT-33")
    electronic_address: Identifier | None = bt("BT-34", scheme_id="BT-34-1")
    postal_address: Address | None = bt(
        "BG-5", line_one="BT-35", line_two="BT-36", line_three="BT-162", city="BT-37",
        post_code="BT-38", country_subdivision="BT-39", country_code="BT-40",
    )
    contact: Contact | None = bt("BG-6", point="BT-41", telephone="BT-42", email="BT-43")


class Buyer(CanonicalModel):
    """Buyer (BG-7) with its postal address (BG-8) and contact (BG-9).

    For Chorus Pro the buyer is the public entity; its SIRET is read from BT-46, BT-47 or BT-49
    (see :mod:`chorus_core.model.routing`).
    """

    name: str | None = bt("BT-44")
    trading_name: str | None = bt("BT-45")
    identifier: Identifier | None = bt("BT-46", scheme_id="BT-46-1")
    legal_registration_identifier: Identifier | None = bt("BT-47", scheme_id="BT-47-1")
    vat_identifier: str | None = bt("BT-48")
    electronic_address: Identifier | None = bt("BT-49", scheme_id="BT-49-1")
    postal_address: Address | None = bt(
        "BG-8", line_one="BT-50", line_two="BT-51", line_three="BT-163", city="BT-52",
        post_code="BT-53", country_subdivision="BT-54", country_code="BT-55",
    )
    contact: Contact | None = bt("BG-9", point="BT-56", telephone="BT-57", email="BT-58")


class Payee(CanonicalModel):
    """Payee (BG-10), when different from the seller."""

    name: str | None = bt("BT-59")
    identifier: Identifier | None = bt("BT-60", scheme_id="BT-60-1")
    legal_registration_identifier: Identifier | None = bt("BT-61", scheme_id="BT-61-1")


class SellerTaxRepresentative(CanonicalModel):
    """Seller tax representative party (BG-11) and its postal address (BG-12)."""

    name: str | None = bt("BT-62")
    vat_identifier: str | None = bt("BT-63")
    postal_address: Address | None = bt(
        "BG-12", line_one="BT-64", line_two="BT-65", line_three="BT-164", city="BT-66",
        post_code="BT-67", country_subdivision="BT-68", country_code="BT-69",
    )


class DeliveryInformation(CanonicalModel):
    """Delivery information (BG-13) and deliver-to address (BG-15)."""

    party_name: str | None = bt("BT-70")
    location_identifier: Identifier | None = bt("BT-71", scheme_id="BT-71-1")
    actual_delivery_date: date | None = bt("BT-72")
    address: Address | None = bt(
        "BG-15", line_one="BT-75", line_two="BT-76", line_three="BT-165", city="BT-77",
        post_code="BT-78", country_subdivision="BT-79", country_code="BT-80",
    )


class CreditTransfer(CanonicalModel):
    """Credit transfer (BG-17): the account to pay to."""

    account_identifier: str | None = bt("BT-84")
    account_name: str | None = bt("BT-85")
    service_provider_identifier: str | None = bt("BT-86")


class PaymentCard(CanonicalModel):
    """Payment card information (BG-18)."""

    primary_account_number: str | None = bt("BT-87")
    holder_name: str | None = bt("BT-88")


class DirectDebit(CanonicalModel):
    """Direct debit (BG-19); not used by Chorus Pro."""

    mandate_reference_identifier: str | None = bt("BT-89")
    bank_assigned_creditor_identifier: str | None = bt("BT-90")
    debited_account_identifier: str | None = bt("BT-91")


class PaymentInstructions(CanonicalModel):
    """Payment instructions (BG-16): means (UNTDID 4461), text, remittance information and the
    credit transfer (BG-17), card (BG-18) or direct debit (BG-19) details."""

    payment_means_type_code: PaymentMeansCode | None = bt("BT-81")
    payment_means_text: str | None = bt("BT-82")
    remittance_information: str | None = bt("BT-83")
    credit_transfers: tuple[CreditTransfer, ...] = bt_many("BG-17")
    payment_card: PaymentCard | None = bt("BG-18")
    direct_debit: DirectDebit | None = bt("BG-19")


class DocumentAllowance(CanonicalModel):
    """Document level allowance (BG-20)."""

    amount: Amount | None = bt("BT-92")
    base_amount: Amount | None = bt("BT-93")
    percentage: Percentage | None = bt("BT-94")
    vat_category_code: VatCategoryCode | None = bt("BT-95")
    vat_rate: Percentage | None = bt("BT-96")
    reason: str | None = bt("BT-97")
    reason_code: AllowanceReasonCode | None = bt("BT-98")


class DocumentCharge(CanonicalModel):
    """Document level charge (BG-21)."""

    amount: Amount | None = bt("BT-99")
    base_amount: Amount | None = bt("BT-100")
    percentage: Percentage | None = bt("BT-101")
    vat_category_code: VatCategoryCode | None = bt("BT-102")
    vat_rate: Percentage | None = bt("BT-103")
    reason: str | None = bt("BT-104")
    reason_code: ChargeReasonCode | None = bt("BT-105")


class DocumentTotals(CanonicalModel):
    """Document totals (BG-22); see :func:`chorus_core.model.totals.compute_totals`."""

    sum_of_line_net_amounts: Amount | None = bt("BT-106")
    sum_of_allowances: Amount | None = bt("BT-107")
    sum_of_charges: Amount | None = bt("BT-108")
    total_without_vat: Amount | None = bt("BT-109")
    total_vat_amount: Amount | None = bt("BT-110")
    total_vat_amount_in_accounting_currency: Amount | None = bt("BT-111")
    total_with_vat: Amount | None = bt("BT-112")
    paid_amount: Amount | None = bt("BT-113")
    rounding_amount: Amount | None = bt("BT-114")
    amount_due_for_payment: Amount | None = bt("BT-115")


class VatBreakdown(CanonicalModel):
    """VAT breakdown (BG-23): one per VAT category and rate."""

    taxable_amount: Amount | None = bt("BT-116")
    tax_amount: Amount | None = bt("BT-117")
    category_code: VatCategoryCode | None = bt("BT-118")
    rate: Percentage | None = bt("BT-119")
    exemption_reason: str | None = bt("BT-120")
    exemption_reason_code: VatexCode | None = bt("BT-121")


class SupportingDocument(CanonicalModel):
    """Additional supporting document (BG-24).  ``attached_document`` keeps the bytes exactly."""

    reference: str | None = bt("BT-122")
    description: str | None = bt("BT-123")
    external_location: str | None = bt("BT-124")
    attached_document: bytes | None = bt("BT-125")
    mime_code: MimeCode | None = bt("BT-125-1")
    filename: str | None = bt("BT-125-2")


# ---------------------------------------------------------------- lines


class LineAllowance(CanonicalModel):
    """Invoice line allowance (BG-27)."""

    amount: Amount | None = bt("BT-136")
    base_amount: Amount | None = bt("BT-137")
    percentage: Percentage | None = bt("BT-138")
    reason: str | None = bt("BT-139")
    reason_code: AllowanceReasonCode | None = bt("BT-140")


class LineCharge(CanonicalModel):
    """Invoice line charge (BG-28)."""

    amount: Amount | None = bt("BT-141")
    base_amount: Amount | None = bt("BT-142")
    percentage: Percentage | None = bt("BT-143")
    reason: str | None = bt("BT-144")
    reason_code: ChargeReasonCode | None = bt("BT-145")


class PriceDetails(CanonicalModel):
    """Price details (BG-29): net price, discount, gross price and price base quantity."""

    net_price: UnitPrice | None = bt("BT-146")
    price_discount: UnitPrice | None = bt("BT-147")
    gross_price: UnitPrice | None = bt("BT-148")
    base_quantity: Quantity | None = bt("BT-149")
    base_quantity_unit_code: UnitCode | None = bt("BT-150")


class LineVatInformation(CanonicalModel):
    """Line VAT information (BG-30)."""

    category_code: VatCategoryCode | None = bt("BT-151")
    rate: Percentage | None = bt("BT-152")


class AttributeItem(CanonicalModel):
    """Item attribute (BG-32)."""

    name: str | None = bt("BT-160")
    value: str | None = bt("BT-161")


class ItemInformation(CanonicalModel):
    """Item information (BG-31) with its attributes (BG-32)."""

    name: str | None = bt("BT-153")
    description: str | None = bt("BT-154")
    seller_identifier: str | None = bt("BT-155")
    buyer_identifier: str | None = bt("BT-156")
    standard_identifier: Identifier | None = bt("BT-157", scheme_id="BT-157-1")
    classification_identifiers: tuple[ClassificationIdentifier, ...] = bt_many(
        "BT-158", scheme_id="BT-158-1", scheme_version_id="BT-158-2"
    )
    country_of_origin: CountryCode | None = bt("BT-159")
    attributes: tuple[AttributeItem, ...] = bt_many("BG-32")


class InvoiceLine(CanonicalModel):
    """Invoice line (BG-25)."""

    identifier: str | None = bt("BT-126")
    note: str | None = bt("BT-127")
    object_identifier: Identifier | None = bt("BT-128", scheme_id="BT-128-1")
    invoiced_quantity: Quantity | None = bt("BT-129")
    invoiced_quantity_unit_code: UnitCode | None = bt("BT-130")
    net_amount: Amount | None = bt("BT-131")
    purchase_order_line_reference: str | None = bt("BT-132")
    buyer_accounting_reference: str | None = bt("BT-133")
    period: LinePeriod | None = bt("BG-26")
    allowances: tuple[LineAllowance, ...] = bt_many("BG-27")
    charges: tuple[LineCharge, ...] = bt_many("BG-28")
    price_details: PriceDetails | None = bt("BG-29")
    vat_information: LineVatInformation | None = bt("BG-30")
    item: ItemInformation | None = bt("BG-31")


# ---------------------------------------------------------------- the invoice


class Invoice(CanonicalModel):
    """An invoice or credit note in the EN 16931 semantic model (the canonical model)."""

    invoice_number: str | None = bt("BT-1")
    invoice_issue_date: date | None = bt("BT-2")
    invoice_type_code: DocumentTypeCode | None = bt("BT-3")
    invoice_currency_code: CurrencyCode | None = bt("BT-5")
    vat_accounting_currency_code: CurrencyCode | None = bt("BT-6")
    value_added_tax_point_date: date | None = bt("BT-7")
    value_added_tax_point_date_code: VatPointDateCode | None = bt("BT-8")
    payment_due_date: date | None = bt("BT-9")
    buyer_reference: str | None = bt("BT-10")
    project_reference: str | None = bt("BT-11")
    contract_reference: str | None = bt("BT-12")
    purchase_order_reference: str | None = bt("BT-13")
    sales_order_reference: str | None = bt("BT-14")
    receiving_advice_reference: str | None = bt("BT-15")
    despatch_advice_reference: str | None = bt("BT-16")
    tender_or_lot_reference: str | None = bt("BT-17")
    invoiced_object_identifier: Identifier | None = bt("BT-18", scheme_id="BT-18-1")
    buyer_accounting_reference: str | None = bt("BT-19")
    payment_terms: str | None = bt("BT-20")
    notes: tuple[InvoiceNote, ...] = bt_many("BG-1")
    process_control: ProcessControl | None = bt("BG-2")
    preceding_invoice_references: tuple[PrecedingInvoiceReference, ...] = bt_many("BG-3")
    seller: Seller | None = bt("BG-4")
    buyer: Buyer | None = bt("BG-7")
    payee: Payee | None = bt("BG-10")
    seller_tax_representative: SellerTaxRepresentative | None = bt("BG-11")
    delivery: DeliveryInformation | None = bt("BG-13")
    invoicing_period: Period | None = bt("BG-14")
    payment_instructions: PaymentInstructions | None = bt("BG-16")
    allowances: tuple[DocumentAllowance, ...] = bt_many("BG-20")
    charges: tuple[DocumentCharge, ...] = bt_many("BG-21")
    totals: DocumentTotals | None = bt("BG-22")
    vat_breakdown: tuple[VatBreakdown, ...] = bt_many("BG-23")
    supporting_documents: tuple[SupportingDocument, ...] = bt_many("BG-24")
    lines: tuple[InvoiceLine, ...] = bt_many("BG-25")

    @property
    def is_credit_note(self) -> bool:
        """True when BT-3 is a credit note type code (381, 261, 396, …)."""
        return self.invoice_type_code in CREDIT_NOTE_TYPE_CODES

    def __repr__(self) -> str:
        """A one-line summary (never a dump, at most :data:`~chorus_core.model.REPR_MAX`
        characters): number, type, issue date, seller, buyer, number of lines, total with VAT.

        >>> Invoice(invoice_number="F-1", invoice_type_code="380", seller=Seller(name="ACME"))
        Invoice(number='F-1', type=380, issued=None, seller='ACME', buyer=None, lines=0,
                total=None)
        """
        kind = self.invoice_type_code
        type_text = kind if kind is not None and kind.isdigit() and len(kind) <= 3 else (
            brief(kind, 10) if kind is not None else "None")
        total = self.totals.total_with_vat if self.totals is not None else None
        currency = self.invoice_currency_code
        total_text = "None" if total is None else brief(total, 15) + (
            f" {currency if len(currency) <= 5 else currency[:4] + '…'}" if currency else "")
        seller = self.seller.name if self.seller is not None else None
        buyer = self.buyer.name if self.buyer is not None else None
        return capped(
            f"Invoice(number={_brief_or_none(self.invoice_number)}, type={type_text}, "
            f"issued={self.invoice_issue_date}, seller={_brief_or_none(seller)}, "
            f"buyer={_brief_or_none(buyer)}, lines={len(self.lines)}, total={total_text})"
        )

    def _repr_html_(self) -> str:
        """The notebook view (Jupyter): header, parties and routing, lines, totals, VAT."""
        from .._html import invoice_html

        return invoice_html(self)


def _brief_or_none(text: str | None) -> str:
    return "None" if text is None else brief(text)
