"""UBL 2.1 (OASIS Universal Business Language): Invoice and CreditNote ↔ the canonical model.

The EN 16931 UBL binding (CEN/TS 16931-3-2), with the Chorus Pro placements: code service
(BT-10) in ``cbc:BuyerReference``, engagement juridique (BT-13) in ``cac:OrderReference/cbc:ID``,
numéro de marché (BT-12) in ``cac:ContractDocumentReference/cbc:ID``, cadre de facturation
(BT-23) in ``cbc:ProfileID``.  The buyer SIRET is read wherever the model keeps it (BT-46,
BT-47 or BT-49, see :mod:`chorus_core.model.routing`) and written where it was put; the
convention chorus_core produces is (c): BT-46, ``cac:PartyIdentification/cbc:ID`` with
``schemeID="0009"``.

The reader is lenient: it iterates the children of each element once, keeps invalid codes as
read, treats an empty element as absent, strips surrounding white space, and raises
:class:`~chorus_core.errors.ReadError` (with the path and the BT) only for a value the model
cannot hold (an amount that is not a number, an impossible date, broken base64).  The writer
emits the element order of the OASIS XSDs, a ``CreditNote`` when BT-3 is a credit note code, and
only what the model holds (plus the few values the XSD requires: ``TaxScheme/ID`` ``VAT``,
``ChargeIndicator``, ``CardAccount/NetworkID``).

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
    Address,
    Buyer,
    DocumentTotals,
    Identifier,
    InvoiceLine,
    ItemInformation,
    PaymentInstructions,
    Seller,
)
from ..xml import parse_xml, serialize
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
    ROOT_ORDER,
    SEPA,
    Leaf,
)

__all__ = ["detect", "read", "read_element", "write", "write_element"]

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


def _text_bt(el: Element, bt: str) -> str:
    return _text(el)


_CONVERT: dict[str, Callable[[Element, str], Any]] = {
    "text": _text_bt,
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


def _index(table: Iterable[Leaf]) -> dict[str, list[Leaf]]:
    index: dict[str, list[Leaf]] = {}
    for leaf in table:
        index.setdefault(leaf.path[0], []).append(leaf)
    return index


_ADDRESS_INDEX = _index(ADDRESS)
_CONTACT_INDEX = _index(CONTACT)
_TOTALS_INDEX = _index(MONETARY_TOTAL)


def _flat(el: Element, index: dict[str, list[Leaf]]) -> Dict | None:
    """Read the rows of a flat table below ``el`` (the first occurrence of a term wins)."""
    out: Dict = {}
    for child in el:
        leaves = index.get(child.tag)
        if leaves is None:
            continue
        for leaf in leaves:
            if leaf.field in out:
                continue
            target: Element | None = child
            for step in leaf.path[1:]:
                target = target.find(step) if target is not None else None
            if target is not None:
                value = _CONVERT[leaf.kind](target, leaf.bt)
                if value is not None:
                    out[leaf.field] = value
    return out or None


def _child_text(el: Element, tag: str) -> str | None:
    child = el.find(tag)
    return None if child is None else _text(child)


def _set(d: Dict, key: str, value: Any) -> None:
    if value is not None and key not in d:
        d[key] = value


# ---------------------------------------------------------------- reading: the document

_T = CBC + "ID"


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
        _set(self.process, "specification_identifier", _text(el))  # BT-24

    def profile(self, el: Element) -> None:
        _set(self.process, "business_process_type", _text(el))  # BT-23, Chorus cadre

    def ident(self, el: Element) -> None:
        _set(self.d, "invoice_number", _text(el))

    def issue_date(self, el: Element) -> None:
        _set(self.d, "invoice_issue_date", _date(el, "BT-2"))

    def due_date(self, el: Element) -> None:
        _set(self.d, "payment_due_date", _date(el, "BT-9"))

    def type_code(self, el: Element) -> None:
        _set(self.d, "invoice_type_code", _text(el))

    def note(self, el: Element) -> None:
        text = _text(el)
        match = _NOTE_CODE.fullmatch(text)  # BT-21 as a "#CODE#" prefix of the note text
        if match:
            self.notes.append({"subject_code": match[1], "note": match[2]})
        else:
            self.notes.append({"note": text})

    def tax_point_date(self, el: Element) -> None:
        _set(self.d, "value_added_tax_point_date", _date(el, "BT-7"))

    def currency(self, el: Element) -> None:
        _set(self.d, "invoice_currency_code", _text(el))

    def tax_currency(self, el: Element) -> None:
        _set(self.d, "vat_accounting_currency_code", _text(el))

    def accounting_cost(self, el: Element) -> None:
        _set(self.d, "buyer_accounting_reference", _text(el))

    def buyer_reference(self, el: Element) -> None:
        _set(self.d, "buyer_reference", _text(el))  # BT-10, Chorus code service

    def invoice_period(self, el: Element) -> None:
        period: Dict = {}
        for child in el:
            tag = child.tag
            if tag == CBC + "StartDate":
                _set(period, "start_date", _date(child, "BT-73"))
            elif tag == CBC + "EndDate":
                _set(period, "end_date", _date(child, "BT-74"))
            elif tag == CBC + "DescriptionCode":
                _set(self.d, "value_added_tax_point_date_code", _text(child))  # BT-8
        if period and "invoicing_period" not in self.d:
            self.d["invoicing_period"] = period

    def order_reference(self, el: Element) -> None:
        for child in el:
            if child.tag == _T and child.text:  # written empty when only BT-14 exists
                _set(self.d, "purchase_order_reference", _text(child))  # BT-13, engagement
            elif child.tag == CBC + "SalesOrderID":
                _set(self.d, "sales_order_reference", _text(child))  # BT-14

    def billing_reference(self, el: Element) -> None:
        ref = el.find(CAC + "InvoiceDocumentReference")
        if ref is None:
            return
        out: Dict = {}
        for child in ref:
            if child.tag == _T:
                _set(out, "reference", _text(child))
            elif child.tag == CBC + "IssueDate":
                _set(out, "issue_date", _date(child, "BT-26"))
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
        code = _child_text(el, CBC + "DocumentTypeCode")
        ident = el.find(_T)
        if code == BT_18_TYPE:  # BT-18 invoiced object identifier
            if ident is not None:
                _set(self.d, "invoiced_object_identifier", _ident(ident))
            return
        if code == BT_11_CREDIT_NOTE_TYPE and self.credit:  # BT-11 in a UBL 2.1 CreditNote
            if ident is not None:
                _set(self.d, "project_reference", _text(ident))
            return
        doc: Dict = {}
        for child in el:
            tag = child.tag
            if tag == _T:
                _set(doc, "reference", _text(child))
            elif tag == CBC + "DocumentDescription":
                _set(doc, "description", _text(child))
            elif tag == CAC + "Attachment":
                self._attachment(child, doc)
        if doc:
            self.documents.append(doc)

    @staticmethod
    def _attachment(el: Element, doc: Dict) -> None:
        for child in el:
            if child.tag == CBC + "EmbeddedDocumentBinaryObject":
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
            elif child.tag == CAC + "ExternalReference":
                _set(doc, "external_location", _child_text(child, CBC + "URI"))

    # -- parties

    def _party(self, party: Element) -> Dict:
        """Generic reading of a ``cac:Party`` (role-independent keys)."""
        p: Dict = {}
        for child in party:
            tag = child.tag
            if tag == CAC + "PartyIdentification":
                ident_el = child.find(_T)
                if ident_el is None:
                    continue
                if (ident_el.get("schemeID") or "").upper() == SEPA:
                    if self.sepa is None:
                        self.sepa = _text(ident_el)  # BT-90
                    continue
                p.setdefault("ids", []).append(_ident(ident_el))
            elif tag == CBC + "EndpointID":
                _set(p, "endpoint", _ident(child))
            elif tag == CAC + "PartyName":
                _set(p, "party_name", _child_text(child, CBC + "Name"))
            elif tag == CAC + "PostalAddress":
                _set(p, "address", _flat(child, _ADDRESS_INDEX))
            elif tag == CAC + "PartyTaxScheme":
                company = child.find(CBC + "CompanyID")
                if company is None:
                    continue
                scheme = _child_text(child, CAC + "TaxScheme/" + _T) or ""
                key = "vat" if scheme.upper() == "VAT" else "tax_registration"
                _set(p, key, _text(company))
            elif tag == CAC + "PartyLegalEntity":
                for sub in child:
                    if sub.tag == CBC + "RegistrationName":
                        _set(p, "registration_name", _text(sub))
                    elif sub.tag == CBC + "CompanyID":
                        _set(p, "legal_id", _ident(sub))
                    elif sub.tag == CBC + "CompanyLegalForm":
                        _set(p, "legal_form", _text(sub))
            elif tag == CAC + "Contact":
                _set(p, "contact", _flat(child, _CONTACT_INDEX))
        return p

    def seller(self, el: Element) -> None:
        party = el.find(CAC + "Party")
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
        party = el.find(CAC + "Party")
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
            if tag == CBC + "ActualDeliveryDate":
                _set(out, "actual_delivery_date", _date(child, "BT-72"))
            elif tag == CAC + "DeliveryLocation":
                for sub in child:
                    if sub.tag == _T:
                        _set(out, "location_identifier", _ident(sub))
                    elif sub.tag == CAC + "Address":
                        _set(out, "address", _flat(sub, _ADDRESS_INDEX))
            elif tag == CAC + "DeliveryParty":
                _set(out, "party_name", _child_text(child, CAC + "PartyName/" + CBC + "Name"))
        if out:
            self.d["delivery"] = out

    # -- payment

    def payment_means(self, el: Element) -> None:
        pay = self.payment
        for child in el:
            tag = child.tag
            if tag == CBC + "PaymentMeansCode":
                if child.text:  # written empty for the BT-9 of a credit note without BG-16
                    _set(pay, "payment_means_type_code", _text(child))
                _set(pay, "payment_means_text", child.get("name"))  # BT-82
            elif tag == CBC + "PaymentDueDate":
                if self.due_from_means is None:
                    self.due_from_means = _date(child, "BT-9")
            elif tag == CBC + "PaymentID":
                _set(pay, "remittance_information", _text(child))  # BT-83
            elif tag == CAC + "CardAccount":
                card: Dict = {}
                _set(card, "primary_account_number",
                     _child_text(child, CBC + "PrimaryAccountNumberID"))
                _set(card, "holder_name", _child_text(child, CBC + "HolderName"))
                if card:
                    _set(pay, "payment_card", card)
            elif tag == CAC + "PayeeFinancialAccount":
                account: Dict = {}
                for sub in child:
                    if sub.tag == _T:
                        _set(account, "account_identifier", _text(sub))
                    elif sub.tag == CBC + "Name":
                        _set(account, "account_name", _text(sub))
                    elif sub.tag == CAC + "FinancialInstitutionBranch":
                        _set(account, "service_provider_identifier", _child_text(sub, _T))
                if account:
                    self.transfers.append(account)
            elif tag == CAC + "PaymentMandate":
                debit = pay.setdefault("direct_debit", {})
                _set(debit, "mandate_reference_identifier", _child_text(child, _T))
                _set(debit, "debited_account_identifier",
                     _child_text(child, CAC + "PayerFinancialAccount/" + _T))
                if not debit:
                    del pay["direct_debit"]

    def payment_terms(self, el: Element) -> None:
        for child in el:
            if child.tag == CBC + "Note":
                text = _text(child)
                if text is not None:
                    self.terms.append(text)

    # -- allowances, charges, taxes, totals

    def allowance_charge(self, el: Element) -> None:
        charge = _is_charge(el)
        bts = _DOC_CHARGE_BT if charge else _DOC_ALLOWANCE_BT
        out = _allowance_charge(el, bts)
        for child in el:
            if child.tag == CAC + "TaxCategory":
                for sub in child:
                    if sub.tag == _T:
                        _set(out, "vat_category_code", _text(sub))
                    elif sub.tag == CBC + "Percent":
                        _set(out, "vat_rate", _number(sub, bts[5]))
        (self.charges if charge else self.allowances).append(out)

    def tax_total(self, el: Element) -> None:
        amount_el = el.find(CBC + "TaxAmount")
        subtotals = el.findall(CAC + "TaxSubtotal")
        if amount_el is not None:
            # BT-110 is the TaxTotal in the invoice currency (with the breakdown), BT-111 the
            # other one, in the VAT accounting currency (BT-6)
            currency = amount_el.get("currencyID")
            is_main = bool(subtotals) or (
                "total_vat_amount" not in self.totals
                and (currency is None or currency == self.d.get("invoice_currency_code"))
            )
            if is_main and "total_vat_amount" not in self.totals:
                _set(self.totals, "total_vat_amount", _number(amount_el, "BT-110"))
            else:
                _set(self.totals, "total_vat_amount_in_accounting_currency",
                     _number(amount_el, "BT-111"))
        for sub in subtotals:
            out: Dict = {}
            for child in sub:
                tag = child.tag
                if tag == CBC + "TaxableAmount":
                    _set(out, "taxable_amount", _number(child, "BT-116"))
                elif tag == CBC + "TaxAmount":
                    _set(out, "tax_amount", _number(child, "BT-117"))
                elif tag == CAC + "TaxCategory":
                    for cat in child:
                        ctag = cat.tag
                        if ctag == _T:
                            _set(out, "category_code", _text(cat))
                        elif ctag == CBC + "Percent":
                            _set(out, "rate", _number(cat, "BT-119"))
                        elif ctag == CBC + "TaxExemptionReasonCode":
                            _set(out, "exemption_reason_code", _text(cat))
                        elif ctag == CBC + "TaxExemptionReason":
                            _set(out, "exemption_reason", _text(cat))
            self.breakdown.append(out)

    def monetary_total(self, el: Element) -> None:
        values = _flat(el, _TOTALS_INDEX)
        if values:
            for key, value in values.items():
                _set(self.totals, key, value)

    def line(self, el: Element) -> None:
        self.lines.append(_line(el))


def _is_charge(el: Element) -> bool:
    indicator = _child_text(el, CBC + "ChargeIndicator")
    return indicator is not None and indicator.lower() in ("true", "1")


_DOC_ALLOWANCE_BT = ("BT-92", "BT-93", "BT-94", "BT-97", "BT-98", "BT-96")
_DOC_CHARGE_BT = ("BT-99", "BT-100", "BT-101", "BT-104", "BT-105", "BT-103")
_LINE_ALLOWANCE_BT = ("BT-136", "BT-137", "BT-138", "BT-139", "BT-140", "")
_LINE_CHARGE_BT = ("BT-141", "BT-142", "BT-143", "BT-144", "BT-145", "")


def _allowance_charge(el: Element, bts: tuple[str, ...]) -> Dict:
    out: Dict = {}
    for child in el:
        tag = child.tag
        if tag == CBC + "Amount":
            _set(out, "amount", _number(child, bts[0]))
        elif tag == CBC + "BaseAmount":
            _set(out, "base_amount", _number(child, bts[1]))
        elif tag == CBC + "MultiplierFactorNumeric":
            _set(out, "percentage", _number(child, bts[2]))
        elif tag == CBC + "AllowanceChargeReason":
            _set(out, "reason", _text(child))
        elif tag == CBC + "AllowanceChargeReasonCode":
            _set(out, "reason_code", _text(child))
    return out


def _line(el: Element) -> Dict:
    out: Dict = {}
    allowances: list[Dict] = []
    charges: list[Dict] = []
    for child in el:
        tag = child.tag
        if tag == _T:
            _set(out, "identifier", _text(child))
        elif tag == CBC + "Note":
            _set(out, "note", _text(child))
        elif tag == CBC + "InvoicedQuantity" or tag == CBC + "CreditedQuantity":
            _set(out, "invoiced_quantity", _number(child, "BT-129"))
            _set(out, "invoiced_quantity_unit_code", child.get("unitCode"))
        elif tag == CBC + "LineExtensionAmount":
            _set(out, "net_amount", _number(child, "BT-131"))
        elif tag == CBC + "AccountingCost":
            _set(out, "buyer_accounting_reference", _text(child))
        elif tag == CAC + "InvoicePeriod":
            period: Dict = {}
            for sub in child:
                if sub.tag == CBC + "StartDate":
                    _set(period, "start_date", _date(sub, "BT-134"))
                elif sub.tag == CBC + "EndDate":
                    _set(period, "end_date", _date(sub, "BT-135"))
            if period:
                _set(out, "period", period)
        elif tag == CAC + "OrderLineReference":
            _set(out, "purchase_order_line_reference", _child_text(child, CBC + "LineID"))
        elif tag == CAC + "DocumentReference":
            ident = child.find(_T)
            if ident is not None:
                _set(out, "object_identifier", _ident(ident))  # BT-128 (type code 130)
        elif tag == CAC + "AllowanceCharge":
            if _is_charge(child):
                charges.append(_allowance_charge(child, _LINE_CHARGE_BT))
            else:
                allowances.append(_allowance_charge(child, _LINE_ALLOWANCE_BT))
        elif tag == CAC + "Item":
            _item(child, out)
        elif tag == CAC + "Price":
            price = _price(child)
            if price:
                _set(out, "price_details", price)
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
        if tag == CBC + "Name":
            _set(item, "name", _text(child))
        elif tag == CBC + "Description":
            _set(item, "description", _text(child))
        elif tag == CAC + "SellersItemIdentification":
            _set(item, "seller_identifier", _child_text(child, _T))
        elif tag == CAC + "BuyersItemIdentification":
            _set(item, "buyer_identifier", _child_text(child, _T))
        elif tag == CAC + "StandardItemIdentification":
            ident = child.find(_T)
            if ident is not None:
                _set(item, "standard_identifier", _ident(ident))
        elif tag == CAC + "OriginCountry":
            _set(item, "country_of_origin", _child_text(child, CBC + "IdentificationCode"))
        elif tag == CAC + "CommodityClassification":
            code = child.find(CBC + "ItemClassificationCode")
            if code is not None:
                cls: Dict = {}
                _set(cls, "value", _text(code))
                _set(cls, "scheme_id", code.get("listID"))
                _set(cls, "scheme_version_id", code.get("listVersionID"))
                if cls:
                    classes.append(cls)
        elif tag == CAC + "ClassifiedTaxCategory":
            vat: Dict = {}
            for sub in child:
                if sub.tag == _T:
                    _set(vat, "category_code", _text(sub))
                elif sub.tag == CBC + "Percent":
                    _set(vat, "rate", _number(sub, "BT-152"))
            if vat:
                _set(line, "vat_information", vat)  # BG-30 sits in the item in UBL
        elif tag == CAC + "AdditionalItemProperty":
            attr: Dict = {}
            _set(attr, "name", _child_text(child, CBC + "Name"))
            _set(attr, "value", _child_text(child, CBC + "Value"))
            if attr:
                attributes.append(attr)
    if classes:
        item["classification_identifiers"] = classes
    if attributes:
        item["attributes"] = attributes
    if item:
        _set(line, "item", item)


def _price(el: Element) -> Dict:
    out: Dict = {}
    for child in el:
        tag = child.tag
        if tag == CBC + "PriceAmount":
            _set(out, "net_price", _number(child, "BT-146"))
        elif tag == CBC + "BaseQuantity":
            _set(out, "base_quantity", _number(child, "BT-149"))
            _set(out, "base_quantity_unit_code", child.get("unitCode"))
        elif tag == CAC + "AllowanceCharge":
            for sub in child:
                if sub.tag == CBC + "Amount":
                    discount = _number(sub, "BT-147")
                    if discount:  # 0 is the placeholder the XSD forces with a gross price alone
                        _set(out, "price_discount", discount)
                elif sub.tag == CBC + "BaseAmount":
                    _set(out, "gross_price", _number(sub, "BT-148"))
    return out


_ROOT_HANDLERS: dict[str, Callable[[_Reader, Element], None]] = {
    CBC + "CustomizationID": _Reader.customization,
    CBC + "ProfileID": _Reader.profile,
    CBC + "ID": _Reader.ident,
    CBC + "IssueDate": _Reader.issue_date,
    CBC + "DueDate": _Reader.due_date,
    CBC + "InvoiceTypeCode": _Reader.type_code,
    CBC + "CreditNoteTypeCode": _Reader.type_code,
    CBC + "Note": _Reader.note,
    CBC + "TaxPointDate": _Reader.tax_point_date,
    CBC + "DocumentCurrencyCode": _Reader.currency,
    CBC + "TaxCurrencyCode": _Reader.tax_currency,
    CBC + "AccountingCost": _Reader.accounting_cost,
    CBC + "BuyerReference": _Reader.buyer_reference,
    CAC + "InvoicePeriod": _Reader.invoice_period,
    CAC + "OrderReference": _Reader.order_reference,
    CAC + "BillingReference": _Reader.billing_reference,
    CAC + "DespatchDocumentReference": _Reader.despatch,
    CAC + "ReceiptDocumentReference": _Reader.receipt,
    CAC + "OriginatorDocumentReference": _Reader.originator,
    CAC + "ContractDocumentReference": _Reader.contract,
    CAC + "AdditionalDocumentReference": _Reader.additional_document,
    CAC + "ProjectReference": _Reader.project,
    CAC + "AccountingSupplierParty": _Reader.seller,
    CAC + "AccountingCustomerParty": _Reader.buyer,
    CAC + "PayeeParty": _Reader.payee,
    CAC + "TaxRepresentativeParty": _Reader.tax_representative,
    CAC + "Delivery": _Reader.delivery,
    CAC + "PaymentMeans": _Reader.payment_means,
    CAC + "PaymentTerms": _Reader.payment_terms,
    CAC + "AllowanceCharge": _Reader.allowance_charge,
    CAC + "TaxTotal": _Reader.tax_total,
    CAC + "LegalMonetaryTotal": _Reader.monetary_total,
    CAC + "InvoiceLine": _Reader.line,
    CAC + "CreditNoteLine": _Reader.line,
}


# ---------------------------------------------------------------- writing

_NSMAP = {"cac": CAC_NS, "cbc": CBC_NS}
_Sub = etree.SubElement


def write(invoice: Invoice) -> bytes:
    """Write ``invoice`` as UBL 2.1: a ``CreditNote`` when BT-3 is a credit note code.

    >>> from chorus_core.model import Invoice
    >>> print(write(Invoice(invoice_number="A-1", invoice_type_code="381")).decode())
    <?xml version='1.0' encoding='UTF-8'?>
    <CreditNote ...><cbc:ID>A-1</cbc:ID><cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>...
    """
    return serialize(write_element(invoice))


def _num(value: Decimal) -> str:
    return format(value, "f")


def _leaf_el(parent: Element, tag: str, text: str | None) -> Element:
    el = _Sub(parent, tag)
    el.text = text
    return el


def _opt(parent: Element, tag: str, text: str | None) -> None:
    if text is not None:
        _Sub(parent, tag).text = text


def _amount(parent: Element, tag: str, value: Decimal | None, currency: str | None) -> None:
    if value is None:
        return
    el = _Sub(parent, tag, currencyID=currency) if currency else _Sub(parent, tag)
    el.text = _num(value)


def _decimal(parent: Element, tag: str, value: Decimal | None) -> None:
    if value is not None:
        _Sub(parent, tag).text = _num(value)


def _write_ident(parent: Element, tag: str, ident: Identifier | None) -> None:
    if ident is None:
        return
    el = _Sub(parent, tag, schemeID=ident.scheme_id) if ident.scheme_id is not None else (
        _Sub(parent, tag)
    )
    el.text = ident.value


def _write_flat(parent: Element, tag: str, model: Any, table: Iterable[Leaf]) -> None:
    """Write the rows of a flat table under a new ``tag`` element, if any value is present."""
    if model is None:
        return
    values = [(leaf, getattr(model, leaf.field)) for leaf in table]
    if all(v is None for _, v in values):
        return
    group = _Sub(parent, tag)
    for leaf, value in values:
        if value is None:
            continue
        el = group
        for step in leaf.path[:-1]:
            el = _Sub(el, step)
        _Sub(el, leaf.path[-1]).text = value if leaf.kind == "text" else _num(value)


def _tax_scheme(parent: Element, scheme: str = "VAT") -> None:
    _Sub(_Sub(parent, CAC + "TaxScheme"), _T).text = scheme


def write_element(invoice: Invoice) -> Element:
    """Build the UBL root element of ``invoice`` (see :func:`write`)."""
    credit = invoice.is_credit_note
    root_ns = CREDIT_NOTE_NS if credit else INVOICE_NS
    nsmap: Any = {None: root_ns, **_NSMAP}
    root = etree.Element(CREDIT_NOTE if credit else INVOICE, nsmap=nsmap)
    cur = invoice.invoice_currency_code
    pc = invoice.process_control
    if pc is not None:
        _opt(root, CBC + "CustomizationID", pc.specification_identifier)  # BT-24
        _opt(root, CBC + "ProfileID", pc.business_process_type)  # BT-23, Chorus cadre
    _opt(root, _T, invoice.invoice_number)
    _opt(root, CBC + "IssueDate", _iso(invoice.invoice_issue_date))
    if not credit:
        _opt(root, CBC + "DueDate", _iso(invoice.payment_due_date))  # BT-9
    _opt(root, CBC + ("CreditNoteTypeCode" if credit else "InvoiceTypeCode"),
         invoice.invoice_type_code)
    for note in invoice.notes:
        if note.subject_code is not None:  # BT-21 as "#CODE#" prefix
            _leaf_el(root, CBC + "Note", f"#{note.subject_code}#{note.note or ''}")
        elif note.note is not None:
            _leaf_el(root, CBC + "Note", note.note)
    _opt(root, CBC + "TaxPointDate", _iso(invoice.value_added_tax_point_date))
    _opt(root, CBC + "DocumentCurrencyCode", cur)
    _opt(root, CBC + "TaxCurrencyCode", invoice.vat_accounting_currency_code)
    _opt(root, CBC + "AccountingCost", invoice.buyer_accounting_reference)
    _opt(root, CBC + "BuyerReference", invoice.buyer_reference)  # BT-10, Chorus code service
    period = invoice.invoicing_period
    start = period.start_date if period else None
    end = period.end_date if period else None
    if start or end or invoice.value_added_tax_point_date_code:
        el = _Sub(root, CAC + "InvoicePeriod")
        _opt(el, CBC + "StartDate", _iso(start))
        _opt(el, CBC + "EndDate", _iso(end))
        _opt(el, CBC + "DescriptionCode", invoice.value_added_tax_point_date_code)  # BT-8
    if invoice.purchase_order_reference is not None or invoice.sales_order_reference is not None:
        el = _Sub(root, CAC + "OrderReference")
        # BT-13, Chorus engagement; cbc:ID is required, written empty when only BT-14 exists
        _leaf_el(el, _T, invoice.purchase_order_reference)
        _opt(el, CBC + "SalesOrderID", invoice.sales_order_reference)
    for ref in invoice.preceding_invoice_references:
        doc = _Sub(_Sub(root, CAC + "BillingReference"), CAC + "InvoiceDocumentReference")
        _leaf_el(doc, _T, ref.reference)
        _opt(doc, CBC + "IssueDate", _iso(ref.issue_date))
    _doc_ref(root, "DespatchDocumentReference", invoice.despatch_advice_reference)
    _doc_ref(root, "ReceiptDocumentReference", invoice.receiving_advice_reference)
    _doc_ref(root, "OriginatorDocumentReference", invoice.tender_or_lot_reference)
    _doc_ref(root, "ContractDocumentReference", invoice.contract_reference)  # BT-12, marché
    if invoice.invoiced_object_identifier is not None:
        el = _Sub(root, CAC + "AdditionalDocumentReference")
        _write_ident(el, _T, invoice.invoiced_object_identifier)
        _leaf_el(el, CBC + "DocumentTypeCode", BT_18_TYPE)
    if credit and invoice.project_reference is not None:
        el = _Sub(root, CAC + "AdditionalDocumentReference")
        _leaf_el(el, _T, invoice.project_reference)
        _leaf_el(el, CBC + "DocumentTypeCode", BT_11_CREDIT_NOTE_TYPE)
    for sdoc in invoice.supporting_documents:
        el = _Sub(root, CAC + "AdditionalDocumentReference")
        _leaf_el(el, _T, sdoc.reference)
        _opt(el, CBC + "DocumentDescription", sdoc.description)
        if sdoc.attached_document is not None or sdoc.external_location is not None:
            att = _Sub(el, CAC + "Attachment")
            if sdoc.attached_document is not None:
                attrs = {}
                if sdoc.mime_code is not None:
                    attrs["mimeCode"] = sdoc.mime_code
                if sdoc.filename is not None:
                    attrs["filename"] = sdoc.filename
                _Sub(att, CBC + "EmbeddedDocumentBinaryObject", attrs).text = (
                    base64.b64encode(sdoc.attached_document).decode("ascii")
                )
            if sdoc.external_location is not None:
                _leaf_el(_Sub(att, CAC + "ExternalReference"), CBC + "URI",
                         sdoc.external_location)
    if not credit:
        _doc_ref(root, "ProjectReference", invoice.project_reference)
    pay = invoice.payment_instructions
    sepa = pay.direct_debit.bank_assigned_creditor_identifier if (
        pay is not None and pay.direct_debit is not None) else None
    _write_seller(root, invoice.seller, None if invoice.payee is not None else sepa)
    _write_buyer(root, invoice.buyer)
    if invoice.payee is not None:
        payee = invoice.payee
        el = _Sub(root, CAC + "PayeeParty")
        if payee.identifier is not None:
            _write_ident(_Sub(el, CAC + "PartyIdentification"), _T, payee.identifier)
        _sepa(el, sepa)  # BT-90 with the payee when there is one
        if payee.name is not None:
            _leaf_el(_Sub(el, CAC + "PartyName"), CBC + "Name", payee.name)
        if payee.legal_registration_identifier is not None:
            _write_ident(_Sub(el, CAC + "PartyLegalEntity"), CBC + "CompanyID",
                         payee.legal_registration_identifier)
    rep = invoice.seller_tax_representative
    if rep is not None:
        el = _Sub(root, CAC + "TaxRepresentativeParty")
        if rep.name is not None:
            _leaf_el(_Sub(el, CAC + "PartyName"), CBC + "Name", rep.name)
        _write_flat(el, CAC + "PostalAddress", rep.postal_address, ADDRESS)
        if rep.vat_identifier is not None:
            scheme = _Sub(el, CAC + "PartyTaxScheme")
            _leaf_el(scheme, CBC + "CompanyID", rep.vat_identifier)
            _tax_scheme(scheme)
    _write_delivery(root, invoice)
    _write_payment(root, invoice, credit)
    if invoice.payment_terms is not None:
        _leaf_el(_Sub(root, CAC + "PaymentTerms"), CBC + "Note", invoice.payment_terms)
    for allowance in invoice.allowances:
        _write_doc_allowance_charge(root, False, allowance, cur)
    for charge in invoice.charges:
        _write_doc_allowance_charge(root, True, charge, cur)
    _write_taxes(root, invoice, cur)
    totals = invoice.totals
    if totals is not None:
        group = _Sub(root, CAC + "LegalMonetaryTotal")
        for leaf in MONETARY_TOTAL:
            _amount(group, leaf.path[0], getattr(totals, leaf.field), cur)
    line_tag = CAC + ("CreditNoteLine" if credit else "InvoiceLine")
    quantity_tag = CBC + ("CreditedQuantity" if credit else "InvoicedQuantity")
    for line in invoice.lines:
        _write_line(root, line, line_tag, quantity_tag, cur, credit)
    if credit:
        order = {CBC + n: i for i, n in enumerate(ROOT_ORDER["CreditNote"])}
        order.update({CAC + n: i for i, n in enumerate(ROOT_ORDER["CreditNote"])})
        root[:] = sorted(root, key=lambda e: order[e.tag])
    return root


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _doc_ref(root: Element, name: str, value: str | None) -> None:
    if value is not None:
        _leaf_el(_Sub(root, CAC + name), _T, value)


def _sepa(party: Element, sepa: str | None) -> None:
    if sepa is not None:
        _Sub(_Sub(party, CAC + "PartyIdentification"), _T, schemeID=SEPA).text = sepa


def _party_common(
    party: Element,
    endpoint: Identifier | None,
    identifiers: Iterable[Identifier],
    sepa: str | None,
    party_name: str | None,
    address: Address | None,
) -> None:
    _write_ident(party, CBC + "EndpointID", endpoint)
    for ident in identifiers:
        _write_ident(_Sub(party, CAC + "PartyIdentification"), _T, ident)
    _sepa(party, sepa)
    if party_name is not None:
        _leaf_el(_Sub(party, CAC + "PartyName"), CBC + "Name", party_name)
    _write_flat(party, CAC + "PostalAddress", address, ADDRESS)


def _legal_entity(
    party: Element, name: str | None, company: Identifier | None, form: str | None
) -> None:
    if name is None and company is None and form is None:
        return
    el = _Sub(party, CAC + "PartyLegalEntity")
    _opt(el, CBC + "RegistrationName", name)
    _write_ident(el, CBC + "CompanyID", company)
    _opt(el, CBC + "CompanyLegalForm", form)


def _party_tax(party: Element, company: str | None, scheme: str) -> None:
    if company is not None:
        el = _Sub(party, CAC + "PartyTaxScheme")
        _leaf_el(el, CBC + "CompanyID", company)
        _tax_scheme(el, scheme)


def _write_seller(root: Element, seller: Seller | None, sepa: str | None) -> None:
    party = _Sub(_Sub(root, CAC + "AccountingSupplierParty"), CAC + "Party")
    if seller is None:
        _sepa(party, sepa)
        return
    _party_common(party, seller.electronic_address, seller.identifiers, sepa,
                  seller.trading_name, seller.postal_address)
    _party_tax(party, seller.vat_identifier, "VAT")  # BT-31
    _party_tax(party, seller.tax_registration_identifier, OTHER_TAX_SCHEME)  # BT-32
    _legal_entity(party, seller.name, seller.legal_registration_identifier,
                  seller.additional_legal_information)
    _write_flat(party, CAC + "Contact", seller.contact, CONTACT)


def _write_buyer(root: Element, buyer: Buyer | None) -> None:
    party = _Sub(_Sub(root, CAC + "AccountingCustomerParty"), CAC + "Party")
    if buyer is None:
        return
    ids = (buyer.identifier,) if buyer.identifier is not None else ()
    # BT-46 with schemeID 0009: the buyer SIRET, convention (c) of the French reform
    _party_common(party, buyer.electronic_address, ids, None, buyer.trading_name,
                  buyer.postal_address)
    _party_tax(party, buyer.vat_identifier, "VAT")  # BT-48
    _legal_entity(party, buyer.name, buyer.legal_registration_identifier, None)
    _write_flat(party, CAC + "Contact", buyer.contact, CONTACT)


def _write_delivery(root: Element, invoice: Invoice) -> None:
    delivery = invoice.delivery
    if delivery is None:
        return
    el = _Sub(root, CAC + "Delivery")
    _opt(el, CBC + "ActualDeliveryDate", _iso(delivery.actual_delivery_date))
    if delivery.location_identifier is not None or delivery.address is not None:
        location = _Sub(el, CAC + "DeliveryLocation")
        _write_ident(location, _T, delivery.location_identifier)
        _write_flat(location, CAC + "Address", delivery.address, ADDRESS)
    if delivery.party_name is not None:
        party = _Sub(_Sub(el, CAC + "DeliveryParty"), CAC + "PartyName")
        _leaf_el(party, CBC + "Name", delivery.party_name)


def _write_payment(root: Element, invoice: Invoice, credit: bool) -> None:
    pay = invoice.payment_instructions
    due = invoice.payment_due_date if credit else None  # BT-9 of a CreditNote
    if pay is None:
        pay = PaymentInstructions() if due is not None else None
    if pay is None:
        return
    transfers = pay.credit_transfers or (None,)
    card = pay.payment_card
    debit = pay.direct_debit
    has_mandate = debit is not None and (
        debit.mandate_reference_identifier is not None
        or debit.debited_account_identifier is not None
    )
    if (
        pay.credit_transfers == ()
        and card is None
        and not has_mandate
        and pay.payment_means_type_code is None
        and pay.payment_means_text is None
        and pay.remittance_information is None
        and due is None
    ):
        return  # only BT-90, written in a party
    for index, account in enumerate(transfers):
        el = _Sub(root, CAC + "PaymentMeans")
        code = _leaf_el(el, CBC + "PaymentMeansCode", pay.payment_means_type_code)
        if index == 0 and pay.payment_means_text is not None:
            code.set("name", pay.payment_means_text)  # BT-82, once (UBL-SR-46)
        if index == 0:
            _opt(el, CBC + "PaymentDueDate", _iso(due))
        _opt(el, CBC + "PaymentID", pay.remittance_information)  # BT-83
        if index == 0 and card is not None:
            acc = _Sub(el, CAC + "CardAccount")
            _leaf_el(acc, CBC + "PrimaryAccountNumberID", card.primary_account_number)
            _leaf_el(acc, CBC + "NetworkID", CARD_NETWORK_DEFAULT)  # required, no BT
            _opt(acc, CBC + "HolderName", card.holder_name)
        if account is not None:
            fin = _Sub(el, CAC + "PayeeFinancialAccount")
            _opt(fin, _T, account.account_identifier)
            _opt(fin, CBC + "Name", account.account_name)
            if account.service_provider_identifier is not None:
                _leaf_el(_Sub(fin, CAC + "FinancialInstitutionBranch"), _T,
                         account.service_provider_identifier)
        if index == 0 and has_mandate and debit is not None:
            mandate = _Sub(el, CAC + "PaymentMandate")
            _opt(mandate, _T, debit.mandate_reference_identifier)
            if debit.debited_account_identifier is not None:
                _leaf_el(_Sub(mandate, CAC + "PayerFinancialAccount"), _T,
                         debit.debited_account_identifier)


def _write_doc_allowance_charge(root: Element, charge: bool, ac: Any, cur: str | None) -> None:
    el = _Sub(root, CAC + "AllowanceCharge")
    _leaf_el(el, CBC + "ChargeIndicator", "true" if charge else "false")
    _opt(el, CBC + "AllowanceChargeReasonCode", ac.reason_code)
    _opt(el, CBC + "AllowanceChargeReason", ac.reason)
    _decimal(el, CBC + "MultiplierFactorNumeric", ac.percentage)
    _amount(el, CBC + "Amount", ac.amount, cur)
    _amount(el, CBC + "BaseAmount", ac.base_amount, cur)
    if ac.vat_category_code is not None or ac.vat_rate is not None:
        cat = _Sub(el, CAC + "TaxCategory")
        _opt(cat, _T, ac.vat_category_code)
        _decimal(cat, CBC + "Percent", ac.vat_rate)
        _tax_scheme(cat)


def _write_taxes(root: Element, invoice: Invoice, cur: str | None) -> None:
    totals: DocumentTotals | None = invoice.totals
    vat = totals.total_vat_amount if totals else None
    if vat is not None or invoice.vat_breakdown:
        el = _Sub(root, CAC + "TaxTotal")
        if vat is None:
            # the XSD requires TaxTotal/TaxAmount: BT-110 absent (a CII source may omit it)
            # is written as the sum of BT-117, which the loss report shows as added
            vat = sum((b.tax_amount or Decimal(0) for b in invoice.vat_breakdown), Decimal(0))
        _amount(el, CBC + "TaxAmount", vat, cur)  # BT-110, in the invoice currency
        for sub in invoice.vat_breakdown:
            st = _Sub(el, CAC + "TaxSubtotal")
            _amount(st, CBC + "TaxableAmount", sub.taxable_amount, cur)
            _amount(st, CBC + "TaxAmount", sub.tax_amount, cur)
            cat = _Sub(st, CAC + "TaxCategory")
            _opt(cat, _T, sub.category_code)
            _decimal(cat, CBC + "Percent", sub.rate)
            _opt(cat, CBC + "TaxExemptionReasonCode", sub.exemption_reason_code)
            _opt(cat, CBC + "TaxExemptionReason", sub.exemption_reason)
            _tax_scheme(cat)
    accounting = totals.total_vat_amount_in_accounting_currency if totals else None
    if accounting is not None:  # BT-111, in the VAT accounting currency (BT-6)
        el = _Sub(root, CAC + "TaxTotal")
        _amount(el, CBC + "TaxAmount", accounting, invoice.vat_accounting_currency_code)


def _write_line(
    root: Element, line: InvoiceLine, tag: str, quantity_tag: str, cur: str | None,
    credit: bool,
) -> None:
    el = _Sub(root, tag)
    _leaf_el(el, _T, line.identifier)
    _opt(el, CBC + "Note", line.note)
    if line.invoiced_quantity is not None or line.invoiced_quantity_unit_code is not None:
        q = _Sub(el, quantity_tag)
        if line.invoiced_quantity_unit_code is not None:
            q.set("unitCode", line.invoiced_quantity_unit_code)
        if line.invoiced_quantity is not None:
            q.text = _num(line.invoiced_quantity)
    _amount(el, CBC + "LineExtensionAmount", line.net_amount, cur)
    _opt(el, CBC + "AccountingCost", line.buyer_accounting_reference)
    period = line.period
    if period is not None and (period.start_date or period.end_date):
        p = _Sub(el, CAC + "InvoicePeriod")
        _opt(p, CBC + "StartDate", _iso(period.start_date))
        _opt(p, CBC + "EndDate", _iso(period.end_date))
    if line.purchase_order_line_reference is not None:
        _leaf_el(_Sub(el, CAC + "OrderLineReference"), CBC + "LineID",
                 line.purchase_order_line_reference)
    if line.object_identifier is not None:
        ref = _Sub(el, CAC + "DocumentReference")
        _write_ident(ref, _T, line.object_identifier)
        _leaf_el(ref, CBC + "DocumentTypeCode", BT_18_TYPE)
    for allowance in line.allowances:
        _line_allowance_charge(el, False, allowance, cur)
    for charge in line.charges:
        _line_allowance_charge(el, True, charge, cur)
    _write_item(el, line.item, line)
    price = line.price_details
    if price is not None:
        p = _Sub(el, CAC + "Price")
        _amount(p, CBC + "PriceAmount", price.net_price, cur)
        if price.base_quantity is not None or price.base_quantity_unit_code is not None:
            bq = _Sub(p, CBC + "BaseQuantity")
            if price.base_quantity_unit_code is not None:
                bq.set("unitCode", price.base_quantity_unit_code)
            if price.base_quantity is not None:
                bq.text = _num(price.base_quantity)
        if price.price_discount is not None or price.gross_price is not None:
            ac = _Sub(p, CAC + "AllowanceCharge")
            _leaf_el(ac, CBC + "ChargeIndicator", "false")
            # BT-147; the XSD requires an Amount: a gross price alone is written with 0
            discount = price.price_discount if price.price_discount is not None else Decimal(0)
            _amount(ac, CBC + "Amount", discount, cur)
            _amount(ac, CBC + "BaseAmount", price.gross_price, cur)  # BT-148


def _line_allowance_charge(parent: Element, charge: bool, ac: Any, cur: str | None) -> None:
    el = _Sub(parent, CAC + "AllowanceCharge")
    _leaf_el(el, CBC + "ChargeIndicator", "true" if charge else "false")
    _opt(el, CBC + "AllowanceChargeReasonCode", ac.reason_code)
    _opt(el, CBC + "AllowanceChargeReason", ac.reason)
    _decimal(el, CBC + "MultiplierFactorNumeric", ac.percentage)
    _amount(el, CBC + "Amount", ac.amount, cur)
    _amount(el, CBC + "BaseAmount", ac.base_amount, cur)


def _write_item(parent: Element, item: ItemInformation | None, line: InvoiceLine) -> None:
    el = _Sub(parent, CAC + "Item")
    vat = line.vat_information
    if item is not None:
        _opt(el, CBC + "Description", item.description)
        _opt(el, CBC + "Name", item.name)
        if item.buyer_identifier is not None:
            _leaf_el(_Sub(el, CAC + "BuyersItemIdentification"), _T, item.buyer_identifier)
        if item.seller_identifier is not None:
            _leaf_el(_Sub(el, CAC + "SellersItemIdentification"), _T, item.seller_identifier)
        if item.standard_identifier is not None:
            _write_ident(_Sub(el, CAC + "StandardItemIdentification"), _T,
                         item.standard_identifier)
        if item.country_of_origin is not None:
            _leaf_el(_Sub(el, CAC + "OriginCountry"), CBC + "IdentificationCode",
                     item.country_of_origin)
        for cls in item.classification_identifiers:
            code = _Sub(_Sub(el, CAC + "CommodityClassification"),
                        CBC + "ItemClassificationCode")
            if cls.scheme_id is not None:
                code.set("listID", cls.scheme_id)
            if cls.scheme_version_id is not None:
                code.set("listVersionID", cls.scheme_version_id)
            code.text = cls.value
    if vat is not None and (vat.category_code is not None or vat.rate is not None):
        cat = _Sub(el, CAC + "ClassifiedTaxCategory")
        _opt(cat, _T, vat.category_code)
        _decimal(cat, CBC + "Percent", vat.rate)
        _tax_scheme(cat)
    if item is not None:
        for attr in item.attributes:
            prop = _Sub(el, CAC + "AdditionalItemProperty")
            _leaf_el(prop, CBC + "Name", attr.name)
            _opt(prop, CBC + "Value", attr.value)

