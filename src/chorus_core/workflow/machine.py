"""Invoice status machine: an append-only history and the pure ``apply`` that extends it.

A :class:`History` is the :class:`~chorus_core.workflow.transitions.Context` of an invoice (its
cadre and recipient structure) plus the ordered :class:`Event` records of its statuses.
:func:`apply` checks one action against a
:class:`~chorus_core.workflow.transitions.TransitionTable` and returns a *new* history with one
more event, or raises :class:`TransitionRefused` naming the current status, the action, the
actor and the :class:`Refusal` reason.  :func:`allowed_actions` answers "what can I do with
this invoice?" for one actor.  Nothing here reads the clock: every action carries its date.

>>> from datetime import date
>>> h = apply(History(), Action.DEPOSIT, Actor.SUPPLIER, date(2026, 3, 2))
>>> h = apply(h, Action.MAKE_AVAILABLE, Actor.CHORUS_PRO, date(2026, 3, 2))
>>> h.status
<Status.MISE_A_DISPOSITION: 'MISE_A_DISPOSITION'>
>>> try:
...     apply(h, Action.REJECT, Actor.RECIPIENT, date(2026, 3, 5))
... except TransitionRefused as refused:
...     print(refused.status, refused.action, refused.actor, refused.reason)
MISE_A_DISPOSITION reject recipient missing_motif
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from itertools import pairwise

from pydantic import BaseModel, ConfigDict, field_validator

from chorus_core.errors import WorkflowError
from chorus_core.model import check_siret

from .statuses import STATUSES, Actor, Status
from .transitions import (
    DEFAULT_TABLE,
    MOTIF_MAX_LENGTH,
    Action,
    Condition,
    Context,
    Requirement,
    Transition,
    TransitionTable,
)

__all__ = [
    "Event",
    "History",
    "NewRouting",
    "Refusal",
    "TransitionRefused",
    "allowed_actions",
    "apply",
]


class NewRouting(BaseModel):
    """Corrected routing data sent with a recycling (``recyclerFacture``).

    At least one of the recipient SIRET (BT-46), the code service (BT-10) and the engagement
    number (BT-13) is expected; :attr:`given` tells whether any is.  A SIRET must pass its
    check digits (error type ``siret_invalid``).

    >>> NewRouting(code_service="COMPTA").given
    True
    >>> NewRouting(siret="11000201100045")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for NewRouting
    siret
      '11000201100045' is not a valid SIRET: ...
    """

    model_config = ConfigDict(frozen=True)

    siret: str | None = None
    code_service: str | None = None
    engagement: str | None = None

    @field_validator("siret")
    @classmethod
    def _valid_siret(cls, value: str | None) -> str | None:
        return None if value is None or not value.strip() else check_siret(value.strip())

    @property
    def given(self) -> bool:
        """True when at least one routing field is non-blank."""
        return any(v and v.strip() for v in (self.siret, self.code_service, self.engagement))


class Event(BaseModel):
    """One entry of a status history: the status reached, when, by whom, and with what.

    ``action`` is None for events observed from Chorus Pro (see :meth:`History.observed`).
    """

    model_config = ConfigDict(frozen=True)

    status: Status
    on: date
    actor: Actor
    action: Action | None = None
    motif: str | None = None
    mandate_number: str | None = None
    routing: NewRouting | None = None
    attachments: tuple[str, ...] = ()
    comment: str | None = None


class History(BaseModel):
    """The append-only status history of one invoice, with its cadre and recipient context.

    >>> History().status is None
    True
    """

    model_config = ConfigDict(frozen=True)

    context: Context = Context()
    events: tuple[Event, ...] = ()

    @property
    def status(self) -> Status | None:
        """The current status, None before the first event."""
        return self.events[-1].status if self.events else None

    @property
    def last_date(self) -> date | None:
        """The date of the last event, None before the first event."""
        return self.events[-1].on if self.events else None

    def entered_current_status(self) -> date | None:
        """The date the invoice entered its current status (the first of a run of events)."""
        if not self.events:
            return None
        entered = self.events[-1].on
        for event in reversed(self.events):
            if event.status != self.events[-1].status:
                break
            entered = event.on
        return entered

    @classmethod
    def observed(
        cls, statuses: Iterable[tuple[Status, date]], *, context: Context | None = None
    ) -> History:
        """Build a history from statuses read from Chorus Pro (``consulterHistoriqueFacture``).

        Each status is recorded as set by its usual producer, without checking the table: this
        is what Chorus Pro says happened.  Dates must not go backwards.

        >>> h = History.observed([(Status.DEPOSEE, date(2026, 3, 1)),
        ...                       (Status.MISE_A_DISPOSITION, date(2026, 3, 2))])
        >>> h.status, h.last_date
        (<Status.MISE_A_DISPOSITION: 'MISE_A_DISPOSITION'>, datetime.date(2026, 3, 2))
        """
        events = tuple(
            Event(status=status, on=on, actor=STATUSES[status].producer)
            for status, on in statuses
        )
        for before, after in pairwise(events):
            if after.on < before.on:
                raise ValueError(f"{after.status} dated {after.on} before {before.on}")
        return cls(context=context or Context(), events=events)


class Refusal(StrEnum):
    """Why an action is refused (the ``reason`` of :class:`TransitionRefused`)."""

    TERMINAL_STATUS = "terminal_status"
    DATE_BEFORE_LAST_EVENT = "date_before_last_event"
    NOT_ALLOWED_FROM_STATUS = "not_allowed_from_status"
    WRONG_ACTOR = "wrong_actor"
    CONDITION_NOT_MET = "condition_not_met"
    MISSING_MOTIF = "missing_motif"
    MOTIF_TOO_LONG = "motif_too_long"
    MISSING_MANDATE_NUMBER = "missing_mandate_number"
    MISSING_ROUTING = "missing_routing"
    MISSING_ATTACHMENT_OR_COMMENT = "missing_attachment_or_comment"


_REFUSAL_FR = {
    Refusal.TERMINAL_STATUS: "le statut est terminal, aucune action n'est possible",
    Refusal.DATE_BEFORE_LAST_EVENT: "la date précède celle du dernier statut",
    Refusal.NOT_ALLOWED_FROM_STATUS: "action impossible depuis ce statut",
    Refusal.WRONG_ACTOR: "cet acteur ne peut pas faire cette action",
    Refusal.CONDITION_NOT_MET: "condition non remplie (cadre ou structure destinataire)",
    Refusal.MISSING_MOTIF: "motif obligatoire",
    Refusal.MOTIF_TOO_LONG: f"motif de plus de {MOTIF_MAX_LENGTH} caractères",
    Refusal.MISSING_MANDATE_NUMBER: "numéro de mandat (numeroDPMandat) obligatoire",
    Refusal.MISSING_ROUTING: "nouvelles données d'acheminement (SIRET, code service, "
                             "engagement) obligatoires",
    Refusal.MISSING_ATTACHMENT_OR_COMMENT: "pièce jointe ou commentaire obligatoire",
}


class TransitionRefused(WorkflowError):
    """An action is refused: ``status``, ``action``, ``actor`` and the ``reason`` say why.

    ``condition`` names the unmet condition when ``reason`` is ``CONDITION_NOT_MET``;
    ``message_fr`` is the French explanation.
    """

    def __init__(
        self,
        status: Status | None,
        action: Action,
        actor: Actor,
        reason: Refusal,
        *,
        condition: Condition | None = None,
    ):
        self.status = status
        self.action = action
        self.actor = actor
        self.reason = reason
        self.condition = condition
        where = status.value if status is not None else "a new invoice"
        detail = f"{reason.value}" + (f" ({condition.value})" if condition else "")
        super().__init__(f"{action.value} by {actor.value} refused on {where}: {detail}")
        self.message_fr = (
            f"Action « {action.value} » refusée ({actor.value}, statut {where}) : "
            f"{_REFUSAL_FR[reason]}" + (f" [{condition.value}]" if condition else "")
        )


_REQUIREMENT_REFUSAL = {
    Requirement.MOTIF: Refusal.MISSING_MOTIF,
    Requirement.MANDATE_NUMBER: Refusal.MISSING_MANDATE_NUMBER,
    Requirement.NEW_ROUTING: Refusal.MISSING_ROUTING,
    Requirement.ATTACHMENT_OR_COMMENT: Refusal.MISSING_ATTACHMENT_OR_COMMENT,
}


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _days_in_status(history: History, on: date | None) -> int | None:
    entered = history.entered_current_status()
    if on is None or entered is None:
        return None
    return (on - entered).days


def _missing(row: Transition, event: Event) -> Refusal | None:
    present = {
        Requirement.MOTIF: not _blank(event.motif),
        Requirement.MANDATE_NUMBER: not _blank(event.mandate_number),
        Requirement.NEW_ROUTING: event.routing is not None and event.routing.given,
        Requirement.ATTACHMENT_OR_COMMENT: bool(event.attachments) or not _blank(event.comment),
    }
    for requirement in sorted(row.requires):
        if not present[requirement]:
            return _REQUIREMENT_REFUSAL[requirement]
    if event.motif is not None and len(event.motif) > MOTIF_MAX_LENGTH:
        return Refusal.MOTIF_TOO_LONG
    return None


def apply(
    history: History,
    action: Action,
    actor: Actor,
    on: date,
    *,
    motif: str | None = None,
    mandate_number: str | None = None,
    routing: NewRouting | None = None,
    attachments: Iterable[str] = (),
    comment: str | None = None,
    table: TransitionTable = DEFAULT_TABLE,
) -> History:
    """Return ``history`` with the event of ``actor`` doing ``action`` on date ``on``.

    Checks, in order: the current status is not terminal; ``on`` is not before the last event;
    the table has a row for the action from the current status; one is for ``actor``; its
    conditions hold; the data it requires are given (and a motif is at most 255 characters).
    The first failure raises :class:`TransitionRefused`; ``history`` is never changed.

    >>> h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2))])
    >>> h2 = apply(h, Action.SUSPEND, Actor.RECIPIENT, date(2026, 3, 9),
    ...            motif="Bon de livraison manquant")
    >>> [e.status.value for e in h2.events], len(h.events)
    (['MISE_A_DISPOSITION', 'SUSPENDUE'], 1)
    """
    status = history.status

    def refuse(reason: Refusal, condition: Condition | None = None) -> TransitionRefused:
        return TransitionRefused(status, action, actor, reason, condition=condition)

    if table.is_terminal(status):
        raise refuse(Refusal.TERMINAL_STATUS)
    if history.last_date is not None and on < history.last_date:
        raise refuse(Refusal.DATE_BEFORE_LAST_EVENT)
    rows = table.candidates(status, action)
    if not rows:
        raise refuse(Refusal.NOT_ALLOWED_FROM_STATUS)
    mine = [row for row in rows if row.actor == actor]
    if not mine:
        raise refuse(Refusal.WRONG_ACTOR)
    days = _days_in_status(history, on)
    first_unmet: Condition | None = None
    for row in mine:
        unmet = table.unmet(row, history.context, days)
        if not unmet:
            break
        first_unmet = first_unmet or unmet[0]
    else:
        raise refuse(Refusal.CONDITION_NOT_MET, first_unmet)
    event = Event(
        status=row.target, on=on, actor=actor, action=action, motif=motif,
        mandate_number=mandate_number, routing=routing, attachments=tuple(attachments),
        comment=comment,
    )
    missing = _missing(row, event)
    if missing is not None:
        raise refuse(missing)
    return History(context=history.context, events=(*history.events, event))


def allowed_actions(
    history: History,
    actor: Actor,
    on: date | None = None,
    *,
    table: TransitionTable = DEFAULT_TABLE,
) -> tuple[Transition, ...]:
    """The rows ``actor`` may use now: their action, target status and required data.

    ``on`` is the date of the question; without it, delay conditions (tacit validation) are
    taken as not met.  Terminal statuses, and a date before the last event, give nothing.

    >>> h = History.observed([(Status.SUSPENDUE, date(2026, 3, 9))])
    >>> [(t.action.value, t.target.value) for t in allowed_actions(h, Actor.SUPPLIER)]
    [('complete', 'COMPLETEE')]
    """
    status = history.status
    if table.is_terminal(status):
        return ()
    if on is not None and history.last_date is not None and on < history.last_date:
        return ()
    days = _days_in_status(history, on)
    return tuple(
        row for row in table.leaving(status)
        if row.actor == actor and not table.unmet(row, history.context, days)
    )
