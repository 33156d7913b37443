"""EN 16931 core business rules BR-01…BR-65 (presence, cardinality and simple consistency).

Each rule is one function named after its official id (``BR-17`` → ``br_17``) with the id, the
flag and the messages of the CEN/TC 434 validation artefacts 1.3.16; the check runs on the
canonical model and yields the model path of each failure.  Where the UBL and CII bindings of
a rule differ, the check follows their common meaning (comments say where).

More information:

* EN 16931-1:2017, clause 6.4 (business rules)
* ``eInvoicing-EN16931-1.3.16/{ubl,cii}/schematron/abstract/EN16931-model.sch``

>>> from chorus_core.examples import sample_invoice
>>> list(br_02.check(sample_invoice()))
[]
>>> list(br_02.check(sample_invoice().model_copy(update={"invoice_number": " "})))
['invoice_number']
"""

from __future__ import annotations

from collections.abc import Iterator

from chorus_core.model import Address, Invoice

from ._engine import Rule, filled, rule

__all__ = ["RULES"]


def _country_missing(address: Address | None) -> bool:
    return address is not None and not filled(address.country_code)


@rule("BR-01", "fatal", ("BT-24",),
      "An Invoice shall have a Specification identifier (BT-24).",
      "Une facture doit avoir un identifiant de spécification (BT-24).")
def br_01(inv: Invoice) -> Iterator[str]:
    pc = inv.process_control
    if pc is None or not filled(pc.specification_identifier):
        yield "process_control.specification_identifier"


@rule("BR-02", "fatal", ("BT-1",),
      "An Invoice shall have an Invoice number (BT-1).",
      "Une facture doit avoir un numéro de facture (BT-1).")
def br_02(inv: Invoice) -> Iterator[str]:
    if not filled(inv.invoice_number):
        yield "invoice_number"


@rule("BR-03", "fatal", ("BT-2",),
      "An Invoice shall have an Invoice issue date (BT-2).",
      "Une facture doit avoir une date d'émission (BT-2).")
def br_03(inv: Invoice) -> Iterator[str]:
    if inv.invoice_issue_date is None:
        yield "invoice_issue_date"


@rule("BR-04", "fatal", ("BT-3",),
      "An Invoice shall have an Invoice type code (BT-3).",
      "Une facture doit avoir un code de type de facture (BT-3).")
def br_04(inv: Invoice) -> Iterator[str]:
    if not filled(inv.invoice_type_code):
        yield "invoice_type_code"


@rule("BR-05", "fatal", ("BT-5",),
      "An Invoice shall have an Invoice currency code (BT-5).",
      "Une facture doit avoir un code de devise de facture (BT-5).")
def br_05(inv: Invoice) -> Iterator[str]:
    if not filled(inv.invoice_currency_code):
        yield "invoice_currency_code"


@rule("BR-06", "fatal", ("BT-27",),
      "An Invoice shall contain the Seller name (BT-27).",
      "Une facture doit contenir le nom du vendeur (BT-27).")
def br_06(inv: Invoice) -> Iterator[str]:
    if inv.seller is None or not filled(inv.seller.name):
        yield "seller.name"


@rule("BR-07", "fatal", ("BT-44",),
      "An Invoice shall contain the Buyer name (BT-44).",
      "Une facture doit contenir le nom de l'acheteur (BT-44).")
def br_07(inv: Invoice) -> Iterator[str]:
    if inv.buyer is None or not filled(inv.buyer.name):
        yield "buyer.name"


@rule("BR-08", "fatal", ("BG-5",),
      "An Invoice shall contain the Seller postal address.",
      "Une facture doit contenir l'adresse postale du vendeur (BG-5).")
def br_08(inv: Invoice) -> Iterator[str]:
    if inv.seller is None or inv.seller.postal_address is None:
        yield "seller.postal_address"


@rule("BR-09", "fatal", ("BG-5", "BT-40"),
      "The Seller postal address (BG-5) shall contain a Seller country code (BT-40).",
      "L'adresse postale du vendeur (BG-5) doit contenir le code pays du vendeur (BT-40).")
def br_09(inv: Invoice) -> Iterator[str]:
    if inv.seller is not None and _country_missing(inv.seller.postal_address):
        yield "seller.postal_address.country_code"


@rule("BR-10", "fatal", ("BG-8",),
      "An Invoice shall contain the Buyer postal address (BG-8).",
      "Une facture doit contenir l'adresse postale de l'acheteur (BG-8).")
def br_10(inv: Invoice) -> Iterator[str]:
    if inv.buyer is None or inv.buyer.postal_address is None:
        yield "buyer.postal_address"


@rule("BR-11", "fatal", ("BG-8", "BT-55"),
      "The Buyer postal address shall contain a Buyer country code (BT-55).",
      "L'adresse postale de l'acheteur doit contenir le code pays de l'acheteur (BT-55).")
def br_11(inv: Invoice) -> Iterator[str]:
    if inv.buyer is not None and _country_missing(inv.buyer.postal_address):
        yield "buyer.postal_address.country_code"


@rule("BR-12", "fatal", ("BT-106",),
      "An Invoice shall have the Sum of Invoice line net amount (BT-106).",
      "Une facture doit avoir la somme des montants nets des lignes (BT-106).")
def br_12(inv: Invoice) -> Iterator[str]:
    if inv.totals is not None and inv.totals.sum_of_line_net_amounts is None:
        yield "totals.sum_of_line_net_amounts"


@rule("BR-13", "fatal", ("BT-109",),
      "An Invoice shall have the Invoice total amount without VAT (BT-109).",
      "Une facture doit avoir le montant total hors TVA (BT-109).")
def br_13(inv: Invoice) -> Iterator[str]:
    if inv.totals is not None and inv.totals.total_without_vat is None:
        yield "totals.total_without_vat"


@rule("BR-14", "fatal", ("BT-112",),
      "An Invoice shall have the Invoice total amount with VAT (BT-112).",
      "Une facture doit avoir le montant total TVA comprise (BT-112).")
def br_14(inv: Invoice) -> Iterator[str]:
    if inv.totals is not None and inv.totals.total_with_vat is None:
        yield "totals.total_with_vat"


@rule("BR-15", "fatal", ("BT-115",),
      "An Invoice shall have the Amount due for payment (BT-115).",
      "Une facture doit avoir le montant à payer (BT-115).")
def br_15(inv: Invoice) -> Iterator[str]:
    if inv.totals is not None and inv.totals.amount_due_for_payment is None:
        yield "totals.amount_due_for_payment"


@rule("BR-16", "fatal", ("BG-25",),
      "An Invoice shall have at least one Invoice line (BG-25)",
      "Une facture doit avoir au moins une ligne de facture (BG-25).")
def br_16(inv: Invoice) -> Iterator[str]:
    if not inv.lines:
        yield "lines"


@rule("BR-17", "fatal", ("BG-4", "BG-10", "BT-59"),
      "The Payee name (BT-59) shall be provided in the Invoice, if the Payee (BG-10) is "
      "different from the Seller (BG-4)",
      "Le nom du bénéficiaire (BT-59) doit être fourni si le bénéficiaire (BG-10) est différent "
      "du vendeur (BG-4).")
def br_17(inv: Invoice) -> Iterator[str]:
    # UBL compares the payee name with the seller's PartyName (BT-28) and the payee identifier
    # with the seller identifiers (BT-29), whatever their schemes.
    payee, seller = inv.payee, inv.seller
    if payee is None:
        return
    same_name = seller is not None and payee.name is not None \
        and payee.name == seller.trading_name
    ids = {i.value for i in seller.identifiers} if seller else set()
    same_id = payee.identifier is not None and payee.identifier.value in ids - {None}
    if not filled(payee.name) or same_name or same_id:
        yield "payee.name"


def _cii_17(inv: Invoice) -> Iterator[str]:
    # CII compares the payee name with BT-27, its ram:ID (an identifier without scheme) with
    # the seller's, and the legal registration identifiers (BT-61, BT-30).
    payee, seller = inv.payee, inv.seller
    if payee is None:
        return
    if not filled(payee.name):
        yield "payee.name"
        return
    if seller is None:
        return
    same_name = payee.name == seller.name
    plain = {i.value for i in seller.identifiers if i.scheme_id is None} - {None}
    same_id = payee.identifier is not None and payee.identifier.scheme_id is None \
        and payee.identifier.value in plain
    p_legal, s_legal = payee.legal_registration_identifier, seller.legal_registration_identifier
    same_legal = p_legal is not None and s_legal is not None and p_legal.value is not None \
        and p_legal.value == s_legal.value
    if same_name or same_id or same_legal:
        yield "payee.name"


br_17 = br_17.variant("cii", _cii_17)


@rule("BR-18", "fatal", ("BG-4", "BG-11", "BT-62"),
      "The Seller tax representative name (BT-62) shall be provided in the Invoice, if the "
      "Seller (BG-4) has a Seller tax representative party (BG-11)",
      "Le nom du représentant fiscal (BT-62) doit être fourni si le vendeur (BG-4) a un "
      "représentant fiscal (BG-11).")
def br_18(inv: Invoice) -> Iterator[str]:
    rep = inv.seller_tax_representative
    if rep is not None and not filled(rep.name):
        yield "seller_tax_representative.name"


@rule("BR-19", "fatal", ("BG-4", "BG-11", "BG-12"),
      "The Seller tax representative postal address (BG-12) shall be provided in the Invoice, "
      "if the Seller (BG-4) has a Seller tax representative party (BG-11).",
      "L'adresse postale du représentant fiscal (BG-12) doit être fournie si le vendeur (BG-4) "
      "a un représentant fiscal (BG-11).")
def br_19(inv: Invoice) -> Iterator[str]:
    rep = inv.seller_tax_representative
    if rep is not None and rep.postal_address is None:
        yield "seller_tax_representative.postal_address"


@rule("BR-20", "fatal", ("BG-4", "BG-11", "BG-12", "BT-69"),
      "The Seller tax representative postal address (BG-12) shall contain a Tax representative "
      "country code (BT-69), if the Seller (BG-4) has a Seller tax representative party (BG-11).",
      "L'adresse postale du représentant fiscal (BG-12) doit contenir son code pays (BT-69).")
def br_20(inv: Invoice) -> Iterator[str]:
    rep = inv.seller_tax_representative
    if rep is not None and _country_missing(rep.postal_address):
        yield "seller_tax_representative.postal_address.country_code"


@rule("BR-21", "fatal", ("BG-25", "BT-126"),
      "Each Invoice line (BG-25) shall have an Invoice line identifier (BT-126).",
      "Chaque ligne de facture (BG-25) doit avoir un identifiant de ligne (BT-126).")
def br_21(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        if not filled(line.identifier):
            yield f"lines[{i}].identifier"


@rule("BR-22", "fatal", ("BG-25", "BT-129"),
      "Each Invoice line (BG-25) shall have an Invoiced quantity (BT-129).",
      "Chaque ligne de facture (BG-25) doit avoir une quantité facturée (BT-129).")
def br_22(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        if line.invoiced_quantity is None:
            yield f"lines[{i}].invoiced_quantity"


@rule("BR-23", "fatal", ("BG-25", "BT-130"),
      "An Invoice line (BG-25) shall have an Invoiced quantity unit of measure code (BT-130).",
      "Une ligne de facture (BG-25) doit avoir un code d'unité de la quantité facturée (BT-130).")
def br_23(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        if line.invoiced_quantity_unit_code is None:
            yield f"lines[{i}].invoiced_quantity_unit_code"


@rule("BR-24", "fatal", ("BG-25", "BT-131"),
      "Each Invoice line (BG-25) shall have an Invoice line net amount (BT-131).",
      "Chaque ligne de facture (BG-25) doit avoir un montant net de ligne (BT-131).")
def br_24(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        if line.net_amount is None:
            yield f"lines[{i}].net_amount"


@rule("BR-25", "fatal", ("BG-25", "BT-153"),
      "Each Invoice line (BG-25) shall contain the Item name (BT-153).",
      "Chaque ligne de facture (BG-25) doit contenir le nom de l'article (BT-153).")
def br_25(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        if line.item is None or not filled(line.item.name):
            yield f"lines[{i}].item.name"


@rule("BR-26", "fatal", ("BG-25", "BT-146"),
      "Each Invoice line (BG-25) shall contain the Item net price (BT-146).",
      "Chaque ligne de facture (BG-25) doit contenir le prix net de l'article (BT-146).")
def br_26(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        if line.price_details is None or line.price_details.net_price is None:
            yield f"lines[{i}].price_details.net_price"


@rule("BR-27", "fatal", ("BT-146",),
      "The Item net price (BT-146) shall NOT be negative.",
      "Le prix net de l'article (BT-146) ne doit pas être négatif.")
def br_27(inv: Invoice) -> Iterator[str]:
    # XPath: ``price >= 0`` is false when the price is absent, so an absent price fails too.
    for i, line in enumerate(inv.lines):
        price = line.price_details.net_price if line.price_details else None
        if price is None or price < 0:
            yield f"lines[{i}].price_details.net_price"


@rule("BR-28", "fatal", ("BT-148",),
      "The Item gross price (BT-148) shall NOT be negative.",
      "Le prix brut de l'article (BT-148) ne doit pas être négatif.")
def br_28(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        price = line.price_details.gross_price if line.price_details else None
        if price is not None and price < 0:
            yield f"lines[{i}].price_details.gross_price"


@rule("BR-29", "fatal", ("BT-73", "BT-74"),
      "If both Invoicing period start date (BT-73) and Invoicing period end date (BT-74) are "
      "given then the Invoicing period end date (BT-74) shall be later or equal to the Invoicing "
      "period start date (BT-73).",
      "Si les dates de début (BT-73) et de fin (BT-74) de la période de facturation sont "
      "données, la date de fin doit être égale ou postérieure à la date de début.")
def br_29(inv: Invoice) -> Iterator[str]:
    p = inv.invoicing_period
    if p and p.start_date and p.end_date and p.end_date < p.start_date:
        yield "invoicing_period.end_date"


@rule("BR-30", "fatal", ("BT-134", "BT-135"),
      "If both Invoice line period start date (BT-134) and Invoice line period end date (BT-135) "
      "are given then the Invoice line period end date (BT-135) shall be later or equal to the "
      "Invoice line period start date (BT-134).",
      "Si les dates de début (BT-134) et de fin (BT-135) de la période de ligne sont données, "
      "la date de fin doit être égale ou postérieure à la date de début.")
def br_30(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        p = line.period
        if p and p.start_date and p.end_date and p.end_date < p.start_date:
            yield f"lines[{i}].period.end_date"


@rule("BR-31", "fatal", ("BG-20", "BT-92"),
      "Each Document level allowance (BG-20) shall have a Document level allowance amount "
      "(BT-92).",
      "Chaque remise au niveau du document (BG-20) doit avoir un montant (BT-92).")
def br_31(inv: Invoice) -> Iterator[str]:
    for i, a in enumerate(inv.allowances):
        if a.amount is None:
            yield f"allowances[{i}].amount"


@rule("BR-32", "fatal", ("BG-20", "BT-95"),
      "Each Document level allowance (BG-20) shall have a Document level allowance VAT category "
      "code (BT-95).",
      "Chaque remise au niveau du document (BG-20) doit avoir un code de catégorie de TVA "
      "(BT-95).")
def br_32(inv: Invoice) -> Iterator[str]:
    for i, a in enumerate(inv.allowances):
        if a.vat_category_code is None:
            yield f"allowances[{i}].vat_category_code"


@rule("BR-33", "fatal", ("BG-20", "BT-97", "BT-98"),
      "Each Document level allowance (BG-20) shall have a Document level allowance reason "
      "(BT-97) or a Document level allowance reason code (BT-98).",
      "Chaque remise au niveau du document (BG-20) doit avoir un motif (BT-97) ou un code de "
      "motif (BT-98).")
def br_33(inv: Invoice) -> Iterator[str]:
    for i, a in enumerate(inv.allowances):
        if a.reason is None and a.reason_code is None:
            yield f"allowances[{i}].reason"


@rule("BR-36", "fatal", ("BG-21", "BT-99"),
      "Each Document level charge (BG-21) shall have a Document level charge amount (BT-99).",
      "Chaque charge au niveau du document (BG-21) doit avoir un montant (BT-99).")
def br_36(inv: Invoice) -> Iterator[str]:
    for i, c in enumerate(inv.charges):
        if c.amount is None:
            yield f"charges[{i}].amount"


@rule("BR-37", "fatal", ("BG-21", "BT-102"),
      "Each Document level charge (BG-21) shall have a Document level charge VAT category code "
      "(BT-102).",
      "Chaque charge au niveau du document (BG-21) doit avoir un code de catégorie de TVA "
      "(BT-102).")
def br_37(inv: Invoice) -> Iterator[str]:
    for i, c in enumerate(inv.charges):
        if c.vat_category_code is None:
            yield f"charges[{i}].vat_category_code"


@rule("BR-38", "fatal", ("BG-21", "BT-104", "BT-105"),
      "Each Document level charge (BG-21) shall have a Document level charge reason (BT-104) or "
      "a Document level charge reason code (BT-105).",
      "Chaque charge au niveau du document (BG-21) doit avoir un motif (BT-104) ou un code de "
      "motif (BT-105).")
def br_38(inv: Invoice) -> Iterator[str]:
    for i, c in enumerate(inv.charges):
        if c.reason is None and c.reason_code is None:
            yield f"charges[{i}].reason"


@rule("BR-41", "fatal", ("BG-27", "BT-136"),
      "Each Invoice line allowance (BG-27) shall have an Invoice line allowance amount (BT-136).",
      "Chaque remise de ligne (BG-27) doit avoir un montant (BT-136).")
def br_41(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        for j, a in enumerate(line.allowances):
            if a.amount is None:
                yield f"lines[{i}].allowances[{j}].amount"


@rule("BR-42", "fatal", ("BG-27", "BT-139", "BT-140"),
      "Each Invoice line allowance (BG-27) shall have an Invoice line allowance reason (BT-139) "
      "or an Invoice line allowance reason code (BT-140).",
      "Chaque remise de ligne (BG-27) doit avoir un motif (BT-139) ou un code de motif (BT-140).")
def br_42(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        for j, a in enumerate(line.allowances):
            if a.reason is None and a.reason_code is None:
                yield f"lines[{i}].allowances[{j}].reason"


@rule("BR-43", "fatal", ("BG-28", "BT-141"),
      "Each Invoice line charge (BG-28) shall have an Invoice line charge amount (BT-141).",
      "Chaque charge de ligne (BG-28) doit avoir un montant (BT-141).")
def br_43(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        for j, c in enumerate(line.charges):
            if c.amount is None:
                yield f"lines[{i}].charges[{j}].amount"


@rule("BR-44", "fatal", ("BG-28", "BT-144", "BT-145"),
      "Each Invoice line charge shall have an Invoice line charge reason or an invoice line "
      "allowance reason code.",
      "Chaque charge de ligne (BG-28) doit avoir un motif (BT-144) ou un code de motif (BT-145).")
def br_44(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        for j, c in enumerate(line.charges):
            if c.reason is None and c.reason_code is None:
                yield f"lines[{i}].charges[{j}].reason"


@rule("BR-45", "fatal", ("BG-23", "BT-116"),
      "Each VAT breakdown (BG-23) shall have a VAT category taxable amount (BT-116).",
      "Chaque ventilation de TVA (BG-23) doit avoir une base d'imposition (BT-116).")
def br_45(inv: Invoice) -> Iterator[str]:
    for i, b in enumerate(inv.vat_breakdown):
        if b.taxable_amount is None:
            yield f"vat_breakdown[{i}].taxable_amount"


@rule("BR-46", "fatal", ("BG-23", "BT-117"),
      "Each VAT breakdown (BG-23) shall have a VAT category tax amount (BT-117).",
      "Chaque ventilation de TVA (BG-23) doit avoir un montant de TVA (BT-117).")
def br_46(inv: Invoice) -> Iterator[str]:
    for i, b in enumerate(inv.vat_breakdown):
        if b.tax_amount is None:
            yield f"vat_breakdown[{i}].tax_amount"


@rule("BR-47", "fatal", ("BG-23", "BT-118"),
      "Each VAT breakdown (BG-23) shall be defined through a VAT category code (BT-118).",
      "Chaque ventilation de TVA (BG-23) doit être définie par un code de catégorie (BT-118).")
def br_47(inv: Invoice) -> Iterator[str]:
    for i, b in enumerate(inv.vat_breakdown):
        if b.category_code is None:
            yield f"vat_breakdown[{i}].category_code"


@rule("BR-48", "fatal", ("BG-23", "BT-119"),
      "Each VAT breakdown (BG-23) shall have a VAT category rate (BT-119), except if the Invoice "
      "is not subject to VAT.",
      "Chaque ventilation de TVA (BG-23) doit avoir un taux (BT-119), sauf si la facture n'est "
      "pas soumise à la TVA.")
def br_48(inv: Invoice) -> Iterator[str]:
    for i, b in enumerate(inv.vat_breakdown):
        if b.rate is None and (b.category_code or "").strip() != "O":
            yield f"vat_breakdown[{i}].rate"


@rule("BR-49", "fatal", ("BG-16", "BT-81"),
      "A Payment instruction (BG-16) shall specify the Payment means type code (BT-81).",
      "Les instructions de paiement (BG-16) doivent indiquer le code du moyen de paiement "
      "(BT-81).")
def br_49(inv: Invoice) -> Iterator[str]:
    pi = inv.payment_instructions
    if pi is not None and pi.payment_means_type_code is None:
        yield "payment_instructions.payment_means_type_code"


_CREDIT_TRANSFER = frozenset({"30", "58"})


@rule("BR-50", "fatal", ("BG-17", "BT-84"),
      "A Payment account identifier (BT-84) shall be present if Credit transfer (BG-17) "
      "information is provided in the Invoice.",
      "L'identifiant du compte de paiement (BT-84) doit être présent si un virement (BG-17) "
      "est indiqué.")
def br_50(inv: Invoice) -> Iterator[str]:
    pi = inv.payment_instructions
    if pi is None or (pi.payment_means_type_code or "").strip() not in _CREDIT_TRANSFER:
        return
    for i, ct in enumerate(pi.credit_transfers):
        if not filled(ct.account_identifier):
            yield f"payment_instructions.credit_transfers[{i}].account_identifier"


@rule("BR-51", "warning", ("BT-87",),
      "In accordance with card payments security standards an invoice should never include a "
      "full card primary account number (BT-87). At the moment PCI Security Standards Council "
      "has defined that the first 6 digits and last 4 digits are the maximum number of digits "
      "to be shown.",
      "Selon les normes de sécurité des paiements par carte, une facture ne devrait jamais "
      "contenir le numéro complet de la carte (BT-87) : au plus les 6 premiers et les 4 derniers "
      "chiffres.")
def br_51(inv: Invoice) -> Iterator[str]:
    # UBL flags this rule as a warning, CII as fatal; we keep the UBL flag.
    pi = inv.payment_instructions
    card = pi.payment_card if pi else None
    if card is not None and card.primary_account_number is not None \
            and len(" ".join(card.primary_account_number.split())) > 10:
        yield "payment_instructions.payment_card.primary_account_number"


@rule("BR-52", "fatal", ("BG-24", "BT-122"),
      "Each Additional supporting document (BG-24) shall contain a Supporting document "
      "reference (BT-122).",
      "Chaque pièce justificative (BG-24) doit contenir une référence (BT-122).")
def br_52(inv: Invoice) -> Iterator[str]:
    for i, d in enumerate(inv.supporting_documents):
        if not filled(d.reference):
            yield f"supporting_documents[{i}].reference"


@rule("BR-53", "fatal", ("BT-6", "BT-111"),
      "If the VAT accounting currency code (BT-6) is present, then the Invoice total VAT amount "
      "in accounting currency (BT-111) shall be provided.",
      "Si le code de devise de comptabilisation de la TVA (BT-6) est présent, le montant total "
      "de TVA dans cette devise (BT-111) doit être fourni.")
def br_53(inv: Invoice) -> Iterator[str]:
    if inv.vat_accounting_currency_code is None:
        return
    totals = inv.totals
    if totals is None:
        yield "totals.total_vat_amount_in_accounting_currency"
        return
    # BT-6 equal to BT-5: the document currency VAT total (BT-110) is in that currency.
    same = inv.vat_accounting_currency_code == inv.invoice_currency_code
    if totals.total_vat_amount_in_accounting_currency is None \
            and not (same and totals.total_vat_amount is not None):
        yield "totals.total_vat_amount_in_accounting_currency"


def _cii_53(inv: Invoice) -> Iterator[str]:
    # CII: BT-111 is required, and BT-6 may not be the invoice currency (BT-5).
    if inv.vat_accounting_currency_code is None:
        return
    t = inv.totals
    if t is None or t.total_vat_amount_in_accounting_currency is None \
            or inv.vat_accounting_currency_code == inv.invoice_currency_code:
        yield "totals.total_vat_amount_in_accounting_currency"


br_53 = br_53.variant("cii", _cii_53)


@rule("BR-54", "fatal", ("BG-32", "BT-160", "BT-161"),
      "Each Item attribute (BG-32) shall contain an Item attribute name (BT-160) and an Item "
      "attribute value (BT-161).",
      "Chaque attribut d'article (BG-32) doit contenir un nom (BT-160) et une valeur (BT-161).")
def br_54(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        for j, a in enumerate(line.item.attributes if line.item else ()):
            if a.name is None or a.value is None:
                yield f"lines[{i}].item.attributes[{j}]"


@rule("BR-55", "fatal", ("BG-3", "BT-25"),
      "Each Preceding Invoice reference (BG-3) shall contain a Preceding Invoice reference "
      "(BT-25).",
      "Chaque référence à une facture antérieure (BG-3) doit contenir sa référence (BT-25).")
def br_55(inv: Invoice) -> Iterator[str]:
    for i, p in enumerate(inv.preceding_invoice_references):
        if p.reference is None:
            yield f"preceding_invoice_references[{i}].reference"


@rule("BR-56", "fatal", ("BG-11", "BT-63"),
      "Each Seller tax representative party (BG-11) shall have a Seller tax representative VAT "
      "identifier (BT-63).",
      "Chaque représentant fiscal du vendeur (BG-11) doit avoir un numéro de TVA (BT-63).")
def br_56(inv: Invoice) -> Iterator[str]:
    rep = inv.seller_tax_representative
    if rep is not None and rep.vat_identifier is None:
        yield "seller_tax_representative.vat_identifier"


@rule("BR-57", "fatal", ("BG-15", "BT-80"),
      "Each Deliver to address (BG-15) shall contain a Deliver to country code (BT-80).",
      "Chaque adresse de livraison (BG-15) doit contenir un code pays (BT-80).")
def br_57(inv: Invoice) -> Iterator[str]:
    address = inv.delivery.address if inv.delivery else None
    if address is not None and address.country_code is None:
        yield "delivery.address.country_code"


@rule("BR-61", "fatal", ("BT-81", "BT-84"),
      "If the Payment means type code (BT-81) means SEPA credit transfer, Local credit transfer "
      "or Non-SEPA international credit transfer, the Payment account identifier (BT-84) shall "
      "be present.",
      "Si le code du moyen de paiement (BT-81) désigne un virement (SEPA, local ou international "
      "hors SEPA), l'identifiant du compte de paiement (BT-84) doit être présent.")
def br_61(inv: Invoice) -> Iterator[str]:
    pi = inv.payment_instructions
    if pi is None or (pi.payment_means_type_code or "").strip() not in _CREDIT_TRANSFER:
        return
    if not any(ct.account_identifier is not None for ct in pi.credit_transfers):
        yield "payment_instructions.credit_transfers"


def _cii_61(inv: Invoice) -> Iterator[str]:
    # CII: the rule sits on the creditor account; no account element, nothing to check.
    pi = inv.payment_instructions
    if pi is None or (pi.payment_means_type_code or "").strip() not in _CREDIT_TRANSFER:
        return
    for i, ct in enumerate(pi.credit_transfers):
        if ct.account_identifier is None:
            yield f"payment_instructions.credit_transfers[{i}].account_identifier"


br_61 = br_61.variant("cii", _cii_61)


@rule("BR-62", "fatal", ("BT-34",),
      "The Seller electronic address (BT-34) shall have a Scheme identifier.",
      "L'adresse électronique du vendeur (BT-34) doit avoir un identifiant de schéma.")
def br_62(inv: Invoice) -> Iterator[str]:
    address = inv.seller.electronic_address if inv.seller else None
    if address is not None and address.scheme_id is None:
        yield "seller.electronic_address.scheme_id"


@rule("BR-63", "fatal", ("BT-49",),
      "The Buyer electronic address (BT-49) shall have a Scheme identifier.",
      "L'adresse électronique de l'acheteur (BT-49) doit avoir un identifiant de schéma.")
def br_63(inv: Invoice) -> Iterator[str]:
    address = inv.buyer.electronic_address if inv.buyer else None
    if address is not None and address.scheme_id is None:
        yield "buyer.electronic_address.scheme_id"


@rule("BR-64", "fatal", ("BT-157",),
      "The Item standard identifier (BT-157) shall have a Scheme identifier.",
      "L'identifiant standard de l'article (BT-157) doit avoir un identifiant de schéma.")
def br_64(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        ident = line.item.standard_identifier if line.item else None
        if ident is not None and ident.scheme_id is None:
            yield f"lines[{i}].item.standard_identifier.scheme_id"


@rule("BR-65", "fatal", ("BT-158",),
      "The Item classification identifier (BT-158) shall have a Scheme identifier.",
      "L'identifiant de classification de l'article (BT-158) doit avoir un identifiant de "
      "schéma.")
def br_65(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        for j, c in enumerate(line.item.classification_identifiers if line.item else ()):
            if c.scheme_id is None:
                yield f"lines[{i}].item.classification_identifiers[{j}].scheme_id"


RULES: tuple[Rule, ...] = (
    br_01, br_02, br_03, br_04, br_05, br_06, br_07, br_08, br_09, br_10,
    br_11, br_12, br_13, br_14, br_15, br_16, br_17, br_18, br_19, br_20,
    br_21, br_22, br_23, br_24, br_25, br_26, br_27, br_28, br_29, br_30,
    br_31, br_32, br_33, br_36, br_37, br_38, br_41, br_42, br_43, br_44,
    br_45, br_46, br_47, br_48, br_49, br_50, br_51, br_52, br_53, br_54,
    br_55, br_56, br_57, br_61, br_62, br_63, br_64, br_65,
)
"""The 58 rules of this family, in id order."""
