"""EN 16931 VAT category rules: S, Z, E, AE, K (BR-IC), G, O, L (BR-AF), M (BR-AG) and B.

Nine categories share one pattern of ten rules (``-01`` breakdown present, ``-02…04`` the VAT
identifiers the category requires on lines, allowances and charges, ``-05…07`` the rate on
lines, allowances and charges, ``-08`` the taxable amount, ``-09`` the tax amount, ``-10`` the
exemption reason); BR-IC-11/12, BR-O-11…14 and BR-B-01/02 come on top.  Each rule is declared
once below under its own id, built from the small check factories of this module, with the
semantics of the official UBL binding (``exactly one`` breakdown for Z/E/AE/K/G/O, ``at least
one`` for S/L/M; the one-unit tolerance of BR-S-08/09 and the exact sums of BR-Z-08 and the
others).

More information:

* EN 16931-1:2017, clause 6.4 (business rules, VAT)
* ``eInvoicing-EN16931-1.3.16/ubl/schematron/UBL/EN16931-UBL-model.sch``

>>> from chorus_core.examples import sample_invoice
>>> inv = sample_invoice()
>>> list(br_s_05.check(inv))
[]
>>> line = inv.lines[0]
>>> vat = line.vat_information.model_copy(update={"rate": None})
>>> bad = inv.model_copy(update={"lines": (line.model_copy(update={"vat_information": vat}),)})
>>> list(br_s_05.check(bad))
['lines[0].vat_information.rate']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal

from chorus_core.model import Invoice

from ._engine import Check, Rule, rule, xround2

__all__ = ["RULES"]


def _c(code: str | None) -> str:
    return (code or "").strip()


class _Facts:
    """The VAT categories of one invoice, computed once for all the rules of this module."""

    __slots__ = ("breakdowns", "invoice", "lines", "used")

    def __init__(self, inv: Invoice) -> None:
        self.invoice = inv
        self.lines = [(_c(li.vat_information.category_code), li.vat_information.rate)
                      if li.vat_information else ("", None) for li in inv.lines]
        self.used = {c for c, _ in self.lines}
        self.used.update(_c(a.vat_category_code) for a in inv.allowances)
        self.used.update(_c(c.vat_category_code) for c in inv.charges)
        self.breakdowns = Counter(_c(b.category_code) for b in inv.vat_breakdown)


_last: list[_Facts | None] = [None]


def _facts(inv: Invoice) -> _Facts:
    # One entry: the rules run one after the other on the same (immutable) invoice.  The slot
    # is read once, so a thread that replaced it meanwhile only costs a recomputation.
    last = _last[0]
    if last is not None and last.invoice is inv:
        return last
    facts = _Facts(inv)
    _last[0] = facts
    return facts


def _line_cats(inv: Invoice) -> list[tuple[str, Decimal | None]]:
    return _facts(inv).lines


def _used(inv: Invoice, cat: str) -> bool:
    """A line, allowance or charge of the document carries ``cat``."""
    return cat in _facts(inv).used


def _in_breakdown(inv: Invoice, cat: str) -> int:
    return _facts(inv).breakdowns[cat]


# ---------------------------------------------------------------- -01: breakdown present


def _at_least_one(cat: str) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        if _used(inv, cat) != (_in_breakdown(inv, cat) > 0):
            yield "vat_breakdown"
    return check


def _exactly_one(cat: str) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        count = _in_breakdown(inv, cat)
        if (_used(inv, cat) or count) and count != 1:
            yield "vat_breakdown"
    return check


# ---------------------------------------------------------------- -02…-04: identifiers

Requirement = Callable[[Invoice], bool]


def _seller_any(inv: Invoice) -> bool:
    """BT-31, BT-32 or BT-63 present."""
    s, r = inv.seller, inv.seller_tax_representative
    return bool((s and (s.vat_identifier is not None
                        or s.tax_registration_identifier is not None))
                or (r and r.vat_identifier is not None))


def _seller_vat(inv: Invoice) -> bool:
    """BT-31 or BT-63 present."""
    s, r = inv.seller, inv.seller_tax_representative
    return bool((s and s.vat_identifier is not None) or (r and r.vat_identifier is not None))


def _buyer_vat(inv: Invoice) -> bool:
    return inv.buyer is not None and inv.buyer.vat_identifier is not None


def _buyer_vat_or_legal(inv: Invoice) -> bool:
    b = inv.buyer
    legal = b.legal_registration_identifier if b else None
    return _buyer_vat(inv) or (legal is not None and legal.value is not None)


def _reverse_charge(inv: Invoice) -> bool:
    return _seller_any(inv) and _buyer_vat_or_legal(inv)


def _intra_community(inv: Invoice) -> bool:
    return _seller_vat(inv) and _buyer_vat(inv)


def _no_vat_ids(inv: Invoice) -> bool:
    s, r = inv.seller, inv.seller_tax_representative
    return not ((s and s.vat_identifier is not None) or (r and r.vat_identifier is not None)
                or _buyer_vat(inv))


def _ids_on_lines(cat: str, ok: Requirement) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        if any(c == cat for c, _ in _line_cats(inv)) and not ok(inv):
            yield "seller.vat_identifier"
    return check


def _ids_on_allowances(cat: str, ok: Requirement) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        if any(_c(a.vat_category_code) == cat for a in inv.allowances) and not ok(inv):
            yield "seller.vat_identifier"
    return check


def _ids_on_charges(cat: str, ok: Requirement) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        if any(_c(c.vat_category_code) == cat for c in inv.charges) and not ok(inv):
            yield "seller.vat_identifier"
    return check


# ---------------------------------------------------------------- -05…-07: rates

RateTest = Callable[[Decimal | None], bool]


def _positive(rate: Decimal | None) -> bool:
    return rate is not None and rate > 0


def _zero(rate: Decimal | None) -> bool:
    return rate is not None and rate == 0


def _not_negative(rate: Decimal | None) -> bool:
    return rate is not None and rate >= 0


def _absent(rate: Decimal | None) -> bool:
    return rate is None


def _line_rate(cat: str, ok: RateTest) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        for i, (c, rate) in enumerate(_line_cats(inv)):
            if c == cat and not ok(rate):
                yield f"lines[{i}].vat_information.rate"
    return check


def _allowance_rate(cat: str, ok: RateTest) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        for i, a in enumerate(inv.allowances):
            if _c(a.vat_category_code) == cat and not ok(a.vat_rate):
                yield f"allowances[{i}].vat_rate"
    return check


def _charge_rate(cat: str, ok: RateTest) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        for i, c in enumerate(inv.charges):
            if _c(c.vat_category_code) == cat and not ok(c.vat_rate):
                yield f"charges[{i}].vat_rate"
    return check


# ---------------------------------------------------------------- -08: taxable amount


def _category_base(inv: Invoice, cat: str, rate: Decimal | None = None,
                   by_rate: bool = False) -> Decimal:
    def keep(c: str, r: Decimal | None) -> bool:
        return c == cat and (not by_rate or (r is not None and r == rate))

    total = Decimal(0)
    for li, (c, r) in zip(inv.lines, _line_cats(inv), strict=True):
        if keep(c, r) and li.net_amount is not None:
            total += li.net_amount
    for ch in inv.charges:
        if keep(_c(ch.vat_category_code), ch.vat_rate) and ch.amount is not None:
            total += ch.amount
    for al in inv.allowances:
        if keep(_c(al.vat_category_code), al.vat_rate) and al.amount is not None:
            total -= al.amount
    return total


def _taxable_per_rate(cat: str) -> Check:
    """S, L, M: per rate, within one unit, and some line or allowance/charge has that rate."""
    def check(inv: Invoice) -> Iterator[str]:
        pairs: list[tuple[str, Decimal | None]] | None = None
        for i, b in enumerate(inv.vat_breakdown):
            if _c(b.category_code) != cat or b.rate is None:
                continue
            if pairs is None:  # built once, on the first breakdown of the category
                pairs = [*_line_cats(inv), *((_c(a.vat_category_code), a.vat_rate)
                                             for a in inv.allowances),
                         *((_c(c.vat_category_code), c.vat_rate) for c in inv.charges)]
            used = any(c == cat and r is not None and r == b.rate for c, r in pairs)
            base = _category_base(inv, cat, b.rate, by_rate=True)
            if not used or b.taxable_amount is None \
                    or not b.taxable_amount - 1 < base < b.taxable_amount + 1:
                yield f"vat_breakdown[{i}].taxable_amount"
    return check


def _taxable_exact(cat: str) -> Check:
    """Z, E, AE, K, G, O: exactly the sum of the category, and the invoice has lines."""
    def check(inv: Invoice) -> Iterator[str]:
        for i, b in enumerate(inv.vat_breakdown):
            if _c(b.category_code) != cat:
                continue
            if not inv.lines or b.taxable_amount is None \
                    or b.taxable_amount != _category_base(inv, cat):
                yield f"vat_breakdown[{i}].taxable_amount"
    return check


# ---------------------------------------------------------------- -09: tax amount


def _tax_from_rate(cat: str) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        for i, b in enumerate(inv.vat_breakdown):
            if _c(b.category_code) != cat:
                continue
            t, base, rate = b.tax_amount, b.taxable_amount, b.rate
            if t is None or base is None or rate is None \
                    or not abs(t) - 1 < xround2(abs(base) * (rate / 100)) < abs(t) + 1:
                yield f"vat_breakdown[{i}].tax_amount"
    return check


def _tax_zero(cat: str) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        for i, b in enumerate(inv.vat_breakdown):
            if _c(b.category_code) == cat and (b.tax_amount is None or b.tax_amount != 0):
                yield f"vat_breakdown[{i}].tax_amount"
    return check


# ---------------------------------------------------------------- -10: exemption reason


def _no_exemption(cat: str) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        for i, b in enumerate(inv.vat_breakdown):
            if _c(b.category_code) == cat and (b.exemption_reason is not None
                                               or b.exemption_reason_code is not None):
                yield f"vat_breakdown[{i}].exemption_reason"
    return check


def _exemption(cat: str) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        for i, b in enumerate(inv.vat_breakdown):
            if _c(b.category_code) == cat and b.exemption_reason is None \
                    and b.exemption_reason_code is None:
                yield f"vat_breakdown[{i}].exemption_reason"
    return check


# ---------------------------------------------------------------- rules of one category


def _ic_11(inv: Invoice) -> Iterator[str]:
    # UBL: a delivery date, or an invoicing period with any child (BT-73, BT-74 or BT-8).
    if not _in_breakdown(inv, "K"):
        return
    p, d = inv.invoicing_period, inv.delivery
    if not ((d and d.actual_delivery_date) or (p and (p.start_date or p.end_date))
            or inv.value_added_tax_point_date_code is not None):
        yield "delivery.actual_delivery_date"


def _ic_12(inv: Invoice) -> Iterator[str]:
    if not _in_breakdown(inv, "K"):
        return
    address = inv.delivery.address if inv.delivery else None
    if address is None or len(address.country_code or "") <= 1:
        yield "delivery.address.country_code"


def _o_11(inv: Invoice) -> Iterator[str]:
    if _in_breakdown(inv, "O") and any(_c(b.category_code) != "O" for b in inv.vat_breakdown):
        yield "vat_breakdown"


def _o_12(inv: Invoice) -> Iterator[str]:
    if _in_breakdown(inv, "O"):
        for i, li in enumerate(inv.lines):
            if li.vat_information is not None and _c(li.vat_information.category_code) != "O":
                yield f"lines[{i}].vat_information.category_code"


def _o_13(inv: Invoice) -> Iterator[str]:
    if _in_breakdown(inv, "O"):
        for i, a in enumerate(inv.allowances):
            if a.vat_category_code is not None and _c(a.vat_category_code) != "O":
                yield f"allowances[{i}].vat_category_code"


def _o_14(inv: Invoice) -> Iterator[str]:
    if _in_breakdown(inv, "O"):
        for i, c in enumerate(inv.charges):
            if c.vat_category_code is not None and _c(c.vat_category_code) != "O":
                yield f"charges[{i}].vat_category_code"


def _countries(inv: Invoice) -> list[str | None]:
    addresses = [
        inv.seller.postal_address if inv.seller else None,
        inv.buyer.postal_address if inv.buyer else None,
        inv.seller_tax_representative.postal_address if inv.seller_tax_representative else None,
        inv.delivery.address if inv.delivery else None,
    ]
    found = [a.country_code for a in addresses if a is not None]
    found += [li.item.country_of_origin for li in inv.lines if li.item]
    return [c for c in found if c is not None]


def _anywhere(inv: Invoice, cat: str) -> bool:
    return _used(inv, cat) or _in_breakdown(inv, cat) > 0


def _b_01(inv: Invoice) -> Iterator[str]:
    # UBL: every country code of the document is IT (subdivisions ignored).
    if _anywhere(inv, "B") and any(c != "IT" for c in _countries(inv)):
        yield "vat_breakdown"


def _b_02(inv: Invoice) -> Iterator[str]:
    if _anywhere(inv, "B") and _anywhere(inv, "S"):
        yield "vat_breakdown"


# ---------------------------------------------------------------- the CII binding's variants
# Where the CII binding of a rule reads differently from the UBL one, documents read from CII
# get the CII reading (see Rule.variant).


def _cii_counts(inv: Invoice, cat: str) -> tuple[int, int, int]:
    """(lines, document allowances and charges, breakdowns) of category ``cat``."""
    lines = sum(1 for c, _ in _line_cats(inv) if c == cat)
    ac = sum(1 for a in inv.allowances if _c(a.vat_category_code) == cat) \
        + sum(1 for c in inv.charges if _c(c.vat_category_code) == cat)
    return lines, ac, _in_breakdown(inv, cat)


def _cii_at_least_one(cat: str) -> Check:
    """CII BR-S-01/AF-01/AG-01: lines + breakdowns >= 2 (or no line), the same for the
    allowances and charges."""
    def check(inv: Invoice) -> Iterator[str]:
        lines, ac, breakdowns = _cii_counts(inv, cat)
        if not ((lines + breakdowns >= 2 or not lines) and (ac + breakdowns >= 2 or not ac)):
            yield "vat_breakdown"
    return check


def _cii_exactly_one(cat: str) -> Check:
    """CII BR-Z/E/AE/IC/G-01: no use and no breakdown, or one breakdown and some use."""
    def check(inv: Invoice) -> Iterator[str]:
        lines, ac, breakdowns = _cii_counts(inv, cat)
        if not ((breakdowns == 0 and not lines and not ac)
                or (breakdowns == 1 and (lines or ac))):
            yield "vat_breakdown"
    return check


def _cii_one_o(inv: Invoice) -> Iterator[str]:
    """CII BR-O-01: no O breakdown, or exactly one with some O line, allowance or charge."""
    lines, ac, breakdowns = _cii_counts(inv, "O")
    if breakdowns and not (breakdowns == 1 and (lines or ac)):
        yield "vat_breakdown"


def _cii_parts(inv: Invoice, cat: str, rate: Decimal | None, by_rate: bool) -> Decimal:
    """Σ lines + Σ charges - Σ allowances of the category, each sum rounded (CII)."""
    def keep(c: str | None, r: Decimal | None) -> bool:
        return _c(c) == cat and (not by_rate or (r is not None and r == rate))

    lines = sum((li.net_amount for li in inv.lines if li.net_amount is not None
                 and li.vat_information is not None
                 and keep(li.vat_information.category_code, li.vat_information.rate)),
                Decimal(0))
    charges = sum((x.amount for x in inv.charges
                   if x.amount is not None and keep(x.vat_category_code, x.vat_rate)), Decimal(0))
    allowances = sum((x.amount for x in inv.allowances
                      if x.amount is not None and keep(x.vat_category_code, x.vat_rate)),
                     Decimal(0))
    return xround2(lines) + xround2(charges) - xround2(allowances)


def _cii_taxable_per_rate(cat: str) -> Check:
    """CII BR-S/AF/AG-08: per rate, exactly the rounded sums."""
    def check(inv: Invoice) -> Iterator[str]:
        for i, b in enumerate(inv.vat_breakdown):
            if _c(b.category_code) == cat and b.rate is not None and (
                    b.taxable_amount is None
                    or b.taxable_amount != _cii_parts(inv, cat, b.rate, by_rate=True)):
                yield f"vat_breakdown[{i}].taxable_amount"
    return check


def _cii_taxable_near(cat: str) -> Check:
    """CII BR-Z/E/AE/IC/G-08: the rounded sums within one unit."""
    def check(inv: Invoice) -> Iterator[str]:
        for i, b in enumerate(inv.vat_breakdown):
            if _c(b.category_code) != cat:
                continue
            base = _cii_parts(inv, cat, None, by_rate=False)
            if b.taxable_amount is None \
                    or not b.taxable_amount - 1 < base < b.taxable_amount + 1:
                yield f"vat_breakdown[{i}].taxable_amount"
    return check


def _cii_taxable_o(inv: Invoice) -> Iterator[str]:
    """CII BR-O-08: exactly the rounded sums."""
    for i, b in enumerate(inv.vat_breakdown):
        if _c(b.category_code) == "O" and (
                b.taxable_amount is None
                or b.taxable_amount != _cii_parts(inv, "O", None, by_rate=False)):
            yield f"vat_breakdown[{i}].taxable_amount"


def _cii_ic_11(inv: Invoice) -> Iterator[str]:
    """CII BR-IC-11: a delivery date, or a start or end of the invoicing period."""
    if not _in_breakdown(inv, "K"):
        return
    p, d = inv.invoicing_period, inv.delivery
    if not ((d and d.actual_delivery_date) or (p and (p.start_date or p.end_date))):
        yield "delivery.actual_delivery_date"


def _cii_ic_12(inv: Invoice) -> Iterator[str]:
    """CII BR-IC-12: a deliver-to country code, whatever its length."""
    if not _in_breakdown(inv, "K"):
        return
    address = inv.delivery.address if inv.delivery else None
    if address is None or address.country_code is None:
        yield "delivery.address.country_code"


def _cii_b_01(inv: Invoice) -> Iterator[str]:
    """CII BR-B-01: the country codes of the addresses (not the items' origin) are IT."""
    if not _anywhere(inv, "B"):
        return
    addresses = [
        inv.seller.postal_address if inv.seller else None,
        inv.buyer.postal_address if inv.buyer else None,
        inv.seller_tax_representative.postal_address if inv.seller_tax_representative else None,
        inv.delivery.address if inv.delivery else None,
    ]
    if any(a.country_code not in (None, "IT") for a in addresses if a is not None):
        yield "vat_breakdown"


# ---------------------------------------------------------------- the rules

br_s_01 = rule(
    "BR-S-01", "fatal", ("BG-20", "BG-21", "BG-23", "BG-25", "BT-95", "BT-102", "BT-118", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25), a Document level allowance '
    '(BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, '
    'BT-95 or BT-102) is "Standard rated" shall contain in the VAT breakdown (BG-23) '
    'at least one VAT category code (BT-118) equal with "Standard rated".',
    'Une facture dont une ligne (BG-25), une remise (BG-20) ou une charge (BG-21) '
    'porte la catégorie de TVA « taux normal » (S) doit contenir au moins une '
    'ventilation de TVA (BG-23) de cette catégorie.',
)(_at_least_one("S")).variant(
    "cii", _cii_at_least_one("S"))

br_s_02 = rule(
    "BR-S-02", "fatal", ("BG-25", "BT-31", "BT-32", "BT-63", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT '
    'category code (BT-151) is "Standard rated" shall contain the Seller VAT '
    'Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the '
    'Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une ligne (BG-25) porte la catégorie de TVA « taux normal » (S)'
    ' (BT-151) doit contenir le numéro de TVA du vendeur (BT-31), son identifiant '
    'fiscal (BT-32) et/ou le numéro de TVA du représentant fiscal (BT-63).',
)(_ids_on_lines("S", _seller_any))

br_s_03 = rule(
    "BR-S-03", "fatal", ("BG-20", "BT-31", "BT-32", "BT-63", "BT-95"),
    'An Invoice that contains a Document level allowance (BG-20) where the Document '
    'level allowance VAT category code (BT-95) is "Standard rated" shall contain the '
    'Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) '
    'and/or the Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une remise au niveau du document (BG-20) porte la catégorie de '
    'TVA « taux normal » (S) (BT-95) doit contenir le numéro de TVA du vendeur '
    '(BT-31), son identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant '
    'fiscal (BT-63).',
)(_ids_on_allowances("S", _seller_any))

br_s_04 = rule(
    "BR-S-04", "fatal", ("BG-21", "BT-31", "BT-32", "BT-63", "BT-102"),
    'An Invoice that contains a Document level charge (BG-21) where the Document '
    'level charge VAT category code (BT-102) is "Standard rated" shall contain the '
    'Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) '
    'and/or the Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une charge au niveau du document (BG-21) porte la catégorie de '
    'TVA « taux normal » (S) (BT-102) doit contenir le numéro de TVA du vendeur '
    '(BT-31), son identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant '
    'fiscal (BT-63).',
)(_ids_on_charges("S", _seller_any))

br_s_05 = rule(
    "BR-S-05", "fatal", ("BG-25", "BT-151", "BT-152"),
    'In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is'
    ' "Standard rated" the Invoiced item VAT rate (BT-152) shall be greater than '
    'zero.',
    'Dans une ligne de facture (BG-25) de catégorie de TVA « taux normal » (S), le '
    'taux de TVA (BT-152) doit être supérieur à zéro.',
)(_line_rate("S", _positive))

br_s_06 = rule(
    "BR-S-06", "fatal", ("BG-20", "BT-95", "BT-96"),
    'In a Document level allowance (BG-20) where the Document level allowance VAT '
    'category code (BT-95) is "Standard rated" the Document level allowance VAT rate '
    '(BT-96) shall be greater than zero.',
    'Dans une remise au niveau du document (BG-20) de catégorie de TVA « taux normal '
    '» (S), le taux de TVA (BT-96) doit être supérieur à zéro.',
)(_allowance_rate("S", _positive))

br_s_07 = rule(
    "BR-S-07", "fatal", ("BG-21", "BT-102", "BT-103"),
    'In a Document level charge (BG-21) where the Document level charge VAT category '
    'code (BT-102) is "Standard rated" the Document level charge VAT rate (BT-103) '
    'shall be greater than zero.',
    'Dans une charge au niveau du document (BG-21) de catégorie de TVA « taux normal '
    '» (S), le taux de TVA (BT-103) doit être supérieur à zéro.',
)(_charge_rate("S", _positive))

br_s_08 = rule(
    "BR-S-08", "fatal", (
        "BG-23", "BT-92", "BT-95", "BT-96", "BT-99", "BT-102", "BT-103", "BT-116", "BT-118",
        "BT-119", "BT-131", "BT-151", "BT-152"
    ),
    'For each different value of VAT category rate (BT-119) where the VAT category '
    'code (BT-118) is "Standard rated", the VAT category taxable amount (BT-116) in a'
    ' VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) '
    'plus the sum of document level charge amounts (BT-99) minus the sum of document '
    'level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, '
    'BT-95) is "Standard rated" and the VAT rate (BT-152, BT-103, BT-96) equals the '
    'VAT category rate (BT-119).',
    'Dans une ventilation de TVA (BG-23) de catégorie « taux normal » (S), la base '
    "d'imposition (BT-116) doit être égale à la somme des montants nets des lignes "
    '(BT-131) moins les remises (BT-92) plus les charges (BT-99) de cette catégorie '
    'et dont le taux (BT-152, BT-96, BT-103) est celui de la ventilation (BT-119).',
)(_taxable_per_rate("S")).variant(
    "cii", _cii_taxable_per_rate("S"))

br_s_09 = rule(
    "BR-S-09", "fatal", ("BG-23", "BT-116", "BT-117", "BT-118", "BT-119"),
    'The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT '
    'category code (BT-118) is "Standard rated" shall equal the VAT category taxable '
    'amount (BT-116) multiplied by the VAT category rate (BT-119).',
    'Dans une ventilation de TVA (BG-23) de catégorie « taux normal » (S), le montant'
    " de TVA (BT-117) doit être égal à la base d'imposition (BT-116) multipliée par "
    'le taux (BT-119).',
)(_tax_from_rate("S"))

br_s_10 = rule(
    "BR-S-10", "fatal", ("BG-23", "BT-118", "BT-120", "BT-121"),
    'A VAT breakdown (BG-23) with VAT Category code (BT-118) "Standard rate" shall '
    'not have a VAT exemption reason code (BT-121) or VAT exemption reason text '
    '(BT-120).',
    'Une ventilation de TVA (BG-23) de catégorie « taux normal » (S) ne doit avoir ni'
    " motif d'exonération (BT-120) ni code de motif d'exonération (BT-121).",
)(_no_exemption("S"))

br_z_01 = rule(
    "BR-Z-01", "fatal", ("BG-20", "BG-21", "BG-23", "BG-25", "BT-95", "BT-102", "BT-118", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25), a Document level allowance '
    '(BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, '
    'BT-95 or BT-102) is "Zero rated" shall contain in the VAT breakdown (BG-23) '
    'exactly one VAT category code (BT-118) equal with "Zero rated".',
    'Une facture dont une ligne (BG-25), une remise (BG-20) ou une charge (BG-21) '
    'porte la catégorie de TVA « taux zéro » (Z) doit contenir exactement une '
    'ventilation de TVA (BG-23) de cette catégorie.',
)(_exactly_one("Z")).variant(
    "cii", _cii_exactly_one("Z"))

br_z_02 = rule(
    "BR-Z-02", "fatal", ("BT-31", "BT-32", "BT-63", "BT-151"),
    'An Invoice that contains an Invoice line where the Invoiced item VAT category '
    'code (BT-151) is "Zero rated" shall contain the Seller VAT Identifier (BT-31), '
    'the Seller tax registration identifier (BT-32) and/or the Seller tax '
    'representative VAT identifier (BT-63).',
    'Une facture dont une ligne (BG-25) porte la catégorie de TVA « taux zéro » (Z) '
    '(BT-151) doit contenir le numéro de TVA du vendeur (BT-31), son identifiant '
    'fiscal (BT-32) et/ou le numéro de TVA du représentant fiscal (BT-63).',
)(_ids_on_lines("Z", _seller_any))

br_z_03 = rule(
    "BR-Z-03", "fatal", ("BG-20", "BT-31", "BT-32", "BT-63", "BT-95"),
    'An Invoice that contains a Document level allowance (BG-20) where the Document '
    'level allowance VAT category code (BT-95) is "Zero rated" shall contain the '
    'Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) '
    'and/or the Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une remise au niveau du document (BG-20) porte la catégorie de '
    'TVA « taux zéro » (Z) (BT-95) doit contenir le numéro de TVA du vendeur (BT-31),'
    ' son identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant fiscal '
    '(BT-63).',
)(_ids_on_allowances("Z", _seller_any))

br_z_04 = rule(
    "BR-Z-04", "fatal", ("BT-31", "BT-32", "BT-63", "BT-102"),
    'An Invoice that contains a Document level charge where the Document level charge'
    ' VAT category code (BT-102) is "Zero rated" shall contain the Seller VAT '
    'Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the '
    'Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une charge au niveau du document (BG-21) porte la catégorie de '
    'TVA « taux zéro » (Z) (BT-102) doit contenir le numéro de TVA du vendeur '
    '(BT-31), son identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant '
    'fiscal (BT-63).',
)(_ids_on_charges("Z", _seller_any))

br_z_05 = rule(
    "BR-Z-05", "fatal", ("BG-25", "BT-151", "BT-152"),
    'In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is'
    ' "Zero rated" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
    'Dans une ligne de facture (BG-25) de catégorie de TVA « taux zéro » (Z), le taux'
    ' de TVA (BT-152) doit être 0 (zéro).',
)(_line_rate("Z", _zero))

br_z_06 = rule(
    "BR-Z-06", "fatal", ("BG-20", "BT-95", "BT-96"),
    'In a Document level allowance (BG-20) where the Document level allowance VAT '
    'category code (BT-95) is "Zero rated" the Document level allowance VAT rate '
    '(BT-96) shall be 0 (zero).',
    'Dans une remise au niveau du document (BG-20) de catégorie de TVA « taux zéro » '
    '(Z), le taux de TVA (BT-96) doit être 0 (zéro).',
)(_allowance_rate("Z", _zero))

br_z_07 = rule(
    "BR-Z-07", "fatal", ("BG-21", "BT-102", "BT-103"),
    'In a Document level charge (BG-21) where the Document level charge VAT category '
    'code (BT-102) is "Zero rated" the Document level charge VAT rate (BT-103) shall '
    'be 0 (zero).',
    'Dans une charge au niveau du document (BG-21) de catégorie de TVA « taux zéro » '
    '(Z), le taux de TVA (BT-103) doit être 0 (zéro).',
)(_charge_rate("Z", _zero))

br_z_08 = rule(
    "BR-Z-08", "fatal", (
        "BG-23", "BT-92", "BT-95", "BT-99", "BT-102", "BT-116", "BT-118", "BT-131", "BT-151"
    ),
    'In a VAT breakdown (BG-23) where VAT category code (BT-118) is "Zero rated" the '
    'VAT category taxable amount (BT-116) shall equal the sum of Invoice line net '
    'amount (BT-131) minus the sum of Document level allowance amounts (BT-92) plus '
    'the sum of Document level charge amounts (BT-99) where the VAT category codes '
    '(BT-151, BT-95, BT-102) are "Zero rated".',
    'Dans une ventilation de TVA (BG-23) de catégorie « taux zéro » (Z), la base '
    "d'imposition (BT-116) doit être égale à la somme des montants nets des lignes "
    '(BT-131) moins les remises (BT-92) plus les charges (BT-99) de cette catégorie.',
)(_taxable_exact("Z")).variant(
    "cii", _cii_taxable_near("Z"))

br_z_09 = rule(
    "BR-Z-09", "fatal", ("BG-23", "BT-117", "BT-118"),
    'The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT '
    'category code (BT-118) is "Zero rated" shall equal 0 (zero).',
    'Dans une ventilation de TVA (BG-23) de catégorie « taux zéro » (Z), le montant '
    'de TVA (BT-117) doit être 0 (zéro).',
)(_tax_zero("Z"))

br_z_10 = rule(
    "BR-Z-10", "fatal", ("BG-23", "BT-118", "BT-120", "BT-121"),
    'A VAT breakdown (BG-23) with VAT Category code (BT-118) "Zero rated" shall not '
    'have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).',
    'Une ventilation de TVA (BG-23) de catégorie « taux zéro » (Z) ne doit avoir ni '
    "motif d'exonération (BT-120) ni code de motif d'exonération (BT-121).",
)(_no_exemption("Z"))

br_e_01 = rule(
    "BR-E-01", "fatal", ("BG-20", "BG-21", "BG-23", "BG-25", "BT-95", "BT-102", "BT-118", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25), a Document level allowance '
    '(BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, '
    'BT-95 or BT-102) is "Exempt from VAT" shall contain exactly one VAT breakdown '
    '(BG-23) with the VAT category code (BT-118) equal to "Exempt from VAT".',
    'Une facture dont une ligne (BG-25), une remise (BG-20) ou une charge (BG-21) '
    'porte la catégorie de TVA « exonéré de TVA » (E) doit contenir exactement une '
    'ventilation de TVA (BG-23) de cette catégorie.',
)(_exactly_one("E")).variant(
    "cii", _cii_exactly_one("E"))

br_e_02 = rule(
    "BR-E-02", "fatal", ("BG-25", "BT-31", "BT-32", "BT-63", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT '
    'category code (BT-151) is "Exempt from VAT" shall contain the Seller VAT '
    'Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the '
    'Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une ligne (BG-25) porte la catégorie de TVA « exonéré de TVA » '
    '(E) (BT-151) doit contenir le numéro de TVA du vendeur (BT-31), son identifiant '
    'fiscal (BT-32) et/ou le numéro de TVA du représentant fiscal (BT-63).',
)(_ids_on_lines("E", _seller_any))

br_e_03 = rule(
    "BR-E-03", "fatal", ("BG-20", "BT-31", "BT-32", "BT-63", "BT-95"),
    'An Invoice that contains a Document level allowance (BG-20) where the Document '
    'level allowance VAT category code (BT-95) is "Exempt from VAT" shall contain the'
    ' Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) '
    'and/or the Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une remise au niveau du document (BG-20) porte la catégorie de '
    'TVA « exonéré de TVA » (E) (BT-95) doit contenir le numéro de TVA du vendeur '
    '(BT-31), son identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant '
    'fiscal (BT-63).',
)(_ids_on_allowances("E", _seller_any))

br_e_04 = rule(
    "BR-E-04", "fatal", ("BG-21", "BT-31", "BT-32", "BT-63", "BT-102"),
    'An Invoice that contains a Document level charge (BG-21) where the Document '
    'level charge VAT category code (BT-102) is "Exempt from VAT" shall contain the '
    'Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) '
    'and/or the Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une charge au niveau du document (BG-21) porte la catégorie de '
    'TVA « exonéré de TVA » (E) (BT-102) doit contenir le numéro de TVA du vendeur '
    '(BT-31), son identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant '
    'fiscal (BT-63).',
)(_ids_on_charges("E", _seller_any))

br_e_05 = rule(
    "BR-E-05", "fatal", ("BG-25", "BT-151", "BT-152"),
    'In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is'
    ' "Exempt from VAT", the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
    'Dans une ligne de facture (BG-25) de catégorie de TVA « exonéré de TVA » (E), le'
    ' taux de TVA (BT-152) doit être 0 (zéro).',
)(_line_rate("E", _zero))

br_e_06 = rule(
    "BR-E-06", "fatal", ("BG-20", "BT-95", "BT-96"),
    'In a Document level allowance (BG-20) where the Document level allowance VAT '
    'category code (BT-95) is "Exempt from VAT", the Document level allowance VAT '
    'rate (BT-96) shall be 0 (zero).',
    'Dans une remise au niveau du document (BG-20) de catégorie de TVA « exonéré de '
    'TVA » (E), le taux de TVA (BT-96) doit être 0 (zéro).',
)(_allowance_rate("E", _zero))

br_e_07 = rule(
    "BR-E-07", "fatal", ("BG-21", "BT-102", "BT-103"),
    'In a Document level charge (BG-21) where the Document level charge VAT category '
    'code (BT-102) is "Exempt from VAT", the Document level charge VAT rate (BT-103) '
    'shall be 0 (zero).',
    'Dans une charge au niveau du document (BG-21) de catégorie de TVA « exonéré de '
    'TVA » (E), le taux de TVA (BT-103) doit être 0 (zéro).',
)(_charge_rate("E", _zero))

br_e_08 = rule(
    "BR-E-08", "fatal", (
        "BG-23", "BT-92", "BT-95", "BT-99", "BT-102", "BT-116", "BT-118", "BT-131", "BT-151"
    ),
    'In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Exempt from '
    'VAT" the VAT category taxable amount (BT-116) shall equal the sum of Invoice '
    'line net amounts (BT-131) minus the sum of Document level allowance amounts '
    '(BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT '
    'category codes (BT-151, BT-95, BT-102) are "Exempt from VAT".',
    'Dans une ventilation de TVA (BG-23) de catégorie « exonéré de TVA » (E), la base'
    " d'imposition (BT-116) doit être égale à la somme des montants nets des lignes "
    '(BT-131) moins les remises (BT-92) plus les charges (BT-99) de cette catégorie.',
)(_taxable_exact("E")).variant(
    "cii", _cii_taxable_near("E"))

br_e_09 = rule(
    "BR-E-09", "fatal", ("BG-23", "BT-117", "BT-118"),
    'The VAT category tax amount (BT-117) In a VAT breakdown (BG-23) where the VAT '
    'category code (BT-118) equals "Exempt from VAT" shall equal 0 (zero).',
    'Dans une ventilation de TVA (BG-23) de catégorie « exonéré de TVA » (E), le '
    'montant de TVA (BT-117) doit être 0 (zéro).',
)(_tax_zero("E"))

br_e_10 = rule(
    "BR-E-10", "fatal", ("BG-23", "BT-118", "BT-120", "BT-121"),
    'A VAT breakdown (BG-23) with VAT Category code (BT-118) "Exempt from VAT" shall '
    'have a VAT exemption reason code (BT-121) or a VAT exemption reason text '
    '(BT-120).',
    'Une ventilation de TVA (BG-23) de catégorie « exonéré de TVA » (E) doit avoir un'
    " motif d'exonération (BT-120) ou un code de motif d'exonération (BT-121).",
)(_exemption("E"))

br_ae_01 = rule(
    "BR-AE-01", "fatal", (
        "BG-20", "BG-21", "BG-23", "BG-25", "BT-95", "BT-102", "BT-118", "BT-151"
    ),
    'An Invoice that contains an Invoice line (BG-25), a Document level allowance '
    '(BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, '
    'BT-95 or BT-102) is "Reverse charge" shall contain in the VAT Breakdown (BG-23) '
    'exactly one VAT category code (BT-118) equal with "VAT reverse charge".',
    'Une facture dont une ligne (BG-25), une remise (BG-20) ou une charge (BG-21) '
    'porte la catégorie de TVA « autoliquidation » (AE) doit contenir exactement une '
    'ventilation de TVA (BG-23) de cette catégorie.',
)(_exactly_one("AE")).variant(
    "cii", _cii_exactly_one("AE"))

br_ae_02 = rule(
    "BR-AE-02", "fatal", ("BG-25", "BT-31", "BT-32", "BT-47", "BT-48", "BT-63", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT '
    'category code (BT-151) is "Reverse charge" shall contain the Seller VAT '
    'Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the '
    'Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier '
    '(BT-48) and/or the Buyer legal registration identifier (BT-47).',
    'Une facture dont une ligne (BG-25) porte la catégorie de TVA « autoliquidation »'
    ' (AE) (BT-151) doit contenir le numéro de TVA du vendeur (BT-31), son '
    'identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant fiscal '
    "(BT-63), ainsi que le numéro de TVA de l'acheteur (BT-48) et/ou son identifiant "
    'légal (BT-47).',
)(_ids_on_lines("AE", _reverse_charge))

br_ae_03 = rule(
    "BR-AE-03", "fatal", ("BG-20", "BT-31", "BT-32", "BT-47", "BT-48", "BT-63", "BT-95"),
    'An Invoice that contains a Document level allowance (BG-20) where the Document '
    'level allowance VAT category code (BT-95) is "Reverse charge" shall contain the '
    'Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) '
    'and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT '
    'identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).',
    'Une facture dont une remise au niveau du document (BG-20) porte la catégorie de '
    'TVA « autoliquidation » (AE) (BT-95) doit contenir le numéro de TVA du vendeur '
    '(BT-31), son identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant '
    "fiscal (BT-63), ainsi que le numéro de TVA de l'acheteur (BT-48) et/ou son "
    'identifiant légal (BT-47).',
)(_ids_on_allowances("AE", _reverse_charge))

br_ae_04 = rule(
    "BR-AE-04", "fatal", ("BG-21", "BT-31", "BT-32", "BT-47", "BT-48", "BT-63", "BT-102"),
    'An Invoice that contains a Document level charge (BG-21) where the Document '
    'level charge VAT category code (BT-102) is "Reverse charge" shall contain the '
    'Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) '
    'and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT '
    'identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).',
    'Une facture dont une charge au niveau du document (BG-21) porte la catégorie de '
    'TVA « autoliquidation » (AE) (BT-102) doit contenir le numéro de TVA du vendeur '
    '(BT-31), son identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant '
    "fiscal (BT-63), ainsi que le numéro de TVA de l'acheteur (BT-48) et/ou son "
    'identifiant légal (BT-47).',
)(_ids_on_charges("AE", _reverse_charge))

br_ae_05 = rule(
    "BR-AE-05", "fatal", ("BG-25", "BT-151", "BT-152"),
    'In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is'
    ' "Reverse charge" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
    'Dans une ligne de facture (BG-25) de catégorie de TVA « autoliquidation » (AE), '
    'le taux de TVA (BT-152) doit être 0 (zéro).',
)(_line_rate("AE", _zero))

br_ae_06 = rule(
    "BR-AE-06", "fatal", ("BG-20", "BT-95", "BT-96"),
    'In a Document level allowance (BG-20) where the Document level allowance VAT '
    'category code (BT-95) is "Reverse charge" the Document level allowance VAT rate '
    '(BT-96) shall be 0 (zero).',
    'Dans une remise au niveau du document (BG-20) de catégorie de TVA « '
    'autoliquidation » (AE), le taux de TVA (BT-96) doit être 0 (zéro).',
)(_allowance_rate("AE", _zero))

br_ae_07 = rule(
    "BR-AE-07", "fatal", ("BG-21", "BT-102", "BT-103"),
    'In a Document level charge (BG-21) where the Document level charge VAT category '
    'code (BT-102) is "Reverse charge" the Document level charge VAT rate (BT-103) '
    'shall be 0 (zero).',
    'Dans une charge au niveau du document (BG-21) de catégorie de TVA « '
    'autoliquidation » (AE), le taux de TVA (BT-103) doit être 0 (zéro).',
)(_charge_rate("AE", _zero))

br_ae_08 = rule(
    "BR-AE-08", "fatal", (
        "BG-23", "BT-92", "BT-95", "BT-99", "BT-102", "BT-116", "BT-118", "BT-131", "BT-151"
    ),
    'In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Reverse '
    'charge" the VAT category taxable amount (BT-116) shall equal the sum of Invoice '
    'line net amounts (BT-131) minus the sum of Document level allowance amounts '
    '(BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT '
    'category codes (BT-151, BT-95, BT-102) are "Reverse charge".',
    'Dans une ventilation de TVA (BG-23) de catégorie « autoliquidation » (AE), la '
    "base d'imposition (BT-116) doit être égale à la somme des montants nets des "
    'lignes (BT-131) moins les remises (BT-92) plus les charges (BT-99) de cette '
    'catégorie.',
)(_taxable_exact("AE")).variant(
    "cii", _cii_taxable_near("AE"))

br_ae_09 = rule(
    "BR-AE-09", "fatal", ("BG-23", "BT-117", "BT-118"),
    'The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT '
    'category code (BT-118) is "Reverse charge" shall be 0 (zero).',
    'Dans une ventilation de TVA (BG-23) de catégorie « autoliquidation » (AE), le '
    'montant de TVA (BT-117) doit être 0 (zéro).',
)(_tax_zero("AE"))

br_ae_10 = rule(
    "BR-AE-10", "fatal", ("BG-23", "BT-118", "BT-120", "BT-121"),
    'A VAT breakdown (BG-23) with VAT Category code (BT-118) "Reverse charge" shall '
    'have a VAT exemption reason code (BT-121), meaning "Reverse charge" or the VAT '
    'exemption reason text (BT-120) "Reverse charge" (or the equivalent standard text'
    ' in another language).',
    'Une ventilation de TVA (BG-23) de catégorie « autoliquidation » (AE) doit avoir '
    "un motif d'exonération (BT-120) ou un code de motif d'exonération (BT-121).",
)(_exemption("AE"))

br_ic_01 = rule(
    "BR-IC-01", "fatal", (
        "BG-20", "BG-21", "BG-23", "BG-25", "BT-95", "BT-102", "BT-118", "BT-151"
    ),
    'An Invoice that contains an Invoice line (BG-25), a Document level allowance '
    '(BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, '
    'BT-95 or BT-102) is "Intra-community supply" shall contain in the VAT breakdown '
    '(BG-23) exactly one VAT category code (BT-118) equal with "Intra-community '
    'supply".',
    'Une facture dont une ligne (BG-25), une remise (BG-20) ou une charge (BG-21) '
    'porte la catégorie de TVA « livraison intracommunautaire » (K) doit contenir '
    'exactement une ventilation de TVA (BG-23) de cette catégorie.',
)(_exactly_one("K")).variant(
    "cii", _cii_exactly_one("K"))

br_ic_02 = rule(
    "BR-IC-02", "fatal", ("BG-25", "BT-31", "BT-48", "BT-63", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT '
    'category code (BT-151) is "Intra-community supply" shall contain the Seller VAT '
    'Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and '
    'the Buyer VAT identifier (BT-48).',
    'Une facture dont une ligne (BG-25) porte la catégorie de TVA « livraison '
    'intracommunautaire » (K) (BT-151) doit contenir le numéro de TVA du vendeur '
    '(BT-31) ou du représentant fiscal (BT-63), ainsi que le numéro de TVA de '
    "l'acheteur (BT-48).",
)(_ids_on_lines("K", _intra_community))

br_ic_03 = rule(
    "BR-IC-03", "fatal", ("BG-20", "BT-31", "BT-48", "BT-63", "BT-95"),
    'An Invoice that contains a Document level allowance (BG-20) where the Document '
    'level allowance VAT category code (BT-95) is "Intra-community supply" shall '
    'contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT '
    'identifier (BT-63) and the Buyer VAT identifier (BT-48).',
    'Une facture dont une remise au niveau du document (BG-20) porte la catégorie de '
    'TVA « livraison intracommunautaire » (K) (BT-95) doit contenir le numéro de TVA '
    'du vendeur (BT-31) ou du représentant fiscal (BT-63), ainsi que le numéro de TVA'
    " de l'acheteur (BT-48).",
)(_ids_on_allowances("K", _intra_community))

br_ic_04 = rule(
    "BR-IC-04", "fatal", ("BG-21", "BT-31", "BT-48", "BT-63", "BT-102"),
    'An Invoice that contains a Document level charge (BG-21) where the Document '
    'level charge VAT category code (BT-102) is "Intra-community supply" shall '
    'contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT '
    'identifier (BT-63) and the Buyer VAT identifier (BT-48).',
    'Une facture dont une charge au niveau du document (BG-21) porte la catégorie de '
    'TVA « livraison intracommunautaire » (K) (BT-102) doit contenir le numéro de TVA'
    ' du vendeur (BT-31) ou du représentant fiscal (BT-63), ainsi que le numéro de '
    "TVA de l'acheteur (BT-48).",
)(_ids_on_charges("K", _intra_community))

br_ic_05 = rule(
    "BR-IC-05", "fatal", ("BG-25", "BT-151", "BT-152"),
    'In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is'
    ' "Intracommunity supply" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
    'Dans une ligne de facture (BG-25) de catégorie de TVA « livraison '
    'intracommunautaire » (K), le taux de TVA (BT-152) doit être 0 (zéro).',
)(_line_rate("K", _zero))

br_ic_06 = rule(
    "BR-IC-06", "fatal", ("BG-20", "BT-95", "BT-96"),
    'In a Document level allowance (BG-20) where the Document level allowance VAT '
    'category code (BT-95) is "Intra-community supply" the Document level allowance '
    'VAT rate (BT-96) shall be 0 (zero).',
    'Dans une remise au niveau du document (BG-20) de catégorie de TVA « livraison '
    'intracommunautaire » (K), le taux de TVA (BT-96) doit être 0 (zéro).',
)(_allowance_rate("K", _zero))

br_ic_07 = rule(
    "BR-IC-07", "fatal", ("BG-21", "BT-102", "BT-103"),
    'In a Document level charge (BG-21) where the Document level charge VAT category '
    'code (BT-102) is "Intra-community supply" the Document level charge VAT rate '
    '(BT-103) shall be 0 (zero).',
    'Dans une charge au niveau du document (BG-21) de catégorie de TVA « livraison '
    'intracommunautaire » (K), le taux de TVA (BT-103) doit être 0 (zéro).',
)(_charge_rate("K", _zero))

br_ic_08 = rule(
    "BR-IC-08", "fatal", (
        "BG-23", "BT-92", "BT-95", "BT-99", "BT-102", "BT-116", "BT-118", "BT-131", "BT-151"
    ),
    'In a VAT breakdown (BG-23) where the VAT category code (BT-118) is '
    '"Intra-community supply" the VAT category taxable amount (BT-116) shall equal '
    'the sum of Invoice line net amounts (BT-131) minus the sum of Document level '
    'allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) '
    'where the VAT category codes (BT-151, BT-95, BT-102) are "Intra-community '
    'supply".',
    'Dans une ventilation de TVA (BG-23) de catégorie « livraison intracommunautaire '
    "» (K), la base d'imposition (BT-116) doit être égale à la somme des montants "
    'nets des lignes (BT-131) moins les remises (BT-92) plus les charges (BT-99) de '
    'cette catégorie.',
)(_taxable_exact("K")).variant(
    "cii", _cii_taxable_near("K"))

br_ic_09 = rule(
    "BR-IC-09", "fatal", ("BG-23", "BT-117", "BT-118"),
    'The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT '
    'category code (BT-118) is "Intra-community supply" shall be 0 (zero).',
    'Dans une ventilation de TVA (BG-23) de catégorie « livraison intracommunautaire '
    '» (K), le montant de TVA (BT-117) doit être 0 (zéro).',
)(_tax_zero("K"))

br_ic_10 = rule(
    "BR-IC-10", "fatal", ("BG-23", "BT-118", "BT-120", "BT-121"),
    'A VAT breakdown (BG-23) with the VAT Category code (BT-118) "Intra-community '
    'supply" shall have a VAT exemption reason code (BT-121), meaning '
    '"Intra-community supply" or the VAT exemption reason text (BT-120) '
    '"Intra-community supply" (or the equivalent standard text in another language).',
    'Une ventilation de TVA (BG-23) de catégorie « livraison intracommunautaire » (K)'
    " doit avoir un motif d'exonération (BT-120) ou un code de motif d'exonération "
    '(BT-121).',
)(_exemption("K"))

br_ic_11 = rule(
    "BR-IC-11", "fatal", ("BG-14", "BG-23", "BT-72", "BT-118"),
    'In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) '
    'is "Intra-community supply" the Actual delivery date (BT-72) or the Invoicing '
    'period (BG-14) shall not be blank.',
    'Une facture avec une ventilation de TVA (BG-23) de catégorie « livraison '
    'intracommunautaire » (K) doit indiquer la date de livraison effective (BT-72) ou'
    ' la période de facturation (BG-14).',
)(_ic_11).variant("cii", _cii_ic_11)

br_ic_12 = rule(
    "BR-IC-12", "fatal", ("BG-23", "BT-80", "BT-118"),
    'In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) '
    'is "Intra-community supply" the Deliver to country code (BT-80) shall not be '
    'blank.',
    'Une facture avec une ventilation de TVA (BG-23) de catégorie « livraison '
    'intracommunautaire » (K) doit indiquer le code pays de livraison (BT-80).',
)(_ic_12).variant("cii", _cii_ic_12)

br_g_01 = rule(
    "BR-G-01", "fatal", ("BG-20", "BG-21", "BG-23", "BG-25", "BT-95", "BT-102", "BT-118", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25), a Document level allowance '
    '(BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, '
    'BT-95 or BT-102) is "Export outside the EU" shall contain in the VAT breakdown '
    '(BG-23) exactly one VAT category code (BT-118) equal with "Export outside the '
    'EU".',
    'Une facture dont une ligne (BG-25), une remise (BG-20) ou une charge (BG-21) '
    'porte la catégorie de TVA « exportation hors UE » (G) doit contenir exactement '
    'une ventilation de TVA (BG-23) de cette catégorie.',
)(_exactly_one("G")).variant(
    "cii", _cii_exactly_one("G"))

br_g_02 = rule(
    "BR-G-02", "fatal", ("BG-25", "BT-31", "BT-63", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT '
    'category code (BT-151) is "Export outside the EU" shall contain the Seller VAT '
    'Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une ligne (BG-25) porte la catégorie de TVA « exportation hors '
    'UE » (G) (BT-151) doit contenir le numéro de TVA du vendeur (BT-31) ou du '
    'représentant fiscal (BT-63).',
)(_ids_on_lines("G", _seller_vat))

br_g_03 = rule(
    "BR-G-03", "fatal", ("BG-20", "BT-31", "BT-63", "BT-95"),
    'An Invoice that contains a Document level allowance (BG-20) where the Document '
    'level allowance VAT category code (BT-95) is "Export outside the EU" shall '
    'contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT '
    'identifier (BT-63).',
    'Une facture dont une remise au niveau du document (BG-20) porte la catégorie de '
    'TVA « exportation hors UE » (G) (BT-95) doit contenir le numéro de TVA du '
    'vendeur (BT-31) ou du représentant fiscal (BT-63).',
)(_ids_on_allowances("G", _seller_vat))

br_g_04 = rule(
    "BR-G-04", "fatal", ("BG-21", "BT-31", "BT-63", "BT-102"),
    'An Invoice that contains a Document level charge (BG-21) where the Document '
    'level charge VAT category code (BT-102) is "Export outside the EU" shall contain'
    ' the Seller VAT Identifier (BT-31) or the Seller tax representative VAT '
    'identifier (BT-63).',
    'Une facture dont une charge au niveau du document (BG-21) porte la catégorie de '
    'TVA « exportation hors UE » (G) (BT-102) doit contenir le numéro de TVA du '
    'vendeur (BT-31) ou du représentant fiscal (BT-63).',
)(_ids_on_charges("G", _seller_vat))

br_g_05 = rule(
    "BR-G-05", "fatal", ("BG-25", "BT-151", "BT-152"),
    'In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is'
    ' "Export outside the EU" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
    'Dans une ligne de facture (BG-25) de catégorie de TVA « exportation hors UE » '
    '(G), le taux de TVA (BT-152) doit être 0 (zéro).',
)(_line_rate("G", _zero))

br_g_06 = rule(
    "BR-G-06", "fatal", ("BG-20", "BT-95", "BT-96"),
    'In a Document level allowance (BG-20) where the Document level allowance VAT '
    'category code (BT-95) is "Export outside the EU" the Document level allowance '
    'VAT rate (BT-96) shall be 0 (zero).',
    'Dans une remise au niveau du document (BG-20) de catégorie de TVA « exportation '
    'hors UE » (G), le taux de TVA (BT-96) doit être 0 (zéro).',
)(_allowance_rate("G", _zero))

br_g_07 = rule(
    "BR-G-07", "fatal", ("BG-21", "BT-102", "BT-103"),
    'In a Document level charge (BG-21) where the Document level charge VAT category '
    'code (BT-102) is "Export outside the EU" the Document level charge VAT rate '
    '(BT-103) shall be 0 (zero).',
    'Dans une charge au niveau du document (BG-21) de catégorie de TVA « exportation '
    'hors UE » (G), le taux de TVA (BT-103) doit être 0 (zéro).',
)(_charge_rate("G", _zero))

br_g_08 = rule(
    "BR-G-08", "fatal", (
        "BG-23", "BT-92", "BT-95", "BT-99", "BT-102", "BT-116", "BT-118", "BT-131", "BT-151"
    ),
    'In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Export '
    'outside the EU" the VAT category taxable amount (BT-116) shall equal the sum of '
    'Invoice line net amounts (BT-131) minus the sum of Document level allowance '
    'amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the '
    'VAT category codes (BT-151, BT-95, BT-102) are "Export outside the EU".',
    'Dans une ventilation de TVA (BG-23) de catégorie « exportation hors UE » (G), la'
    " base d'imposition (BT-116) doit être égale à la somme des montants nets des "
    'lignes (BT-131) moins les remises (BT-92) plus les charges (BT-99) de cette '
    'catégorie.',
)(_taxable_exact("G")).variant(
    "cii", _cii_taxable_near("G"))

br_g_09 = rule(
    "BR-G-09", "fatal", ("BG-23", "BT-117", "BT-118"),
    'The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT '
    'category code (BT-118) is "Export outside the EU" shall be 0 (zero).',
    'Dans une ventilation de TVA (BG-23) de catégorie « exportation hors UE » (G), le'
    ' montant de TVA (BT-117) doit être 0 (zéro).',
)(_tax_zero("G"))

br_g_10 = rule(
    "BR-G-10", "fatal", ("BG-23", "BT-118", "BT-120", "BT-121"),
    'A VAT breakdown (BG-23) with the VAT Category code (BT-118) "Export outside the '
    'EU" shall have a VAT exemption reason code (BT-121), meaning "Export outside the'
    ' EU" or the VAT exemption reason text (BT-120) "Export outside the EU" (or the '
    'equivalent standard text in another language).',
    'Une ventilation de TVA (BG-23) de catégorie « exportation hors UE » (G) doit '
    "avoir un motif d'exonération (BT-120) ou un code de motif d'exonération "
    '(BT-121).',
)(_exemption("G"))

br_o_01 = rule(
    "BR-O-01", "fatal", ("BG-20", "BG-21", "BG-23", "BG-25", "BT-95", "BT-102", "BT-118", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25), a Document level allowance '
    '(BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, '
    'BT-95 or BT-102) is "Not subject to VAT" shall contain exactly one VAT breakdown'
    ' group (BG-23) with the VAT category code (BT-118) equal to "Not subject to '
    'VAT".',
    'Une facture dont une ligne (BG-25), une remise (BG-20) ou une charge (BG-21) '
    'porte la catégorie de TVA « non soumis à la TVA » (O) doit contenir exactement '
    'une ventilation de TVA (BG-23) de cette catégorie.',
)(_exactly_one("O")).variant(
    "cii", _cii_one_o)

br_o_02 = rule(
    "BR-O-02", "fatal", ("BG-25", "BT-31", "BT-48", "BT-63", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT '
    'category code (BT-151) is "Not subject to VAT" shall not contain the Seller VAT '
    'identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the '
    'Buyer VAT identifier (BT-48).',
    'Une facture dont une ligne (BG-25) porte la catégorie de TVA « non soumis à la '
    'TVA » (O) (BT-151) ne doit contenir ni le numéro de TVA du vendeur (BT-31), ni '
    "celui du représentant fiscal (BT-63), ni celui de l'acheteur (BT-48).",
)(_ids_on_lines("O", _no_vat_ids))

br_o_03 = rule(
    "BR-O-03", "fatal", ("BG-20", "BT-31", "BT-48", "BT-63", "BT-95"),
    'An Invoice that contains a Document level allowance (BG-20) where the Document '
    'level allowance VAT category code (BT-95) is "Not subject to VAT" shall not '
    'contain the Seller VAT identifier (BT-31), the Seller tax representative VAT '
    'identifier (BT-63) or the Buyer VAT identifier (BT-48).',
    'Une facture dont une remise au niveau du document (BG-20) porte la catégorie de '
    'TVA « non soumis à la TVA » (O) (BT-95) ne doit contenir ni le numéro de TVA du '
    "vendeur (BT-31), ni celui du représentant fiscal (BT-63), ni celui de l'acheteur"
    ' (BT-48).',
)(_ids_on_allowances("O", _no_vat_ids))

br_o_04 = rule(
    "BR-O-04", "fatal", ("BG-21", "BT-31", "BT-48", "BT-63", "BT-102"),
    'An Invoice that contains a Document level charge (BG-21) where the Document '
    'level charge VAT category code (BT-102) is "Not subject to VAT" shall not '
    'contain the Seller VAT identifier (BT-31), the Seller tax representative VAT '
    'identifier (BT-63) or the Buyer VAT identifier (BT-48).',
    'Une facture dont une charge au niveau du document (BG-21) porte la catégorie de '
    'TVA « non soumis à la TVA » (O) (BT-102) ne doit contenir ni le numéro de TVA du'
    ' vendeur (BT-31), ni celui du représentant fiscal (BT-63), ni celui de '
    "l'acheteur (BT-48).",
)(_ids_on_charges("O", _no_vat_ids))

br_o_05 = rule(
    "BR-O-05", "fatal", ("BG-25", "BT-151", "BT-152"),
    'An Invoice line (BG-25) where the VAT category code (BT-151) is "Not subject to '
    'VAT" shall not contain an Invoiced item VAT rate (BT-152).',
    'Dans une ligne de facture (BG-25) de catégorie de TVA « non soumis à la TVA » '
    '(O), le taux de TVA (BT-152) ne doit pas être présent.',
)(_line_rate("O", _absent))

br_o_06 = rule(
    "BR-O-06", "fatal", ("BG-20", "BT-95", "BT-96"),
    'A Document level allowance (BG-20) where VAT category code (BT-95) is "Not '
    'subject to VAT" shall not contain a Document level allowance VAT rate (BT-96).',
    'Dans une remise au niveau du document (BG-20) de catégorie de TVA « non soumis à'
    ' la TVA » (O), le taux de TVA (BT-96) ne doit pas être présent.',
)(_allowance_rate("O", _absent))

br_o_07 = rule(
    "BR-O-07", "fatal", ("BG-21", "BT-102", "BT-103"),
    'A Document level charge (BG-21) where the VAT category code (BT-102) is "Not '
    'subject to VAT" shall not contain a Document level charge VAT rate (BT-103).',
    'Dans une charge au niveau du document (BG-21) de catégorie de TVA « non soumis à'
    ' la TVA » (O), le taux de TVA (BT-103) ne doit pas être présent.',
)(_charge_rate("O", _absent))

br_o_08 = rule(
    "BR-O-08", "fatal", (
        "BG-23", "BT-92", "BT-95", "BT-99", "BT-102", "BT-116", "BT-118", "BT-131", "BT-151"
    ),
    'In a VAT breakdown (BG-23) where the VAT category code (BT-118) is " Not subject'
    ' to VAT" the VAT category taxable amount (BT-116) shall equal the sum of Invoice'
    ' line net amounts (BT-131) minus the sum of Document level allowance amounts '
    '(BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT '
    'category codes (BT-151, BT-95, BT-102) are "Not subject to VAT".',
    'Dans une ventilation de TVA (BG-23) de catégorie « non soumis à la TVA » (O), la'
    " base d'imposition (BT-116) doit être égale à la somme des montants nets des "
    'lignes (BT-131) moins les remises (BT-92) plus les charges (BT-99) de cette '
    'catégorie.',
)(_taxable_exact("O")).variant(
    "cii", _cii_taxable_o)

br_o_09 = rule(
    "BR-O-09", "fatal", ("BG-23", "BT-117", "BT-118"),
    'The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT '
    'category code (BT-118) is "Not subject to VAT" shall be 0 (zero).',
    'Dans une ventilation de TVA (BG-23) de catégorie « non soumis à la TVA » (O), le'
    ' montant de TVA (BT-117) doit être 0 (zéro).',
)(_tax_zero("O"))

br_o_10 = rule(
    "BR-O-10", "fatal", ("BG-23", "BT-118", "BT-120", "BT-121"),
    'A VAT breakdown (BG-23) with VAT Category code (BT-118) " Not subject to VAT" '
    'shall have a VAT exemption reason code (BT-121), meaning " Not subject to VAT" '
    'or a VAT exemption reason text (BT-120) " Not subject to VAT" (or the equivalent'
    ' standard text in another language).',
    'Une ventilation de TVA (BG-23) de catégorie « non soumis à la TVA » (O) doit '
    "avoir un motif d'exonération (BT-120) ou un code de motif d'exonération "
    '(BT-121).',
)(_exemption("O"))

br_o_11 = rule(
    "BR-O-11", "fatal", ("BG-23", "BT-118"),
    'An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code '
    '(BT-118) "Not subject to VAT" shall not contain other VAT breakdown groups '
    '(BG-23).',
    'Une facture avec une ventilation de TVA (BG-23) de catégorie « non soumis à la '
    "TVA » (O) ne doit pas contenir d'autre ventilation de TVA.",
)(_o_11)

br_o_12 = rule(
    "BR-O-12", "fatal", ("BG-23", "BG-25", "BT-118", "BT-151"),
    'An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code '
    '(BT-118) "Not subject to VAT" shall not contain an Invoice line (BG-25) where '
    'the Invoiced item VAT category code (BT-151) is not "Not subject to VAT".',
    'Une facture avec une ventilation de TVA (BG-23) de catégorie « non soumis à la '
    "TVA » (O) ne doit pas contenir de ligne (BG-25) d'une autre catégorie (BT-151).",
)(_o_12)

br_o_13 = rule(
    "BR-O-13", "fatal", ("BG-20", "BG-23", "BT-95", "BT-118"),
    'An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code '
    '(BT-118) "Not subject to VAT" shall not contain Document level allowances '
    '(BG-20) where Document level allowance VAT category code (BT-95) is not "Not '
    'subject to VAT".',
    'Une facture avec une ventilation de TVA (BG-23) de catégorie « non soumis à la '
    "TVA » (O) ne doit pas contenir de remise au niveau du document (BG-20) d'une "
    'autre catégorie (BT-95).',
)(_o_13)

br_o_14 = rule(
    "BR-O-14", "fatal", ("BG-21", "BG-23", "BT-102", "BT-118"),
    'An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code '
    '(BT-118) "Not subject to VAT" shall not contain Document level charges (BG-21) '
    'where Document level charge VAT category code (BT-102) is not "Not subject to '
    'VAT".',
    'Une facture avec une ventilation de TVA (BG-23) de catégorie « non soumis à la '
    "TVA » (O) ne doit pas contenir de charge au niveau du document (BG-21) d'une "
    'autre catégorie (BT-102).',
)(_o_14)

br_af_01 = rule(
    "BR-AF-01", "fatal", (
        "BG-20", "BG-21", "BG-23", "BG-25", "BT-95", "BT-102", "BT-118", "BT-151"
    ),
    'An Invoice that contains an Invoice line (BG-25), a Document level allowance '
    '(BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, '
    'BT-95 or BT-102) is "IGIC" shall contain in the VAT breakdown (BG-23) at least '
    'one VAT category code (BT-118) equal with "IGIC".',
    'Une facture dont une ligne (BG-25), une remise (BG-20) ou une charge (BG-21) '
    'porte la catégorie de TVA « IGIC » (L) doit contenir au moins une ventilation de'
    ' TVA (BG-23) de cette catégorie.',
)(_at_least_one("L")).variant(
    "cii", _cii_at_least_one("L"))

br_af_02 = rule(
    "BR-AF-02", "fatal", ("BG-25", "BT-31", "BT-32", "BT-63", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT '
    'category code (BT-151) is "IGIC" shall contain the Seller VAT Identifier '
    '(BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax '
    'representative VAT identifier (BT-63).',
    'Une facture dont une ligne (BG-25) porte la catégorie de TVA « IGIC » (L) '
    '(BT-151) doit contenir le numéro de TVA du vendeur (BT-31), son identifiant '
    'fiscal (BT-32) et/ou le numéro de TVA du représentant fiscal (BT-63).',
)(_ids_on_lines("L", _seller_any))

br_af_03 = rule(
    "BR-AF-03", "fatal", ("BG-20", "BT-31", "BT-32", "BT-63", "BT-95"),
    'An Invoice that contains a Document level allowance (BG-20) where the Document '
    'level allowance VAT category code (BT-95) is "IGIC" shall contain the Seller VAT'
    ' Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the '
    'Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une remise au niveau du document (BG-20) porte la catégorie de '
    'TVA « IGIC » (L) (BT-95) doit contenir le numéro de TVA du vendeur (BT-31), son '
    'identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant fiscal '
    '(BT-63).',
)(_ids_on_allowances("L", _seller_any))

br_af_04 = rule(
    "BR-AF-04", "fatal", ("BG-21", "BT-31", "BT-32", "BT-63", "BT-102"),
    'An Invoice that contains a Document level charge (BG-21) where the Document '
    'level charge VAT category code (BT-102) is "IGIC" shall contain the Seller VAT '
    'Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the '
    'Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une charge au niveau du document (BG-21) porte la catégorie de '
    'TVA « IGIC » (L) (BT-102) doit contenir le numéro de TVA du vendeur (BT-31), son'
    ' identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant fiscal '
    '(BT-63).',
)(_ids_on_charges("L", _seller_any))

br_af_05 = rule(
    "BR-AF-05", "fatal", ("BG-25", "BT-151", "BT-152"),
    'In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is'
    ' "IGIC" the invoiced item VAT rate (BT-152) shall be 0 (zero) or greater than '
    'zero.',
    'Dans une ligne de facture (BG-25) de catégorie de TVA « IGIC » (L), le taux de '
    'TVA (BT-152) doit être 0 (zéro) ou supérieur à zéro.',
)(_line_rate("L", _not_negative))

br_af_06 = rule(
    "BR-AF-06", "fatal", ("BG-20", "BT-95", "BT-96"),
    'In a Document level allowance (BG-20) where the Document level allowance VAT '
    'category code (BT-95) is "IGIC" the Document level allowance VAT rate (BT-96) '
    'shall be 0 (zero) or greater than zero.',
    'Dans une remise au niveau du document (BG-20) de catégorie de TVA « IGIC » (L), '
    'le taux de TVA (BT-96) doit être 0 (zéro) ou supérieur à zéro.',
)(_allowance_rate("L", _not_negative))

br_af_07 = rule(
    "BR-AF-07", "fatal", ("BG-21", "BT-102", "BT-103"),
    'In a Document level charge (BG-21) where the Document level charge VAT category '
    'code (BT-102) is "IGIC" the Document level charge VAT rate (BT-103) shall be 0 '
    '(zero) or greater than zero.',
    'Dans une charge au niveau du document (BG-21) de catégorie de TVA « IGIC » (L), '
    'le taux de TVA (BT-103) doit être 0 (zéro) ou supérieur à zéro.',
)(_charge_rate("L", _not_negative))

br_af_08 = rule(
    "BR-AF-08", "fatal", (
        "BG-23", "BT-92", "BT-95", "BT-96", "BT-99", "BT-102", "BT-103", "BT-116", "BT-118",
        "BT-119", "BT-131", "BT-151", "BT-152"
    ),
    'For each different value of VAT category rate (BT-119) where the VAT category '
    'code (BT-118) is "IGIC", the VAT category taxable amount (BT-116) in a VAT '
    'breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus '
    'the sum of document level charge amounts (BT-99) minus the sum of document level'
    ' allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) '
    'is "IGIC" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate '
    '(BT-119).',
    'Dans une ventilation de TVA (BG-23) de catégorie « IGIC » (L), la base '
    "d'imposition (BT-116) doit être égale à la somme des montants nets des lignes "
    '(BT-131) moins les remises (BT-92) plus les charges (BT-99) de cette catégorie '
    'et dont le taux (BT-152, BT-96, BT-103) est celui de la ventilation (BT-119).',
)(_taxable_per_rate("L")).variant(
    "cii", _cii_taxable_per_rate("L"))

br_af_09 = rule(
    "BR-AF-09", "fatal", ("BG-23", "BT-116", "BT-117", "BT-118", "BT-119"),
    'The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT '
    'category code (BT-118) is "IGIC" shall equal the VAT category taxable amount '
    '(BT-116) multiplied by the VAT category rate (BT-119).',
    'Dans une ventilation de TVA (BG-23) de catégorie « IGIC » (L), le montant de TVA'
    " (BT-117) doit être égal à la base d'imposition (BT-116) multipliée par le taux "
    '(BT-119).',
)(_tax_from_rate("L"))

br_af_10 = rule(
    "BR-AF-10", "fatal", ("BG-23", "BT-118", "BT-120", "BT-121"),
    'A VAT breakdown (BG-23) with VAT Category code (BT-118) "IGIC" shall not have a '
    'VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).',
    'Une ventilation de TVA (BG-23) de catégorie « IGIC » (L) ne doit avoir ni motif '
    "d'exonération (BT-120) ni code de motif d'exonération (BT-121).",
)(_no_exemption("L"))

br_ag_01 = rule(
    "BR-AG-01", "fatal", (
        "BG-20", "BG-21", "BG-23", "BG-25", "BT-95", "BT-102", "BT-118", "BT-151"
    ),
    'An Invoice that contains an Invoice line (BG-25), a Document level allowance '
    '(BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, '
    'BT-95 or BT-102) is "IPSI" shall contain in the VAT breakdown (BG-23) at least '
    'one VAT category code (BT-118) equal with "IPSI".',
    'Une facture dont une ligne (BG-25), une remise (BG-20) ou une charge (BG-21) '
    'porte la catégorie de TVA « IPSI » (M) doit contenir au moins une ventilation de'
    ' TVA (BG-23) de cette catégorie.',
)(_at_least_one("M")).variant(
    "cii", _cii_at_least_one("M"))

br_ag_02 = rule(
    "BR-AG-02", "fatal", ("BG-25", "BT-31", "BT-32", "BT-63", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT '
    'category code (BT-151) is "IPSI" shall contain the Seller VAT Identifier '
    '(BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax '
    'representative VAT identifier (BT-63).',
    'Une facture dont une ligne (BG-25) porte la catégorie de TVA « IPSI » (M) '
    '(BT-151) doit contenir le numéro de TVA du vendeur (BT-31), son identifiant '
    'fiscal (BT-32) et/ou le numéro de TVA du représentant fiscal (BT-63).',
)(_ids_on_lines("M", _seller_any))

br_ag_03 = rule(
    "BR-AG-03", "fatal", ("BG-20", "BT-31", "BT-32", "BT-63", "BT-95"),
    'An Invoice that contains a Document level allowance (BG-20) where the Document '
    'level allowance VAT category code (BT-95) is "IPSI" shall contain the Seller VAT'
    ' Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the '
    'Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une remise au niveau du document (BG-20) porte la catégorie de '
    'TVA « IPSI » (M) (BT-95) doit contenir le numéro de TVA du vendeur (BT-31), son '
    'identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant fiscal '
    '(BT-63).',
)(_ids_on_allowances("M", _seller_any))

br_ag_04 = rule(
    "BR-AG-04", "fatal", ("BG-21", "BT-31", "BT-32", "BT-63", "BT-102"),
    'An Invoice that contains a Document level charge (BG-21) where the Document '
    'level charge VAT category code (BT-102) is "IPSI" shall contain the Seller VAT '
    'Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the '
    'Seller tax representative VAT identifier (BT-63).',
    'Une facture dont une charge au niveau du document (BG-21) porte la catégorie de '
    'TVA « IPSI » (M) (BT-102) doit contenir le numéro de TVA du vendeur (BT-31), son'
    ' identifiant fiscal (BT-32) et/ou le numéro de TVA du représentant fiscal '
    '(BT-63).',
)(_ids_on_charges("M", _seller_any))

br_ag_05 = rule(
    "BR-AG-05", "fatal", ("BG-25", "BT-151", "BT-152"),
    'In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is'
    ' "IPSI" the Invoiced item VAT rate (BT-152) shall be 0 (zero) or greater than '
    'zero.',
    'Dans une ligne de facture (BG-25) de catégorie de TVA « IPSI » (M), le taux de '
    'TVA (BT-152) doit être 0 (zéro) ou supérieur à zéro.',
)(_line_rate("M", _not_negative))

br_ag_06 = rule(
    "BR-AG-06", "fatal", ("BG-20", "BT-95", "BT-96"),
    'In a Document level allowance (BG-20) where the Document level allowance VAT '
    'category code (BT-95) is "IPSI" the Document level allowance VAT rate (BT-96) '
    'shall be 0 (zero) or greater than zero.',
    'Dans une remise au niveau du document (BG-20) de catégorie de TVA « IPSI » (M), '
    'le taux de TVA (BT-96) doit être 0 (zéro) ou supérieur à zéro.',
)(_allowance_rate("M", _not_negative))

br_ag_07 = rule(
    "BR-AG-07", "fatal", ("BG-21", "BT-102", "BT-103"),
    'In a Document level charge (BG-21) where the Document level charge VAT category '
    'code (BT-102) is "IPSI" the Document level charge VAT rate (BT-103) shall be 0 '
    '(zero) or greater than zero.',
    'Dans une charge au niveau du document (BG-21) de catégorie de TVA « IPSI » (M), '
    'le taux de TVA (BT-103) doit être 0 (zéro) ou supérieur à zéro.',
)(_charge_rate("M", _not_negative))

br_ag_08 = rule(
    "BR-AG-08", "fatal", (
        "BG-23", "BT-92", "BT-95", "BT-96", "BT-99", "BT-102", "BT-103", "BT-116", "BT-118",
        "BT-119", "BT-131", "BT-151", "BT-152"
    ),
    'For each different value of VAT category rate (BT-119) where the VAT category '
    'code (BT-118) is "IPSI", the VAT category taxable amount (BT-116) in a VAT '
    'breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus '
    'the sum of document level charge amounts (BT-99) minus the sum of document level'
    ' allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) '
    'is "IPSI" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate '
    '(BT-119).',
    'Dans une ventilation de TVA (BG-23) de catégorie « IPSI » (M), la base '
    "d'imposition (BT-116) doit être égale à la somme des montants nets des lignes "
    '(BT-131) moins les remises (BT-92) plus les charges (BT-99) de cette catégorie '
    'et dont le taux (BT-152, BT-96, BT-103) est celui de la ventilation (BT-119).',
)(_taxable_per_rate("M")).variant(
    "cii", _cii_taxable_per_rate("M"))

br_ag_09 = rule(
    "BR-AG-09", "fatal", ("BG-23", "BT-116", "BT-117", "BT-118", "BT-119"),
    'The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT '
    'category code (BT-118) is "IPSI" shall equal the VAT category taxable amount '
    '(BT-116) multiplied by the VAT category rate (BT-119).',
    'Dans une ventilation de TVA (BG-23) de catégorie « IPSI » (M), le montant de TVA'
    " (BT-117) doit être égal à la base d'imposition (BT-116) multipliée par le taux "
    '(BT-119).',
)(_tax_from_rate("M"))

br_ag_10 = rule(
    "BR-AG-10", "fatal", ("BG-23", "BT-118", "BT-120", "BT-121"),
    'A VAT breakdown (BG-23) with VAT Category code (BT-118) "IPSI" shall not have a '
    'VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).',
    'Une ventilation de TVA (BG-23) de catégorie « IPSI » (M) ne doit avoir ni motif '
    "d'exonération (BT-120) ni code de motif d'exonération (BT-121).",
)(_no_exemption("M"))

br_b_01 = rule(
    "BR-B-01", "fatal", ("BT-95", "BT-102", "BT-151"),
    'An Invoice where the VAT category code (BT-151, BT-95 or BT-102) is “Split '
    'payment” shall be a domestic Italian invoice.',
    'Une facture dont une catégorie de TVA (BT-151, BT-95 ou BT-102) est « paiement '
    'scindé » (B) doit être une facture italienne domestique.',
)(_b_01).variant("cii", _cii_b_01)

br_b_02 = rule(
    "BR-B-02", "fatal", ("BG-20", "BG-21", "BG-25", "BT-95", "BT-102", "BT-118", "BT-151"),
    'An Invoice that contains an Invoice line (BG-25), a Document level allowance '
    '(BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, '
    'BT-95, BT-118 or BT-102) is “Split payment" shall not contain an invoice line '
    '(BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) '
    'where the VAT category code (BT-151, BT-95, BT-118 or BT-102) is “Standard '
    'rated”.',
    'Une facture comportant la catégorie de TVA « paiement scindé » (B) ne doit '
    'contenir aucune ligne, remise, charge ou ventilation de catégorie « taux normal '
    '» (S).',
)(_b_02)

RULES: tuple[Rule, ...] = (
    br_s_01, br_s_02, br_s_03, br_s_04, br_s_05, br_s_06, br_s_07, br_s_08, br_s_09, br_s_10,
    br_z_01, br_z_02, br_z_03, br_z_04, br_z_05, br_z_06, br_z_07, br_z_08, br_z_09, br_z_10,
    br_e_01, br_e_02, br_e_03, br_e_04, br_e_05, br_e_06, br_e_07, br_e_08, br_e_09, br_e_10,
    br_ae_01, br_ae_02, br_ae_03, br_ae_04, br_ae_05, br_ae_06, br_ae_07, br_ae_08, br_ae_09,
    br_ae_10, br_ic_01, br_ic_02, br_ic_03, br_ic_04, br_ic_05, br_ic_06, br_ic_07, br_ic_08,
    br_ic_09, br_ic_10, br_ic_11, br_ic_12, br_g_01, br_g_02, br_g_03, br_g_04, br_g_05, br_g_06,
    br_g_07, br_g_08, br_g_09, br_g_10, br_o_01, br_o_02, br_o_03, br_o_04, br_o_05, br_o_06,
    br_o_07, br_o_08, br_o_09, br_o_10, br_o_11, br_o_12, br_o_13, br_o_14, br_af_01, br_af_02,
    br_af_03, br_af_04, br_af_05, br_af_06, br_af_07, br_af_08, br_af_09, br_af_10, br_ag_01,
    br_ag_02, br_ag_03, br_ag_04, br_ag_05, br_ag_06, br_ag_07, br_ag_08, br_ag_09, br_ag_10,
    br_b_01, br_b_02,
)
"""The 98 rules of the VAT category families, in id order."""
