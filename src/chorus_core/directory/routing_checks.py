"""Routing checks: does an invoice's Chorus Pro routing match the directory?

:func:`check_routing` takes an :class:`~chorus_core.model.Invoice` or a
:class:`~chorus_core.model.routing.Routing` and a :class:`~.models.Directory` and returns a
:class:`~chorus_core.errors.Report` of findings in the layer ``routing``.  Every code is listed
in :data:`ROUTING_RULES` with its severity, business terms, disposition and FR/EN messages.

Dispositions:

* ``Policy.REFUSED_AT_DEPOSIT``: Chorus Pro itself refuses the deposit (unknown or inactive
  recipient, mandatory code service or engagement missing, unknown or inactive service,
  reserved service used by a private supplier, length limits, supplier identifier malformed).
* ``Policy.RECYCLE``: valid in form but probably pointing to the wrong place; the recipient may
  send it back *à recycler* (e.g. the buyer name does not match the structure's raison sociale).

Findings are reported once per root cause: a SIRET that fails its check digits is not also
reported as unknown; an unknown or inactive structure stops the checks that depend on it; for
the State (SIRET 11000201100044) the State codes replace the generic "mandatory" codes.

More information:

* ``research/chorus-rules.md`` §4 (deposit checks vs. recycling), §3.3 (identifier types)
* https://collectivites-locales.gouv.fr/commande-publique/les-parametrages-possibles-dans-chorus-pro

>>> from chorus_core.directory import Directory, Service, Structure
>>> from chorus_core.model.routing import Routing
>>> d = Directory.of([Structure("21310555400017", "MAIRIE", service_required=True)],
...                  [Service("21310555400017", "COMPTA")])
>>> ok = Routing(buyer_siret="21310555400017", code_service="COMPTA",
...              supplier_identifier="35600000000048", supplier_identifier_scheme="0009")
>>> check_routing(ok, d).ok
True
>>> check_routing(ok.model_copy(update={"code_service": None}), d).codes
('CHORUS-ROUTING-020',)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from datetime import date
from functools import lru_cache
from typing import Any, Final

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siret as fr_siret

from chorus_core.errors import Finding, FindingRule, Policy, Report, Severity, UsageError
from chorus_core.model import Invoice
from chorus_core.model.routing import CADRES, STATE_SIRET, Routing, routing_of

from .models import Directory, IdentifierType, Structure

__all__ = [
    "ATTACHMENTS_MAX_BYTES",
    "ATTACHMENT_EXTENSIONS",
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_NAME_MAX_LENGTH",
    "CODE_SERVICE_MAX_LENGTH",
    "ENGAGEMENT_MAX_LENGTH",
    "INVOICE_NUMBER_MAX_LENGTH",
    "PUBLIC_INVOICES_SERVICE",
    "ROUTING_RULES",
    "RoutingRule",
    "check_deposit",
    "check_routing",
    "supplier_identifier_type",
]

CODE_SERVICE_MAX_LENGTH: Final = 100
"""Longest code service Chorus Pro accepts (BT-10)."""
ENGAGEMENT_MAX_LENGTH: Final = 50
"""Longest engagement number Chorus Pro accepts (BT-13)."""
PUBLIC_INVOICES_SERVICE: Final = "FACTURES_PUBLIQUES"
"""Reserved code service for invoices between public entities only."""

LAYER: Final = "routing"

_R = Policy.REFUSED_AT_DEPOSIT
_E, _W = Severity.ERROR, Severity.WARNING


RoutingRule = FindingRule
"""One routing or deposit check (a :class:`~chorus_core.errors.FindingRule`); ``source`` says
where the rule comes from, or that it is the library's choice (default: :data:`_SOURCE`)."""

_SOURCE = "research/chorus-rules.md §4"


_SEED_STATE = "seed: the single State SIRET « pour les factures hors marchés de travaux »"
_BUYER = ("BT-46",)
_CS = ("BT-10",)
_EJ = ("BT-13",)
_SUP = ("BT-29", "BT-30", "BT-31")

# code | severity | terms | policy | French | English.  Sources: research/chorus-rules.md §4.
_RULES: tuple[RoutingRule, ...] = (
    RoutingRule("CHORUS-ROUTING-001", _E, _BUYER, _R,
                "SIRET du destinataire absent",
                "Buyer SIRET missing"),
    RoutingRule("CHORUS-ROUTING-002", _E, _BUYER, _R,
                "SIRET du destinataire {siret!r} mal formé (14 chiffres attendus)",
                "Buyer SIRET {siret!r} is malformed (14 digits expected)"),
    RoutingRule("CHORUS-ROUTING-003", _E, _BUYER, _R,
                "SIRET du destinataire {siret!r} : clé de contrôle invalide",
                "Buyer SIRET {siret!r} fails its check digits"),
    RoutingRule("CHORUS-ROUTING-010", _E, _BUYER, _R,
                "Structure {siret} inconnue de l'annuaire Chorus Pro",
                "Structure {siret} is not in the Chorus Pro directory"),
    RoutingRule("CHORUS-ROUTING-011", _E, _BUYER, _R,
                "Structure {siret} inactive dans l'annuaire",
                "Structure {siret} is inactive in the directory"),
    RoutingRule("CHORUS-ROUTING-012", _E, _BUYER, _R,
                "Structure {siret} identifiée par un {kind} : elle ne reçoit pas de factures",
                "Structure {siret} is identified by a {kind}: it does not receive invoices"),
    RoutingRule("CHORUS-ROUTING-020", _E, _CS, _R,
                "Code service obligatoire pour la structure {siret}",
                "Code service is mandatory for structure {siret}"),
    RoutingRule("CHORUS-ROUTING-021", _E, _CS, _R,
                "Code service {code!r} inconnu pour la structure {siret}",
                "Code service {code!r} is unknown for structure {siret}"),
    RoutingRule("CHORUS-ROUTING-022", _E, _CS, _R,
                "Code service {code!r} inactif pour la structure {siret}",
                "Code service {code!r} is inactive for structure {siret}"),
    RoutingRule("CHORUS-ROUTING-023", _E, _CS, _R,
                "Code service {code!r} non valide au {on}",
                "Code service {code!r} is not valid on {on}"),
    RoutingRule("CHORUS-ROUTING-024", _E, _CS, _R,
                "Code service trop long ({length} caractères, 100 au plus)",
                "Code service too long ({length} characters, at most 100)"),
    RoutingRule("CHORUS-ROUTING-030", _E, _EJ, _R,
                "Numéro d'engagement obligatoire pour la structure {siret}",
                "Engagement number is mandatory for structure {siret}"),
    RoutingRule("CHORUS-ROUTING-031", _E, _EJ, _R,
                "Numéro d'engagement obligatoire pour le service {code!r}",
                "Engagement number is mandatory for service {code!r}"),
    RoutingRule("CHORUS-ROUTING-032", _E, (*_CS, *_EJ), _R,
                "Code service ou numéro d'engagement obligatoire pour la structure {siret}",
                "Code service or engagement number is mandatory for structure {siret}"),
    RoutingRule("CHORUS-ROUTING-033", _E, _EJ, _R,
                "Numéro d'engagement trop long ({length} caractères, 50 au plus)",
                "Engagement number too long ({length} characters, at most 50)"),
    RoutingRule("CHORUS-ROUTING-040", _E, _CS, _R,
                "Facture à l'État (SIRET 11000201100044) sans code service",
                "Invoice to the State (SIRET 11000201100044) without a code service",
                _SEED_STATE),
    RoutingRule("CHORUS-ROUTING-041", _E, _EJ, _R,
                "Facture à l'État (SIRET 11000201100044) sans numéro d'engagement",
                "Invoice to the State (SIRET 11000201100044) without an engagement number",
                _SEED_STATE),
    RoutingRule("CHORUS-ROUTING-050", _E, _CS, _R,
                "Le service FACTURES_PUBLIQUES est réservé à la facturation entre entités "
                "publiques ; le fournisseur {supplier} n'est pas une structure publique",
                "Service FACTURES_PUBLIQUES is reserved for invoices between public entities; "
                "supplier {supplier} is not a public structure"),
    RoutingRule("CHORUS-ROUTING-060", _E, _SUP, _R,
                "Identifiant du fournisseur absent",
                "Supplier identifier missing"),
    RoutingRule("CHORUS-ROUTING-061", _E, _SUP, _R,
                "SIRET du fournisseur {value!r} invalide (14 chiffres, clé de contrôle)",
                "Supplier SIRET {value!r} is invalid (14 digits with check digits)"),
    RoutingRule("CHORUS-ROUTING-062", _E, _SUP, _R,
                "Numéro de TVA intracommunautaire du fournisseur {value!r} invalide",
                "Supplier EU VAT number {value!r} is invalid"),
    RoutingRule("CHORUS-ROUTING-063", _W, _SUP, _R,
                "RIDET du fournisseur {value!r} mal formé (7 chiffres et 3 chiffres attendus)",
                "Supplier RIDET {value!r} is malformed (7 + 3 digits expected)"),
    RoutingRule("CHORUS-ROUTING-064", _W, _SUP, _R,
                "Numéro TAHITI du fournisseur {value!r} mal formé",
                "Supplier TAHITI number {value!r} is malformed"),
    # Deposit limits (check_deposit): refused at deposit, beside the routing checks.
    RoutingRule("CHORUS-ROUTING-070", _E, ("BT-1",), _R,
                "Numéro de facture trop long ({length} caractères, 20 au plus)",
                "Invoice number too long ({length} characters, at most 20)",
                "pivot V2_02 XSD: DonneesFacture/Id ≤ 20 (research §9)"),
    RoutingRule("CHORUS-ROUTING-071", _E, ("BT-125",), _R,
                "Pièce jointe {name!r} trop volumineuse ({size} octets, 10 Mo au plus)",
                "Attachment {name!r} too large ({size} bytes, at most 10 MB)",
                "OCA l10n_fr_chorus; community error 20003"),
    RoutingRule("CHORUS-ROUTING-072", _E, ("BT-125",), _R,
                "Pièces jointes trop volumineuses ({size} octets au total, 120 Mo au plus)",
                "Attachments too large ({size} bytes in all, at most 120 MB)",
                "OCA l10n_fr_chorus; community error 20003"),
    RoutingRule("CHORUS-ROUTING-073", _E, ("BT-125-2",), _R,
                "Nom de pièce jointe {name!r} trop long ({length} caractères, 50 au plus)",
                "Attachment name {name!r} too long ({length} characters, at most 50)",
                "OCA l10n_fr_chorus"),
    RoutingRule("CHORUS-ROUTING-074", _E, ("BT-125-2",), _R,
                "Extension de la pièce jointe {name!r} non acceptée par Chorus Pro",
                "Attachment {name!r} has an extension Chorus Pro does not accept",
                "OCA l10n_fr_chorus (list of accepted extensions)"),
    RoutingRule("CHORUS-ROUTING-075", _W, _CS, _R,
                "Code service {code!r} : caractères {chars} peut-être refusés (lettres, "
                "chiffres, _, -, espace et accents seulement)",
                "Code service {code!r}: characters {chars} may be refused (letters, digits, "
                "_, -, space and accents only)",
                "unconfirmed (users of a Factur-X tool); a warning"),
    RoutingRule("CHORUS-ROUTING-076", _E, ("BT-1",), _R,
                "Numéro de facture {number!r} déjà déposé pour cette structure cette année",
                "Invoice number {number!r} already deposited for this structure this year",
                "community article « Bien renseigner son numéro de facture » (2023-03-28)"),
    RoutingRule("CHORUS-ROUTING-077", _W, ("BT-1",), _R,
                "Numéro de facture {number!r} : la date du jour ne peut pas servir de numéro",
                "Invoice number {number!r}: today's date cannot be used as the number",
                "community article « Bien renseigner son numéro de facture » (2023-03-28)"),
    RoutingRule("CHORUS-ROUTING-080", _W, ("BT-44",), Policy.NONE,
                "Le nom de l'acheteur {buyer!r} ne correspond pas à la raison sociale "
                "{name!r} de la structure {siret}",
                "Buyer name {buyer!r} does not match the name {name!r} of structure {siret}",
                "library's choice: informative; no source makes it a reason to recycle"),
)

ROUTING_RULES: Final[dict[str, RoutingRule]] = {
    r.code: r if r.source else r._replace(source=_SOURCE) for r in _RULES}
"""Every routing check, by code."""

_PATHS: Final[dict[str, str]] = {
    "BT-46": "routing.buyer_siret", "BT-10": "routing.code_service",
    "BT-13": "routing.engagement", "BT-29": "routing.supplier_identifier",
    "BT-44": "invoice.buyer.name", "BT-1": "invoice.invoice_number",
    "BT-125": "invoice.supporting_documents", "BT-125-2": "invoice.supporting_documents",
}


def _finding(code: str, /, **context: Any) -> Finding:
    rule = ROUTING_RULES[code]
    return rule.finding(layer=LAYER, path=_PATHS.get(rule.bt[0]), **context)


def _blank(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


# ---------------------------------------------------------------- supplier identifiers

_EU = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
})
# Legacy Chorus Pro pivot schemes are the type numbers themselves (TypeIdentifiant 1…7).
_SCHEME_TYPES: Final[dict[str, IdentifierType]] = {
    "0009": IdentifierType.SIRET, **{str(t.value): t for t in IdentifierType},
}
# [INFERRED] RIDET = RID (7 digits) + establishment rank (3 digits), often "1234567.001";
# TAHITI = 6 characters (letter or digit) + optional 3-digit establishment rank.
_RIDET = re.compile(r"\d{6,7}\.?\d{3}")
_TAHITI = re.compile(r"[A-Z0-9]{6}(\.?\d{3})?")


def supplier_identifier_type(routing: Routing) -> IdentifierType | None:
    """The identifier type the supplier identifier must be checked as, or ``None`` if unknown.

    From the scheme when it says (``0009`` or a Chorus type number ``1``…``7``), else from
    the supplier's country: France → SIRET, New Caledonia → RIDET, French Polynesia → TAHITI,
    another EU country → EU VAT number, elsewhere → outside the EU (free form).

    >>> supplier_identifier_type(Routing(supplier_identifier="BE0776091951",
    ...                                  supplier_country_code="BE"))
    <IdentifierType.UE_HORS_FRANCE: 2>
    """
    scheme = _blank(routing.supplier_identifier_scheme)
    if scheme in _SCHEME_TYPES:
        return _SCHEME_TYPES[scheme]
    if scheme == "0002" and routing.supplier_identifier and len(routing.supplier_identifier) == 14:
        return IdentifierType.SIRET
    country = (_blank(routing.supplier_country_code) or "").upper()
    if country == "FR":
        return IdentifierType.SIRET
    if country == "NC":
        return IdentifierType.RIDET
    if country == "PF":
        return IdentifierType.TAHITI
    if country in _EU:
        return IdentifierType.UE_HORS_FRANCE
    return IdentifierType.HORS_UE if country else None


def _check_supplier(routing: Routing) -> list[Finding]:
    ident = _blank(routing.supplier_identifier)
    vat = _blank(routing.supplier_vat_identifier)
    if ident is None and vat is None:
        return [_finding("CHORUS-ROUTING-060")]
    kind = supplier_identifier_type(routing)
    if kind is IdentifierType.SIRET:
        value = ident or ""
        if _siret_problem(value) is not None:
            return [_finding("CHORUS-ROUTING-061", value=value)]
    elif kind is IdentifierType.UE_HORS_FRANCE:
        value = vat or ident or ""
        if not eu_vat.is_valid(value):
            return [_finding("CHORUS-ROUTING-062", value=value)]
    elif kind is IdentifierType.RIDET:
        value = ident or ""
        if not _RIDET.fullmatch(value.replace(" ", "")):
            return [_finding("CHORUS-ROUTING-063", value=value)]
    elif kind is IdentifierType.TAHITI:
        value = ident or ""
        if not _TAHITI.fullmatch(value.replace(" ", "").upper()):
            return [_finding("CHORUS-ROUTING-064", value=value)]
    return []


# ---------------------------------------------------------------- buyer and services


def _normalized_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


@lru_cache(maxsize=1 << 16)
def _siret_problem(siret: str) -> str | None:
    # python-stdnum (Luhn, La Poste exception) costs ~16 µs; the same SIRETs recur, so memoize.
    try:
        fr_siret.validate(siret)
    except InvalidChecksum:
        return "CHORUS-ROUTING-003"
    except ValidationError:
        return "CHORUS-ROUTING-002"
    return None


def _check_structure(
    routing: Routing,
    siret: str,
    structure: Structure,
    directory: Directory,
    on: date | None,
    is_state: bool,
) -> list[Finding]:
    out: list[Finding] = []
    code = _blank(routing.code_service)
    engagement = _blank(routing.engagement)
    service_engagement_required = False
    if code is not None and len(code) <= CODE_SERVICE_MAX_LENGTH:
        service = directory.service(siret, code)
        if service is None:
            out.append(_finding("CHORUS-ROUTING-021", code=code, siret=siret))
        elif not service.active:
            out.append(_finding("CHORUS-ROUTING-022", code=code, siret=siret))
        elif on is not None and not service.is_valid_on(on):
            out.append(_finding("CHORUS-ROUTING-023", code=code, on=on.isoformat()))
        else:
            service_engagement_required = service.engagement_required
    if is_state:
        return out  # the State rules (040/041) replace the generic mandatory checks
    if structure.service_or_engagement_required:
        # « engagement ou code service » overrides the two single flags (OCA's precedence):
        # either one is enough.
        if code is None and engagement is None:
            out.append(_finding("CHORUS-ROUTING-032", siret=siret))
        elif engagement is None and service_engagement_required:
            out.append(_finding("CHORUS-ROUTING-031", code=code or ""))
        return out
    if code is None and structure.service_required:
        out.append(_finding("CHORUS-ROUTING-020", siret=siret))
    if engagement is None:
        if structure.engagement_required:
            out.append(_finding("CHORUS-ROUTING-030", siret=siret))
        elif service_engagement_required:
            out.append(_finding("CHORUS-ROUTING-031", code=code or ""))
    return out


def check_routing(
    invoice_or_routing: Invoice | Routing,
    directory: Directory,
    *,
    on: date | str | None = None,
    supplier_is_public: bool | None = None,
) -> Report:
    """Check the Chorus Pro routing of an invoice against ``directory``; findings in a Report.

    ``on`` is the date the service validity is checked for (default: the invoice issue date
    BT-2 when an invoice is given; no date check otherwise).  ``supplier_is_public`` says
    whether the supplier is a public entity (for the reserved ``FACTURES_PUBLIQUES`` service);
    by default it is public when its identifier is a structure of the directory.  Anything
    but an Invoice or a Routing, or a ``directory`` that is not a :class:`Directory`, raises
    :class:`~chorus_core.errors.UsageError`.
    """
    if not isinstance(directory, Directory):
        raise UsageError(
            f"directory: expected a Directory, got {type(directory).__name__} (load one with "
            "read_directory)",
            f"directory : un Directory est attendu, pas {type(directory).__name__} (le charger "
            "avec read_directory)",
            argument="directory",
        )
    if on is not None and not isinstance(on, date):
        try:
            on = date.fromisoformat(on) if isinstance(on, str) else None
        except ValueError:
            on = None
        if on is None:
            raise UsageError(
                "on: expected a date (datetime.date or 'YYYY-MM-DD')",
                "on : une date est attendue (datetime.date ou 'AAAA-MM-JJ')",
                argument="on",
            )
    invoice: Invoice | None = None
    if isinstance(invoice_or_routing, Invoice):
        invoice = invoice_or_routing
        routing = routing_of(invoice)
        if on is None:
            on = invoice.invoice_issue_date
    elif isinstance(invoice_or_routing, Routing):
        routing = invoice_or_routing
    else:
        raise UsageError(
            f"invoice_or_routing: expected an Invoice or a Routing, got "
            f"{type(invoice_or_routing).__name__} (read bytes first with chorus_core.read)",
            f"invoice_or_routing : une Invoice ou un Routing est attendu, pas "
            f"{type(invoice_or_routing).__name__} (lire d'abord les octets avec "
            "chorus_core.read)",
            argument="invoice_or_routing",
        )
    findings: list[Finding] = []

    code = _blank(routing.code_service)
    engagement = _blank(routing.engagement)
    if code is not None and len(code) > CODE_SERVICE_MAX_LENGTH:
        findings.append(_finding("CHORUS-ROUTING-024", length=len(code)))
    if engagement is not None and len(engagement) > ENGAGEMENT_MAX_LENGTH:
        findings.append(_finding("CHORUS-ROUTING-033", length=len(engagement)))

    siret = _blank(routing.buyer_siret)
    if siret is None:
        findings.append(_finding("CHORUS-ROUTING-001"))
    elif (problem := _siret_problem(siret)) is not None:
        findings.append(_finding(problem, siret=siret))
    else:
        siret = fr_siret.compact(siret)  # "213 105 554 00017" is looked up as 21310555400017
        # The single State SIRET rules apply « hors marchés de travaux » (seed).
        cadre = CADRES.get(routing.cadre)
        is_state = siret == STATE_SIRET and not (cadre is not None and cadre.works)
        structure = directory.structure(siret)
        if structure is None:
            findings.append(_finding("CHORUS-ROUTING-010", siret=siret))
        elif not structure.active:
            findings.append(_finding("CHORUS-ROUTING-011", siret=siret))
        elif structure.identifier_type is not IdentifierType.SIRET:
            findings.append(_finding(
                "CHORUS-ROUTING-012", siret=siret, kind=structure.identifier_type.api_name))
        else:
            findings += _check_structure(routing, siret, structure, directory, on, is_state)
            buyer_name = invoice.buyer.name if invoice and invoice.buyer else None
            if buyer_name and _normalized_name(buyer_name) != _normalized_name(structure.name):
                findings.append(_finding(
                    "CHORUS-ROUTING-080", buyer=buyer_name, name=structure.name, siret=siret))
        if is_state:
            if code is None:
                findings.append(_finding("CHORUS-ROUTING-040"))
            if engagement is None:
                findings.append(_finding("CHORUS-ROUTING-041"))

    findings += _check_supplier(routing)
    if code is not None and code.upper() == PUBLIC_INVOICES_SERVICE:
        supplier = _blank(routing.supplier_identifier)
        public = supplier_is_public
        if public is None:
            public = supplier is not None and supplier in directory
        if not public:
            findings.append(_finding("CHORUS-ROUTING-050", supplier=supplier or "?"))
    return Report(findings=tuple(findings))


# ---------------------------------------------------------------- deposit limits

INVOICE_NUMBER_MAX_LENGTH: Final = 20
"""Longest invoice number (BT-1) Chorus Pro accepts (pivot V2_02 ``DonneesFacture/Id``)."""
ATTACHMENT_MAX_BYTES: Final = 10 * 2**20
"""Largest single attachment Chorus Pro accepts: 10 MB (read as MiB; OCA, error 20003)."""
ATTACHMENTS_MAX_BYTES: Final = 120 * 2**20
"""Largest total of the attachments of one invoice: 120 MB (read as MiB; OCA, error 20003)."""
ATTACHMENT_NAME_MAX_LENGTH: Final = 50
"""Longest attachment file name Chorus Pro accepts (OCA)."""
ATTACHMENT_EXTENSIONS: Final = frozenset({
    "bmp", "bz2", "csv", "doc", "docx", "fax", "gif", "gz", "gzip", "htm", "html", "jpeg", "jpg",
    "odp", "ods", "odt", "p7s", "pdf", "png", "pps", "ppt", "pptx", "rtf", "svg", "tgz", "tif",
    "tiff", "txt", "xhtml", "xlc", "xlm", "xls", "xlsx", "xml", "zip",
})
"""Attachment extensions Chorus Pro accepts (lower case; OCA's list)."""

_CODE_SERVICE_OTHER_CHARS: Final = frozenset("0123456789_- ")


def _accepted_in_code_service(char: str) -> bool:
    # Unconfirmed: letters (accented ones included), ASCII digits, "_", "-" and space.
    return char.isalpha() or char in _CODE_SERVICE_OTHER_CHARS


def _date_numbers(on: date) -> frozenset[str]:
    d, m, y = f"{on.day:02d}", f"{on.month:02d}", f"{on.year:04d}"
    return frozenset({f"{y}{m}{d}", f"{d}{m}{y}", f"{y}-{m}-{d}", f"{d}/{m}/{y}", f"{d}-{m}-{y}",
                      f"{d}.{m}.{y}"})


def check_deposit(
    invoice: Invoice,
    *,
    on: date | None = None,
    deposited_numbers: Iterable[str] = (),
) -> tuple[Finding, ...]:
    """The deposit limits Chorus Pro refuses an invoice for, as findings (``routing`` layer).

    Checked: the invoice number (BT-1) is at most 20 characters (070); each attachment (BG-24)
    at most 10 MB (071) and all together at most 120 MB (072); attachment names at most 50
    characters (073) with an accepted extension (074); the code service (BT-10) uses the
    characters Chorus Pro is said to accept (075, a warning: unconfirmed).  With
    ``deposited_numbers`` (the numbers this supplier already deposited to this structure this
    year) a repeated number gives 076; with ``on`` (the deposit date) a number that is that date
    gives 077.  Policy: :attr:`~chorus_core.errors.Policy.REFUSED_AT_DEPOSIT`.

    >>> from chorus_core.model import Invoice
    >>> [f.code for f in check_deposit(Invoice(invoice_number="F" * 21))]
    ['CHORUS-ROUTING-070']
    >>> check_deposit(Invoice(invoice_number="FA-2026-0042"))
    ()
    """
    if not isinstance(invoice, Invoice):
        raise UsageError(
            f"invoice: expected an Invoice, got {type(invoice).__name__} (read bytes first with "
            "chorus_core.read)",
            f"invoice : une Invoice est attendue, pas {type(invoice).__name__} (lire d'abord "
            "les octets avec chorus_core.read)",
            argument="invoice",
        )
    out: list[Finding] = []
    number = _blank(invoice.invoice_number)
    if number is not None:
        if len(number) > INVOICE_NUMBER_MAX_LENGTH:
            out.append(_finding("CHORUS-ROUTING-070", length=len(number)))
        # a set (the usual case when checking many invoices) is looked up, not copied
        deposited = (deposited_numbers if isinstance(deposited_numbers, AbstractSet)
                     else set(deposited_numbers))
        if number in deposited:
            out.append(_finding("CHORUS-ROUTING-076", number=number))
        if on is not None and number in _date_numbers(on):
            out.append(_finding("CHORUS-ROUTING-077", number=number))
    total = 0
    for doc in invoice.supporting_documents:
        name = doc.filename or doc.reference or "?"
        size = len(doc.attached_document or b"")
        total += size
        if size > ATTACHMENT_MAX_BYTES:
            out.append(_finding("CHORUS-ROUTING-071", name=name, size=size))
        if doc.filename is not None:
            if len(doc.filename) > ATTACHMENT_NAME_MAX_LENGTH:
                out.append(_finding("CHORUS-ROUTING-073", name=doc.filename,
                                    length=len(doc.filename)))
            stem, dot, extension = doc.filename.rpartition(".")
            if not dot or not stem or extension.lower() not in ATTACHMENT_EXTENSIONS:
                out.append(_finding("CHORUS-ROUTING-074", name=doc.filename))
    if total > ATTACHMENTS_MAX_BYTES:
        out.append(_finding("CHORUS-ROUTING-072", size=total))
    code = _blank(invoice.buyer_reference)
    if code is not None:
        odd = sorted({c for c in code if not _accepted_in_code_service(c)})
        if odd:
            out.append(_finding("CHORUS-ROUTING-075", code=code, chars=" ".join(map(repr, odd))))
    return tuple(out)
