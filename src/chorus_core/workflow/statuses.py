"""Chorus Pro invoice statuses: the 57 API names, their life-cycle codes, labels and producers.

Chorus Pro names an invoice status in two ways: the API string (``statutFacture``,
``statutCourantCode``, ``histoStatutCode``), such as ``MISE_A_DISPOSITION``, and a numbered
life-cycle code (1…41, :data:`PIVOT_STATUS_CODES`) shown in the portal.  :class:`Status` is
the API name; :data:`STATUSES` gives, for each one, the code when known, the French and
English labels, who produces it (:class:`Actor`), its family, and whether it is optional or
terminal.

Codes 1 to 12 are certain (AIFE webinar and the Maileva list agree).  Codes 13 to 40 are paired
with API names from their labels only, so :attr:`StatusInfo.code_inferred` is true for them;
ambiguous pairings are left without a code.  The works statuses (MOE/MOA) are listed for
completeness; the default transition table covers simple invoices only.

More information:

* ``../shared/research/chorus-rules.md`` §1 (numbered codes, API enum, producers)
* https://communaute.chorus-pro.gouv.fr/ ("Rappel sur le cycle de vie des factures")

>>> STATUSES[Status.MISE_A_DISPOSITION].code, STATUSES[Status.MISE_A_DISPOSITION].label_fr
(3, 'Mise à disposition du destinataire')
>>> STATUSES[Status.REJETEE].terminal, STATUSES[Status.SERVICE_FAIT].optional
(True, True)
>>> status_by_code(4)
<Status.A_RECYCLER: 'A_RECYCLER'>
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from chorus_core.errors import WorkflowError

__all__ = [
    "ACTOR_LABELS_FR",
    "PIVOT_STATUS_CODES",
    "STATUSES",
    "Actor",
    "Family",
    "Status",
    "StatusCodeError",
    "StatusInfo",
    "status_by_code",
]


class Actor(StrEnum):
    """Who acts on an invoice, or produces a status."""

    SUPPLIER = "supplier"
    RECIPIENT = "recipient"
    VALIDATOR = "validator"
    ACCOUNTANT = "accountant"
    CHORUS_PRO = "chorus_pro"
    MOE = "moe"
    MOA = "moa"


ACTOR_LABELS_FR: Mapping[Actor, str] = MappingProxyType({
    Actor.SUPPLIER: "fournisseur",
    Actor.RECIPIENT: "destinataire (ordonnateur)",
    Actor.VALIDATOR: "valideur",
    Actor.ACCOUNTANT: "comptable (Hélios)",
    Actor.CHORUS_PRO: "Chorus Pro",
    Actor.MOE: "maîtrise d'œuvre",
    Actor.MOA: "maîtrise d'ouvrage",
})
"""French label of each actor."""


class Family(StrEnum):
    """The stage of the life cycle a status belongs to."""

    SENDING = "sending"
    RECEPTION = "reception"
    RETURN = "return"
    PROCESSING = "processing"
    VALIDATION = "validation"
    WORKS = "works"
    TECHNICAL = "technical"


class Status(StrEnum):
    """The 57 invoice status names of the Chorus Pro API (``statutFacture``), in API order."""

    BROUILLON = "BROUILLON"
    A_VALIDER_1 = "A_VALIDER_1"
    ERREUR_FOURNISSEUR_SUR_VALIDEUR = "ERREUR_FOURNISSEUR_SUR_VALIDEUR"
    REFUSEE_1 = "REFUSEE_1"
    VALIDEE_1 = "VALIDEE_1"
    ABSENCE_VALIDATION_1_HORS_DELAI = "ABSENCE_VALIDATION_1_HORS_DELAI"
    A_VALIDER_2 = "A_VALIDER_2"
    ERREUR_COTRAITANT_SUR_VALIDEUR = "ERREUR_COTRAITANT_SUR_VALIDEUR"
    REFUSEE_2 = "REFUSEE_2"
    VALIDEE_2 = "VALIDEE_2"
    ABSENCE_VALIDATION_2_HORS_DELAI = "ABSENCE_VALIDATION_2_HORS_DELAI"
    DEPOSEE = "DEPOSEE"
    ERREUR_FOURNISSEUR_SUR_MOE = "ERREUR_FOURNISSEUR_SUR_MOE"
    EN_COURS_ACHEMINEMENT = "EN_COURS_ACHEMINEMENT"
    MISE_A_DISPOSITION = "MISE_A_DISPOSITION"
    A_RECYCLER = "A_RECYCLER"
    SUSPENDUE = "SUSPENDUE"
    REJETEE = "REJETEE"
    MANDATEE = "MANDATEE"
    MISE_EN_PAIEMENT = "MISE_EN_PAIEMENT"
    COMPTABILISEE = "COMPTABILISEE"
    MISE_A_DISPOSITION_COMPTABLE = "MISE_A_DISPOSITION_COMPTABLE"
    ABANDONNEE = "ABANDONNEE"
    SUPPRIMEE = "SUPPRIMEE"
    ASSOCIEE = "ASSOCIEE"
    EN_COURS_TRAITEMENT_PIVOT_S = "EN_COURS_TRAITEMENT_PIVOT_S"
    A_VALIDER_MOE = "A_VALIDER_MOE"
    REFUSEE_MOE = "REFUSEE_MOE"
    EN_ATTENTE_RECYCLAGE_FOURNISSEUR = "EN_ATTENTE_RECYCLAGE_FOURNISSEUR"
    ERREUR_MOE_SUR_FOURNISSEUR = "ERREUR_MOE_SUR_FOURNISSEUR"
    ERREUR_MOA_SUR_FOURNISSEUR = "ERREUR_MOA_SUR_FOURNISSEUR"
    INTERPRETEE_OCR = "INTERPRETEE_OCR"
    COMPLETEE = "COMPLETEE"
    ERREUR_FOURNISSEUR_SUR_MOA = "ERREUR_FOURNISSEUR_SUR_MOA"
    ERREUR_MOE_SUR_MOA = "ERREUR_MOE_SUR_MOA"
    ERREUR_DESTINATAIRE_PD = "ERREUR_DESTINATAIRE_PD"
    ERREUR_DESTINATAIRE_EA = "ERREUR_DESTINATAIRE_EA"
    SERVICE_FAIT = "SERVICE_FAIT"
    NON_CONFORME = "NON_CONFORME"
    A_ASSOCIER_MOE = "A_ASSOCIER_MOE"
    ERREUR_DE_MOE = "ERREUR_DE_MOE"
    MISE_A_DISPOSITION_MOE = "MISE_A_DISPOSITION_MOE"
    PRISE_EN_COMPTE_MOE = "PRISE_EN_COMPTE_MOE"
    A_ASSOCIER_MOA = "A_ASSOCIER_MOA"
    ERREUR_DE_MOA = "ERREUR_DE_MOA"
    REFUSEE_MOA = "REFUSEE_MOA"
    A_ASSOCIER_FOURNISSEUR = "A_ASSOCIER_FOURNISSEUR"
    REFUSEE_FOURNISSEUR = "REFUSEE_FOURNISSEUR"
    A_COMPLETER = "A_COMPLETER"
    TRANSMISE_MOA = "TRANSMISE_MOA"
    PRISE_EN_COMPTE_DESTINATAIRE = "PRISE_EN_COMPTE_DESTINATAIRE"
    REMPLACEE_PAR_A22 = "REMPLACEE_PAR_A22"
    DUPLIQUE_APRES_REFUS = "DUPLIQUE_APRES_REFUS"
    MISE_A_DISPOSITION_MOA = "MISE_A_DISPOSITION_MOA"
    PRISE_EN_COMPTE_MOA = "PRISE_EN_COMPTE_MOA"
    ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE = "ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE"
    TECHNIQUE_INCONNU = "TECHNIQUE_INCONNU"


class StatusInfo(NamedTuple):
    """What is known about one status.

    ``code`` is the life-cycle number (None when no pairing is known), ``code_inferred`` is true
    when that number was paired from labels only (codes 13…40).  ``producer`` is who sets the
    status; ``optional`` marks the processing statuses a recipient may skip; ``terminal`` marks
    the statuses after which nothing can happen to the invoice.
    """

    status: Status
    code: int | None
    code_inferred: bool
    label_fr: str
    label_en: str
    producer: Actor
    family: Family
    optional: bool
    terminal: bool


_C, _S, _R = Actor.CHORUS_PRO, Actor.SUPPLIER, Actor.RECIPIENT
_V, _A = Actor.VALIDATOR, Actor.ACCOUNTANT
_MOE, _MOA = Actor.MOE, Actor.MOA
_SEND, _RECV, _RET, _PROC = Family.SENDING, Family.RECEPTION, Family.RETURN, Family.PROCESSING
_VAL, _WORKS, _TECH = Family.VALIDATION, Family.WORKS, Family.TECHNICAL

# One row per API status: code, inferred?, FR label, EN label, producer, family, optional, terminal.
# Codes and FR labels: Maileva C01…C40 list; producers: AIFE "cycle de vie" and Hélios articles.
# Labels without a code are ours, written from the API name.  research/chorus-rules.md §1.
_ROWS: tuple[tuple[Status, int | None, bool, str, str, Actor, Family, bool, bool], ...] = (
    (Status.BROUILLON, None, False, "Brouillon", "Draft", _S, _SEND, False, False),
    (Status.A_VALIDER_1, 23, True, "Mise à disposition du premier valideur",
     "Made available to the first validator", _C, _VAL, False, False),
    (Status.ERREUR_FOURNISSEUR_SUR_VALIDEUR, 24, True,
     "Refusée par le premier valideur pour erreur dans les données d'acheminement",
     "Refused by the first validator: wrong routing data", _V, _VAL, False, False),
    (Status.REFUSEE_1, 14, True, "Refusée par le premier valideur pour autre motif",
     "Refused by the first validator for another reason", _V, _VAL, False, True),
    (Status.VALIDEE_1, 13, True, "Validée par le premier valideur",
     "Validated by the first validator", _V, _VAL, False, False),
    (Status.ABSENCE_VALIDATION_1_HORS_DELAI, 15, True, "Validation 1 hors délai",
     "First validation not given in time (tacit)", _C, _VAL, False, False),
    (Status.A_VALIDER_2, 25, True, "Mise à disposition du second valideur",
     "Made available to the second validator", _C, _VAL, False, False),
    (Status.ERREUR_COTRAITANT_SUR_VALIDEUR, 26, True,
     "Refusée par le second valideur pour erreur des données d'acheminement",
     "Refused by the second validator: wrong routing data", _V, _VAL, False, False),
    (Status.REFUSEE_2, 17, True, "Refusée par le second valideur pour autre motif",
     "Refused by the second validator for another reason", _V, _VAL, False, True),
    (Status.VALIDEE_2, 16, True, "Validée par le second valideur",
     "Validated by the second validator", _V, _VAL, False, False),
    (Status.ABSENCE_VALIDATION_2_HORS_DELAI, 18, True, "Validation 2 hors délai",
     "Second validation not given in time (tacit)", _C, _VAL, False, False),
    (Status.DEPOSEE, 1, False, "Déposée", "Deposited", _C, _SEND, False, False),
    (Status.ERREUR_FOURNISSEUR_SUR_MOE, 28, True,
     "Refusée par la MOE pour erreur dans les données d'acheminement",
     "Refused by the MOE: wrong routing data", _MOE, _WORKS, False, False),
    (Status.EN_COURS_ACHEMINEMENT, 2, False, "En cours d'acheminement vers le destinataire",
     "Being routed to the recipient", _C, _SEND, False, False),
    (Status.MISE_A_DISPOSITION, 3, False, "Mise à disposition du destinataire",
     "Made available to the recipient", _C, _RECV, False, False),
    (Status.A_RECYCLER, 4, False,
     "Rejetée par l'ordonnateur pour erreur dans les données d'acheminement",
     "Returned by the recipient: wrong routing data (to recycle)", _R, _RET, False, False),
    (Status.SUSPENDUE, 6, False, "Suspendue", "Suspended", _R, _RET, False, False),
    (Status.REJETEE, 5, False, "Rejetée par l'ordonnateur pour autre motif",
     "Rejected by the recipient", _R, _RET, False, True),
    (Status.MANDATEE, 8, False, "Mandatée / DP validée", "Payment order issued", _R, _PROC,
     True, False),
    (Status.MISE_EN_PAIEMENT, 11, False, "Mise en paiement", "Payment made", _A, _PROC, True,
     True),
    (Status.COMPTABILISEE, 10, False, "Comptabilisée", "Booked by the accountant", _A, _PROC,
     True, False),
    # Producer: Hélios (the accountant) for the local public sector (seed, « Helios* »; §9).
    (Status.MISE_A_DISPOSITION_COMPTABLE, 9, False, "Mise à disposition du comptable",
     "Made available to the accountant", _A, _PROC, True, False),
    (Status.ABANDONNEE, None, False, "Abandonnée", "Abandoned", _S, _TECH, False, True),
    (Status.SUPPRIMEE, None, False, "Supprimée", "Deleted", _S, _TECH, False, True),
    (Status.ASSOCIEE, 21, True, "Associée", "Associated", _C, _WORKS, False, False),
    (Status.EN_COURS_TRAITEMENT_PIVOT_S, None, False, "En cours de traitement (pivot S)",
     "Being processed (pivot S)", _C, _TECH, False, False),
    (Status.A_VALIDER_MOE, None, False, "À valider par la MOE", "To be validated by the MOE",
     _C, _WORKS, False, False),
    (Status.REFUSEE_MOE, 19, True, "Refusée par la MOE pour autre motif",
     "Refused by the MOE for another reason", _MOE, _WORKS, False, False),
    (Status.EN_ATTENTE_RECYCLAGE_FOURNISSEUR, None, False,
     "En attente de recyclage par le fournisseur", "Waiting for the supplier to recycle", _C,
     _WORKS, False, False),
    (Status.ERREUR_MOE_SUR_FOURNISSEUR, None, False, "Erreur de la MOE sur le fournisseur",
     "MOE error on the supplier", _MOE, _WORKS, False, False),
    (Status.ERREUR_MOA_SUR_FOURNISSEUR, None, False, "Erreur de la MOA sur le fournisseur",
     "MOA error on the supplier", _MOA, _WORKS, False, False),
    (Status.INTERPRETEE_OCR, None, False, "Interprétée par OCR", "Read by OCR", _C, _TECH,
     False, False),
    # Producer: Chorus Pro, on the supplier's addition (seed, « Producteur »; §9).
    (Status.COMPLETEE, 12, False, "Complétée – mise à disposition",
     "Completed by the supplier, made available again", _C, _RECV, False, False),
    (Status.ERREUR_FOURNISSEUR_SUR_MOA, 31, True,
     "Refusée par la MOA pour erreur dans les données d'acheminement",
     "Refused by the MOA: wrong routing data", _MOA, _WORKS, False, False),
    (Status.ERREUR_MOE_SUR_MOA, None, False, "Erreur de la MOE sur la MOA",
     "MOE error on the MOA", _MOA, _WORKS, False, False),
    (Status.ERREUR_DESTINATAIRE_PD, None, False, "Erreur de destinataire (PD)",
     "Recipient error (PD)", _C, _TECH, False, False),
    (Status.ERREUR_DESTINATAIRE_EA, None, False, "Erreur de destinataire (EA)",
     "Recipient error (EA)", _C, _TECH, False, False),
    (Status.SERVICE_FAIT, 7, False, "Service fait", "Service certified as done", _R, _PROC,
     True, False),
    (Status.NON_CONFORME, 37, True, "Non conforme – non intégrée",
     "Non-compliant, not integrated", _C, _TECH, False, True),
    (Status.A_ASSOCIER_MOE, None, False, "À associer par la MOE", "To be associated by the MOE",
     _C, _WORKS, False, False),
    (Status.ERREUR_DE_MOE, None, False, "Erreur de MOE", "Wrong MOE", _C, _WORKS, False, False),
    (Status.MISE_A_DISPOSITION_MOE, 27, True, "Mise à disposition MOE",
     "Made available to the MOE", _C, _WORKS, False, False),
    (Status.PRISE_EN_COMPTE_MOE, 29, True, "Prise en compte MOE", "Taken into account by the MOE",
     _MOE, _WORKS, False, False),
    (Status.A_ASSOCIER_MOA, None, False, "À associer par la MOA", "To be associated by the MOA",
     _C, _WORKS, False, False),
    (Status.ERREUR_DE_MOA, None, False, "Erreur de MOA", "Wrong MOA", _C, _WORKS, False, False),
    (Status.REFUSEE_MOA, 32, True, "Refusée par la MOA pour autre motif",
     "Refused by the MOA for another reason", _MOA, _WORKS, False, False),
    (Status.A_ASSOCIER_FOURNISSEUR, 33, True, "Mise à disposition fournisseur",
     "Made available to the supplier", _C, _WORKS, False, False),
    (Status.REFUSEE_FOURNISSEUR, 20, True, "Refusée par le fournisseur pour autre motif",
     "Refused by the supplier for another reason", _S, _WORKS, False, False),
    (Status.A_COMPLETER, 34, True, "Demande de complément", "Completion requested", _MOE, _WORKS,
     False, False),
    (Status.TRANSMISE_MOA, 35, True, "Transmise à la MOA", "Forwarded to the MOA", _MOE, _WORKS,
     False, False),
    (Status.PRISE_EN_COMPTE_DESTINATAIRE, 36, True, "Prise en compte par le destinataire",
     "Taken into account by the recipient", _R, _WORKS, False, False),
    (Status.REMPLACEE_PAR_A22, None, False,
     "Remplacée par un projet de décompte général tacite (A22)",
     "Replaced by a tacit draft general statement (A22)", _C, _WORKS, False, True),
    (Status.DUPLIQUE_APRES_REFUS, None, False, "Dupliquée après refus",
     "Duplicated after refusal", _C, _WORKS, False, True),
    (Status.MISE_A_DISPOSITION_MOA, 30, True, "Mise à disposition MOA",
     "Made available to the MOA", _C, _WORKS, False, False),
    (Status.PRISE_EN_COMPTE_MOA, 38, True, "Prise en compte par la MOA",
     "Taken into account by the MOA", _MOA, _WORKS, False, False),
    (Status.ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE, None, False,
     "Absence de validation de la MOE dans le délai réglementaire",
     "No MOE validation within the legal delay", _C, _WORKS, False, False),
    (Status.TECHNIQUE_INCONNU, None, False, "Statut technique inconnu", "Unknown technical status",
     _C, _TECH, False, False),
)

STATUSES: Mapping[Status, StatusInfo] = MappingProxyType(
    {row[0]: StatusInfo(*row) for row in _ROWS}
)
"""Everything known about each of the 57 statuses, in API order."""

_BY_CODE: Mapping[int, Status] = MappingProxyType(
    {info.code: info.status for info in STATUSES.values() if info.code is not None}
)

PIVOT_STATUS_CODES: frozenset[int] = frozenset(range(1, 42))
"""The life-cycle codes of the status pivot (``CPPStatutPivot_V1_19.xsd``: 01 to 41).

Codes 22, 39, 40 and 41 exist there, but their labels (hence their API names) are not known.
"""


class StatusCodeError(WorkflowError, KeyError):
    """A life-cycle code is not a pivot code, or its status is not known (also a ``KeyError``).

    ``code`` is the code asked; ``message_fr`` and ``message_en`` explain which case it is.
    """

    def __init__(self, code: int):
        self.code = code
        if code in PIVOT_STATUS_CODES:
            self.message_en = (f"status code {code} exists in the status pivot "
                               "(CPPStatutPivot_V1_19) but its status is not known")
            self.message_fr = (f"le code statut {code} existe dans le pivot statut "
                               "(CPPStatutPivot_V1_19) mais son statut n'est pas connu")
        else:
            self.message_en = f"{code!r} is not a Chorus Pro status code (01 to 41)"
            self.message_fr = f"{code!r} n'est pas un code statut Chorus Pro (01 à 41)"
        super().__init__(self.message_en)

    def __str__(self) -> str:
        return self.message_en


def status_by_code(code: int) -> Status:
    """Return the status whose life-cycle code is ``code``; :class:`StatusCodeError` otherwise.

    >>> status_by_code(3)
    <Status.MISE_A_DISPOSITION: 'MISE_A_DISPOSITION'>
    >>> status_by_code(41)
    Traceback (most recent call last):
    ...
    chorus_core.workflow.statuses.StatusCodeError: status code 41 exists in the status pivot ...
    """
    found = _BY_CODE.get(code) if isinstance(code, int) else None
    if found is None:
        raise StatusCodeError(code)
    return found
