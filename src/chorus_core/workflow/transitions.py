"""Chorus Pro transition table: who may move an invoice from which status to which, with what.

Every allowed move is one :class:`Transition` row: from-status, :class:`Action`, to-status,
:class:`~chorus_core.workflow.statuses.Actor`, the data it requires (:class:`Requirement`: a
motif, the mandate number, new routing data, an attachment or a comment) and the conditions on
the recipient structure or the cadre (:class:`Condition`).  :data:`TRANSITIONS` is the default
table for simple invoices (cadres A1, A2, A9, A12); :class:`TransitionTable` wraps rows so that
callers can supply their own.  ``source`` is ``None`` for the actions that create an invoice.

Where the sources are silent or disagree, the row says so in ``basis`` and ``note``:

* From ``MISE_A_DISPOSITION`` the official ``recupererEtatsPossiblesPourTraitement`` example
  lists ``SUSPENDUE, REJETEE, MANDATEE, MISE_EN_PAIEMENT, COMPTABILISEE,
  MISE_A_DISPOSITION_COMPTABLE, A_RECYCLER``; ``SERVICE_FAIT`` is added (AIFE article, Pastell).
* ``COMPLETEE`` offers the same moves as ``MISE_A_DISPOSITION`` (Pastell treats both alike).
* Processing statuses only move forward (service fait → mandatée → MAD comptable →
  comptabilisée → mise en paiement, each optional); from ``SERVICE_FAIT`` the recipient may
  still suspend or reject (our choice, unconfirmed), but no longer send for recycling.
* For Hélios-managed entities, MAD comptable, comptabilisée and mise en paiement come from the
  accountant only; ``MISE_EN_PAIEMENT`` exists only where the structure manages that status.
* A9/A12 go through the validation circuit before ``DEPOSEE``; a validator that does not act
  within 15 days validates tacitly (``ABSENCE_VALIDATION_*_HORS_DELAI``, set by Chorus Pro).
* ``REJETEE`` is terminal: the supplier's acknowledgement (``traiterFacturesRejetees``) does
  not change the status and is not a transition; a new invoice must be issued.  The
  acknowledgement is due within 7 days (:func:`~chorus_core.workflow.clock.acknowledgement_due`).
* A suspension is possible once per invoice (CCP R2192-27: the delay « peut être interrompu
  une seule fois »), so no second ``SUSPEND`` after ``COMPLETEE``.
* The recipient may reject from ``MANDATEE`` and ``MISE_A_DISPOSITION_COMPTABLE`` (DGCL FAQ:
  when the accountant rejects the mandate, « la collectivité rejette la facture »; the rows are
  ours).
* ``MANDATE`` takes an optional mandate number (``numeroDPMandat``): no source requires it.
* ``SEND_FOR_RECYCLING`` is ``traiterFactureRecue`` with ``nouveauStatut=A_RECYCLER``: in the
  official example of allowed targets, though Pastell's connector says it no longer is one.
* **Library's choice:** ``MISE_EN_PAIEMENT`` is terminal in this table (Hélios may still set
  « mandatée » afterwards; :meth:`~chorus_core.workflow.machine.History.observed` accepts such
  histories and the clock stays paid).
* **Library's choice:** a recycling motif is optional (confirmed only for suspension and
  rejection); any motif is limited to 255 characters (Pastell truncates there).

More information:

* ``../shared/research/chorus-rules.md`` §2 (operations, table, validation circuit)
* https://communaute.chorus-pro.gouv.fr/recuperer-etats-possibles-pour-traitement/

>>> [t.target.value for t in DEFAULT_TABLE.candidates(Status.SUSPENDUE, Action.COMPLETE)]
['COMPLETEE']
>>> sorted(r.value for r in DEFAULT_TABLE.candidates(Status.MISE_A_DISPOSITION,
...                                                  Action.SUSPEND)[0].requires)
['motif']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from chorus_core.errors import WorkflowError
from chorus_core.model.routing import CADRES, normalize_cadre

from .statuses import STATUSES, Actor, Status

__all__ = [
    "ACTION_LABELS_FR",
    "DEFAULT_TABLE",
    "MOTIF_MAX_LENGTH",
    "TRANSITIONS",
    "VALIDATION_DELAY_DAYS",
    "Action",
    "Basis",
    "Condition",
    "Context",
    "Requirement",
    "TableError",
    "Transition",
    "TransitionTable",
    "condition_holds",
]

MOTIF_MAX_LENGTH = 255
"""Longest motif sent to Chorus Pro (Pastell truncates there; not confirmed by AIFE)."""

VALIDATION_DELAY_DAYS = 15
"""Days a validator has before validation becomes tacit (A9/A12 circuit)."""


class Action(StrEnum):
    """What an actor does to an invoice; each maps to a Chorus Pro operation."""

    SAVE_DRAFT = "save_draft"
    DEPOSIT = "deposit"
    DELETE_DRAFT = "delete_draft"
    VALIDATE = "validate"
    REFUSE = "refuse"
    REPORT_WRONG_VALIDATOR = "report_wrong_validator"
    CORRECT_VALIDATOR = "correct_validator"
    TACIT_VALIDATION = "tacit_validation"
    FORWARD = "forward"
    ROUTE = "route"
    MAKE_AVAILABLE = "make_available"
    SUSPEND = "suspend"
    REJECT = "reject"
    SEND_FOR_RECYCLING = "send_for_recycling"
    RECYCLE = "recycle"
    COMPLETE = "complete"
    CERTIFY_SERVICE_DONE = "certify_service_done"
    MANDATE = "mandate"
    HAND_TO_ACCOUNTANT = "hand_to_accountant"
    BOOK = "book"
    PAY = "pay"


ACTION_LABELS_FR: Mapping[Action, str] = MappingProxyType({
    Action.SAVE_DRAFT: "enregistrer en brouillon",
    Action.DEPOSIT: "déposer (soumettreFacture)",
    Action.DELETE_DRAFT: "supprimer le brouillon",
    Action.VALIDATE: "valider (traiterFactureAValider)",
    Action.REFUSE: "refuser pour autre motif",
    Action.REPORT_WRONG_VALIDATOR: "signaler une erreur de valideur",
    Action.CORRECT_VALIDATOR: "corriger le valideur (corrigerValideurFacture)",
    Action.TACIT_VALIDATION: "validation tacite après le délai",
    Action.FORWARD: "transmettre après validation",
    Action.ROUTE: "acheminer",
    Action.MAKE_AVAILABLE: "mettre à disposition du destinataire",
    Action.SUSPEND: "suspendre",
    Action.REJECT: "rejeter",
    Action.SEND_FOR_RECYCLING: "mettre à recycler",
    Action.RECYCLE: "recycler (recyclerFacture)",
    Action.COMPLETE: "compléter (completerFacture)",
    Action.CERTIFY_SERVICE_DONE: "constater le service fait",
    Action.MANDATE: "mandater",
    Action.HAND_TO_ACCOUNTANT: "mettre à disposition du comptable",
    Action.BOOK: "comptabiliser",
    Action.PAY: "mettre en paiement",
})
"""French label of each action (with the Chorus Pro operation where it helps)."""


class Requirement(StrEnum):
    """Data an action must carry."""

    MOTIF = "motif"
    MANDATE_NUMBER = "mandate_number"
    NEW_ROUTING = "new_routing"
    ATTACHMENT_OR_COMMENT = "attachment_or_comment"


class Condition(StrEnum):
    """A condition on the cadre, the recipient structure or the time spent in a status."""

    VALIDATION_CIRCUIT = "validation_circuit"
    NO_VALIDATION_CIRCUIT = "no_validation_circuit"
    SECOND_VALIDATOR = "second_validator"
    NO_SECOND_VALIDATOR = "no_second_validator"
    NOT_HELIOS = "not_helios"
    PAYMENT_STATUS_MANAGED = "payment_status_managed"
    VALIDATION_DELAY_EXPIRED = "validation_delay_expired"
    FIRST_SUSPENSION = "first_suspension"


class Basis(StrEnum):
    """How sure a row is (the confidence marks of the research note)."""

    OFFICIAL = "official"
    CLIENT = "client"
    INFERRED = "inferred"
    CHOICE = "choice"


class Context(BaseModel):
    """The facts about an invoice's cadre and recipient structure that the conditions read.

    ``cadre`` is normalized (``A1`` when absent); ``second_validator`` is only meaningful for
    the validation cadres; ``helios`` is true for entities whose accounts are kept in Hélios;
    ``payment_status_managed`` mirrors the directory flag ``GestionStatutMiseEnPaiement``.

    >>> Context(cadre="A9").validation_circuit
    True
    """

    model_config = ConfigDict(frozen=True)

    cadre: str = "A1"
    second_validator: bool = False
    helios: bool = False
    payment_status_managed: bool = True

    @field_validator("cadre", mode="before")
    @classmethod
    def _known_cadre(cls, value: object) -> str:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"cadre de facturation must be a code such as 'A1', not {value!r}")
        code = normalize_cadre(value)
        if code not in CADRES:
            raise ValueError(f"unknown cadre de facturation {code!r}")
        return code

    @model_validator(mode="after")
    def _second_needs_circuit(self) -> Context:
        if self.second_validator and not self.validation_circuit:
            raise ValueError(f"cadre {self.cadre} has no validator, so no second validator")
        return self

    @property
    def validation_circuit(self) -> bool:
        """True when the cadre needs a validator (A9, A12)."""
        return CADRES[self.cadre].needs_validator


def condition_holds(
    condition: Condition,
    context: Context,
    days_in_status: int | None,
    *,
    validation_delay_days: int = VALIDATION_DELAY_DAYS,
    suspended_before: bool = False,
) -> bool:
    """Tell whether ``condition`` holds for ``context``, ``days_in_status`` days after entry.

    ``days_in_status`` is None when no date is known, and then the delay is not expired.
    ``suspended_before`` tells whether the invoice has already been suspended once
    (:attr:`Condition.FIRST_SUSPENSION`: CCP R2192-27, the delay is interrupted once only).

    >>> condition_holds(Condition.NOT_HELIOS, Context(helios=True), 0)
    False
    >>> condition_holds(Condition.VALIDATION_DELAY_EXPIRED, Context(cadre="A9"), 15)
    True
    """
    if condition is Condition.VALIDATION_DELAY_EXPIRED:
        return days_in_status is not None and days_in_status >= validation_delay_days
    if condition is Condition.FIRST_SUSPENSION:
        return not suspended_before
    return _CONTEXT_CONDITIONS[condition](context)


_CONTEXT_CONDITIONS: Mapping[Condition, Callable[[Context], bool]] = {
    Condition.VALIDATION_CIRCUIT: lambda c: c.validation_circuit,
    Condition.NO_VALIDATION_CIRCUIT: lambda c: not c.validation_circuit,
    Condition.SECOND_VALIDATOR: lambda c: c.second_validator,
    Condition.NO_SECOND_VALIDATOR: lambda c: not c.second_validator,
    Condition.NOT_HELIOS: lambda c: not c.helios,
    Condition.PAYMENT_STATUS_MANAGED: lambda c: c.payment_status_managed,
}


class Transition(NamedTuple):
    """One row of the table: ``actor`` may do ``action`` on ``source``, giving ``target``."""

    source: Status | None
    action: Action
    target: Status
    actor: Actor
    requires: frozenset[Requirement] = frozenset()
    conditions: frozenset[Condition] = frozenset()
    basis: Basis = Basis.OFFICIAL
    note: str = ""


class TableError(WorkflowError):
    """A transition table is inconsistent (e.g. a row leaves a terminal status)."""


class TransitionTable:
    """An immutable set of :class:`Transition` rows with the terminal statuses they respect.

    ``terminal`` defaults to the statuses marked terminal in
    :data:`~chorus_core.workflow.statuses.STATUSES`.  A row that leaves a terminal status
    raises :class:`TableError`.  ``validation_delay_days`` is the delay after which Chorus Pro
    may validate tacitly (:data:`VALIDATION_DELAY_DAYS` by default).

    >>> TransitionTable([Transition(Status.REJETEE, Action.RECYCLE, Status.DEPOSEE,
    ...                             Actor.SUPPLIER)])
    Traceback (most recent call last):
    ...
    chorus_core.workflow.transitions.TableError: row leaves terminal status REJETEE: recycle
    """

    def __init__(
        self,
        rows: Iterable[Transition],
        *,
        terminal: Iterable[Status] | None = None,
        validation_delay_days: int = VALIDATION_DELAY_DAYS,
    ):
        self.validation_delay_days = validation_delay_days
        self.rows: tuple[Transition, ...] = tuple(rows)
        self.terminal: frozenset[Status] = frozenset(
            (s for s, info in STATUSES.items() if info.terminal) if terminal is None else terminal
        )
        for row in self.rows:
            if row.source in self.terminal:
                raise TableError(f"row leaves terminal status {row.source}: {row.action}")
        index: dict[tuple[Status | None, Action], list[Transition]] = {}
        for row in self.rows:
            index.setdefault((row.source, row.action), []).append(row)
        self._index = {key: tuple(rows) for key, rows in index.items()}
        leaving: dict[Status | None, list[Transition]] = {}
        for row in self.rows:
            leaving.setdefault(row.source, []).append(row)
        self._leaving = {source: tuple(rows) for source, rows in leaving.items()}

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"TransitionTable({len(self.rows)} rows)"

    def candidates(self, source: Status | None, action: Action) -> tuple[Transition, ...]:
        """The rows for ``action`` from ``source``, in table order."""
        return self._index.get((source, action), ())

    def unmet(
        self,
        row: Transition,
        context: Context,
        days_in_status: int | None,
        *,
        suspended_before: bool = False,
    ) -> tuple[Condition, ...]:
        """The conditions of ``row`` that do not hold, in a stable order."""
        return tuple(
            c for c in sorted(row.conditions)
            if not condition_holds(c, context, days_in_status,
                                   validation_delay_days=self.validation_delay_days,
                                   suspended_before=suspended_before)
        )

    def leaving(self, source: Status | None) -> tuple[Transition, ...]:
        """The rows whose from-status is ``source``, in table order."""
        return self._leaving.get(source, ())

    def is_terminal(self, status: Status | None) -> bool:
        """True when ``status`` accepts no action."""
        return status in self.terminal

    def statuses(self) -> tuple[Status, ...]:
        """Every status the rows mention, in order of first appearance."""
        seen: dict[Status, None] = {}
        for row in self.rows:
            if row.source is not None:
                seen.setdefault(row.source)
            seen.setdefault(row.target)
        return tuple(seen)


_S, _R, _V = Actor.SUPPLIER, Actor.RECIPIENT, Actor.VALIDATOR
_A, _C = Actor.ACCOUNTANT, Actor.CHORUS_PRO
_MOTIF = frozenset({Requirement.MOTIF})
_NONE: frozenset[Condition] = frozenset()


def _when(*conditions: Condition) -> frozenset[Condition]:
    return frozenset(conditions)


_SENDING: tuple[Transition, ...] = (
    Transition(None, Action.SAVE_DRAFT, Status.BROUILLON, _S, basis=Basis.OFFICIAL,
               note="portail : enregistrer sans envoyer"),
    Transition(None, Action.DEPOSIT, Status.DEPOSEE, _S,
               conditions=_when(Condition.NO_VALIDATION_CIRCUIT),
               note="contrôles d'acheminement passés (sinon refus au dépôt)"),
    Transition(None, Action.DEPOSIT, Status.A_VALIDER_1, _S,
               conditions=_when(Condition.VALIDATION_CIRCUIT), basis=Basis.INFERRED,
               note="A9/A12 : valideur obligatoire"),
    Transition(Status.BROUILLON, Action.DEPOSIT, Status.DEPOSEE, _S,
               conditions=_when(Condition.NO_VALIDATION_CIRCUIT), note="valider et envoyer"),
    Transition(Status.BROUILLON, Action.DEPOSIT, Status.A_VALIDER_1, _S,
               conditions=_when(Condition.VALIDATION_CIRCUIT), basis=Basis.INFERRED),
    Transition(Status.BROUILLON, Action.DELETE_DRAFT, Status.SUPPRIMEE, _S,
               basis=Basis.INFERRED),
)

_VALIDATION: tuple[Transition, ...] = (
    *(row
    for waiting, wrong, refused, validated, tacit in (
        (Status.A_VALIDER_1, Status.ERREUR_FOURNISSEUR_SUR_VALIDEUR, Status.REFUSEE_1,
         Status.VALIDEE_1, Status.ABSENCE_VALIDATION_1_HORS_DELAI),
        (Status.A_VALIDER_2, Status.ERREUR_COTRAITANT_SUR_VALIDEUR, Status.REFUSEE_2,
         Status.VALIDEE_2, Status.ABSENCE_VALIDATION_2_HORS_DELAI),
    )
    for row in (
        Transition(waiting, Action.VALIDATE, validated, _V, basis=Basis.INFERRED),
        Transition(waiting, Action.REFUSE, refused, _V, _MOTIF, basis=Basis.INFERRED,
                   note="motifRefus"),
        Transition(waiting, Action.REPORT_WRONG_VALIDATOR, wrong, _V, basis=Basis.INFERRED),
        Transition(waiting, Action.TACIT_VALIDATION, tacit, _C,
                   conditions=_when(Condition.VALIDATION_DELAY_EXPIRED), basis=Basis.INFERRED,
                   note="validation tacite après 15 jours"),
        Transition(wrong, Action.CORRECT_VALIDATOR, waiting, _S, basis=Basis.INFERRED),
    )),
    Transition(Status.VALIDEE_1, Action.FORWARD, Status.A_VALIDER_2, _C,
               conditions=_when(Condition.SECOND_VALIDATOR), basis=Basis.INFERRED,
               note="sous-traitance dans une cotraitance : cotraitant puis mandataire"),
    Transition(Status.VALIDEE_1, Action.FORWARD, Status.DEPOSEE, _C,
               conditions=_when(Condition.NO_SECOND_VALIDATOR), basis=Basis.INFERRED),
    Transition(Status.ABSENCE_VALIDATION_1_HORS_DELAI, Action.FORWARD, Status.A_VALIDER_2, _C,
               conditions=_when(Condition.SECOND_VALIDATOR), basis=Basis.INFERRED),
    Transition(Status.ABSENCE_VALIDATION_1_HORS_DELAI, Action.FORWARD, Status.DEPOSEE, _C,
               conditions=_when(Condition.NO_SECOND_VALIDATOR), basis=Basis.INFERRED),
    Transition(Status.VALIDEE_2, Action.FORWARD, Status.DEPOSEE, _C, basis=Basis.INFERRED),
    Transition(Status.ABSENCE_VALIDATION_2_HORS_DELAI, Action.FORWARD, Status.DEPOSEE, _C,
               basis=Basis.INFERRED),
)

_ROUTING: tuple[Transition, ...] = (
    Transition(Status.DEPOSEE, Action.ROUTE, Status.EN_COURS_ACHEMINEMENT, _C,
               note="« Déposée est un état transitoire »"),
    Transition(Status.DEPOSEE, Action.MAKE_AVAILABLE, Status.MISE_A_DISPOSITION, _C,
               basis=Basis.INFERRED, note="l'acheminement n'apparaît pas toujours dans "
               "l'historique"),
    Transition(Status.EN_COURS_ACHEMINEMENT, Action.MAKE_AVAILABLE, Status.MISE_A_DISPOSITION,
               _C, note="départ du délai global de paiement"),
)

# The optional processing ladder: from any rung (or from an available invoice) the recipient or
# the accountant may set any later rung.  (target, action, [(actor, conditions, requirements)])
_LADDER: tuple[tuple[Status, Action, tuple[tuple[Actor, frozenset[Condition],
                                                 frozenset[Requirement]], ...]], ...] = (
    (Status.SERVICE_FAIT, Action.CERTIFY_SERVICE_DONE, ((_R, _NONE, frozenset()),)),
    # The mandate number is optional: sent by some API clients, required by no source (§9).
    (Status.MANDATEE, Action.MANDATE, ((_R, _NONE, frozenset()),)),
    (Status.MISE_A_DISPOSITION_COMPTABLE, Action.HAND_TO_ACCOUNTANT,
     ((_R, _when(Condition.NOT_HELIOS), frozenset()), (_A, _NONE, frozenset()))),
    (Status.COMPTABILISEE, Action.BOOK,
     ((_R, _when(Condition.NOT_HELIOS), frozenset()), (_A, _NONE, frozenset()))),
    (Status.MISE_EN_PAIEMENT, Action.PAY,
     ((_R, _when(Condition.NOT_HELIOS, Condition.PAYMENT_STATUS_MANAGED), frozenset()),
      (_A, _when(Condition.PAYMENT_STATUS_MANAGED), frozenset()))),
)

_LADDER_BASIS = {
    Status.SERVICE_FAIT: (Basis.CLIENT, "absent de l'exemple officiel, accepté par Pastell"),
    Status.MANDATEE: (Basis.OFFICIAL, "numeroDPMandat facultatif (aucune source ne l'exige)"),
    Status.MISE_A_DISPOSITION_COMPTABLE: (Basis.OFFICIAL, "Hélios : automatique, par le comptable"),
    Status.COMPTABILISEE: (Basis.OFFICIAL, "statut optionnel"),
    Status.MISE_EN_PAIEMENT: (Basis.OFFICIAL, "si la structure gère le statut mise en paiement"),
}


def _returns(source: Status, *, recycling: bool, basis: Basis) -> tuple[Transition, ...]:
    rows = [
        # CCP R2192-27: the delay « peut être interrompu une seule fois » (one suspension).
        Transition(source, Action.SUSPEND, Status.SUSPENDUE, _R, _MOTIF,
                   _when(Condition.FIRST_SUSPENSION), basis=basis,
                   note="pièce ou document manquant ; une seule suspension (CCP R2192-27)"),
        Transition(source, Action.REJECT, Status.REJETEE, _R, _MOTIF, basis=basis,
                   note="le fournisseur doit émettre une nouvelle facture"),
    ]
    if recycling:
        # traiterFactureRecue with nouveauStatut A_RECYCLER: listed by the official
        # recupererEtatsPossiblesPourTraitement example; Pastell's connector says it is no
        # longer a target.  Kept on the official example (§2.2, §9).
        rows.append(Transition(source, Action.SEND_FOR_RECYCLING, Status.A_RECYCLER, _R,
                               basis=basis, note="traiterFactureRecue, nouveauStatut "
                               "A_RECYCLER (exemple officiel ; contesté par Pastell)"))
    return tuple(rows)


# DGCL FAQ: when the accountant rejects the mandate for a reason in the invoice, « la
# collectivité rejette la facture ».  The fact is confirmed, the exact rows are ours.
_AFTER_MANDATE_REJECTIONS: tuple[Transition, ...] = tuple(
    Transition(source, Action.REJECT, Status.REJETEE, _R, _MOTIF, basis=Basis.INFERRED,
               note="rejet du mandat par le comptable (FAQ DGCL)")
    for source in (Status.MANDATEE, Status.MISE_A_DISPOSITION_COMPTABLE)
)


def _ladder_from(source: Status, start: int, basis: Basis | None) -> tuple[Transition, ...]:
    return tuple(
        Transition(source, action, target, actor, requires, conditions,
                   basis=basis or _LADDER_BASIS[target][0], note=_LADDER_BASIS[target][1])
        for target, action, variants in _LADDER[start:]
        for actor, conditions, requires in variants
    )


_RECEPTION: tuple[Transition, ...] = (
    *_returns(Status.MISE_A_DISPOSITION, recycling=True, basis=Basis.OFFICIAL),
    *_ladder_from(Status.MISE_A_DISPOSITION, 0, None),
    *_returns(Status.COMPLETEE, recycling=True, basis=Basis.INFERRED),
    *_ladder_from(Status.COMPLETEE, 0, Basis.INFERRED),
    *_returns(Status.SERVICE_FAIT, recycling=False, basis=Basis.CHOICE),
    *(row for i, (rung, _, _) in enumerate(_LADDER[:-1])
      for row in _ladder_from(rung, i + 1, Basis.INFERRED)),
    *_AFTER_MANDATE_REJECTIONS,
)

_SUPPLIER_RETURNS: tuple[Transition, ...] = (
    Transition(Status.SUSPENDUE, Action.COMPLETE, Status.COMPLETEE, _S,
               frozenset({Requirement.ATTACHMENT_OR_COMMENT}),
               note="pièces jointes et/ou commentaire ; reprise du délai de paiement"),
    Transition(Status.A_RECYCLER, Action.RECYCLE, Status.DEPOSEE, _S,
               frozenset({Requirement.NEW_ROUTING}),
               note="SIRET, code service ou engagement corrigé ; même numéro de facture"),
)

TRANSITIONS: tuple[Transition, ...] = (
    _SENDING + _VALIDATION + _ROUTING + _RECEPTION + _SUPPLIER_RETURNS
)
"""The default transition rows for simple invoices, in reading order."""

DEFAULT_TABLE = TransitionTable(TRANSITIONS)
"""The default :class:`TransitionTable` built from :data:`TRANSITIONS`."""
