"""Rejection policies: the least costly return for the problems found on a received invoice.

A recipient who finds problems on an invoice has three returns, from the cheapest to the
costliest for the supplier: *recycle* (``A_RECYCLER``: wrong routing data, fixed without a new
invoice), *suspend* (``SUSPENDUE``: a missing document, fixed by completing the invoice) and
*reject* (``REJETEE``: wrong content, a new invoice must be issued).  :func:`recommend` picks
the return that the problems call for: a content error forces a rejection; otherwise a routing
error calls for recycling (the right recipient will ask for missing documents itself);
otherwise missing documents call for a suspension.  Deposit-level findings
(:attr:`~chorus_core.errors.Policy.REFUSED_AT_DEPOSIT`) mean no invoice exists in the workflow.

Chorus Pro takes a free-text motif (at most 255 characters); :class:`Problem` is our coded
vocabulary, each problem mapped to a reason code of the French 2026 reform (CDAR, MDT-113,
:class:`ReasonCode`) allowed for the reform status of its return: 208 *Suspendue* for
recycling and suspension (the reform suspends for routing errors), 210 *Refusée* for rejection.

More information:

* ``../shared/research/chorus-rules.md`` §6 (motifs are free text; reform reason codes)

>>> r = recommend([Problem.WRONG_SERVICE_CODE, Problem.MISSING_ATTACHMENT])
>>> r.policy.value, r.action.value, [c.value for c in r.reason_codes]
('recycle', 'send_for_recycling', ['CODE_ROUTAGE_ERR'])
>>> r.motif
'Code service erroné ou absent'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from chorus_core.errors import Finding, Policy

from .statuses import Status
from .transitions import MOTIF_MAX_LENGTH, Action

__all__ = [
    "POLICY_ACTIONS",
    "PROBLEMS",
    "REASON_CODES_BY_REFORM_STATUS",
    "Problem",
    "ProblemInfo",
    "ReasonCode",
    "Recommendation",
    "recommend",
    "truncate_motif",
]


class ReasonCode(StrEnum):
    """Reason codes of the French 2026 e-invoicing reform (CDAR lifecycle, MDT-113)."""

    NON_TRANSMISE = "NON_TRANSMISE"
    JUSTIF_ABS = "JUSTIF_ABS"
    ROUTAGE_ERR = "ROUTAGE_ERR"
    AUTRE = "AUTRE"
    COORD_BANC_ERR = "COORD_BANC_ERR"
    TX_TVA_ERR = "TX_TVA_ERR"
    MONTANTTOTAL_ERR = "MONTANTTOTAL_ERR"
    CALCUL_ERR = "CALCUL_ERR"
    NON_CONFORME = "NON_CONFORME"
    DOUBLON = "DOUBLON"
    DEST_INC = "DEST_INC"
    DEST_ERR = "DEST_ERR"
    TRANSAC_INC = "TRANSAC_INC"
    EMMET_INC = "EMMET_INC"
    CONTRAT_TERM = "CONTRAT_TERM"
    DOUBLE_FACT = "DOUBLE_FACT"
    CMD_ERR = "CMD_ERR"
    ADR_ERR = "ADR_ERR"
    SIRET_ERR = "SIRET_ERR"
    CODE_ROUTAGE_ERR = "CODE_ROUTAGE_ERR"
    REF_CT_ABSENT = "REF_CT_ABSENT"
    REF_ERR = "REF_ERR"
    PU_ERR = "PU_ERR"
    REM_ERR = "REM_ERR"
    QTE_ERR = "QTE_ERR"
    ART_ERR = "ART_ERR"
    MODPAI_ERR = "MODPAI_ERR"
    QUALITE_ERR = "QUALITE_ERR"
    LIVR_INCOMP = "LIVR_INCOMP"
    REJ_SEMAN = "REJ_SEMAN"
    REJ_UNI = "REJ_UNI"
    REJ_COH = "REJ_COH"
    REJ_ADR = "REJ_ADR"
    REJ_CONT_B2G = "REJ_CONT_B2G"
    REJ_REF_PJ = "REJ_REF_PJ"
    REJ_ASS_PJ = "REJ_ASS_PJ"
    IRR_VIDE_F = "IRR_VIDE_F"
    IRR_TYPE_F = "IRR_TYPE_F"
    IRR_SYNTAX = "IRR_SYNTAX"
    IRR_TAILLE_PJ = "IRR_TAILLE_PJ"
    IRR_NOM_PJ = "IRR_NOM_PJ"
    IRR_VID_PJ = "IRR_VID_PJ"
    IRR_EXT_DOC = "IRR_EXT_DOC"
    IRR_TAILLE_F = "IRR_TAILLE_F"
    IRR_ANTIVIRUS = "IRR_ANTIVIRUS"


_R = ReasonCode
REASON_CODES_BY_REFORM_STATUS: Mapping[int, frozenset[ReasonCode]] = MappingProxyType({
    208: frozenset({_R.JUSTIF_ABS, _R.COORD_BANC_ERR, _R.CMD_ERR, _R.SIRET_ERR,
                    _R.CODE_ROUTAGE_ERR, _R.REF_CT_ABSENT, _R.REF_ERR}),
    210: frozenset({_R.TX_TVA_ERR, _R.MONTANTTOTAL_ERR, _R.CALCUL_ERR, _R.NON_CONFORME,
                    _R.DOUBLON, _R.DEST_ERR, _R.TRANSAC_INC, _R.EMMET_INC, _R.CONTRAT_TERM,
                    _R.DOUBLE_FACT, _R.CMD_ERR, _R.ADR_ERR, _R.REF_CT_ABSENT}),
    213: frozenset({_R.MONTANTTOTAL_ERR, _R.CALCUL_ERR, _R.DOUBLON, _R.DEST_INC, _R.ADR_ERR}
                   | {code for code in ReasonCode if code.startswith("REJ_")}),
})
"""Reason codes allowed per reform status: 208 Suspendue, 210 Refusée, 213 Rejetée
(schematron BR-FR-CDV-CL-09)."""


class Problem(StrEnum):
    """A problem a recipient finds on a received invoice (our coded vocabulary)."""

    WRONG_RECIPIENT_SIRET = "wrong_recipient_siret"
    WRONG_SERVICE_CODE = "wrong_service_code"
    WRONG_ENGAGEMENT = "wrong_engagement"
    MISSING_ATTACHMENT = "missing_attachment"
    MISSING_DELIVERY_PROOF = "missing_delivery_proof"
    MISSING_CONTRACT_REFERENCE = "missing_contract_reference"
    WRONG_REFERENCE = "wrong_reference"
    WRONG_BANK_DETAILS = "wrong_bank_details"
    WRONG_VAT_RATE = "wrong_vat_rate"
    WRONG_TOTAL = "wrong_total"
    CALCULATION_ERROR = "calculation_error"
    DUPLICATE = "duplicate"
    ALREADY_INVOICED = "already_invoiced"
    UNKNOWN_ORDER = "unknown_order"
    UNKNOWN_SUPPLIER = "unknown_supplier"
    CONTRACT_ENDED = "contract_ended"
    WRONG_ADDRESS = "wrong_address"
    NON_COMPLIANT = "non_compliant"


class ProblemInfo(NamedTuple):
    """How a problem is returned: policy, reform reason code, FR and EN motif text."""

    problem: Problem
    policy: Policy
    reason_code: ReasonCode
    motif_fr: str
    motif_en: str


_P, _RE, _SU, _RJ = Problem, Policy.RECYCLE, Policy.SUSPEND, Policy.REJECT
PROBLEMS: Mapping[Problem, ProblemInfo] = MappingProxyType({
    row[0]: ProblemInfo(*row) for row in (
        (_P.WRONG_RECIPIENT_SIRET, _RE, _R.SIRET_ERR, "SIRET du destinataire erroné",
         "Wrong recipient SIRET"),
        (_P.WRONG_SERVICE_CODE, _RE, _R.CODE_ROUTAGE_ERR, "Code service erroné ou absent",
         "Wrong or missing service code"),
        (_P.WRONG_ENGAGEMENT, _RE, _R.CMD_ERR, "Numéro d'engagement juridique erroné",
         "Wrong purchase order (engagement) number"),
        (_P.MISSING_ATTACHMENT, _SU, _R.JUSTIF_ABS, "Pièce justificative manquante",
         "Missing supporting document"),
        (_P.MISSING_DELIVERY_PROOF, _SU, _R.JUSTIF_ABS,
         "Bon de livraison ou attestation de service fait manquant",
         "Missing delivery note or proof of service"),
        (_P.MISSING_CONTRACT_REFERENCE, _SU, _R.REF_CT_ABSENT, "Référence du marché absente",
         "Missing contract reference"),
        (_P.WRONG_REFERENCE, _SU, _R.REF_ERR, "Référence erronée", "Wrong reference"),
        (_P.WRONG_BANK_DETAILS, _SU, _R.COORD_BANC_ERR, "Coordonnées bancaires erronées",
         "Wrong bank details"),
        (_P.WRONG_VAT_RATE, _RJ, _R.TX_TVA_ERR, "Taux de TVA erroné", "Wrong VAT rate"),
        (_P.WRONG_TOTAL, _RJ, _R.MONTANTTOTAL_ERR, "Montant total erroné", "Wrong total amount"),
        (_P.CALCULATION_ERROR, _RJ, _R.CALCUL_ERR, "Erreur de calcul", "Calculation error"),
        (_P.DUPLICATE, _RJ, _R.DOUBLON, "Facture en doublon", "Duplicate invoice"),
        (_P.ALREADY_INVOICED, _RJ, _R.DOUBLE_FACT, "Prestation déjà facturée",
         "Already invoiced"),
        (_P.UNKNOWN_ORDER, _RJ, _R.TRANSAC_INC, "Commande ou transaction inconnue",
         "Unknown order or transaction"),
        (_P.UNKNOWN_SUPPLIER, _RJ, _R.EMMET_INC, "Émetteur inconnu", "Unknown issuer"),
        (_P.CONTRACT_ENDED, _RJ, _R.CONTRAT_TERM, "Marché terminé", "Contract ended"),
        (_P.WRONG_ADDRESS, _RJ, _R.ADR_ERR, "Adresse erronée", "Wrong address"),
        (_P.NON_COMPLIANT, _RJ, _R.NON_CONFORME, "Facture non conforme", "Non-compliant invoice"),
    )
})
"""Each problem's policy, reform reason code and motif text."""

POLICY_ACTIONS: Mapping[Policy, tuple[Action, Status]] = MappingProxyType({
    Policy.RECYCLE: (Action.SEND_FOR_RECYCLING, Status.A_RECYCLER),
    Policy.SUSPEND: (Action.SUSPEND, Status.SUSPENDUE),
    Policy.REJECT: (Action.REJECT, Status.REJETEE),
})
"""The recipient action and resulting status of each return policy."""

# Reason code for a finding that only carries a policy (e.g. a directory routing check).
_FINDING_REASON: Mapping[Policy, ReasonCode] = MappingProxyType({
    Policy.RECYCLE: ReasonCode.ROUTAGE_ERR,
    Policy.SUSPEND: ReasonCode.JUSTIF_ABS,
    Policy.REJECT: ReasonCode.NON_CONFORME,
    Policy.REFUSED_AT_DEPOSIT: ReasonCode.REJ_CONT_B2G,
})

# Which policy wins when problems call for several: no invoice > new invoice > re-route > wait.
_PRECEDENCE = (Policy.REFUSED_AT_DEPOSIT, Policy.REJECT, Policy.RECYCLE, Policy.SUSPEND)


class Recommendation(BaseModel):
    """The return to make: ``policy``, the recipient ``action`` and ``target`` status (None
    when nothing is to be done in the workflow), the FR ``motif`` (≤ 255 characters) and the
    reform ``reason_codes`` of the problems it addresses.  ``deferred`` lists the motifs of the
    other problems, left to a later step (e.g. a missing document after a recycling).
    """

    model_config = ConfigDict(frozen=True)

    policy: Policy
    action: Action | None = None
    target: Status | None = None
    motif: str = ""
    reason_codes: tuple[ReasonCode, ...] = ()
    deferred: tuple[str, ...] = ()


def truncate_motif(text: str, limit: int = MOTIF_MAX_LENGTH) -> str:
    """Return ``text`` cut to ``limit`` characters, ending with "…" when cut.

    >>> truncate_motif("x" * 300)[-3:], len(truncate_motif("x" * 300))
    ('xx…', 255)
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Item(NamedTuple):
    policy: Policy
    reason: ReasonCode
    text: str


def _item(problem: Problem | Finding) -> _Item | None:
    if isinstance(problem, Finding):
        if problem.policy is Policy.NONE:
            return None
        return _Item(problem.policy, _FINDING_REASON[problem.policy],
                     f"{problem.message_fr} ({problem.code})")
    info = PROBLEMS[problem]
    return _Item(info.policy, info.reason_code, info.motif_fr)


def recommend(problems: Iterable[Problem | Finding]) -> Recommendation:
    """Recommend the least costly return that deals with ``problems``.

    Accepts our :class:`Problem` codes and :class:`~chorus_core.errors.Finding` objects whose
    ``policy`` is set (findings with ``Policy.NONE`` are ignored).  With nothing to return,
    the policy is ``Policy.NONE``.

    >>> recommend([Problem.MISSING_ATTACHMENT, Problem.WRONG_VAT_RATE]).policy
    <Policy.REJECT: 'reject'>
    >>> recommend([]).policy
    <Policy.NONE: 'none'>
    """
    items = [item for item in map(_item, problems) if item is not None]
    chosen = next((p for p in _PRECEDENCE if any(i.policy is p for i in items)), Policy.NONE)
    if chosen is Policy.NONE:
        return Recommendation(policy=Policy.NONE)
    texts = list(dict.fromkeys(i.text for i in items if i.policy is chosen))
    codes = tuple(dict.fromkeys(i.reason for i in items if i.policy is chosen))
    deferred = tuple(dict.fromkeys(i.text for i in items if i.policy is not chosen))
    action, target = POLICY_ACTIONS.get(chosen, (None, None))
    return Recommendation(
        policy=chosen, action=action, target=target, motif=truncate_motif(" ; ".join(texts)),
        reason_codes=codes, deferred=deferred,
    )
