"""Chorus Pro routing: the typed view of an invoice that tells Chorus Pro where it goes.

The routing data are ordinary EN 16931 terms read with Chorus Pro's meaning:

============================  =======  ==============================================
Chorus Pro                    BT       EN 16931
============================  =======  ==============================================
SIRET du destinataire         BT-46/47/49  buyer identifier (three conventions, below)
Code service                  BT-10    buyer reference
Numéro d'engagement           BT-13    purchase order reference
Numéro de marché              BT-12    contract reference
Cadre de facturation          BT-23    business process type (A1 when absent)
Facture / avoir               BT-3     invoice type code
============================  =======  ==============================================

The buyer SIRET is accepted in the placements seen in the wild, in this order:
(c) the French 2026 reform, BT-46 with scheme ``0009``; (b) the Peppol route, BT-49 with
scheme ``0009`` (or ``0225``, ``SIREN_SIRET[_ROUTAGE]``); (a) the FNFE Factur-X note, BT-47
with scheme ``0002`` holding 14 digits, and Tryton / older OCA CII, BT-47 with the legacy
Chorus scheme ``1``; then BT-46 with scheme ``1`` or none.  One exception: Odoo's Peppol route
puts the AIFE gateway ``0009:11000201100044`` in BT-49 and the real buyer SIRET in BT-46, so
the gateway address is only read as the buyer when nothing else names one.  Writers emit (c).

More information:

* https://communaute.chorus-pro.gouv.fr/ (Chorus Pro specifications externes)
* ``../shared/research/en16931.md`` §4.2

>>> from chorus_core.model import Invoice, Buyer, Identifier
>>> inv = Invoice(buyer_reference="SERVICE-1",
...               buyer=Buyer(identifier=Identifier(value="11000201100044", scheme_id="0009")))
>>> r = routing_of(inv)
>>> (r.buyer_siret, r.buyer_siret_term, r.code_service, r.cadre)
('11000201100044', 'BT-46', 'SERVICE-1', 'A1')
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from pydantic import field_validator

from chorus_core.errors import UsageError

from ._base import CanonicalModel, check_siret, is_lenient
from .invoice import Identifier, Invoice

__all__ = [
    "AIFE_GATEWAY",
    "CADRES",
    "DEFAULT_CADRE",
    "STATE_SIRET",
    "Cadre",
    "DocumentKind",
    "Routing",
    "find_buyer_siret",
    "normalize_cadre",
    "routing_of",
]

STATE_SIRET = "11000201100044"
"""The single SIRET of the French State (all ministries), with mandatory service and engagement."""

DEFAULT_CADRE = "A1"
"""Chorus Pro applies A1 (facture fournisseur) when BT-23 is absent."""


class Cadre(NamedTuple):
    """A Chorus Pro cadre de facturation (BT-23).

    ``works`` marks the cadres of a marché de travaux (décomptes, états d'acompte, MOE and MOA
    deposits); ``withdrawn`` the cadres the current pivot (V1_22, V2_02) no longer lists.
    """

    code: str
    api_code: str
    label_fr: str
    label_en: str
    needs_validator: bool
    accepted_by_invoice_api: bool
    works: bool = False
    withdrawn: bool = False


# Source: AIFE codes as mirrored by PISTE clients (go-choruspro factures.go; Pastell
# definition.yml; gobl addons/fr/choruspro); A9/A12 need a validator (codeStructureValideur);
# soumettreFacture accepts A1, A2, A9 and A12 only.  See research/chorus-rules.md §5.
# A11 is in pivot V1_20/V1_21 and absent from V1_22 and V2_02 (withdrawn); A25 is « déposé par
# la maîtrise d'ouvrage » (V2_02 XSD, Pastell; the API name still says MOE).  §9.
_CADRES = """\
A1|A1_FACTURE_FOURNISSEUR|Dépôt par un fournisseur d'une facture|Supplier invoice|0|1
A2|A2_FACTURE_FOURNISSEUR_DEJA_PAYEE|Dépôt par un fournisseur d'une facture déjà payée|Supplier invoice already paid|0|1
A3|A3_MEMOIRE_JUSTICE|Dépôt par un fournisseur d'un mémoire de frais de justice|Statement of legal costs|0|0
A4|A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR|Dépôt par un fournisseur d'un projet de décompte mensuel|Supplier draft monthly statement|0|0
A5|A5_ETAT_ACOMPTE_FOURNISSEUR|Dépôt par un fournisseur d'un état d'acompte|Supplier interim payment statement|0|0
A6|A6_ETAT_ACOMPTE_VALIDE_FOURNISSEUR|Dépôt par un fournisseur d'un état d'acompte validé|Supplier validated interim payment statement|0|0
A7|A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR|Dépôt par un fournisseur d'un projet de décompte final|Supplier draft final statement|0|0
A8|A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR|Dépôt par un fournisseur d'un décompte général et définitif|Supplier final general statement|0|0
A9|A9_FACTURE_SOUSTRAITANT|Dépôt par un sous-traitant d'une facture|Subcontractor invoice|1|1
A10|A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT|Dépôt par un sous-traitant d'un projet de décompte mensuel|Subcontractor draft monthly statement|0|0
A11|A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT|Dépôt par un sous-traitant d'un projet de décompte final (retiré)|Subcontractor draft final statement (withdrawn)|0|0
A12|A12_FACTURE_COTRAITANT|Dépôt par un cotraitant d'une facture|Co-contractor invoice|1|1
A13|A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT|Dépôt par un cotraitant d'un projet de décompte mensuel|Co-contractor draft monthly statement|0|0
A14|A14_PROJET_DECOMPTE_FINAL_COTRAITANT|Dépôt par un cotraitant d'un projet de décompte final|Co-contractor draft final statement|0|0
A15|A15_ETAT_ACOMPTE_MOE|Dépôt par une MOE d'un état d'acompte|Project manager interim payment statement|0|0
A16|A16_ETAT_ACOMPTE_VALIDE_MOE|Dépôt par une MOE d'un état d'acompte validé|Project manager validated interim statement|0|0
A17|A17_PROJET_DECOMPTE_GENERAL_MOE|Dépôt par une MOE d'un projet de décompte général|Project manager draft general statement|0|0
A18|A18_DECOMPTE_GENERAL_MOE|Dépôt par une MOE d'un décompte général|Project manager general statement|0|0
A19|A19_ETAT_ACOMPTE_VALIDE_MOA|Dépôt par une MOA d'un état d'acompte validé|Contracting authority validated interim statement|0|0
A20|A20_DECOMPTE_GENERAL_MOA|Dépôt par une MOA d'un décompte général|Contracting authority general statement|0|0
A21|A21_DEMANDE_REMBOURSEMENT_TIC|Dépôt par un bénéficiaire d'une demande de remboursement de la TIC|Domestic consumption tax refund request|0|0
A22|A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE|Dépôt par un fournisseur d'un projet de décompte général (procédure tacite)|Supplier draft general statement (tacit procedure)|0|0
A23|A23_DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR|Dépôt par un fournisseur d'un décompte général et définitif tacite|Supplier tacit final general statement|0|0
A24|A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE|Dépôt par une MOE d'un décompte général et définitif tacite|Project manager tacit final general statement|0|0
A25|A25_DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE|Décompte général et définitif déposé par la maîtrise d'ouvrage (procédure tacite)|Final general statement deposited by the contracting authority (tacit procedure)|0|0
"""

# Works cadres (marchés de travaux): the décomptes and états d'acompte of suppliers,
# subcontractors and co-contractors, and every MOE/MOA deposit.  Not works: A1-A3 (invoices,
# frais de justice), A9/A12 (invoices), A21 (TIC refund).  Our reading of the labels.
_WORKS = frozenset({"A4", "A5", "A6", "A7", "A8", "A10", "A11", "A13", "A14", "A15", "A16",
                    "A17", "A18", "A19", "A20", "A22", "A23", "A24", "A25"})
_WITHDRAWN = frozenset({"A11"})

CADRES: dict[str, Cadre] = {
    c.code: c
    for c in (
        Cadre(code, api, fr, en, needs == "1", accepted == "1", code in _WORKS,
              code in _WITHDRAWN)
        for code, api, fr, en, needs, accepted in (
            line.split("|") for line in _CADRES.splitlines() if line
        )
    )
}
"""The 25 cadres de facturation A1…A25, by code (A11 marked ``withdrawn``)."""


class DocumentKind(StrEnum):
    """Chorus Pro document kind (``typeFacture``)."""

    FACTURE = "FACTURE"
    AVOIR = "AVOIR"
    ACOMPTE = "ACOMPTE"


def normalize_cadre(value: str | None) -> str:
    """Return the cadre that Chorus Pro applies: the value itself, ``A1`` when absent.

    >>> normalize_cadre(None), normalize_cadre(" A9 ")
    ('A1', 'A9')
    """
    if value is None or not value.strip():
        return DEFAULT_CADRE
    return value.strip()


def _siret_from_0225(value: str) -> str | None:
    # 0225 electronic address: SIREN[_SIRET[_CODEROUTAGE]]
    parts = value.split("_")
    return parts[1] if len(parts) >= 2 and len(parts[1]) == 14 else None


AIFE_GATEWAY = STATE_SIRET
"""The AIFE Peppol gateway's address (``0009:11000201100044``), written in BT-49 by Peppol
senders such as Odoo while the real buyer SIRET is in BT-46."""


def _siret_like(value: str | None) -> bool:
    return value is not None and len(value.replace(" ", "")) == 14


def find_buyer_siret(invoice: Invoice) -> tuple[str | None, str | None]:
    """Return ``(siret, term)``: the buyer SIRET and the BT it was found in, else ``(None, None)``.

    Order: BT-46 scheme 0009; BT-49 scheme 0009 or 0225, unless it is the AIFE gateway
    (:data:`AIFE_GATEWAY`); BT-47 with 14 digits and scheme 0002, 0009 or the legacy ``1``
    (Tryton, OCA); BT-46 with scheme ``1``, or with no scheme and 14 digits; last, the gateway
    address itself.  The value is returned as read, unchecked.

    >>> from chorus_core.model import Buyer
    >>> odoo = Invoice(buyer=Buyer(
    ...     identifier=Identifier(value="21310555400017"),
    ...     electronic_address=Identifier(value="11000201100044", scheme_id="0009")))
    >>> find_buyer_siret(odoo)
    ('21310555400017', 'BT-46')
    """
    if not isinstance(invoice, Invoice):
        raise _not_an_invoice(invoice)
    buyer = invoice.buyer
    if buyer is None:
        return None, None

    def val(ident: Identifier | None, schemes: set[str | None]) -> str | None:
        if ident is None or ident.value is None or ident.scheme_id not in schemes:
            return None
        return ident.value.strip() or None

    gateway: str | None = None
    if (v := val(buyer.identifier, {"0009"})) is not None:
        return v, "BT-46"
    if (v := val(buyer.electronic_address, {"0009"})) is not None:
        if v.replace(" ", "") != AIFE_GATEWAY:
            return v, "BT-49"
        gateway = v
    if (v := val(buyer.electronic_address, {"0225"})) is not None and (s := _siret_from_0225(v)):
        return s, "BT-49"
    v = val(buyer.legal_registration_identifier, {"0002", "0009", "1"})
    if _siret_like(v):
        return v, "BT-47"
    if (v := val(buyer.identifier, {"1"})) is not None:
        return v, "BT-46"
    if _siret_like(v := val(buyer.identifier, {None})):
        return v, "BT-46"
    if gateway is not None:
        return gateway, "BT-49"
    return None, None


def _not_an_invoice(value: object) -> UsageError:
    return UsageError(
        f"invoice: expected a chorus_core Invoice, got {type(value).__name__} (read bytes first "
        "with chorus_core.read)",
        f"invoice : une Invoice chorus_core est attendue, pas {type(value).__name__} (lire "
        "d'abord les octets avec chorus_core.read)",
        argument="invoice",
    )


class Routing(CanonicalModel):
    """The Chorus Pro routing data of an invoice.

    Built strictly (``Routing(buyer_siret=...)``) the SIRET must pass its check digits; built by
    :func:`routing_of` from a read document it is kept as read, for the directory checks to
    report.

    >>> Routing(buyer_siret="1100020110004")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Routing
    buyer_siret
      '1100020110004' is not a valid SIRET: ... [type=siret_invalid, ...]
    """

    buyer_siret: str | None = None
    buyer_siret_term: str | None = None
    code_service: str | None = None
    engagement: str | None = None
    marche: str | None = None
    cadre: str = DEFAULT_CADRE
    kind: DocumentKind = DocumentKind.FACTURE
    supplier_identifier: str | None = None
    supplier_identifier_scheme: str | None = None
    supplier_vat_identifier: str | None = None
    supplier_country_code: str | None = None

    @field_validator("buyer_siret")
    @classmethod
    def _check_siret(cls, value: str | None, info: object) -> str | None:
        if value is None or is_lenient(info):  # type: ignore[arg-type]
            return value
        return check_siret(value)


_ACOMPTE_TYPES = frozenset({"386"})


def routing_of(invoice: Invoice) -> Routing:
    """Extract the Chorus Pro routing view of ``invoice`` (lenient: values kept as read).

    Anything but an :class:`~chorus_core.model.Invoice` (such as the bytes of a document)
    raises :class:`~chorus_core.errors.UsageError`.
    """
    buyer_siret, term = find_buyer_siret(invoice)
    process = invoice.process_control
    kind = (
        DocumentKind.AVOIR if invoice.is_credit_note
        else DocumentKind.ACOMPTE if invoice.invoice_type_code in _ACOMPTE_TYPES
        else DocumentKind.FACTURE
    )
    seller = invoice.seller
    supplier_id = supplier_scheme = None
    if seller is not None:
        candidates = [*seller.identifiers, seller.legal_registration_identifier]
        for ident in candidates:
            if ident is not None and ident.value:
                supplier_id, supplier_scheme = ident.value, ident.scheme_id
                break
    return Routing.model_validate(
        {
            "buyer_siret": buyer_siret,
            "buyer_siret_term": term,
            "code_service": invoice.buyer_reference,
            "engagement": invoice.purchase_order_reference,
            "marche": invoice.contract_reference,
            "cadre": normalize_cadre(process.business_process_type if process else None),
            "kind": kind,
            "supplier_identifier": supplier_id,
            "supplier_identifier_scheme": supplier_scheme,
            "supplier_vat_identifier": seller.vat_identifier if seller else None,
            "supplier_country_code": (
                seller.postal_address.country_code
                if seller and seller.postal_address else None
            ),
        },
        context={"lenient": True},
    )
