"""PES Dépense data of a Chorus Pro invoice: what a public entity's mandate reuses from it.

A local public entity receives its Chorus Pro invoices (the PES Pivot flow) and pays each one by a
*mandat* sent to its accountant in a ``PES_DepenseAller`` flow (DGFiP PES V2).  The training
material of Chorus Pro insists that the finance software carry over **the supplier (tiers), the
amounts and the supplier invoice number**: without that number in the mandate, the statuses
Hélios sends back to Chorus Pro find no invoice.  :func:`depense_data` takes a canonical
:class:`~chorus_core.model.Invoice` and gives a :class:`DepenseData` model; :func:`write_piece`
writes it, with the entity's own accounting data (:class:`Mandate`), as a ``Piece`` fragment of
``PES_DepenseAller`` (v5.17 schema: unqualified elements, every value in a ``V`` attribute).

==============================  =====================================  ===================
Invoice (EN 16931)              ``PES_DepenseAller`` (under ``Piece``)  Limit
==============================  =====================================  ===================
Seller identifier BT-29/30/31   ``Tiers/InfoTiers/IdTiers`` +          alphanumeric, ≤ 80
                                ``NatIdTiers`` (01 SIRET, 02 SIREN,
                                05 TVA intra, 06 hors UE, 07 TAHITI,
                                08 RIDET, 09 en cours d'immatriculation)
Seller name BT-27               ``InfoTiers/Nom`` (+ ``ComplNom``)      38 (+ 38)
Payee account BT-84, BT-86      ``Tiers/CpteBancaire/IBAN``, ``BIC``
BT-85 (else BT-27)              ``CpteBancaire/TitCpte``                32
Invoice number BT-1             ``InfoLignePce/Facture``                20, mandatory here
Total without VAT BT-109        ``InfoLignePce/MtHT``                   ≥ 0, cents
VAT total BT-110 (Σ BT-117)     ``InfoLignePce/MtTVA``                  ≥ 0, cents
Contract reference BT-12        ``LiensIdent/IdMarche``                 30 (pivot: 50)
(payment-delay clock)           ``BlocPiece/DGP``
==============================  =====================================  ===================

Nothing is truncated.  :func:`depense_data` reports, as findings ``CHORUS-DEPENSE-0xx``, every
difference between the invoice and the model (an amount rounded to the cent, a name split over
``Nom`` and ``ComplNom``, an identifier or a bank account left out); a value that cannot be
written at all (an invoice number over 20 characters, a marché number over 30, a negative amount,
another currency than the euro; in a model set by hand, an identifier without its nature or a
malformed account) is an error finding, and :func:`write_piece` refuses such a model with
:class:`~chorus_core.errors.PesWriteError` until the caller fixes the value.  The
mapping is inferred from the element names and the XSD documentation: no public implementation
is known.

More information:

* ``../shared/research/pes-pivot.md`` §7, ``../shared/research/pes-v2-asap.md`` §7
* DGFiP PES V2 schemas v5.17: ``NS_Depense/r0/Class_MandatAller.xsd``,
  ``Class_LigneMandatAller.xsd``, ``Class_TiersDepense.xsd``

>>> from chorus_core.examples import sample_invoice
>>> data = depense_data(sample_invoice())
>>> (data.invoice_number, data.amount_without_vat, data.vat_amount, data.contract_reference)
('FA-2026-0042', Decimal('1023.70'), Decimal('195.34'), 'MARCHE-2025-017')
>>> data.supplier.identifier, data.supplier.identifier_nature.name
('73282932000074', 'SIRET')
>>> long = depense_data(sample_invoice().model_copy(update={"invoice_number": "F" * 21}))
>>> [f.code for f in long.findings]
['CHORUS-DEPENSE-002']
>>> write_piece(long, Mandate(number=812, account="60632"))
Traceback (most recent call last):
...
chorus_core.errors.PesWriteError: the mandate cannot carry these values (CHORUS-DEPENSE-002)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

from lxml import etree
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..directory import IdentifierType, supplier_identifier_type
from ..errors import Finding, FindingRule, PesWriteError, Policy, Severity
from ..model import Amount, Invoice, Percentage
from ..model.routing import routing_of
from ..workflow import STATE_DELAY_DAYS, PaymentDelay

__all__ = [
    "DEFAULT_LEGAL_NATURE",
    "DEFAULT_SUPPLIER_CATEGORY",
    "RULES",
    "DepenseData",
    "DepenseRule",
    "Dgp",
    "InterestRateCode",
    "Mandate",
    "SupplierIdNature",
    "Tiers",
    "check",
    "depense_data",
    "split_name",
    "write_piece",
]

LAYER: Final = "pes_depense"

INVOICE_NUMBER_MAX: Final = 20
"""``InfoLignePce/Facture`` is a ``Base_Texte20``."""
CONTRACT_MAX: Final = 30
"""``LiensIdent/IdMarche`` is a ``Base_Texte30`` (the pivot's ``NumeroMarche`` allows 50)."""
NAME_MAX: Final = 38
"""``InfoTiers/Nom`` and ``ComplNom`` are ``Base_Texte38``."""
HOLDER_MAX: Final = 32
"""``CpteBancaire/TitCpte`` is a ``Base_Texte32``."""
AMOUNT_INTEGER_DIGITS: Final = 12
"""``Base_Montant_Light``: 14 digits, 2 of them decimals."""

DEFAULT_SUPPLIER_CATEGORY: Final = "60"
"""``CatTiers`` 60: personnes morales de droit privé autres qu'organismes sociaux."""
DEFAULT_LEGAL_NATURE: Final = "03"
"""``NatJur`` 03: société."""


# ---------------------------------------------------------------- findings


DepenseRule = FindingRule
"""One PES Dépense finding (a :class:`~chorus_core.errors.FindingRule`)."""


_E, _W = Severity.ERROR, Severity.WARNING
_N = Policy.NONE

_RULES = (
    DepenseRule("CHORUS-DEPENSE-001", _E, ("BT-1",), _N,
                "Numéro de facture fournisseur absent : il doit figurer dans le mandat "
                "(InfoLignePce/Facture) pour le retour des statuts vers Chorus Pro",
                "Supplier invoice number missing: the mandate must carry it "
                "(InfoLignePce/Facture) for statuses to reach Chorus Pro"),
    DepenseRule("CHORUS-DEPENSE-002", _E, ("BT-1",), _N,
                "Numéro de facture {value!r} de {length} caractères : InfoLignePce/Facture en "
                "admet 20",
                "Invoice number {value!r} has {length} characters: InfoLignePce/Facture holds "
                "20"),
    DepenseRule("CHORUS-DEPENSE-003", _E, ("BT-1",), _N,
                "Numéro de facture {value!r} refusé par le PES (vide, zéros seuls, « nc », "
                "« . » ou saut de ligne)",
                "Invoice number {value!r} is refused by PES (blank, zeros only, 'nc', '.' or a "
                "line break)"),
    DepenseRule("CHORUS-DEPENSE-004", _E, ("BT-12",), _N,
                "Numéro de marché {value!r} de {length} caractères : LiensIdent/IdMarche en "
                "admet 30 (le pivot 50)",
                "Contract reference {value!r} has {length} characters: LiensIdent/IdMarche holds "
                "30 (the pivot 50)"),
    DepenseRule("CHORUS-DEPENSE-005", _E, ("BT-12",), _N,
                "Numéro de marché {value!r} refusé par le PES (vide, zéros seuls, « nc », "
                "« . » ou saut de ligne)",
                "Contract reference {value!r} is refused by PES (blank, zeros only, 'nc', '.' "
                "or a line break)"),
    DepenseRule("CHORUS-DEPENSE-006", _W, ("BT-27",), _N,
                "Raison sociale de plus de 38 caractères répartie entre Nom {name!r} et "
                "ComplNom {complement!r}",
                "Seller name over 38 characters split between Nom {name!r} and ComplNom "
                "{complement!r}"),
    DepenseRule("CHORUS-DEPENSE-007", _E, ("BT-27",), _N,
                "Raison sociale du fournisseur absente ou refusée par le PES : {value!r}",
                "Seller name missing or refused by PES: {value!r}"),
    DepenseRule("CHORUS-DEPENSE-008", _E, ("BT-27",), _N,
                "Raison sociale {value!r} trop longue pour Nom et ComplNom (38 + 38 caractères)",
                "Seller name {value!r} too long for Nom and ComplNom (38 + 38 characters)"),
    DepenseRule("CHORUS-DEPENSE-009", _W, ("BT-29", "BT-30", "BT-31"), _N,
                "Identifiant du fournisseur {value!r} non repris dans IdTiers : {reason}",
                "Supplier identifier {value!r} not carried into IdTiers: {reason}"),
    DepenseRule("CHORUS-DEPENSE-010", _E, ("BT-109",), _N,
                "Montant hors taxes absent : MtHT est obligatoire",
                "Total without VAT missing: MtHT is mandatory"),
    DepenseRule("CHORUS-DEPENSE-011", _W, ("BT-109", "BT-110"), _N,
                "Montant {value} arrondi au centime : {rounded}",
                "Amount {value} rounded to the cent: {rounded}"),
    DepenseRule("CHORUS-DEPENSE-012", _E, ("BT-109", "BT-110"), _N,
                "Montant négatif {value} : un mandat porte des montants positifs (un avoir "
                "s'impute par annulation-réduction)",
                "Negative amount {value}: a mandate carries positive amounts (a credit note is "
                "a reduction)"),
    DepenseRule("CHORUS-DEPENSE-013", _E, ("BT-109", "BT-110"), _N,
                "Montant {value} trop grand pour le PES (12 chiffres avant la virgule)",
                "Amount {value} too large for PES (12 digits before the decimal point)"),
    DepenseRule("CHORUS-DEPENSE-014", _W, ("BT-3",), _N,
                "Avoir (type {value}) : à émettre en annulation-réduction (TypBord 02, TypPce "
                "02, NatPce 06), pas en mandat ordinaire",
                "Credit note (type {value}): to be issued as a reduction (TypBord 02, TypPce "
                "02, NatPce 06), not as an ordinary mandate"),
    DepenseRule("CHORUS-DEPENSE-015", _W, ("BT-84", "BT-85", "BT-86"), _N,
                "Compte bancaire du fournisseur non repris dans CpteBancaire : {reason}",
                "Supplier bank account not carried into CpteBancaire: {reason}"),
    DepenseRule("CHORUS-DEPENSE-016", _E, ("BT-5",), _N,
                "Devise {value} : les montants d'un mandat sont en euros",
                "Currency {value}: the amounts of a mandate are in euros"),
    DepenseRule("CHORUS-DEPENSE-017", _E, ("BT-109", "BT-110"), _N,
                "Montant {value} à plus de deux décimales : le PES compte en centimes",
                "Amount {value} has more than two decimals: PES counts in cents"),
    DepenseRule("CHORUS-DEPENSE-018", _E, ("BT-29", "BT-30", "BT-31"), _N,
                "Identifiant du fournisseur {value!r} non inscriptible tel quel : {reason}",
                "Supplier identifier {value!r} cannot be written as it is: {reason}"),
    DepenseRule("CHORUS-DEPENSE-019", _E, ("BT-84", "BT-85", "BT-86"), _N,
                "Compte bancaire du fournisseur non inscriptible tel quel : {reason}",
                "Supplier bank account cannot be written as it is: {reason}"),
)

RULES: Final[dict[str, DepenseRule]] = {r.code: r for r in _RULES}
"""Every PES Dépense finding, by code (an amount finding names the one term concerned)."""


def _finding(code: str, path: str, /, bt: str | None = None, **context: object) -> Finding:
    return RULES[code].finding(layer=LAYER, path=path, bt=None if bt is None else (bt,),
                               **context)


# ---------------------------------------------------------------- model


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class SupplierIdNature(StrEnum):
    """``NatIdTiers``: the kind of the supplier identifier in ``IdTiers`` (CommunPES.xsd)."""

    SIRET = "01"
    SIREN = "02"
    VAT_INTRA_EU = "05"
    OUTSIDE_EU = "06"
    TAHITI = "07"
    RIDET = "08"
    PENDING_REGISTRATION = "09"


class InterestRateCode(StrEnum):
    """``CodIntMor``: what the moratorium interest rate is based on."""

    LEGAL = "01"
    ECB = "02"
    OTHER = "03"


class Tiers(_Frozen):
    """The supplier as a PES ``Tiers``: identifier and its nature, name, bank account."""

    identifier: str | None = None
    identifier_nature: SupplierIdNature | None = None
    name: str | None = None
    name_complement: str | None = None
    iban: str | None = None
    bic: str | None = None
    account_holder: str | None = None


class Dgp(_Frozen):
    """The ``DGP`` block: délai global de paiement followed for the mandate.

    ``eligible`` true is written ``Dgp V="0"`` (the PES value 0 means *eligible*).  ``end`` is the
    end of the delay including any suspension; ``duration_days`` the legal or agreed delay.

    >>> Dgp.starting(date(2026, 11, 2), suspended_days=5).end
    datetime.date(2026, 12, 7)
    """

    start: date
    end: date
    duration_days: int = Field(ge=1, le=99)
    eligible: bool = True
    interest_rate_code: InterestRateCode | None = None
    interest_rate: Percentage | None = Field(default=None, gt=0, lt=100, decimal_places=2)

    @model_validator(mode="after")
    def _ordered(self) -> Dgp:
        if self.end < self.start:
            raise ValueError(f"DGP end {self.end} is before its start {self.start}")
        return self

    @classmethod
    def starting(
        cls, start: date, *, duration_days: int = STATE_DELAY_DAYS, suspended_days: int = 0
    ) -> Dgp:
        """The block of a delay starting on ``start``: the end adds the suspended days."""
        return cls(start=start, end=start + timedelta(days=duration_days + suspended_days),
                   duration_days=duration_days)

    @classmethod
    def from_delay(cls, delay: PaymentDelay) -> Dgp:
        """The block of the workflow's payment-delay clock (``workflow.payment_delay``).

        Raises :class:`~chorus_core.errors.PesWriteError` while the clock has no due date (not
        started, or paused in a suspension).
        """
        if delay.started_on is None or delay.due_date is None:
            raise PesWriteError(f"the payment delay has no due date yet ({delay.state.value})")
        return cls(start=delay.started_on, end=delay.due_date, duration_days=delay.delay_days)


class DepenseData(_Frozen):
    """What a mandate reuses from an invoice, and the findings of building it.

    Amounts are in the model's currency (``currency_code``, BT-5); PES wants euros.
    """

    supplier: Tiers
    invoice_number: str | None = None
    amount_without_vat: Amount | None = None
    vat_amount: Amount | None = None
    currency_code: str | None = None
    contract_reference: str | None = None
    dgp: Dgp | None = None
    findings: tuple[Finding, ...] = ()


class Mandate(_Frozen):
    """The entity's own data of the mandate, which no invoice holds.

    ``number`` is ``IdPce`` (the mandate number), ``account`` the ``Nature`` (compte par nature,
    e.g. ``60632``); ``piece_type``/``piece_nature`` are ``TypPce``/``NatPce`` (01/01: mandat
    ordinaire, fonctionnement; 09 for a mandate on a marché); ``supplier_category`` and
    ``supplier_legal_nature`` are ``CatTiers`` and ``NatJur`` of the supplier.
    """

    number: int = Field(ge=1, le=99_999_999)
    account: str = Field(pattern=r"^0*[1-9][0-9]*$", max_length=12)
    piece_type: str = Field(default="01", pattern=r"^\d{2}$")
    piece_nature: str = Field(default="01", pattern=r"^\d{2}$")
    line_number: int = Field(default=1, ge=1, le=999_999)
    function: str | None = Field(default=None, pattern=r"^\d{1,10}$")
    object: str | None = Field(default=None, min_length=1, max_length=100)
    payment_mode: str | None = Field(default=None, pattern=r"^(0[1-9]|1[01])$")
    intra_eu_vat: bool = False
    supplier_category: str = Field(default=DEFAULT_SUPPLIER_CATEGORY, pattern=r"^\d{2}$")
    supplier_legal_nature: str = Field(default=DEFAULT_LEGAL_NATURE, pattern=r"^\d{2}$")

    @model_validator(mode="after")
    def _object_is_pes_text(self) -> Mandate:
        if self.object is not None and not _pes_text(self.object):
            raise ValueError(f"Obj {self.object!r} is refused by PES (blank, zeros, 'nc', EOL)")
        return self


# ---------------------------------------------------------------- PES value checks

_ALNUM = re.compile(r"[0-9A-Za-z]{1,80}")
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}")
_BIC = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?")
_CENT = Decimal("0.01")


def _pes_text(value: str) -> bool:
    """True when ``value`` passes ``V_BaseAlphanum``: not blank, '.', 'nc', zeros only, no EOL."""
    return (
        value not in ("", " ", ".", "nc")
        and "\n" not in value and "\r" not in value
        and value.strip("0") != ""
    )


def _identifier_problem(value: str | None, nature: SupplierIdNature | None) -> str | None:
    if value is None and nature is None:
        return None
    if value is None or nature is None:
        return "IdTiers and NatIdTiers go together"
    if not (_ALNUM.fullmatch(value) and value.strip("0")):
        return "IdTiers holds 1 to 80 letters and digits"
    return None


def _bank_problem(iban: str | None, bic: str | None, holder: str | None) -> str | None:
    if iban is None:
        return None if bic is None and holder is None else "a BIC or a holder without an IBAN"
    if not _IBAN.fullmatch(iban) or len(iban) > 34:
        return f"IBAN {iban!r} is not an IBAN as PES writes it"
    if bic is not None and not _BIC.fullmatch(bic):
        return f"BIC {bic!r} is not a BIC as PES writes it"
    if holder is None or len(holder) > HOLDER_MAX or not _pes_text(holder):
        return f"account holder {holder!r} does not fit TitCpte (32 characters)"
    return None


def split_name(name: str) -> tuple[str, str | None]:
    """Split a name over ``Nom`` and ``ComplNom`` (38 characters each), at a space if one fits.

    A name of 38 characters or less stays whole; a longer one is cut at the last space that
    leaves both parts within 38, else at 38.  Nothing is dropped but that one space.

    >>> split_name("ETABLISSEMENTS DUPONT ET FILS REUNIS DE LA VALLEE")
    ('ETABLISSEMENTS DUPONT ET FILS REUNIS', 'DE LA VALLEE')
    >>> split_name("Atelier Dupont SARL")
    ('Atelier Dupont SARL', None)
    """
    if len(name) <= NAME_MAX:
        return name, None
    # the last space within 38 characters; an earlier one would leave more for ComplNom
    cut = name.rfind(" ", 0, NAME_MAX + 1)
    if cut > 0 and 0 < len(name) - cut - 1 <= NAME_MAX:
        return name[:cut], name[cut + 1:]
    return name[:NAME_MAX], name[NAME_MAX:]


def _amount_problems(value: Decimal, bt: str, path: str) -> Iterator[Finding]:
    if value < 0:
        yield _finding("CHORUS-DEPENSE-012", path, bt=bt, value=value)
    if value.quantize(_CENT, rounding=ROUND_HALF_UP) != value:
        yield _finding("CHORUS-DEPENSE-011", path, bt=bt, value=value,
                       rounded=value.quantize(_CENT, rounding=ROUND_HALF_UP))
    if abs(value).adjusted() >= AMOUNT_INTEGER_DIGITS:
        yield _finding("CHORUS-DEPENSE-013", path, bt=bt, value=value)


def check(data: DepenseData) -> tuple[Finding, ...]:
    """The findings about values of ``data`` that a ``PES_DepenseAller`` piece cannot carry.

    What :func:`write_piece` checks before writing; run it again after fixing a value.

    >>> from chorus_core.examples import sample_invoice
    >>> data = depense_data(sample_invoice())
    >>> check(data)
    ()
    >>> [f.code for f in check(data.model_copy(update={"contract_reference": "M" * 31}))]
    ['CHORUS-DEPENSE-004']
    """
    found: list[Finding] = []
    number = data.invoice_number
    if number is None:
        found.append(_finding("CHORUS-DEPENSE-001", "invoice_number"))
    elif len(number) > INVOICE_NUMBER_MAX:
        found.append(_finding("CHORUS-DEPENSE-002", "invoice_number", value=number,
                              length=len(number)))
    elif not _pes_text(number):
        found.append(_finding("CHORUS-DEPENSE-003", "invoice_number", value=number))
    marche = data.contract_reference
    if marche is not None:
        if len(marche) > CONTRACT_MAX:
            found.append(_finding("CHORUS-DEPENSE-004", "contract_reference", value=marche,
                                  length=len(marche)))
        elif not _pes_text(marche):
            found.append(_finding("CHORUS-DEPENSE-005", "contract_reference", value=marche))
    supplier = data.supplier
    if supplier.name is None or not _pes_text(supplier.name) or (
        supplier.name_complement is not None and not _pes_text(supplier.name_complement)
    ):
        found.append(_finding("CHORUS-DEPENSE-007", "supplier.name", value=supplier.name))
    elif len(supplier.name) > NAME_MAX or len(supplier.name_complement or "") > NAME_MAX:
        found.append(_finding("CHORUS-DEPENSE-008", "supplier.name", value=supplier.name))
    problem = _identifier_problem(supplier.identifier, supplier.identifier_nature)
    if problem is not None:
        found.append(_finding("CHORUS-DEPENSE-018", "supplier.identifier",
                              value=supplier.identifier, reason=problem))
    problem = _bank_problem(supplier.iban, supplier.bic, supplier.account_holder)
    if problem is not None:
        found.append(_finding("CHORUS-DEPENSE-019", "supplier.iban", reason=problem))
    if data.currency_code is not None and data.currency_code != "EUR":
        found.append(_finding("CHORUS-DEPENSE-016", "currency_code", value=data.currency_code))
    if data.amount_without_vat is None:
        found.append(_finding("CHORUS-DEPENSE-010", "amount_without_vat"))
    for value, bt, path in ((data.amount_without_vat, "BT-109", "amount_without_vat"),
                            (data.vat_amount, "BT-110", "vat_amount")):
        if value is None:
            continue
        found.extend(f for f in _amount_problems(value, bt, path) if f.is_blocking)
        if value.quantize(_CENT, rounding=ROUND_HALF_UP) != value:
            found.append(_finding("CHORUS-DEPENSE-017", path, bt=bt, value=value))
    return tuple(found)


# ---------------------------------------------------------------- from the invoice


def _rounded(value: Decimal | None, bt: str, path: str,
             found: list[Finding]) -> Decimal | None:
    if value is None:
        return None
    problems = list(_amount_problems(value, bt, path))
    found.extend(f for f in problems if not f.is_blocking)
    if any(f.is_blocking for f in problems):
        return value  # kept as is: check() reports it and write_piece refuses it
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


_NATURE: Final[dict[IdentifierType, SupplierIdNature]] = {
    IdentifierType.UE_HORS_FRANCE: SupplierIdNature.VAT_INTRA_EU,
    IdentifierType.HORS_UE: SupplierIdNature.OUTSIDE_EU,
    IdentifierType.TAHITI: SupplierIdNature.TAHITI,
    IdentifierType.RIDET: SupplierIdNature.RIDET,
    IdentifierType.AUTRE: SupplierIdNature.PENDING_REGISTRATION,
}


def _identifier(invoice: Invoice, found: list[Finding]) -> tuple[str | None,
                                                                  SupplierIdNature | None]:
    routing = routing_of(invoice)
    ident = (routing.supplier_identifier or "").strip() or None
    vat = (routing.supplier_vat_identifier or "").strip() or None
    kind = supplier_identifier_type(routing)
    value: str | None
    nature: SupplierIdNature | None = None
    reason = ""
    if kind is IdentifierType.SIRET and ident is not None:
        value = ident
        if ident.isdigit() and len(ident) == 14:
            nature = SupplierIdNature.SIRET
        elif ident.isdigit() and len(ident) == 9:
            nature = SupplierIdNature.SIREN
        else:
            reason = "neither a SIRET (14 digits) nor a SIREN (9 digits)"
    elif kind is IdentifierType.SIRET or kind is IdentifierType.UE_HORS_FRANCE:
        value = vat or ident  # BT-31 is the intra-EU VAT number
        nature = SupplierIdNature.VAT_INTRA_EU if value else None
    elif kind is IdentifierType.PARTICULIER:
        value, reason = ident, "a private person has no IdTiers of this kind"
    elif kind is not None:
        value = ident or vat
        nature = _NATURE[kind] if value else None
    else:
        value, reason = ident or vat, "the identifier type is unknown"
    if nature is not None and (problem := _identifier_problem(value, nature)) is not None:
        reason, nature = problem, None
    if nature is None:
        if value is not None:
            found.append(_finding("CHORUS-DEPENSE-009", "supplier.identifier", value=value,
                                  reason=reason))
        return None, None
    return value, nature


def _bank(invoice: Invoice, name: str | None,
          found: list[Finding]) -> tuple[str | None, str | None, str | None]:
    payment = invoice.payment_instructions
    transfers = payment.credit_transfers if payment else ()
    if not transfers or not transfers[0].account_identifier:
        return None, None, None
    first = transfers[0]
    iban = "".join((first.account_identifier or "").split())  # IBANs are often printed spaced
    bic = "".join((first.service_provider_identifier or "").split()) or None
    holder = first.account_name or name  # BT-85, else the seller: the usual account holder
    reason = _bank_problem(iban, bic, holder)
    if reason is not None:
        found.append(_finding("CHORUS-DEPENSE-015", "supplier.iban", reason=reason))
        return None, None, None
    if len(transfers) > 1:
        found.append(_finding("CHORUS-DEPENSE-015", "supplier.iban",
                              reason=f"only the first of {len(transfers)} accounts is kept"))
    return iban, bic, holder


def depense_data(invoice: Invoice, *, dgp: Dgp | None = None) -> DepenseData:
    """The PES Dépense data of ``invoice``, with findings for all it does not carry as is.

    ``dgp`` is the payment-delay block, which the invoice does not hold (see
    :meth:`Dgp.from_delay`).  The findings are those of building (rounding, split name, left-out
    identifier or account, a credit note) followed by those of :func:`check`.
    """
    found: list[Finding] = []
    seller = invoice.seller
    raw_name = seller.name if seller else None
    name, complement = raw_name, None
    if raw_name is not None and len(raw_name) <= 2 * NAME_MAX + 1:
        name, complement = split_name(raw_name)
        if complement is not None:
            found.append(_finding("CHORUS-DEPENSE-006", "supplier.name", name=name,
                                  complement=complement))
    identifier, nature = _identifier(invoice, found)
    iban, bic, holder = _bank(invoice, raw_name, found)
    totals = invoice.totals
    vat = totals.total_vat_amount if totals else None
    if vat is None:
        amounts = [b.tax_amount for b in invoice.vat_breakdown if b.tax_amount is not None]
        vat = sum(amounts, Decimal(0)) if amounts else None
    if invoice.is_credit_note:
        found.append(_finding("CHORUS-DEPENSE-014", "invoice_type_code",
                              value=invoice.invoice_type_code))
    data = DepenseData(
        supplier=Tiers(identifier=identifier, identifier_nature=nature, name=name,
                       name_complement=complement, iban=iban, bic=bic, account_holder=holder),
        invoice_number=invoice.invoice_number,
        amount_without_vat=_rounded(totals.total_without_vat if totals else None, "BT-109",
                                    "amount_without_vat", found),
        vat_amount=_rounded(vat, "BT-110", "vat_amount", found),
        currency_code=invoice.invoice_currency_code,
        contract_reference=invoice.contract_reference,
        dgp=dgp,
    )
    return data.model_copy(update={"findings": (*found, *check(data))})


# ---------------------------------------------------------------- writing


def _leaf(parent: etree._Element, name: str, value: str | None) -> None:
    if value is not None:
        etree.SubElement(parent, name).set("V", value)


def _money(value: Decimal) -> str:
    return format(value.quantize(_CENT), "f")  # exact: check() refused more decimals


def write_piece(data: DepenseData, mandate: Mandate) -> bytes:
    """Write ``data`` and ``mandate`` as one ``Piece`` of ``PES_DepenseAller`` (one line).

    The fragment goes inside a ``Bordereau`` of the entity's flow; it is ASCII with character
    references, so it fits an ISO-8859-1 or a UTF-8 file alike.  Raises
    :class:`~chorus_core.errors.PesWriteError` with the findings of :func:`check` when a value
    does not fit: nothing is truncated.

    >>> from chorus_core.examples import sample_invoice
    >>> data = depense_data(sample_invoice(), dgp=Dgp.starting(date(2026, 11, 2)))
    >>> xml = write_piece(data, Mandate(number=812, account="60632", piece_type="09"))
    >>> print(xml.decode()[:78])
    <Piece><BlocPiece><InfoPce><IdPce V="812"/><TypPce V="09"/><NatPce V="01"/></I
    >>> b'<Facture V="FA-2026-0042"/>' in xml, b'<IdMarche V="MARCHE-2025-017"/>' in xml
    (True, True)
    """
    problems = check(data)
    if problems:
        raise PesWriteError("the mandate cannot carry these values", problems)
    try:
        piece = _piece(data, mandate)
    except ValueError as exc:  # lxml refuses characters XML cannot carry
        raise PesWriteError(f"a value cannot be written in XML: {exc}") from None
    return etree.tostring(piece, encoding="us-ascii", xml_declaration=False)


def _piece(data: DepenseData, mandate: Mandate) -> etree._Element:
    assert data.amount_without_vat is not None and data.invoice_number is not None
    piece = etree.Element("Piece")
    bloc = etree.SubElement(piece, "BlocPiece")
    info = etree.SubElement(bloc, "InfoPce")
    _leaf(info, "IdPce", str(mandate.number))
    _leaf(info, "TypPce", mandate.piece_type)
    _leaf(info, "NatPce", mandate.piece_nature)
    _leaf(info, "Obj", mandate.object)
    if data.dgp is not None:
        dgp = etree.SubElement(bloc, "DGP")
        _leaf(dgp, "Dgp", "0" if data.dgp.eligible else "1")
        _leaf(dgp, "DteDebDgp", data.dgp.start.isoformat())
        _leaf(dgp, "DteFinDgp", data.dgp.end.isoformat())
        _leaf(dgp, "DureeDgp", str(data.dgp.duration_days))
        _leaf(dgp, "CodIntMor", data.dgp.interest_rate_code)
        if data.dgp.interest_rate is not None:
            _leaf(dgp, "TxIntMor", _money(data.dgp.interest_rate))
    line = etree.SubElement(piece, "LigneDePiece")
    bloc_line = etree.SubElement(line, "BlocLignePiece")
    info_line = etree.SubElement(bloc_line, "InfoLignePce")
    _leaf(info_line, "IdLigne", str(mandate.line_number))
    _leaf(info_line, "Nature", mandate.account)
    _leaf(info_line, "Fonction", mandate.function)
    _leaf(info_line, "Facture", data.invoice_number)
    _leaf(info_line, "ModRegl", mandate.payment_mode)
    _leaf(info_line, "TVAIntraCom", "1" if mandate.intra_eu_vat else "0")
    _leaf(info_line, "MtHT", _money(data.amount_without_vat))
    if data.vat_amount is not None:
        _leaf(info_line, "MtTVA", _money(data.vat_amount))
    if data.contract_reference is not None:
        links = etree.SubElement(bloc_line, "LiensIdent")
        _leaf(links, "IdMarche", data.contract_reference)
    tiers = etree.SubElement(line, "Tiers")
    info_tiers = etree.SubElement(tiers, "InfoTiers")
    supplier = data.supplier
    _leaf(info_tiers, "IdTiers", supplier.identifier)  # check(): both or neither
    if supplier.identifier_nature is not None:
        _leaf(info_tiers, "NatIdTiers", supplier.identifier_nature.value)
    _leaf(info_tiers, "CatTiers", mandate.supplier_category)
    _leaf(info_tiers, "NatJur", mandate.supplier_legal_nature)
    _leaf(info_tiers, "Nom", supplier.name)
    _leaf(info_tiers, "ComplNom", supplier.name_complement)
    if supplier.iban is not None:  # check(): with a holder that fits
        bank = etree.SubElement(tiers, "CpteBancaire")
        _leaf(bank, "BIC", supplier.bic)
        _leaf(bank, "IBAN", supplier.iban)
        _leaf(bank, "TitCpte", supplier.account_holder)
    return piece
