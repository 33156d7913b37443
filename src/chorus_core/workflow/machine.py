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
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from chorus_core.errors import UsageError, WorkflowError
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
    "WorkflowUsageError",
    "allowed_actions",
    "apply",
    "as_date",
]


class WorkflowUsageError(UsageError, WorkflowError):
    """A workflow function got an argument it cannot take: an unknown action, actor or status,
    a value that is not a date, events out of order.

    Both a :class:`~chorus_core.errors.UsageError` and a
    :class:`~chorus_core.errors.WorkflowError`; ``argument`` names the argument.
    """


def as_date(value: object, argument: str) -> date:
    """``value`` as a date: a ``date``, a ``datetime`` (its date) or an ISO ``str``.

    Anything else raises :class:`WorkflowUsageError` naming ``argument``.

    >>> as_date("2026-03-02", "on")
    datetime.date(2026, 3, 2)
    >>> as_date(20260302, "on")
    Traceback (most recent call last):
    ...
    chorus_core.workflow.machine.WorkflowUsageError: on: 20260302 is not a date ...
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise WorkflowUsageError(
        f"{argument}: {value!r} is not a date (a datetime.date or 'YYYY-MM-DD')",
        f"{argument} : {value!r} n'est pas une date (datetime.date ou 'AAAA-MM-JJ')",
        argument=argument,
    )


def _member(enum: type[StrEnum], value: object, argument: str, what_fr: str) -> Any:
    if isinstance(value, enum):
        return value
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            try:
                return enum[value.strip().upper()]
            except KeyError:
                pass
    names = ", ".join(m.value for m in enum)
    raise WorkflowUsageError(
        f"{argument}: {value!r} is not a {enum.__name__} (one of: {names})",
        f"{argument} : {value!r} n'est pas {what_fr} connu (valeurs : {names})",
        argument=argument,
    )



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
        is what Chorus Pro says happened (a « mandatée » after « mise en paiement », which
        Hélios may set, is accepted).  A status is a :class:`Status` or its API name, a date a
        ``date`` or an ISO ``str``; an unknown status, a bad date or dates going backwards raise
        :class:`WorkflowUsageError`.

        >>> h = History.observed([(Status.DEPOSEE, date(2026, 3, 1)),
        ...                       (Status.MISE_A_DISPOSITION, date(2026, 3, 2))])
        >>> h.status, h.last_date
        (<Status.MISE_A_DISPOSITION: 'MISE_A_DISPOSITION'>, datetime.date(2026, 3, 2))
        """
        events: list[Event] = []
        for index, item in enumerate(statuses):
            try:
                raw_status, raw_on = item
            except (TypeError, ValueError):
                raise WorkflowUsageError(
                    f"statuses[{index}]: {item!r} is not a (status, date) pair",
                    f"statuses[{index}] : {item!r} n'est pas un couple (statut, date)",
                    argument="statuses",
                ) from None
            status: Status = _member(Status, raw_status, f"statuses[{index}]", "un statut")
            on = as_date(raw_on, f"statuses[{index}]")
            if events and on < events[-1].on:
                raise WorkflowUsageError(
                    f"statuses[{index}]: {status.value} dated {on} is before "
                    f"{events[-1].status.value} dated {events[-1].on} (events out of order)",
                    f"statuses[{index}] : {status.value} daté du {on} précède "
                    f"{events[-1].status.value} daté du {events[-1].on} (ordre chronologique)",
                    argument="statuses",
                )
            events.append(Event(status=status, on=on, actor=STATUSES[status].producer))
        return cls(context=context or Context(), events=tuple(events))

    @property
    def suspended_before(self) -> bool:
        """True when the invoice has been suspended at least once (CCP R2192-27: once only)."""
        return any(event.status is Status.SUSPENDUE for event in self.events)

    def __repr__(self) -> str:
        """The current status, its date and the number of events (never the whole history).

        >>> History.observed([(Status.DEPOSEE, date(2026, 3, 1)),
        ...                   (Status.MISE_A_DISPOSITION, date(2026, 3, 2))])
        History(status=MISE_A_DISPOSITION, since=2026-03-02, events=2, cadre=A1)
        """
        if not self.events:
            return f"History(status=None, events=0, cadre={self.context.cadre})"
        return (f"History(status={self.events[-1].status.value}, "
                f"since={self.entered_current_status()}, events={len(self.events)}, "
                f"cadre={self.context.cadre})")

    def __str__(self) -> str:
        return repr(self)

    def _repr_html_(self) -> str:
        """The notebook view (Jupyter): the events, and the life cycle of the default table
        with the current status highlighted."""
        from chorus_core._html import history_html

        return history_html(self)


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

_REFUSAL_EN = {
    Refusal.TERMINAL_STATUS: "the status is terminal, no action is possible",
    Refusal.DATE_BEFORE_LAST_EVENT: "the date is before that of the last status",
    Refusal.NOT_ALLOWED_FROM_STATUS: "the action is not possible from this status",
    Refusal.WRONG_ACTOR: "this actor cannot take this action",
    Refusal.CONDITION_NOT_MET: "a condition is not met (cadre, recipient structure or history)",
    Refusal.MISSING_MOTIF: "a motif is required",
    Refusal.MOTIF_TOO_LONG: f"the motif is longer than {MOTIF_MAX_LENGTH} characters",
    Refusal.MISSING_MANDATE_NUMBER: "the mandate number (numeroDPMandat) is required",
    Refusal.MISSING_ROUTING: "new routing data (SIRET, code service, engagement) are required",
    Refusal.MISSING_ATTACHMENT_OR_COMMENT: "an attachment or a comment is required",
}


class TransitionRefused(WorkflowError):
    """An action is refused: ``status``, ``action``, ``actor`` and the ``reason`` say why.

    ``condition`` names the unmet condition when ``reason`` is ``CONDITION_NOT_MET``;
    ``message_fr`` and ``message_en`` explain it in French and English.
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
        self.message_en = (
            f"Action '{action.value}' refused ({actor.value}, status {where}): "
            f"{_REFUSAL_EN[reason]}" + (f" [{condition.value}]" if condition else "")
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


def _ended(history: History, table: TransitionTable) -> bool:
    # An observed history may go on past a terminal status (Hélios can set « mandatée » after
    # « mise en paiement »): the invoice still accepts nothing.
    terminal = table.terminal
    return any(event.status in terminal for event in history.events)


def _as_history(history: object) -> History:
    if isinstance(history, History):
        return history
    raise WorkflowUsageError(
        f"history: {type(history).__name__} is not a History (build one with History() or "
        "History.observed([...]))",
        f"history : {type(history).__name__} n'est pas un History (History() ou "
        "History.observed([...]))",
        argument="history",
    )


def apply(
    history: History,
    action: Action | str,
    actor: Actor | str,
    on: date | str,
    *,
    motif: str | None = None,
    mandate_number: str | None = None,
    routing: NewRouting | None = None,
    attachments: Iterable[str] = (),
    comment: str | None = None,
    table: TransitionTable = DEFAULT_TABLE,
) -> History:
    """Return ``history`` with the event of ``actor`` doing ``action`` on date ``on``.

    Checks, in order: the current status is not terminal (nor any earlier one: an observed
    history may go on past « mise en paiement »); ``on`` is not before the last event;
    the table has a row for the action from the current status; one is for ``actor``; its
    conditions hold; the data it requires are given (and a motif is at most 255 characters).
    The first failure raises :class:`TransitionRefused`; ``history`` is never changed.
    ``action`` and ``actor`` may be given by value (``"suspend"``, ``"recipient"``) and ``on``
    as an ISO ``str``; anything else raises :class:`WorkflowUsageError`.

    >>> h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2))])
    >>> h2 = apply(h, Action.SUSPEND, Actor.RECIPIENT, date(2026, 3, 9),
    ...            motif="Bon de livraison manquant")
    >>> [e.status.value for e in h2.events], len(h.events)
    (['MISE_A_DISPOSITION', 'SUSPENDUE'], 1)
    """
    history = _as_history(history)
    action_: Action = _member(Action, action, "action", "une action")
    actor_: Actor = _member(Actor, actor, "actor", "un acteur")
    return _apply(history, action_, actor_, as_date(on, "on"), motif=motif,
                  mandate_number=mandate_number, routing=routing, attachments=attachments,
                  comment=comment, table=table)


def _apply(
    history: History,
    action: Action,
    actor: Actor,
    on: date,
    *,
    motif: str | None,
    mandate_number: str | None,
    routing: NewRouting | None,
    attachments: Iterable[str],
    comment: str | None,
    table: TransitionTable,
) -> History:
    status = history.status

    def refuse(reason: Refusal, condition: Condition | None = None) -> TransitionRefused:
        return TransitionRefused(status, action, actor, reason, condition=condition)

    if table.is_terminal(status) or _ended(history, table):
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
    suspended = history.suspended_before
    first_unmet: Condition | None = None
    for row in mine:
        unmet = table.unmet(row, history.context, days, suspended_before=suspended)
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
    actor: Actor | str,
    on: date | str | None = None,
    *,
    table: TransitionTable = DEFAULT_TABLE,
) -> tuple[Transition, ...]:
    """The rows ``actor`` may use now: their action, target status and required data.

    ``on`` is the date of the question; without it, delay conditions (tacit validation) are
    taken as not met.  A terminal status (now or earlier in the history), and a date before
    the last event, give nothing.

    >>> h = History.observed([(Status.SUSPENDUE, date(2026, 3, 9))])
    >>> [(t.action.value, t.target.value) for t in allowed_actions(h, Actor.SUPPLIER)]
    [('complete', 'COMPLETEE')]
    """
    history = _as_history(history)
    who: Actor = _member(Actor, actor, "actor", "un acteur")
    when = None if on is None else as_date(on, "on")
    status = history.status
    if table.is_terminal(status) or _ended(history, table):
        return ()
    if when is not None and history.last_date is not None and when < history.last_date:
        return ()
    days = _days_in_status(history, when)
    suspended = history.suspended_before
    return tuple(
        row for row in table.leaving(status)
        if row.actor == who
        and not table.unmet(row, history.context, days, suspended_before=suspended)
    )
