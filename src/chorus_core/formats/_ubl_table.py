"""UBL 2.1 binding table: namespaces, element names and the flat BT ↔ path rows.

One table per flat group, read by both :mod:`chorus_core.formats.ubl` directions: the reader
indexes the rows by their first element, the writer emits them in row order, which is the
element order of the OASIS XSD (``UBL-CommonAggregateComponents-2.1.xsd``).  Groups whose
binding needs a discriminator (``ChargeIndicator``, ``DocumentTypeCode`` 130/50, the
``TaxScheme`` ``VAT``, ``schemeID="SEPA"``, the ``#CODE#`` note prefix, the two ``TaxTotal``
by currency) are handled in code, with a comment citing the term.

Each row is ``Leaf(path, field, kind, bt)``: ``path`` is a tuple of Clark names from the group
element, ``kind`` one of ``text``, ``amount``, ``decimal``, ``date``.

>>> [leaf.bt for leaf in ADDRESS][:3]
['BT-35', 'BT-36', 'BT-37']
>>> ADDRESS[0].path == (CBC + "StreetName",)
True
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "ADDRESS",
    "BT_11_CREDIT_NOTE_TYPE",
    "BT_18_TYPE",
    "CAC",
    "CAC_NS",
    "CARD_NETWORK_DEFAULT",
    "CBC",
    "CBC_NS",
    "CONTACT",
    "CREDIT_NOTE",
    "CREDIT_NOTE_NS",
    "INVOICE",
    "INVOICE_NS",
    "MONETARY_TOTAL",
    "OTHER_TAX_SCHEME",
    "PREFIXES",
    "ROOT_ORDER",
    "SEPA",
    "Leaf",
]

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "{" + CAC_NS + "}"
CBC = "{" + CBC_NS + "}"
INVOICE = "{" + INVOICE_NS + "}Invoice"
CREDIT_NOTE = "{" + CREDIT_NOTE_NS + "}CreditNote"
PREFIXES = {CAC_NS: "cac", CBC_NS: "cbc", INVOICE_NS: "", CREDIT_NOTE_NS: ""}
"""Prefixes used in error paths and in written documents."""


class Leaf(NamedTuple):
    """One business term bound to an element path below its group element."""

    path: tuple[str, ...]
    field: str
    kind: str
    bt: str


def _leaf(path: str, field: str, kind: str, bt: str) -> Leaf:
    clark = tuple(
        (CAC if step.startswith("cac:") else CBC) + step[4:] for step in path.split("/")
    )
    return Leaf(clark, field, kind, bt)


ADDRESS = (
    _leaf("cbc:StreetName", "line_one", "text", "BT-35"),
    _leaf("cbc:AdditionalStreetName", "line_two", "text", "BT-36"),
    _leaf("cbc:CityName", "city", "text", "BT-37"),
    _leaf("cbc:PostalZone", "post_code", "text", "BT-38"),
    _leaf("cbc:CountrySubentity", "country_subdivision", "text", "BT-39"),
    _leaf("cac:AddressLine/cbc:Line", "line_three", "text", "BT-162"),
    _leaf("cac:Country/cbc:IdentificationCode", "country_code", "text", "BT-40"),
)
"""``cac:PostalAddress`` / ``cac:Address`` (BG-5; the same rows serve BG-8, BG-12 and BG-15,
whose BT ids follow the same order: BT-50…, BT-64…, BT-75…)."""

CONTACT = (
    _leaf("cbc:Name", "point", "text", "BT-41"),
    _leaf("cbc:Telephone", "telephone", "text", "BT-42"),
    _leaf("cbc:ElectronicMail", "email", "text", "BT-43"),
)
"""``cac:Contact`` (BG-6, BG-9)."""

MONETARY_TOTAL = (
    _leaf("cbc:LineExtensionAmount", "sum_of_line_net_amounts", "amount", "BT-106"),
    _leaf("cbc:TaxExclusiveAmount", "total_without_vat", "amount", "BT-109"),
    _leaf("cbc:TaxInclusiveAmount", "total_with_vat", "amount", "BT-112"),
    _leaf("cbc:AllowanceTotalAmount", "sum_of_allowances", "amount", "BT-107"),
    _leaf("cbc:ChargeTotalAmount", "sum_of_charges", "amount", "BT-108"),
    _leaf("cbc:PrepaidAmount", "paid_amount", "amount", "BT-113"),
    _leaf("cbc:PayableRoundingAmount", "rounding_amount", "amount", "BT-114"),
    _leaf("cbc:PayableAmount", "amount_due_for_payment", "amount", "BT-115"),
)
"""``cac:LegalMonetaryTotal`` (BG-22 without BT-110/111, which live in ``cac:TaxTotal``)."""

ROOT_ORDER = {
    "Invoice": (
        "UBLExtensions UBLVersionID CustomizationID ProfileID ProfileExecutionID ID CopyIndicator "
        "UUID IssueDate IssueTime DueDate InvoiceTypeCode Note TaxPointDate DocumentCurrencyCode "
        "TaxCurrencyCode PricingCurrencyCode PaymentCurrencyCode PaymentAlternativeCurrencyCode "
        "AccountingCostCode AccountingCost LineCountNumeric BuyerReference InvoicePeriod "
        "OrderReference BillingReference DespatchDocumentReference ReceiptDocumentReference "
        "StatementDocumentReference OriginatorDocumentReference ContractDocumentReference "
        "AdditionalDocumentReference ProjectReference Signature AccountingSupplierParty "
        "AccountingCustomerParty PayeeParty BuyerCustomerParty SellerSupplierParty "
        "TaxRepresentativeParty Delivery DeliveryTerms PaymentMeans PaymentTerms PrepaidPayment "
        "AllowanceCharge TaxExchangeRate PricingExchangeRate PaymentExchangeRate "
        "PaymentAlternativeExchangeRate TaxTotal WithholdingTaxTotal LegalMonetaryTotal "
        "InvoiceLine"
    ).split(),
    "CreditNote": (
        "UBLExtensions UBLVersionID CustomizationID ProfileID ProfileExecutionID ID CopyIndicator "
        "UUID IssueDate IssueTime TaxPointDate CreditNoteTypeCode Note DocumentCurrencyCode "
        "TaxCurrencyCode PricingCurrencyCode PaymentCurrencyCode PaymentAlternativeCurrencyCode "
        "AccountingCostCode AccountingCost LineCountNumeric BuyerReference InvoicePeriod "
        "DiscrepancyResponse OrderReference BillingReference DespatchDocumentReference "
        "ReceiptDocumentReference ContractDocumentReference AdditionalDocumentReference "
        "StatementDocumentReference OriginatorDocumentReference Signature "
        "AccountingSupplierParty AccountingCustomerParty PayeeParty BuyerCustomerParty "
        "SellerSupplierParty TaxRepresentativeParty Delivery DeliveryTerms PaymentMeans "
        "PaymentTerms TaxExchangeRate PricingExchangeRate PaymentExchangeRate "
        "PaymentAlternativeExchangeRate AllowanceCharge TaxTotal LegalMonetaryTotal "
        "CreditNoteLine"
    ).split(),
}
"""Child element order of the two document roots, as in the OASIS maindoc XSDs.

The writer builds the header children in any order and sorts them with this table, so the two
roots (which differ: ``TaxPointDate``, ``OriginatorDocumentReference``…) share one code path.
"""

BT_11_CREDIT_NOTE_TYPE = "50"
"""BT-11 in a UBL 2.1 CreditNote (no ``ProjectReference``): an ``AdditionalDocumentReference``
with ``DocumentTypeCode`` 50 (Peppol BIS 3 convention, accepted by UBL-SR-43)."""

BT_18_TYPE = "130"
"""BT-18 invoiced object identifier: ``AdditionalDocumentReference`` with code 130."""

SEPA = "SEPA"
"""``schemeID`` that marks BT-90 (bank assigned creditor identifier) among party identifiers."""

CARD_NETWORK_DEFAULT = "NA"
"""``CardAccount/NetworkID`` is required by the XSD and has no EN 16931 term: written as NA."""

OTHER_TAX_SCHEME = "TAX"
"""``TaxScheme/ID`` written for BT-32 (seller tax registration, any scheme but VAT)."""
