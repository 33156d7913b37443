"""EN 16931 code-list rules BR-CL-01…BR-CL-26: every code of the invoice is in its list.

The lists are :mod:`chorus_core.model.codelists`, generated from the official code-list
Schematron (never re-typed here).  A code passes as the Schematron tests it: after
``normalize-space`` it is a single token of the list.  The readers keep invalid codes as read
(:func:`chorus_core.model.lenient`), so each rule sees exactly what the document carried.

BR-CL-03 (the ``currencyID`` of every amount) has no counterpart of its own in the model: the
canonical invoice carries one currency (BT-5) for its amounts and BT-6 for BT-111, so the rule
checks those codes where an amount carries them in both syntaxes (the VAT totals).

More information:

* EN 16931-1:2017, clause 6.4 (business rules, code lists); CEN/TS 16931-3 code lists
* ``eInvoicing-EN16931-1.3.16/{ubl,cii}/schematron/codelist``

>>> from chorus_core.examples import sample_invoice
>>> inv = sample_invoice()
>>> list(br_cl_04.check(inv))
[]
>>> from chorus_core.model import lenient, Invoice
>>> list(br_cl_04.check(lenient(Invoice, invoice_currency_code="EURO")))
['invoice_currency_code']
"""

from __future__ import annotations

from collections.abc import Iterator

from chorus_core.model import Identifier, Invoice
from chorus_core.model import codelists as cl

from ._engine import Rule, in_list, rule

__all__ = ["RULES"]

_ALL_TYPE_CODES = cl.INVOICE_TYPE_CODES | cl.CREDIT_NOTE_TYPE_CODES


def _scheme(path: str, ident: Identifier | None, codes: frozenset[str]) -> Iterator[str]:
    if ident is not None and ident.scheme_id is not None and not in_list(ident.scheme_id, codes):
        yield path


@rule("BR-CL-01", "fatal", ("BT-3",),
      "The document type code MUST be coded by the invoice and credit note related code lists "
      "of UNTDID 1001.",
      "Le code de type de document (BT-3) doit appartenir aux listes UNTDID 1001 des factures "
      "et des avoirs.")
def br_cl_01(inv: Invoice) -> Iterator[str]:
    # UBL checks an Invoice against the invoice list and a CreditNote against the credit note
    # list; the model has one type code, checked against both (as CII does).
    if inv.invoice_type_code is not None and not in_list(inv.invoice_type_code, _ALL_TYPE_CODES):
        yield "invoice_type_code"


@rule("BR-CL-03", "fatal", ("BT-5", "BT-6"),
      "currencyID MUST be coded using ISO code list 4217 alpha-3",
      "L'attribut currencyID doit être codé selon la liste ISO 4217 alpha-3.")
def br_cl_03(inv: Invoice) -> Iterator[str]:
    # The amounts carry BT-5 (BT-111 carries BT-6): the VAT totals are the amounts that carry
    # a currency in both syntaxes.
    t = inv.totals
    pairs = (("invoice_currency_code", inv.invoice_currency_code, t and t.total_vat_amount),
             ("vat_accounting_currency_code", inv.vat_accounting_currency_code,
              t and t.total_vat_amount_in_accounting_currency))
    for path, code, amount in pairs:
        if code is not None and amount is not None and not in_list(code, cl.CURRENCY_CODES):
            yield path


@rule("BR-CL-04", "fatal", ("BT-5",),
      "Invoice currency code MUST be coded using ISO code list 4217 alpha-3",
      "Le code de devise de la facture (BT-5) doit être codé selon la liste ISO 4217 alpha-3.")
def br_cl_04(inv: Invoice) -> Iterator[str]:
    code = inv.invoice_currency_code
    if code is not None and not in_list(code, cl.CURRENCY_CODES):
        yield "invoice_currency_code"


@rule("BR-CL-05", "fatal", ("BT-6",),
      "Tax currency code MUST be coded using ISO code list 4217 alpha-3",
      "Le code de devise de comptabilisation de la TVA (BT-6) doit être codé selon la liste "
      "ISO 4217 alpha-3.")
def br_cl_05(inv: Invoice) -> Iterator[str]:
    code = inv.vat_accounting_currency_code
    if code is not None and not in_list(code, cl.CURRENCY_CODES):
        yield "vat_accounting_currency_code"


@rule("BR-CL-06", "fatal", ("BT-8",),
      "Value added tax point date code MUST be coded using a restriction of UNTDID 2005.",
      "Le code de date d'exigibilité de la TVA (BT-8) doit appartenir à une restriction de "
      "UNTDID 2005.")
def br_cl_06(inv: Invoice) -> Iterator[str]:
    code = inv.value_added_tax_point_date_code
    if code is not None and not in_list(code, cl.VAT_POINT_DATE_CODES):
        yield "value_added_tax_point_date_code"


@rule("BR-CL-07", "fatal", ("BT-18-1", "BT-128-1"),
      "Object identifier identification scheme identifier MUST be coded using a restriction of "
      "UNTDID 1153.",
      "Le schéma de l'identifiant d'objet (BT-18-1, BT-128-1) doit appartenir à une restriction "
      "de UNTDID 1153.")
def br_cl_07(inv: Invoice) -> Iterator[str]:
    yield from _scheme("invoiced_object_identifier.scheme_id", inv.invoiced_object_identifier,
                       cl.OBJECT_SCHEME_CODES)
    for i, line in enumerate(inv.lines):
        yield from _scheme(f"lines[{i}].object_identifier.scheme_id", line.object_identifier,
                           cl.OBJECT_SCHEME_CODES)


@rule("BR-CL-08", "fatal", ("BT-21",),
      "Invoiced note subject code shall be coded using UNCL4451",
      "Le code du sujet de la note (BT-21) doit appartenir à la liste UNTDID 4451.")
def br_cl_08(inv: Invoice) -> Iterator[str]:
    for i, note in enumerate(inv.notes):
        if note.subject_code is not None and not in_list(note.subject_code, cl.NOTE_SUBJECT_CODES):
            yield f"notes[{i}].subject_code"


@rule("BR-CL-10", "fatal", ("BT-29-1", "BT-46-1", "BT-60-1"),
      "Any identifier identification scheme identifier MUST be coded using one of the ISO 6523 "
      "ICD list.",
      "Le schéma d'un identifiant (BT-29-1, BT-46-1, BT-60-1) doit appartenir à la liste ISO "
      "6523 ICD.")
def br_cl_10(inv: Invoice) -> Iterator[str]:
    if inv.seller is not None:
        for i, ident in enumerate(inv.seller.identifiers):
            yield from _scheme(f"seller.identifiers[{i}].scheme_id", ident, cl.ICD_SCHEMES)
    if inv.buyer is not None:
        yield from _scheme("buyer.identifier.scheme_id", inv.buyer.identifier, cl.ICD_SCHEMES)
    if inv.payee is not None:
        yield from _scheme("payee.identifier.scheme_id", inv.payee.identifier, cl.ICD_SCHEMES)


@rule("BR-CL-11", "fatal", ("BT-30-1", "BT-47-1", "BT-61-1"),
      "Any registration identifier identification scheme identifier MUST be coded using one of "
      "the ISO 6523 ICD list",
      "Le schéma d'un identifiant d'immatriculation (BT-30-1, BT-47-1, BT-61-1) doit appartenir "
      "à la liste ISO 6523 ICD.")
def br_cl_11(inv: Invoice) -> Iterator[str]:
    for path, party in (("seller", inv.seller), ("buyer", inv.buyer), ("payee", inv.payee)):
        if party is not None:
            yield from _scheme(f"{path}.legal_registration_identifier.scheme_id",
                               party.legal_registration_identifier, cl.ICD_SCHEMES)


@rule("BR-CL-13", "fatal", ("BT-158-1",),
      "Item classification identifier identification scheme identifier MUST be coded using one "
      "of the UNTDID 7143 list.",
      "Le schéma de l'identifiant de classification de l'article (BT-158-1) doit appartenir à "
      "la liste UNTDID 7143.")
def br_cl_13(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        for j, c in enumerate(line.item.classification_identifiers if line.item else ()):
            if c.scheme_id is not None and not in_list(c.scheme_id,
                                                       cl.ITEM_CLASSIFICATION_SCHEMES):
                yield f"lines[{i}].item.classification_identifiers[{j}].scheme_id"


@rule("BR-CL-14", "fatal", ("BT-40", "BT-55", "BT-69", "BT-80"),
      "Country codes in an invoice MUST be coded using ISO code list 3166-1",
      "Les codes pays d'une facture (BT-40, BT-55, BT-69, BT-80) doivent être codés selon la "
      "liste ISO 3166-1.")
def br_cl_14(inv: Invoice) -> Iterator[str]:
    addresses = (
        ("seller.postal_address", inv.seller.postal_address if inv.seller else None),
        ("buyer.postal_address", inv.buyer.postal_address if inv.buyer else None),
        ("seller_tax_representative.postal_address",
         inv.seller_tax_representative.postal_address if inv.seller_tax_representative else None),
        ("delivery.address", inv.delivery.address if inv.delivery else None),
    )
    for path, address in addresses:
        if address is not None and address.country_code is not None \
                and not in_list(address.country_code, cl.COUNTRY_CODES):
            yield f"{path}.country_code"


@rule("BR-CL-15", "fatal", ("BT-159",),
      "Country codes in an invoice MUST be coded using ISO code list 3166-1",
      "Le pays d'origine de l'article (BT-159) doit être codé selon la liste ISO 3166-1.")
def br_cl_15(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        code = line.item.country_of_origin if line.item else None
        if code is not None and not in_list(code, cl.COUNTRY_CODES):
            yield f"lines[{i}].item.country_of_origin"


@rule("BR-CL-16", "fatal", ("BT-81",),
      "Payment means in an invoice MUST be coded using UNCL4461 code list",
      "Le code du moyen de paiement (BT-81) doit appartenir à la liste UNTDID 4461.")
def br_cl_16(inv: Invoice) -> Iterator[str]:
    pi = inv.payment_instructions
    if pi is not None and pi.payment_means_type_code is not None \
            and not in_list(pi.payment_means_type_code, cl.PAYMENT_MEANS_CODES):
        yield "payment_instructions.payment_means_type_code"


@rule("BR-CL-17", "fatal", ("BT-95", "BT-102", "BT-118"),
      "Invoice tax categories MUST be coded using UNCL5305 code list",
      "Les catégories de TVA de la facture (BT-95, BT-102, BT-118) doivent appartenir à la "
      "liste UNTDID 5305.")
def br_cl_17(inv: Invoice) -> Iterator[str]:
    # UBL cac:TaxCategory: the VAT breakdown and the document level allowances and charges.
    for i, b in enumerate(inv.vat_breakdown):
        if b.category_code is not None and not in_list(b.category_code, cl.VAT_CATEGORY_CODES):
            yield f"vat_breakdown[{i}].category_code"
    codes = [("allowances", i, a.vat_category_code) for i, a in enumerate(inv.allowances)]
    codes += [("charges", i, c.vat_category_code) for i, c in enumerate(inv.charges)]
    for name, i, code in codes:
        if code is not None and not in_list(code, cl.VAT_CATEGORY_CODES):
            yield f"{name}[{i}].vat_category_code"


@rule("BR-CL-18", "fatal", ("BT-151",),
      "Invoice tax categories MUST be coded using UNCL5305 code list",
      "La catégorie de TVA de la ligne (BT-151) doit appartenir à la liste UNTDID 5305.")
def br_cl_18(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        code = line.vat_information.category_code if line.vat_information else None
        if code is not None and not in_list(code, cl.VAT_CATEGORY_CODES):
            yield f"lines[{i}].vat_information.category_code"


@rule("BR-CL-19", "fatal", ("BT-98", "BT-140"),
      "Coded allowance reasons MUST belong to the UNCL 5189 code list",
      "Les codes de motif de remise (BT-98, BT-140) doivent appartenir à la liste UNTDID 5189.")
def br_cl_19(inv: Invoice) -> Iterator[str]:
    for i, a in enumerate(inv.allowances):
        if a.reason_code is not None and not in_list(a.reason_code, cl.ALLOWANCE_REASON_CODES):
            yield f"allowances[{i}].reason_code"
    for i, line in enumerate(inv.lines):
        for j, la in enumerate(line.allowances):
            if la.reason_code is not None \
                    and not in_list(la.reason_code, cl.ALLOWANCE_REASON_CODES):
                yield f"lines[{i}].allowances[{j}].reason_code"


@rule("BR-CL-20", "fatal", ("BT-105", "BT-145"),
      "Coded charge reasons MUST belong to the UNCL 7161 code list",
      "Les codes de motif de charge (BT-105, BT-145) doivent appartenir à la liste UNTDID 7161.")
def br_cl_20(inv: Invoice) -> Iterator[str]:
    for i, c in enumerate(inv.charges):
        if c.reason_code is not None and not in_list(c.reason_code, cl.CHARGE_REASON_CODES):
            yield f"charges[{i}].reason_code"
    for i, line in enumerate(inv.lines):
        for j, lc in enumerate(line.charges):
            if lc.reason_code is not None and not in_list(lc.reason_code, cl.CHARGE_REASON_CODES):
                yield f"lines[{i}].charges[{j}].reason_code"


@rule("BR-CL-21", "fatal", ("BT-157-1",),
      "Item standard identifier scheme identifier MUST belong to the ISO 6523 ICD code list",
      "Le schéma de l'identifiant standard de l'article (BT-157-1) doit appartenir à la liste "
      "ISO 6523 ICD.")
def br_cl_21(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        yield from _scheme(f"lines[{i}].item.standard_identifier.scheme_id",
                           line.item.standard_identifier if line.item else None, cl.ICD_SCHEMES)


@rule("BR-CL-22", "fatal", ("BT-121",),
      "Tax exemption reason code identifier scheme identifier MUST belong to the CEF VATEX code "
      "list",
      "Le code de motif d'exonération de TVA (BT-121) doit appartenir à la liste VATEX.")
def br_cl_22(inv: Invoice) -> Iterator[str]:
    for i, b in enumerate(inv.vat_breakdown):
        code = b.exemption_reason_code
        if code is not None and not in_list(code.upper(), cl.VATEX_CODES):
            yield f"vat_breakdown[{i}].exemption_reason_code"


@rule("BR-CL-23", "fatal", ("BT-130", "BT-150"),
      "Unit code MUST be coded according to the UN/ECE Recommendation 20 with Rec 21 extension",
      "Les codes d'unité (BT-130, BT-150) doivent suivre la recommandation UN/ECE n° 20 et son "
      "extension n° 21.")
def br_cl_23(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        code = line.invoiced_quantity_unit_code
        if code is not None and not in_list(code, cl.UNIT_CODES):
            yield f"lines[{i}].invoiced_quantity_unit_code"
        base = line.price_details.base_quantity_unit_code if line.price_details else None
        if base is not None and not in_list(base, cl.UNIT_CODES):
            yield f"lines[{i}].price_details.base_quantity_unit_code"


@rule("BR-CL-24", "fatal", ("BT-125-1",),
      "For Mime code in attribute use MIMEMediaType.",
      "Le code MIME d'une pièce jointe (BT-125-1) doit être un des types MIME admis.")
def br_cl_24(inv: Invoice) -> Iterator[str]:
    for i, d in enumerate(inv.supporting_documents):
        if d.mime_code is not None and d.mime_code not in cl.MIME_CODES:
            yield f"supporting_documents[{i}].mime_code"


@rule("BR-CL-25", "fatal", ("BT-34-1", "BT-49-1"),
      "Endpoint identifier scheme identifier MUST belong to the CEF EAS code list",
      "Le schéma d'une adresse électronique (BT-34-1, BT-49-1) doit appartenir à la liste EAS.")
def br_cl_25(inv: Invoice) -> Iterator[str]:
    if inv.seller is not None:
        yield from _scheme("seller.electronic_address.scheme_id", inv.seller.electronic_address,
                           cl.EAS_SCHEMES)
    if inv.buyer is not None:
        yield from _scheme("buyer.electronic_address.scheme_id", inv.buyer.electronic_address,
                           cl.EAS_SCHEMES)


@rule("BR-CL-26", "fatal", ("BT-71-1",),
      "Delivery location identifier scheme identifier MUST belong to the ISO 6523 ICD code list",
      "Le schéma de l'identifiant du lieu de livraison (BT-71-1) doit appartenir à la liste "
      "ISO 6523 ICD.")
def br_cl_26(inv: Invoice) -> Iterator[str]:
    if inv.delivery is not None:
        yield from _scheme("delivery.location_identifier.scheme_id",
                           inv.delivery.location_identifier, cl.ICD_SCHEMES)


RULES: tuple[Rule, ...] = (
    br_cl_01, br_cl_03, br_cl_04, br_cl_05, br_cl_06, br_cl_07, br_cl_08, br_cl_10, br_cl_11,
    br_cl_13, br_cl_14, br_cl_15, br_cl_16, br_cl_17, br_cl_18, br_cl_19, br_cl_20, br_cl_21,
    br_cl_22, br_cl_23, br_cl_24, br_cl_25, br_cl_26,
)
"""The 23 rules of this family, in id order."""
