"""UBL 2.1 (OASIS Universal Business Language): Invoice and CreditNote ↔ the canonical model.

The EN 16931 UBL binding (CEN/TS 16931-3-2), with the Chorus Pro placements: code service
(BT-10) in ``cbc:BuyerReference``, engagement juridique (BT-13) in ``cac:OrderReference/cbc:ID``,
numéro de marché (BT-12) in ``cac:ContractDocumentReference/cbc:ID``, cadre de facturation
(BT-23) in ``cbc:ProfileID``.  The buyer SIRET is read wherever the model keeps it (BT-46,
BT-47 or BT-49, see :mod:`chorus_core.model.routing`) and written where it was put; the
convention chorus_core produces is (c): BT-46, ``cac:PartyIdentification/cbc:ID`` with
``schemeID="0009"``.

The reader is lenient: it iterates the children of each element once, keeps invalid codes as
read, keeps text exactly (white space included; an empty element is the empty string, as in
the CII reader), and raises :class:`~chorus_core.errors.ReadError` (with the path and the BT)
only for a value the model cannot hold (an amount that is not a number, an impossible date,
broken base64).  The writer emits the element order of the OASIS XSDs, a ``CreditNote`` when
BT-3 is a credit note code, and only what the model holds, plus the few values the XSD
requires: ``TaxScheme/ID`` ``VAT``, ``ChargeIndicator``, ``CardAccount/NetworkID`` ``NA``, an
empty ``OrderReference/cbc:ID`` with BT-14 alone, a ``0`` price discount with a gross price
alone (both read back as absent), and BT-110 as the sum of BT-117 when it is missing.

More information:

* https://docs.oasis-open.org/ubl/os-UBL-2.1/
* https://github.com/ConnectingEurope/eInvoicing-EN16931 (UBL examples and Schematron)

>>> inv = read(b'''<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
...   xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
...   <cbc:ID>F-1</cbc:ID><cbc:BuyerReference>SERVICE-1</cbc:BuyerReference></Invoice>''')
>>> (inv.invoice_number, inv.buyer_reference)
('F-1', 'SERVICE-1')
>>> read(b"<CrossIndustryInvoice/>")
Traceback (most recent call last):
...
chorus_core.errors.UnknownFormatError: not a UBL 2.1 Invoice or CreditNote: root element is ...
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree
from pydantic import ValidationError

from ..errors import ReadError, UnknownFormatError
from ..model import LENIENT, Invoice
from ..model.invoice import (
    DocumentTotals,
    Identifier,
    InvoiceLine,
    ItemInformation,
    PaymentInstructions,
)
from ..xml import parse_xml
from ..xml.escape import escape_attr, escape_text
from ._ubl_table import (
    ADDRESS,
    BT_11_CREDIT_NOTE_TYPE,
    BT_18_TYPE,
    CAC,
    CAC_NS,
    CARD_NETWORK_DEFAULT,
    CBC,
    CBC_NS,
    CONTACT,
    CREDIT_NOTE,
    CREDIT_NOTE_NS,
    INVOICE,
    INVOICE_NS,
    MONETARY_TOTAL,
    OTHER_TAX_SCHEME,
    PREFIXES,
    SEPA,
    Leaf,
)

__all__ = ["detect", "read", "read_element", "write"]

Element = etree._Element
Dict = dict[str, Any]

_NOTE_CODE = re.compile(r"#([^#]*)#(.*)", re.DOTALL)


def detect(root: Element) -> bool:
    """True when ``root`` is a UBL 2.1 ``Invoice`` or ``CreditNote`` element.

    >>> from lxml import etree
    >>> ns = "urn:oasis:names:specification:ubl:schema:xsd:"
    >>> detect(etree.Element("{" + ns + "CreditNote-2}CreditNote"))
    True
    >>> detect(etree.Element("{" + ns + "Invoice-2}CrossIndustryInvoice"))
    False
    """
    return root.tag == INVOICE or root.tag == CREDIT_NOTE


def read(data: bytes | str | Element) -> Invoice:
    """Read a UBL 2.1 Invoice or CreditNote (bytes, str or a parsed root) into the model.

    Lenient: missing terms stay ``None``, invalid codes are kept as read, text is kept exactly.

    Raises :class:`~chorus_core.errors.MalformedXMLError` for malformed or hostile XML,
    :class:`~chorus_core.errors.UnknownFormatError` for another root and
    :class:`~chorus_core.errors.ReadError` for a value the model cannot hold.
    """
    return read_element(data if isinstance(data, etree._Element) else parse_xml(data))


def read_element(root: Element) -> Invoice:
    """Read an already parsed UBL root element (see :func:`read`)."""
    if root.tag == INVOICE:
        credit = False
    elif root.tag == CREDIT_NOTE:
        credit = True
    else:
        qname = etree.QName(root)
        where = f" in namespace {qname.namespace}" if qname.namespace else ""
        raise UnknownFormatError(
            f"not a UBL 2.1 Invoice or CreditNote: root element is {qname.localname}{where}"
        )
    data = _Reader(credit).document(root)
    try:
        return Invoice.model_validate(data, context=LENIENT)
    except ValidationError as exc:  # pragma: no cover - the reader converts values itself
        first = exc.errors()[0]
        raise ReadError(first["msg"], path=".".join(str(p) for p in first["loc"])) from None


# ---------------------------------------------------------------- reading: values


def _path(el: Element) -> str:
    """XPath-like location of ``el`` with UBL prefixes and positions (computed on error only)."""
    steps = []
    node: Element | None = el
    while node is not None:
        qname = etree.QName(node)
        prefix = PREFIXES.get(qname.namespace or "", "")
        step = f"{prefix}:{qname.localname}" if prefix else qname.localname
        parent = node.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == node.tag]
            if len(same) > 1:
                step += f"[{same.index(node) + 1}]"
        steps.append(step)
        node = parent
    return "/" + "/".join(reversed(steps))


def _text(el: Element) -> str:
    # exact text, as read: an empty element is the empty string (as in the CII reader)
    text = el.text
    return "" if text is None else text


def _number(el: Element, bt: str) -> Decimal:
    text = el.text or ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ReadError(f"{text.strip()!r} is not a number", path=_path(el), bt=bt) from None
    if not value.is_finite():
        raise ReadError(f"{text.strip()!r} is not a finite number", path=_path(el), bt=bt)
    return value


def _date(el: Element, bt: str) -> date:
    text = _text(el).strip()
    try:
        # xsd:date may carry a time zone (2020-01-31Z, 2020-01-31+01:00): the date is the day
        return date.fromisoformat(text[:10] if len(text) > 10 else text)
    except ValueError:
        raise ReadError(f"{text!r} is not a date (YYYY-MM-DD)", path=_path(el), bt=bt) from None


_CONVERT: dict[str, Callable[[Element, str], Any]] = {
    "amount": _number,
    "decimal": _number,
    "date": _date,
}


def _ident(el: Element) -> Dict:
    out: Dict = {"value": _text(el)}
    scheme = el.get("schemeID")
    if scheme is not None:
        out["scheme_id"] = scheme
    return out


_Row = tuple[str, tuple[str, ...], Callable[[Element, str], Any] | None, str]


def _index(table: Iterable[Leaf]) -> dict[str, tuple[_Row, ...]]:
    index: dict[str, list[_Row]] = {}
    for leaf in table:
        convert = None if leaf.kind == "text" else _CONVERT[leaf.kind]  # text is read inline
        index.setdefault(leaf.path[0], []).append((leaf.field, leaf.path[1:], convert, leaf.bt))
    return {tag: tuple(rows) for tag, rows in index.items()}


_ADDRESS_INDEX = _index(ADDRESS)
_CONTACT_INDEX = _index(CONTACT)
_TOTALS_INDEX = _index(MONETARY_TOTAL)


def _flat(el: Element, index: dict[str, tuple[_Row, ...]]) -> Dict | None:
    """Read the rows of a flat table below ``el`` (the first occurrence of a term wins)."""
    out: Dict = {}
    for child in el:
        rows = index.get(child.tag)
        if rows is None:
            continue
        for field, rest, convert, bt in rows:
            if field in out:
                continue
            target: Element | None = child
            for step in rest:
                target = _first(target, step) if target is not None else None
            if target is not None:
                out[field] = (target.text or "") if convert is None else convert(target, bt)
    return out or None


def _first(el: Element, tag: str) -> Element | None:
    # a loop over the children is three times faster than el.find(tag) (no ElementPath)
    for child in el:
        if child.tag == tag:
            return child
    return None


def _child_text(el: Element, *tags: str) -> str | None:
    node: Element | None = el
    for tag in tags:
        node = _first(node, tag) if node is not None else None
    return None if node is None else _text(node)


def _set(d: Dict, key: str, value: Any) -> None:
    if value is not None and key not in d:
        d[key] = value


# ---------------------------------------------------------------- reading: the document

# element names, computed once (the reader compares tags, it never concatenates them)
_cac_AccountingCustomerParty = CAC + "AccountingCustomerParty"
_cac_AccountingSupplierParty = CAC + "AccountingSupplierParty"
_cac_AdditionalDocumentReference = CAC + "AdditionalDocumentReference"
_cac_AdditionalItemProperty = CAC + "AdditionalItemProperty"
_cac_Address = CAC + "Address"
_cac_AllowanceCharge = CAC + "AllowanceCharge"
_cac_Attachment = CAC + "Attachment"
_cac_BillingReference = CAC + "BillingReference"
_cac_BuyersItemIdentification = CAC + "BuyersItemIdentification"
_cac_CardAccount = CAC + "CardAccount"
_cac_ClassifiedTaxCategory = CAC + "ClassifiedTaxCategory"
_cac_CommodityClassification = CAC + "CommodityClassification"
_cac_Contact = CAC + "Contact"
_cac_ContractDocumentReference = CAC + "ContractDocumentReference"
_cac_CreditNoteLine = CAC + "CreditNoteLine"
_cac_Delivery = CAC + "Delivery"
_cac_DeliveryLocation = CAC + "DeliveryLocation"
_cac_DeliveryParty = CAC + "DeliveryParty"
_cac_DespatchDocumentReference = CAC + "DespatchDocumentReference"
_cac_DocumentReference = CAC + "DocumentReference"
_cac_ExternalReference = CAC + "ExternalReference"
_cac_FinancialInstitutionBranch = CAC + "FinancialInstitutionBranch"
_cac_InvoiceDocumentReference = CAC + "InvoiceDocumentReference"
_cac_InvoiceLine = CAC + "InvoiceLine"
_cac_InvoicePeriod = CAC + "InvoicePeriod"
_cac_Item = CAC + "Item"
_cac_LegalMonetaryTotal = CAC + "LegalMonetaryTotal"
_cac_OrderLineReference = CAC + "OrderLineReference"
_cac_OrderReference = CAC + "OrderReference"
_cac_OriginCountry = CAC + "OriginCountry"
_cac_OriginatorDocumentReference = CAC + "OriginatorDocumentReference"
_cac_Party = CAC + "Party"
_cac_PartyIdentification = CAC + "PartyIdentification"
_cac_PartyLegalEntity = CAC + "PartyLegalEntity"
_cac_PartyName = CAC + "PartyName"
_cac_PartyTaxScheme = CAC + "PartyTaxScheme"
_cac_PayeeFinancialAccount = CAC + "PayeeFinancialAccount"
_cac_PayeeParty = CAC + "PayeeParty"
_cac_PaymentMandate = CAC + "PaymentMandate"
_cac_PaymentMeans = CAC + "PaymentMeans"
_cac_PaymentTerms = CAC + "PaymentTerms"
_cac_PostalAddress = CAC + "PostalAddress"
_cac_Price = CAC + "Price"
_cac_ProjectReference = CAC + "ProjectReference"
_cac_ReceiptDocumentReference = CAC + "ReceiptDocumentReference"
_cac_SellersItemIdentification = CAC + "SellersItemIdentification"
_cac_StandardItemIdentification = CAC + "StandardItemIdentification"
_cac_TaxCategory = CAC + "TaxCategory"
_cac_TaxRepresentativeParty = CAC + "TaxRepresentativeParty"
_cac_TaxSubtotal = CAC + "TaxSubtotal"
_cac_TaxTotal = CAC + "TaxTotal"
_cbc_AccountingCost = CBC + "AccountingCost"
_cbc_ActualDeliveryDate = CBC + "ActualDeliveryDate"
_cbc_AllowanceChargeReason = CBC + "AllowanceChargeReason"
_cbc_AllowanceChargeReasonCode = CBC + "AllowanceChargeReasonCode"
_cbc_Amount = CBC + "Amount"
_cbc_BaseAmount = CBC + "BaseAmount"
_cbc_BaseQuantity = CBC + "BaseQuantity"
_cbc_BuyerReference = CBC + "BuyerReference"
_cbc_ChargeIndicator = CBC + "ChargeIndicator"
_cbc_CompanyID = CBC + "CompanyID"
_cbc_CompanyLegalForm = CBC + "CompanyLegalForm"
_cbc_CreditNoteTypeCode = CBC + "CreditNoteTypeCode"
_cbc_CreditedQuantity = CBC + "CreditedQuantity"
_cbc_CustomizationID = CBC + "CustomizationID"
_cbc_Description = CBC + "Description"
_cbc_DescriptionCode = CBC + "DescriptionCode"
_cbc_DocumentCurrencyCode = CBC + "DocumentCurrencyCode"
_cbc_DocumentDescription = CBC + "DocumentDescription"
_cbc_DocumentTypeCode = CBC + "DocumentTypeCode"
_cbc_DueDate = CBC + "DueDate"
_cbc_EmbeddedDocumentBinaryObject = CBC + "EmbeddedDocumentBinaryObject"
_cbc_EndDate = CBC + "EndDate"
_cbc_EndpointID = CBC + "EndpointID"
_cbc_HolderName = CBC + "HolderName"
_cbc_ID = CBC + "ID"
_cbc_IdentificationCode = CBC + "IdentificationCode"
_cbc_InvoiceTypeCode = CBC + "InvoiceTypeCode"
_cbc_InvoicedQuantity = CBC + "InvoicedQuantity"
_cbc_IssueDate = CBC + "IssueDate"
_cbc_ItemClassificationCode = CBC + "ItemClassificationCode"
_cbc_LineExtensionAmount = CBC + "LineExtensionAmount"
_cbc_LineID = CBC + "LineID"
_cbc_MultiplierFactorNumeric = CBC + "MultiplierFactorNumeric"
_cbc_Name = CBC + "Name"
_cbc_Note = CBC + "Note"
_cbc_PaymentDueDate = CBC + "PaymentDueDate"
_cbc_PaymentID = CBC + "PaymentID"
_cbc_PaymentMeansCode = CBC + "PaymentMeansCode"
_cbc_Percent = CBC + "Percent"
_cbc_PriceAmount = CBC + "PriceAmount"
_cbc_PrimaryAccountNumberID = CBC + "PrimaryAccountNumberID"
_cbc_ProfileID = CBC + "ProfileID"
_cbc_RegistrationName = CBC + "RegistrationName"
_cbc_SalesOrderID = CBC + "SalesOrderID"
_cbc_StartDate = CBC + "StartDate"
_cbc_TaxAmount = CBC + "TaxAmount"
_cbc_TaxCurrencyCode = CBC + "TaxCurrencyCode"
_cbc_TaxExemptionReason = CBC + "TaxExemptionReason"
_cbc_TaxExemptionReasonCode = CBC + "TaxExemptionReasonCode"
_cbc_TaxPointDate = CBC + "TaxPointDate"
_cbc_TaxableAmount = CBC + "TaxableAmount"
_cbc_URI = CBC + "URI"
_cbc_Value = CBC + "Value"

_cac_TaxScheme = CAC + "TaxScheme"
_cac_PayerFinancialAccount = CAC + "PayerFinancialAccount"
_T = _cbc_ID


class _Reader:
    """One pass over a UBL document; builds the nested dict of the canonical model."""

    def __init__(self, credit: bool) -> None:
        self.credit = credit
        self.d: Dict = {}
        self.notes: list[Dict] = []
        self.process: Dict = {}
        self.preceding: list[Dict] = []
        self.documents: list[Dict] = []
        self.payment: Dict = {}
        self.transfers: list[Dict] = []
        self.sepa: str | None = None
        self.due_from_means: date | None = None
        self.terms: list[str] = []
        self.allowances: list[Dict] = []
        self.charges: list[Dict] = []
        self.breakdown: list[Dict] = []
        self.totals: Dict = {}
        self.lines: list[Dict] = []

    def document(self, root: Element) -> Dict:
        handlers = _ROOT_HANDLERS
        d = self.d
        for child in root:
            handler = handlers.get(child.tag)
            if handler is not None:
                handler(self, child)
        if self.notes:
            d["notes"] = self.notes
        if self.process:
            d["process_control"] = self.process
        if self.preceding:
            d["preceding_invoice_references"] = self.preceding
        if self.documents:
            d["supporting_documents"] = self.documents
        if self.terms:
            d["payment_terms"] = "\n".join(self.terms)
        if "payment_due_date" not in d and self.due_from_means is not None:
            d["payment_due_date"] = self.due_from_means  # BT-9 in a CreditNote
        if self.sepa is not None:  # BT-90 sits in a party identifier, UBL has no better place
            self.payment.setdefault("direct_debit", {})["bank_assigned_creditor_identifier"] = (
                self.sepa
            )
        if self.transfers:
            self.payment["credit_transfers"] = self.transfers
        if self.payment:
            d["payment_instructions"] = self.payment
        if self.allowances:
            d["allowances"] = self.allowances
        if self.charges:
            d["charges"] = self.charges
        if self.totals:
            d["totals"] = self.totals
        if self.breakdown:
            d["vat_breakdown"] = self.breakdown
        if self.lines:
            d["lines"] = self.lines
        return d

    # -- header leaves

    def customization(self, el: Element) -> None:
        self.process.setdefault("specification_identifier", el.text or "")  # BT-24

    def profile(self, el: Element) -> None:
        self.process.setdefault("business_process_type", el.text or "")  # BT-23, Chorus cadre

    def ident(self, el: Element) -> None:
        self.d.setdefault("invoice_number", el.text or "")

    def issue_date(self, el: Element) -> None:
        self.d.setdefault("invoice_issue_date", _date(el, "BT-2"))

    def due_date(self, el: Element) -> None:
        self.d.setdefault("payment_due_date", _date(el, "BT-9"))

    def type_code(self, el: Element) -> None:
        self.d.setdefault("invoice_type_code", el.text or "")

    def note(self, el: Element) -> None:
        text = _text(el)
        match = _NOTE_CODE.fullmatch(text)  # BT-21 as a "#CODE#" prefix of the note text
        if match:
            self.notes.append({"subject_code": match[1], "note": match[2]})
        else:
            self.notes.append({"note": text})

    def tax_point_date(self, el: Element) -> None:
        self.d.setdefault("value_added_tax_point_date", _date(el, "BT-7"))

    def currency(self, el: Element) -> None:
        self.d.setdefault("invoice_currency_code", el.text or "")

    def tax_currency(self, el: Element) -> None:
        self.d.setdefault("vat_accounting_currency_code", el.text or "")

    def accounting_cost(self, el: Element) -> None:
        self.d.setdefault("buyer_accounting_reference", el.text or "")

    def buyer_reference(self, el: Element) -> None:
        self.d.setdefault("buyer_reference", el.text or "")  # BT-10, Chorus code service

    def invoice_period(self, el: Element) -> None:
        period: Dict = {}
        for child in el:
            tag = child.tag
            if tag == _cbc_StartDate:
                period.setdefault("start_date", _date(child, "BT-73"))
            elif tag == _cbc_EndDate:
                period.setdefault("end_date", _date(child, "BT-74"))
            elif tag == _cbc_DescriptionCode:
                self.d.setdefault("value_added_tax_point_date_code", child.text or "")  # BT-8
        if period and "invoicing_period" not in self.d:
            self.d["invoicing_period"] = period

    def order_reference(self, el: Element) -> None:
        for child in el:
            if child.tag == _T and child.text:  # written empty when only BT-14 exists
                self.d.setdefault("purchase_order_reference", child.text or "")  # BT-13, engagement
            elif child.tag == _cbc_SalesOrderID:
                self.d.setdefault("sales_order_reference", child.text or "")  # BT-14

    def billing_reference(self, el: Element) -> None:
        ref = _first(el, _cac_InvoiceDocumentReference)
        if ref is None:
            return
        out: Dict = {}
        for child in ref:
            if child.tag == _T:
                out.setdefault("reference", child.text or "")
            elif child.tag == _cbc_IssueDate:
                out.setdefault("issue_date", _date(child, "BT-26"))
        if out:
            self.preceding.append(out)

    def despatch(self, el: Element) -> None:
        _set(self.d, "despatch_advice_reference", _child_text(el, _T))  # BT-16

    def receipt(self, el: Element) -> None:
        _set(self.d, "receiving_advice_reference", _child_text(el, _T))  # BT-15

    def originator(self, el: Element) -> None:
        _set(self.d, "tender_or_lot_reference", _child_text(el, _T))  # BT-17

    def contract(self, el: Element) -> None:
        _set(self.d, "contract_reference", _child_text(el, _T))  # BT-12, numéro de marché

    def project(self, el: Element) -> None:
        _set(self.d, "project_reference", _child_text(el, _T))  # BT-11

    def additional_document(self, el: Element) -> None:
        code = _child_text(el, _cbc_DocumentTypeCode)
        ident = _first(el, _T)
        if code == BT_18_TYPE:  # BT-18 invoiced object identifier
            if ident is not None:
                self.d.setdefault("invoiced_object_identifier", _ident(ident))
            return
        if code == BT_11_CREDIT_NOTE_TYPE and self.credit:  # BT-11 in a UBL 2.1 CreditNote
            if ident is not None:
                self.d.setdefault("project_reference", ident.text or "")
            return
        doc: Dict = {}
        for child in el:
            tag = child.tag
            if tag == _T:
                doc.setdefault("reference", child.text or "")
            elif tag == _cbc_DocumentDescription:
                doc.setdefault("description", child.text or "")
            elif tag == _cac_Attachment:
                self._attachment(child, doc)
        if doc:
            self.documents.append(doc)

    @staticmethod
    def _attachment(el: Element, doc: Dict) -> None:
        for child in el:
            if child.tag == _cbc_EmbeddedDocumentBinaryObject:
                text = child.text or ""
                try:
                    doc["attached_document"] = base64.b64decode(text)
                except (binascii.Error, ValueError):
                    raise ReadError(
                        "the attached document is not valid base64", path=_path(child),
                        bt="BT-125",
                    ) from None
                _set(doc, "mime_code", child.get("mimeCode"))
                _set(doc, "filename", child.get("filename"))
            elif child.tag == _cac_ExternalReference:
                _set(doc, "external_location", _child_text(child, _cbc_URI))

    # -- parties

    def _party(self, party: Element) -> Dict:
        """Generic reading of a ``cac:Party`` (role-independent keys)."""
        p: Dict = {}
        for child in party:
            tag = child.tag
            if tag == _cac_PartyIdentification:
                ident_el = _first(child, _T)
                if ident_el is None:
                    continue
                if (ident_el.get("schemeID") or "").upper() == SEPA:
                    if self.sepa is None:
                        self.sepa = _text(ident_el)  # BT-90
                    continue
                p.setdefault("ids", []).append(_ident(ident_el))
            elif tag == _cbc_EndpointID:
                p.setdefault("endpoint", _ident(child))
            elif tag == _cac_PartyName:
                _set(p, "party_name", _child_text(child, _cbc_Name))
            elif tag == _cac_PostalAddress:
                _set(p, "address", _flat(child, _ADDRESS_INDEX))
            elif tag == _cac_PartyTaxScheme:
                company = _first(child, _cbc_CompanyID)
                if company is None:
                    continue
                scheme = _child_text(child, _cac_TaxScheme, _T) or ""
                key = "vat" if scheme.upper() == "VAT" else "tax_registration"
                _set(p, key, _text(company))
            elif tag == _cac_PartyLegalEntity:
                for sub in child:
                    if sub.tag == _cbc_RegistrationName:
                        p.setdefault("registration_name", sub.text or "")
                    elif sub.tag == _cbc_CompanyID:
                        p.setdefault("legal_id", _ident(sub))
                    elif sub.tag == _cbc_CompanyLegalForm:
                        p.setdefault("legal_form", sub.text or "")
            elif tag == _cac_Contact:
                _set(p, "contact", _flat(child, _CONTACT_INDEX))
        return p

    def seller(self, el: Element) -> None:
        party = _first(el, _cac_Party)
        if party is None or "seller" in self.d:
            return
        p = self._party(party)
        out: Dict = {}
        _set(out, "name", p.get("registration_name"))
        _set(out, "trading_name", p.get("party_name"))
        _set(out, "identifiers", p.get("ids"))
        _set(out, "legal_registration_identifier", p.get("legal_id"))
        _set(out, "vat_identifier", p.get("vat"))
        _set(out, "tax_registration_identifier", p.get("tax_registration"))
        _set(out, "additional_legal_information", p.get("legal_form"))
        _set(out, "electronic_address", p.get("endpoint"))
        _set(out, "postal_address", p.get("address"))
        _set(out, "contact", p.get("contact"))
        if out:
            self.d["seller"] = out

    def buyer(self, el: Element) -> None:
        party = _first(el, _cac_Party)
        if party is None or "buyer" in self.d:
            return
        p = self._party(party)
        out: Dict = {}
        _set(out, "name", p.get("registration_name"))
        _set(out, "trading_name", p.get("party_name"))
        if p.get("ids"):
            out["identifier"] = p["ids"][0]  # BT-46: the buyer SIRET in convention (c)
        _set(out, "legal_registration_identifier", p.get("legal_id"))
        _set(out, "vat_identifier", p.get("vat") or p.get("tax_registration"))
        _set(out, "electronic_address", p.get("endpoint"))
        _set(out, "postal_address", p.get("address"))
        _set(out, "contact", p.get("contact"))
        if out:
            self.d["buyer"] = out

    def payee(self, el: Element) -> None:
        if "payee" in self.d:
            return
        p = self._party(el)
        out: Dict = {}
        _set(out, "name", p.get("party_name"))
        if p.get("ids"):
            out["identifier"] = p["ids"][0]
        _set(out, "legal_registration_identifier", p.get("legal_id"))
        if out:
            self.d["payee"] = out

    def tax_representative(self, el: Element) -> None:
        if "seller_tax_representative" in self.d:
            return
        p = self._party(el)
        out: Dict = {}
        _set(out, "name", p.get("party_name"))
        _set(out, "vat_identifier", p.get("vat") or p.get("tax_registration"))
        _set(out, "postal_address", p.get("address"))
        if out:
            self.d["seller_tax_representative"] = out

    def delivery(self, el: Element) -> None:
        if "delivery" in self.d:
            return
        out: Dict = {}
        for child in el:
            tag = child.tag
            if tag == _cbc_ActualDeliveryDate:
                out.setdefault("actual_delivery_date", _date(child, "BT-72"))
            elif tag == _cac_DeliveryLocation:
                for sub in child:
                    if sub.tag == _T:
                        out.setdefault("location_identifier", _ident(sub))
                    elif sub.tag == _cac_Address:
                        _set(out, "address", _flat(sub, _ADDRESS_INDEX))
            elif tag == _cac_DeliveryParty:
                _set(out, "party_name", _child_text(child, _cac_PartyName, _cbc_Name))
        if out:
            self.d["delivery"] = out

    # -- payment

    def payment_means(self, el: Element) -> None:
        pay = self.payment
        for child in el:
            tag = child.tag
            if tag == _cbc_PaymentMeansCode:
                if child.text:  # written empty for the BT-9 of a credit note without BG-16
                    pay.setdefault("payment_means_type_code", child.text or "")
                _set(pay, "payment_means_text", child.get("name"))  # BT-82
            elif tag == _cbc_PaymentDueDate:
                if self.due_from_means is None:
                    self.due_from_means = _date(child, "BT-9")
            elif tag == _cbc_PaymentID:
                pay.setdefault("remittance_information", child.text or "")  # BT-83
            elif tag == _cac_CardAccount:
                card: Dict = {}
                _set(card, "primary_account_number",
                     _child_text(child, _cbc_PrimaryAccountNumberID))
                _set(card, "holder_name", _child_text(child, _cbc_HolderName))
                if card:
                    _set(pay, "payment_card", card)
            elif tag == _cac_PayeeFinancialAccount:
                account: Dict = {}
                for sub in child:
                    if sub.tag == _T:
                        account.setdefault("account_identifier", sub.text or "")
                    elif sub.tag == _cbc_Name:
                        account.setdefault("account_name", sub.text or "")
                    elif sub.tag == _cac_FinancialInstitutionBranch:
                        _set(account, "service_provider_identifier", _child_text(sub, _T))
                if account:
                    self.transfers.append(account)
            elif tag == _cac_PaymentMandate:
                debit = pay.setdefault("direct_debit", {})
                _set(debit, "mandate_reference_identifier", _child_text(child, _T))
                _set(debit, "debited_account_identifier",
                     _child_text(child, _cac_PayerFinancialAccount, _T))
                if not debit:
                    del pay["direct_debit"]

    def payment_terms(self, el: Element) -> None:
        for child in el:
            if child.tag == _cbc_Note:
                text = _text(child)
                if text is not None:
                    self.terms.append(text)

    # -- allowances, charges, taxes, totals

    def allowance_charge(self, el: Element) -> None:
        charge = _is_charge(el)
        bts = _DOC_CHARGE_BT if charge else _DOC_ALLOWANCE_BT
        out = _allowance_charge(el, bts)
        for child in el:
            if child.tag == _cac_TaxCategory:
                for sub in child:
                    if sub.tag == _T:
                        out.setdefault("vat_category_code", sub.text or "")
                    elif sub.tag == _cbc_Percent:
                        _set(out, "vat_rate", _number(sub, bts[5]))
        (self.charges if charge else self.allowances).append(out)

    def tax_total(self, el: Element) -> None:
        amount_el = _first(el, _cbc_TaxAmount)
        subtotals = [c for c in el if c.tag == _cac_TaxSubtotal]
        if amount_el is not None:
            # BT-110 is the TaxTotal in the invoice currency (with the breakdown), BT-111 the
            # other one, in the VAT accounting currency (BT-6)
            currency = amount_el.get("currencyID")
            is_main = bool(subtotals) or (
                "total_vat_amount" not in self.totals
                and currency in (None, self.d.get("invoice_currency_code", currency))
            )
            if is_main and "total_vat_amount" not in self.totals:
                self.totals.setdefault("total_vat_amount", _number(amount_el, "BT-110"))
            else:
                _set(self.totals, "total_vat_amount_in_accounting_currency",
                     _number(amount_el, "BT-111"))
        for sub in subtotals:
            out: Dict = {}
            for child in sub:
                tag = child.tag
                if tag == _cbc_TaxableAmount:
                    out.setdefault("taxable_amount", _number(child, "BT-116"))
                elif tag == _cbc_TaxAmount:
                    out.setdefault("tax_amount", _number(child, "BT-117"))
                elif tag == _cac_TaxCategory:
                    for cat in child:
                        ctag = cat.tag
                        if ctag == _T:
                            out.setdefault("category_code", cat.text or "")
                        elif ctag == _cbc_Percent:
                            out.setdefault("rate", _number(cat, "BT-119"))
                        elif ctag == _cbc_TaxExemptionReasonCode:
                            out.setdefault("exemption_reason_code", cat.text or "")
                        elif ctag == _cbc_TaxExemptionReason:
                            out.setdefault("exemption_reason", cat.text or "")
            self.breakdown.append(out)

    def monetary_total(self, el: Element) -> None:
        values = _flat(el, _TOTALS_INDEX)
        if values:
            for key, value in values.items():
                _set(self.totals, key, value)

    def line(self, el: Element) -> None:
        self.lines.append(_line(el))


def _is_charge(el: Element) -> bool:
    indicator = _child_text(el, _cbc_ChargeIndicator)
    return indicator is not None and indicator.lower() in ("true", "1")


_DOC_ALLOWANCE_BT = ("BT-92", "BT-93", "BT-94", "BT-97", "BT-98", "BT-96")
_DOC_CHARGE_BT = ("BT-99", "BT-100", "BT-101", "BT-104", "BT-105", "BT-103")
_LINE_ALLOWANCE_BT = ("BT-136", "BT-137", "BT-138", "BT-139", "BT-140", "")
_LINE_CHARGE_BT = ("BT-141", "BT-142", "BT-143", "BT-144", "BT-145", "")


def _allowance_charge(el: Element, bts: tuple[str, ...]) -> Dict:
    out: Dict = {}
    for child in el:
        tag = child.tag
        if tag == _cbc_Amount:
            _set(out, "amount", _number(child, bts[0]))
        elif tag == _cbc_BaseAmount:
            _set(out, "base_amount", _number(child, bts[1]))
        elif tag == _cbc_MultiplierFactorNumeric:
            _set(out, "percentage", _number(child, bts[2]))
        elif tag == _cbc_AllowanceChargeReason:
            out.setdefault("reason", child.text or "")
        elif tag == _cbc_AllowanceChargeReasonCode:
            out.setdefault("reason_code", child.text or "")
    return out


def _line(el: Element) -> Dict:
    # hot path: direct assignment (the XSD allows each of these once per line)
    out: Dict = {}
    allowances: list[Dict] = []
    charges: list[Dict] = []
    for child in el:
        tag = child.tag
        if tag == _T:
            out["identifier"] = child.text or ""
        elif tag in (_cbc_InvoicedQuantity, _cbc_CreditedQuantity):
            out["invoiced_quantity"] = _number(child, "BT-129")
            unit = child.get("unitCode")
            if unit is not None:
                out["invoiced_quantity_unit_code"] = unit
        elif tag == _cbc_LineExtensionAmount:
            out["net_amount"] = _number(child, "BT-131")
        elif tag == _cac_Item:
            _item(child, out)
        elif tag == _cac_Price:
            price = _price(child)
            if price:
                out["price_details"] = price
        elif tag == _cac_AllowanceCharge:
            if _is_charge(child):
                charges.append(_allowance_charge(child, _LINE_CHARGE_BT))
            else:
                allowances.append(_allowance_charge(child, _LINE_ALLOWANCE_BT))
        elif tag == _cbc_Note:
            out.setdefault("note", child.text or "")
        elif tag == _cbc_AccountingCost:
            out["buyer_accounting_reference"] = child.text or ""
        elif tag == _cac_InvoicePeriod:
            period: Dict = {}
            for sub in child:
                if sub.tag == _cbc_StartDate:
                    period["start_date"] = _date(sub, "BT-134")
                elif sub.tag == _cbc_EndDate:
                    period["end_date"] = _date(sub, "BT-135")
            if period:
                out["period"] = period
        elif tag == _cac_OrderLineReference:
            _set(out, "purchase_order_line_reference", _child_text(child, _cbc_LineID))
        elif tag == _cac_DocumentReference:
            ident = _first(child, _T)
            if ident is not None:
                out["object_identifier"] = _ident(ident)  # BT-128 (type code 130)
    if allowances:
        out["allowances"] = allowances
    if charges:
        out["charges"] = charges
    return out


def _item(el: Element, line: Dict) -> None:
    item: Dict = {}
    classes: list[Dict] = []
    attributes: list[Dict] = []
    for child in el:
        tag = child.tag
        if tag == _cbc_Name:
            item["name"] = child.text or ""
        elif tag == _cac_ClassifiedTaxCategory:
            vat: Dict = {}
            for sub in child:
                if sub.tag == _T:
                    vat["category_code"] = sub.text or ""
                elif sub.tag == _cbc_Percent:
                    vat["rate"] = _number(sub, "BT-152")
            if vat:
                line["vat_information"] = vat  # BG-30 sits in the item in UBL
        elif tag == _cbc_Description:
            item["description"] = child.text or ""
        elif tag == _cac_SellersItemIdentification:
            _set(item, "seller_identifier", _child_text(child, _T))
        elif tag == _cac_BuyersItemIdentification:
            _set(item, "buyer_identifier", _child_text(child, _T))
        elif tag == _cac_StandardItemIdentification:
            ident = _first(child, _T)
            if ident is not None:
                item["standard_identifier"] = _ident(ident)
        elif tag == _cac_OriginCountry:
            _set(item, "country_of_origin", _child_text(child, _cbc_IdentificationCode))
        elif tag == _cac_CommodityClassification:
            code = _first(child, _cbc_ItemClassificationCode)
            if code is not None:
                cls: Dict = {"value": code.text or ""}
                _set(cls, "scheme_id", code.get("listID"))
                _set(cls, "scheme_version_id", code.get("listVersionID"))
                classes.append(cls)
        elif tag == _cac_AdditionalItemProperty:
            attr: Dict = {}
            _set(attr, "name", _child_text(child, _cbc_Name))
            _set(attr, "value", _child_text(child, _cbc_Value))
            if attr:
                attributes.append(attr)
    if classes:
        item["classification_identifiers"] = classes
    if attributes:
        item["attributes"] = attributes
    if item:
        line["item"] = item


def _price(el: Element) -> Dict:
    out: Dict = {}
    for child in el:
        tag = child.tag
        if tag == _cbc_PriceAmount:
            out["net_price"] = _number(child, "BT-146")
        elif tag == _cbc_BaseQuantity:
            out["base_quantity"] = _number(child, "BT-149")
            unit = child.get("unitCode")
            if unit is not None:
                out["base_quantity_unit_code"] = unit
        elif tag == _cac_AllowanceCharge:
            for sub in child:
                if sub.tag == _cbc_Amount:
                    discount = _number(sub, "BT-147")
                    if discount:  # 0 is the placeholder the XSD forces with a gross price alone
                        out["price_discount"] = discount
                elif sub.tag == _cbc_BaseAmount:
                    out["gross_price"] = _number(sub, "BT-148")
    return out


_ROOT_HANDLERS: dict[str, Callable[[_Reader, Element], None]] = {
    _cbc_CustomizationID: _Reader.customization,
    _cbc_ProfileID: _Reader.profile,
    _cbc_ID: _Reader.ident,
    _cbc_IssueDate: _Reader.issue_date,
    _cbc_DueDate: _Reader.due_date,
    _cbc_InvoiceTypeCode: _Reader.type_code,
    _cbc_CreditNoteTypeCode: _Reader.type_code,
    _cbc_Note: _Reader.note,
    _cbc_TaxPointDate: _Reader.tax_point_date,
    _cbc_DocumentCurrencyCode: _Reader.currency,
    _cbc_TaxCurrencyCode: _Reader.tax_currency,
    _cbc_AccountingCost: _Reader.accounting_cost,
    _cbc_BuyerReference: _Reader.buyer_reference,
    _cac_InvoicePeriod: _Reader.invoice_period,
    _cac_OrderReference: _Reader.order_reference,
    _cac_BillingReference: _Reader.billing_reference,
    _cac_DespatchDocumentReference: _Reader.despatch,
    _cac_ReceiptDocumentReference: _Reader.receipt,
    _cac_OriginatorDocumentReference: _Reader.originator,
    _cac_ContractDocumentReference: _Reader.contract,
    _cac_AdditionalDocumentReference: _Reader.additional_document,
    _cac_ProjectReference: _Reader.project,
    _cac_AccountingSupplierParty: _Reader.seller,
    _cac_AccountingCustomerParty: _Reader.buyer,
    _cac_PayeeParty: _Reader.payee,
    _cac_TaxRepresentativeParty: _Reader.tax_representative,
    _cac_Delivery: _Reader.delivery,
    _cac_PaymentMeans: _Reader.payment_means,
    _cac_PaymentTerms: _Reader.payment_terms,
    _cac_AllowanceCharge: _Reader.allowance_charge,
    _cac_TaxTotal: _Reader.tax_total,
    _cac_LegalMonetaryTotal: _Reader.monetary_total,
    _cac_InvoiceLine: _Reader.line,
    _cac_CreditNoteLine: _Reader.line,
}


# ---------------------------------------------------------------- writing
#
# The writer appends escaped strings to a list (no element tree): about five times faster than
# building lxml elements and serializing them, for the same bytes.

_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
_NS_DECL = f' xmlns:cac="{CAC_NS}" xmlns:cbc="{CBC_NS}"'


def _qname(clark: str) -> str:
    ns, _, local = clark[1:].partition("}")
    return f"{PREFIXES[ns]}:{local}"



def _num(value: Decimal) -> str:
    return format(value, "f")


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _flat_rows(table: Iterable[Leaf]) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    return tuple((leaf.field, tuple(_qname(step) for step in leaf.path), leaf.kind)
                 for leaf in table)


_ADDRESS_ROWS = _flat_rows(ADDRESS)
_CONTACT_ROWS = _flat_rows(CONTACT)
_TOTALS_ROWS = _flat_rows(MONETARY_TOTAL)


def write(invoice: Invoice) -> bytes:
    """Write ``invoice`` as UBL 2.1: a ``CreditNote`` when BT-3 is a credit note code.

    Raises :class:`~chorus_core.errors.ConversionError` when a text holds a character XML
    cannot carry (a control character).

    >>> from chorus_core.model import Invoice
    >>> print(write(Invoice(invoice_number="A-1", invoice_type_code="381")).decode())
    <?xml version='1.0' encoding='UTF-8'?>
    <CreditNote ...><cbc:ID>A-1</cbc:ID><cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>...
    """
    return _Writer(invoice).document().encode("utf-8")


class _Writer:
    """Appends the UBL document of one invoice to a list of strings, in XSD order."""

    def __init__(self, invoice: Invoice) -> None:
        self.inv = invoice
        self.cur = invoice.invoice_currency_code
        self.parts: list[str] = []
        self.out = self.parts.append

    # -- primitives

    def leaf(self, tag: str, text: str | None, attrs: str = "") -> None:
        if text is not None:
            self.out(f"<{tag}{attrs}>{escape_text(text)}</{tag}>")

    def required(self, tag: str, text: str | None, attrs: str = "") -> None:
        """A leaf the XSD requires: written empty when the model has no value."""
        self.out(f"<{tag}{attrs}>{escape_text(text or '')}</{tag}>")

    def amount(self, tag: str, value: Decimal | None) -> None:
        """An amount in the invoice currency (BT-5)."""
        if value is not None:
            cur = self.cur
            attrs = f' currencyID="{escape_attr(cur)}"' if cur is not None else ""
            self.out(f"<{tag}{attrs}>{_num(value)}</{tag}>")

    def decimal(self, tag: str, value: Decimal | None) -> None:
        if value is not None:
            self.out(f"<{tag}>{_num(value)}</{tag}>")

    def ident(self, tag: str, ident: Identifier | None) -> None:
        if ident is not None:
            scheme = ident.scheme_id
            attrs = f' schemeID="{escape_attr(scheme)}"' if scheme is not None else ""
            self.required(tag, ident.value, attrs)

    def wrapped(self, outer: str, tag: str, text: str | None, attrs: str = "") -> None:
        if text is not None:
            self.out(f"<{outer}><{tag}{attrs}>{escape_text(text)}</{tag}></{outer}>")

    def flat(self, tag: str, model: Any, rows: tuple[tuple[str, tuple[str, ...], str], ...]
             ) -> None:
        """Write the rows of a flat table under ``tag``, if any value is present."""
        if model is None:
            return
        values = [(path, kind, getattr(model, name)) for name, path, kind in rows]
        if all(value is None for _, _, value in values):
            return
        out = self.out
        out(f"<{tag}>")
        for path, kind, value in values:
            if value is None:
                continue
            if kind == "amount":
                *outer, last = path
                for step in outer:
                    out(f"<{step}>")
                self.amount(last, value)
                for step in reversed(outer):
                    out(f"</{step}>")
                continue
            text = escape_text(value) if kind == "text" else _num(value)
            opened = "".join(f"<{step}>" for step in path)
            closed = "".join(f"</{step}>" for step in reversed(path))
            out(f"{opened}{text}{closed}")
        out(f"</{tag}>")

    def tax_scheme(self, scheme: str = "VAT") -> None:
        self.out(f"<cac:TaxScheme><cbc:ID>{scheme}</cbc:ID></cac:TaxScheme>")

    # -- the document

    def document(self) -> str:
        inv = self.inv
        credit = inv.is_credit_note
        name = "CreditNote" if credit else "Invoice"
        root_ns = CREDIT_NOTE_NS if credit else INVOICE_NS
        out, leaf = self.out, self.leaf
        out(f'{_DECLARATION}<{name}{_NS_DECL} xmlns="{root_ns}">')
        pc = inv.process_control
        if pc is not None:
            leaf("cbc:CustomizationID", pc.specification_identifier)  # BT-24
            leaf("cbc:ProfileID", pc.business_process_type)  # BT-23, Chorus cadre
        leaf("cbc:ID", inv.invoice_number)
        leaf("cbc:IssueDate", _iso(inv.invoice_issue_date))
        if credit:  # the CreditNote order: TaxPointDate before the type code, no DueDate
            leaf("cbc:TaxPointDate", _iso(inv.value_added_tax_point_date))
            leaf("cbc:CreditNoteTypeCode", inv.invoice_type_code)
        else:
            leaf("cbc:DueDate", _iso(inv.payment_due_date))  # BT-9
            leaf("cbc:InvoiceTypeCode", inv.invoice_type_code)
        for note in inv.notes:
            if note.subject_code is not None:  # BT-21 as a "#CODE#" prefix
                leaf("cbc:Note", f"#{note.subject_code}#{note.note or ''}")
            else:
                leaf("cbc:Note", note.note)
        if not credit:
            leaf("cbc:TaxPointDate", _iso(inv.value_added_tax_point_date))
        leaf("cbc:DocumentCurrencyCode", self.cur)
        leaf("cbc:TaxCurrencyCode", inv.vat_accounting_currency_code)
        leaf("cbc:AccountingCost", inv.buyer_accounting_reference)
        leaf("cbc:BuyerReference", inv.buyer_reference)  # BT-10, Chorus code service
        period = inv.invoicing_period
        start = period.start_date if period else None
        end = period.end_date if period else None
        if start or end or inv.value_added_tax_point_date_code is not None:
            out("<cac:InvoicePeriod>")
            leaf("cbc:StartDate", _iso(start))
            leaf("cbc:EndDate", _iso(end))
            leaf("cbc:DescriptionCode", inv.value_added_tax_point_date_code)  # BT-8
            out("</cac:InvoicePeriod>")
        if inv.purchase_order_reference is not None or inv.sales_order_reference is not None:
            out("<cac:OrderReference>")
            # BT-13, Chorus engagement; cbc:ID is required, written empty with BT-14 alone
            self.required("cbc:ID", inv.purchase_order_reference)
            leaf("cbc:SalesOrderID", inv.sales_order_reference)
            out("</cac:OrderReference>")
        for ref in inv.preceding_invoice_references:
            out("<cac:BillingReference><cac:InvoiceDocumentReference>")
            self.required("cbc:ID", ref.reference)
            leaf("cbc:IssueDate", _iso(ref.issue_date))
            out("</cac:InvoiceDocumentReference></cac:BillingReference>")
        self.wrapped("cac:DespatchDocumentReference", "cbc:ID", inv.despatch_advice_reference)
        self.wrapped("cac:ReceiptDocumentReference", "cbc:ID", inv.receiving_advice_reference)
        if not credit:
            self.wrapped("cac:OriginatorDocumentReference", "cbc:ID", inv.tender_or_lot_reference)
        self.wrapped("cac:ContractDocumentReference", "cbc:ID", inv.contract_reference)  # BT-12
        self.additional_documents(credit)
        if credit:
            self.wrapped("cac:OriginatorDocumentReference", "cbc:ID", inv.tender_or_lot_reference)
        else:
            self.wrapped("cac:ProjectReference", "cbc:ID", inv.project_reference)  # BT-11
        self.parties()
        self.delivery()
        self.payment(credit)
        if inv.payment_terms is not None:
            self.wrapped("cac:PaymentTerms", "cbc:Note", inv.payment_terms)
        for allowance in inv.allowances:
            self.allowance_charge(False, allowance, document=True)
        for charge in inv.charges:
            self.allowance_charge(True, charge, document=True)
        self.taxes()
        totals = inv.totals
        if totals is not None:
            out("<cac:LegalMonetaryTotal>")
            for field, path, _ in _TOTALS_ROWS:
                self.amount(path[0], getattr(totals, field))
            out("</cac:LegalMonetaryTotal>")
        line_tag = "cac:CreditNoteLine" if credit else "cac:InvoiceLine"
        quantity_tag = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
        for line in inv.lines:
            self.line(line, line_tag, quantity_tag)
        out(f"</{name}>")
        return "".join(self.parts)

    def additional_documents(self, credit: bool) -> None:
        inv, out = self.inv, self.out
        if inv.invoiced_object_identifier is not None:  # BT-18, type code 130
            out("<cac:AdditionalDocumentReference>")
            self.ident("cbc:ID", inv.invoiced_object_identifier)
            out(f"<cbc:DocumentTypeCode>{BT_18_TYPE}</cbc:DocumentTypeCode>")
            out("</cac:AdditionalDocumentReference>")
        if credit and inv.project_reference is not None:  # BT-11 of a UBL 2.1 CreditNote
            out("<cac:AdditionalDocumentReference>")
            self.leaf("cbc:ID", inv.project_reference)
            out(f"<cbc:DocumentTypeCode>{BT_11_CREDIT_NOTE_TYPE}</cbc:DocumentTypeCode>")
            out("</cac:AdditionalDocumentReference>")
        for doc in inv.supporting_documents:  # BG-24
            out("<cac:AdditionalDocumentReference>")
            self.required("cbc:ID", doc.reference)
            self.leaf("cbc:DocumentDescription", doc.description)
            if doc.attached_document is not None or doc.external_location is not None:
                out("<cac:Attachment>")
                if doc.attached_document is not None:
                    attrs = ""
                    if doc.mime_code is not None:
                        attrs += f' mimeCode="{escape_attr(doc.mime_code)}"'
                    if doc.filename is not None:
                        attrs += f' filename="{escape_attr(doc.filename)}"'
                    data = base64.b64encode(doc.attached_document).decode("ascii")
                    out(f"<cbc:EmbeddedDocumentBinaryObject{attrs}>{data}"
                        "</cbc:EmbeddedDocumentBinaryObject>")
                self.wrapped("cac:ExternalReference", "cbc:URI", doc.external_location)
                out("</cac:Attachment>")
            out("</cac:AdditionalDocumentReference>")

    # -- parties

    def sepa(self, value: str | None) -> None:
        self.wrapped("cac:PartyIdentification", "cbc:ID", value, f' schemeID="{SEPA}"')

    def party_tax(self, company: str | None, scheme: str) -> None:
        if company is not None:
            self.out("<cac:PartyTaxScheme>")
            self.leaf("cbc:CompanyID", company)
            self.tax_scheme(scheme)
            self.out("</cac:PartyTaxScheme>")

    def legal_entity(self, name: str | None, company: Identifier | None, form: str | None
                     ) -> None:
        if name is None and company is None and form is None:
            return
        self.out("<cac:PartyLegalEntity>")
        self.leaf("cbc:RegistrationName", name)
        self.ident("cbc:CompanyID", company)
        self.leaf("cbc:CompanyLegalForm", form)
        self.out("</cac:PartyLegalEntity>")

    def parties(self) -> None:
        inv, out = self.inv, self.out
        pay = inv.payment_instructions
        sepa = (pay.direct_debit.bank_assigned_creditor_identifier
                if pay is not None and pay.direct_debit is not None else None)
        out("<cac:AccountingSupplierParty><cac:Party>")
        seller = inv.seller
        seller_sepa = None if inv.payee is not None else sepa  # BT-90 with the payee if any
        if seller is None:
            self.sepa(seller_sepa)
        else:
            self.ident("cbc:EndpointID", seller.electronic_address)  # BT-34
            for ident in seller.identifiers:  # BT-29
                out("<cac:PartyIdentification>")
                self.ident("cbc:ID", ident)
                out("</cac:PartyIdentification>")
            self.sepa(seller_sepa)
            self.wrapped("cac:PartyName", "cbc:Name", seller.trading_name)  # BT-28
            self.flat("cac:PostalAddress", seller.postal_address, _ADDRESS_ROWS)
            self.party_tax(seller.vat_identifier, "VAT")  # BT-31
            self.party_tax(seller.tax_registration_identifier, OTHER_TAX_SCHEME)  # BT-32
            self.legal_entity(seller.name, seller.legal_registration_identifier,
                              seller.additional_legal_information)
            self.flat("cac:Contact", seller.contact, _CONTACT_ROWS)
        out("</cac:Party></cac:AccountingSupplierParty>")
        out("<cac:AccountingCustomerParty><cac:Party>")
        buyer = inv.buyer
        if buyer is not None:
            self.ident("cbc:EndpointID", buyer.electronic_address)  # BT-49
            if buyer.identifier is not None:
                # BT-46 with schemeID 0009: the buyer SIRET, convention (c) of the reform
                out("<cac:PartyIdentification>")
                self.ident("cbc:ID", buyer.identifier)
                out("</cac:PartyIdentification>")
            self.wrapped("cac:PartyName", "cbc:Name", buyer.trading_name)  # BT-45
            self.flat("cac:PostalAddress", buyer.postal_address, _ADDRESS_ROWS)
            self.party_tax(buyer.vat_identifier, "VAT")  # BT-48
            self.legal_entity(buyer.name, buyer.legal_registration_identifier, None)
            self.flat("cac:Contact", buyer.contact, _CONTACT_ROWS)
        out("</cac:Party></cac:AccountingCustomerParty>")
        payee = inv.payee
        if payee is not None:  # BG-10
            out("<cac:PayeeParty>")
            if payee.identifier is not None:
                out("<cac:PartyIdentification>")
                self.ident("cbc:ID", payee.identifier)
                out("</cac:PartyIdentification>")
            self.sepa(sepa)
            self.wrapped("cac:PartyName", "cbc:Name", payee.name)
            if payee.legal_registration_identifier is not None:
                out("<cac:PartyLegalEntity>")
                self.ident("cbc:CompanyID", payee.legal_registration_identifier)
                out("</cac:PartyLegalEntity>")
            out("</cac:PayeeParty>")
        rep = inv.seller_tax_representative
        if rep is not None:  # BG-11
            out("<cac:TaxRepresentativeParty>")
            self.wrapped("cac:PartyName", "cbc:Name", rep.name)
            self.flat("cac:PostalAddress", rep.postal_address, _ADDRESS_ROWS)
            self.party_tax(rep.vat_identifier, "VAT")
            out("</cac:TaxRepresentativeParty>")

    def delivery(self) -> None:
        delivery = self.inv.delivery
        if delivery is None:
            return
        out = self.out
        out("<cac:Delivery>")
        self.leaf("cbc:ActualDeliveryDate", _iso(delivery.actual_delivery_date))
        if delivery.location_identifier is not None or delivery.address is not None:
            out("<cac:DeliveryLocation>")
            self.ident("cbc:ID", delivery.location_identifier)
            self.flat("cac:Address", delivery.address, _ADDRESS_ROWS)
            out("</cac:DeliveryLocation>")
        if delivery.party_name is not None:
            out("<cac:DeliveryParty>")
            self.wrapped("cac:PartyName", "cbc:Name", delivery.party_name)
            out("</cac:DeliveryParty>")
        out("</cac:Delivery>")

    # -- payment

    def payment(self, credit: bool) -> None:
        inv, out, leaf = self.inv, self.out, self.leaf
        pay = inv.payment_instructions
        due = inv.payment_due_date if credit else None  # BT-9 of a CreditNote
        if pay is None:
            if due is None:
                return
            pay = PaymentInstructions()
        card, debit = pay.payment_card, pay.direct_debit
        has_mandate = debit is not None and (
            debit.mandate_reference_identifier is not None
            or debit.debited_account_identifier is not None)
        if (not pay.credit_transfers and card is None and not has_mandate and due is None
                and pay.payment_means_type_code is None and pay.payment_means_text is None
                and pay.remittance_information is None):
            return  # only BT-90, written in a party
        accounts: tuple[Any, ...] = pay.credit_transfers or (None,)
        for index, account in enumerate(accounts):
            out("<cac:PaymentMeans>")
            name = pay.payment_means_text
            attrs = f' name="{escape_attr(name)}"' if index == 0 and name is not None else ""
            self.required("cbc:PaymentMeansCode", pay.payment_means_type_code, attrs)  # BT-82
            if index == 0:
                leaf("cbc:PaymentDueDate", _iso(due))
            leaf("cbc:PaymentID", pay.remittance_information)  # BT-83
            if index == 0 and card is not None:  # BG-18
                out("<cac:CardAccount>")
                self.required("cbc:PrimaryAccountNumberID", card.primary_account_number)
                out(f"<cbc:NetworkID>{CARD_NETWORK_DEFAULT}</cbc:NetworkID>")  # required
                leaf("cbc:HolderName", card.holder_name)
                out("</cac:CardAccount>")
            if account is not None:  # BG-17
                out("<cac:PayeeFinancialAccount>")
                leaf("cbc:ID", account.account_identifier)
                leaf("cbc:Name", account.account_name)
                self.wrapped("cac:FinancialInstitutionBranch", "cbc:ID",
                             account.service_provider_identifier)
                out("</cac:PayeeFinancialAccount>")
            if index == 0 and has_mandate and debit is not None:  # BG-19
                out("<cac:PaymentMandate>")
                leaf("cbc:ID", debit.mandate_reference_identifier)
                self.wrapped("cac:PayerFinancialAccount", "cbc:ID",
                             debit.debited_account_identifier)
                out("</cac:PaymentMandate>")
            out("</cac:PaymentMeans>")

    # -- allowances, charges, taxes

    def allowance_charge(self, charge: bool, ac: Any, *, document: bool) -> None:
        out, leaf = self.out, self.leaf
        out("<cac:AllowanceCharge><cbc:ChargeIndicator>"
            f"{'true' if charge else 'false'}</cbc:ChargeIndicator>")
        leaf("cbc:AllowanceChargeReasonCode", ac.reason_code)
        leaf("cbc:AllowanceChargeReason", ac.reason)
        self.decimal("cbc:MultiplierFactorNumeric", ac.percentage)
        self.amount("cbc:Amount", ac.amount)
        self.amount("cbc:BaseAmount", ac.base_amount)
        if document and (ac.vat_category_code is not None or ac.vat_rate is not None):
            out("<cac:TaxCategory>")
            leaf("cbc:ID", ac.vat_category_code)
            self.decimal("cbc:Percent", ac.vat_rate)
            self.tax_scheme()
            out("</cac:TaxCategory>")
        out("</cac:AllowanceCharge>")

    def taxes(self) -> None:
        inv, out, leaf = self.inv, self.out, self.leaf
        totals: DocumentTotals | None = inv.totals
        vat = totals.total_vat_amount if totals else None
        if vat is not None or inv.vat_breakdown:
            if vat is None:
                # the XSD requires TaxTotal/TaxAmount: BT-110 absent (a CII source may omit
                # it) is written as the sum of BT-117, which the loss report shows as added
                vat = sum((b.tax_amount or Decimal(0) for b in inv.vat_breakdown), Decimal(0))
            out("<cac:TaxTotal>")
            self.amount("cbc:TaxAmount", vat)  # BT-110, in the invoice currency
            for sub in inv.vat_breakdown:  # BG-23
                out("<cac:TaxSubtotal>")
                self.amount("cbc:TaxableAmount", sub.taxable_amount)
                self.amount("cbc:TaxAmount", sub.tax_amount)
                out("<cac:TaxCategory>")
                leaf("cbc:ID", sub.category_code)
                self.decimal("cbc:Percent", sub.rate)
                leaf("cbc:TaxExemptionReasonCode", sub.exemption_reason_code)
                leaf("cbc:TaxExemptionReason", sub.exemption_reason)
                self.tax_scheme()
                out("</cac:TaxCategory></cac:TaxSubtotal>")
            out("</cac:TaxTotal>")
        accounting = totals.total_vat_amount_in_accounting_currency if totals else None
        if accounting is not None:  # BT-111, in the VAT accounting currency (BT-6)
            currency = inv.vat_accounting_currency_code
            attrs = f' currencyID="{escape_attr(currency)}"' if currency is not None else ""
            out(f"<cac:TaxTotal><cbc:TaxAmount{attrs}>{_num(accounting)}</cbc:TaxAmount>"
                "</cac:TaxTotal>")

    # -- lines

    def line(self, line: InvoiceLine, tag: str, quantity_tag: str) -> None:
        out, leaf = self.out, self.leaf
        out(f"<{tag}>")
        self.required("cbc:ID", line.identifier)
        leaf("cbc:Note", line.note)
        quantity, unit = line.invoiced_quantity, line.invoiced_quantity_unit_code
        if quantity is not None or unit is not None:
            attrs = f' unitCode="{escape_attr(unit)}"' if unit is not None else ""
            out(f"<{quantity_tag}{attrs}>{'' if quantity is None else _num(quantity)}"
                f"</{quantity_tag}>")
        self.amount("cbc:LineExtensionAmount", line.net_amount)
        leaf("cbc:AccountingCost", line.buyer_accounting_reference)
        period = line.period
        if period is not None and (period.start_date or period.end_date):
            out("<cac:InvoicePeriod>")
            leaf("cbc:StartDate", _iso(period.start_date))
            leaf("cbc:EndDate", _iso(period.end_date))
            out("</cac:InvoicePeriod>")
        self.wrapped("cac:OrderLineReference", "cbc:LineID", line.purchase_order_line_reference)
        if line.object_identifier is not None:  # BT-128, type code 130
            out("<cac:DocumentReference>")
            self.ident("cbc:ID", line.object_identifier)
            out(f"<cbc:DocumentTypeCode>{BT_18_TYPE}</cbc:DocumentTypeCode>")
            out("</cac:DocumentReference>")
        for allowance in line.allowances:
            self.allowance_charge(False, allowance, document=False)
        for charge in line.charges:
            self.allowance_charge(True, charge, document=False)
        self.item(line.item, line)
        price = line.price_details
        if price is not None:  # BG-29
            out("<cac:Price>")
            self.amount("cbc:PriceAmount", price.net_price)
            base, base_unit = price.base_quantity, price.base_quantity_unit_code
            if base is not None or base_unit is not None:
                attrs = f' unitCode="{escape_attr(base_unit)}"' if base_unit is not None else ""
                out(f"<cbc:BaseQuantity{attrs}>{'' if base is None else _num(base)}"
                    "</cbc:BaseQuantity>")
            if price.price_discount is not None or price.gross_price is not None:
                out("<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>")
                # BT-147; the XSD requires an Amount: a gross price alone is written with 0
                discount = price.price_discount
                self.amount("cbc:Amount", discount if discount is not None else Decimal(0))
                self.amount("cbc:BaseAmount", price.gross_price)  # BT-148
                out("</cac:AllowanceCharge>")
            out("</cac:Price>")
        out(f"</{tag}>")

    def item(self, item: ItemInformation | None, line: InvoiceLine) -> None:
        out, leaf = self.out, self.leaf
        out("<cac:Item>")
        if item is not None:
            leaf("cbc:Description", item.description)
            leaf("cbc:Name", item.name)
            self.wrapped("cac:BuyersItemIdentification", "cbc:ID", item.buyer_identifier)
            self.wrapped("cac:SellersItemIdentification", "cbc:ID", item.seller_identifier)
            if item.standard_identifier is not None:
                out("<cac:StandardItemIdentification>")
                self.ident("cbc:ID", item.standard_identifier)
                out("</cac:StandardItemIdentification>")
            self.wrapped("cac:OriginCountry", "cbc:IdentificationCode", item.country_of_origin)
            for cls in item.classification_identifiers:
                attrs = ""
                if cls.scheme_id is not None:
                    attrs += f' listID="{escape_attr(cls.scheme_id)}"'
                if cls.scheme_version_id is not None:
                    attrs += f' listVersionID="{escape_attr(cls.scheme_version_id)}"'
                out("<cac:CommodityClassification>")
                self.required("cbc:ItemClassificationCode", cls.value, attrs)
                out("</cac:CommodityClassification>")
        vat = line.vat_information
        if vat is not None and (vat.category_code is not None or vat.rate is not None):
            out("<cac:ClassifiedTaxCategory>")  # BG-30 sits in the item in UBL
            leaf("cbc:ID", vat.category_code)
            self.decimal("cbc:Percent", vat.rate)
            self.tax_scheme()
            out("</cac:ClassifiedTaxCategory>")
        if item is not None:
            for attr in item.attributes:  # BG-32
                out("<cac:AdditionalItemProperty>")
                self.required("cbc:Name", attr.name)
                leaf("cbc:Value", attr.value)
                out("</cac:AdditionalItemProperty>")
        out("</cac:Item>")
