"""Payment-delay clock: the délai global de paiement of an invoice at a date the caller gives.

The délai global de paiement (DGP) starts when the invoice is made available to the recipient
(``MISE_A_DISPOSITION``; for State EDI deposits at the arrival timestamp, for works at the MOE's
receipt: :class:`ClockStart`), stops while it is suspended, and when the supplier completes it
(``COMPLETEE``) a **new** delay opens: 30 days, or the balance left if that is longer (CCP
R2192-29).  The legal delay is 30 days for the State and local authorities, 50 for public
health establishments and 60 for entreprises publiques (R2192-10/11); pass ``delay_days``.
Past the due date, late-payment interest runs at a rate the caller supplies (the legal rate
changes every semester), plus a fixed 40 € indemnity for recovery costs.  A suspended or
rejected invoice must be acknowledged by the supplier within 7 days
(:func:`acknowledgement_due`).

Counting rule: a status entered on day *d* governs day *d* onwards, so the clock counts the
days ``d`` in ``[start, today)`` on which the status in force lets it run.  The sources give
the rules above; the following are **the library's choices**:

* the clock runs in ``MISE_A_DISPOSITION``, ``COMPLETEE`` and the processing statuses
  (``SERVICE_FAIT`` … ``COMPTABILISEE``);
* it is paused in ``A_RECYCLER`` and the routing statuses that follow a recycling, until the
  invoice is available again; the days already counted are kept (the safe side for the payer:
  the warning comes earlier, never later);
* it stops for good at ``MISE_EN_PAIEMENT`` (paid; a later « mandatée » does not reopen it)
  and at ``REJETEE`` (nothing is due).

More information:

* Code de la commande publique, art. L2192-10 to L2192-14 and R2192-10 to R2192-36
  (R2192-27: one suspension; R2192-29: the new delay after it)
* ``../shared/research/chorus-rules.md`` §9 (checked against the sources)
* ``../shared/research/chorus-rules.md`` §2.3 (Pastell ``date_mise_a_dispo``,
  ``date_fin_suspension``)

>>> from datetime import date, timedelta
>>> from chorus_core.workflow.machine import History
>>> h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2)),
...                       (Status.SUSPENDUE, date(2026, 3, 12)),
...                       (Status.COMPLETEE, date(2026, 3, 20))])
>>> d = payment_delay(h, date(2026, 3, 25))
>>> d.days_elapsed, d.days_paused, d.days_left, d.due_date
(15, 8, 25, datetime.date(2026, 4, 19))
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from .machine import History, WorkflowUsageError, _as_history, _member, as_date
from .statuses import Status

__all__ = [
    "ACKNOWLEDGEMENT_DAYS",
    "CLOCK_RUNS",
    "CLOCK_STOPS",
    "FIXED_INDEMNITY",
    "HEALTH_DELAY_DAYS",
    "MORATORIUM_MARGIN",
    "NEW_DELAY_AFTER_SUSPENSION_DAYS",
    "PUBLIC_ENTERPRISE_DELAY_DAYS",
    "STATE_DELAY_DAYS",
    "ClockStart",
    "ClockState",
    "LatePaymentCost",
    "PaymentDelay",
    "acknowledgement_due",
    "late_payment_cost",
    "moratorium_rate",
    "payment_delay",
]

STATE_DELAY_DAYS = 30
"""Legal payment delay of the State and local authorities (code de la commande publique)."""

HEALTH_DELAY_DAYS = 50
"""Legal payment delay of public health establishments and army health services (R2192-11)."""

PUBLIC_ENTERPRISE_DELAY_DAYS = 60
"""Legal payment delay of entreprises publiques (CCP R2192-10)."""

NEW_DELAY_AFTER_SUSPENSION_DAYS = 30
"""The new delay opened when a suspended invoice is completed, unless the balance is longer
(CCP R2192-29)."""

ACKNOWLEDGEMENT_DAYS = 7
"""Days after which the supplier must acknowledge a rejected or suspended invoice (Chorus Pro
tracking page)."""

MORATORIUM_MARGIN = Decimal("8")
"""Points added to the ECB main refinancing rate to get the public moratorium interest rate."""

FIXED_INDEMNITY = Decimal("40.00")
"""Fixed indemnity for recovery costs due on any late payment, in euros."""

CLOCK_RUNS: frozenset[Status] = frozenset({
    Status.MISE_A_DISPOSITION, Status.COMPLETEE, Status.SERVICE_FAIT, Status.MANDATEE,
    Status.MISE_A_DISPOSITION_COMPTABLE, Status.COMPTABILISEE,
})
"""Statuses in which the payment delay runs."""

CLOCK_STOPS: frozenset[Status] = frozenset({Status.MISE_EN_PAIEMENT, Status.REJETEE})
"""Statuses that stop the payment delay for good (paid, or nothing due)."""

# Before the first « mise à disposition », when the clock starts earlier (State EDI arrival,
# works receipt), these statuses let it run; after it (a recycling) they pause it (our choice).
_BEFORE_AVAILABLE: frozenset[Status | None] = frozenset({
    None, Status.DEPOSEE, Status.EN_COURS_ACHEMINEMENT, Status.EN_COURS_TRAITEMENT_PIVOT_S,
})
_TO_ACKNOWLEDGE = frozenset({Status.SUSPENDUE, Status.REJETEE})


class ClockStart(StrEnum):
    """Which event starts the payment delay (CCP R2192-12 and the Chorus Pro rules).

    * ``MADE_AVAILABLE``: the « mise à disposition » notification (portal and API deposits);
    * ``DEPOSITED``: the arrival timestamp of the deposit (State EDI deposits: the first
      ``DEPOSEE``);
    for works, pass the MOE's receipt date as ``started_on`` to :func:`payment_delay`.
    """

    MADE_AVAILABLE = "made_available"
    DEPOSITED = "deposited"


_START_STATUSES: dict[ClockStart, frozenset[Status]] = {
    ClockStart.MADE_AVAILABLE: CLOCK_RUNS,
    ClockStart.DEPOSITED: CLOCK_RUNS | {Status.DEPOSEE, Status.EN_COURS_ACHEMINEMENT},
}


class ClockState(StrEnum):
    """Where the payment-delay clock stands."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    PAID = "paid"
    ENDED = "ended"


class PaymentDelay(BaseModel):
    """The payment-delay clock read at ``today``.

    ``days_elapsed`` counts running days only, ``days_paused`` the days since the start when the
    clock did not run; ``days_left`` is never negative and ``days_late`` is the overrun.
    ``due_date`` is known while running or once stopped, None while paused or not started.
    """

    model_config = ConfigDict(frozen=True)

    today: date
    delay_days: int
    state: ClockState
    started_on: date | None = None
    stopped_on: date | None = None
    days_elapsed: int = 0
    days_paused: int = 0
    days_left: int
    days_late: int = 0
    due_date: date | None = None


def payment_delay(
    history: History,
    today: date | str,
    *,
    delay_days: int = STATE_DELAY_DAYS,
    start: ClockStart = ClockStart.MADE_AVAILABLE,
    started_on: date | str | None = None,
) -> PaymentDelay:
    """Read the payment-delay clock of ``history`` at ``today`` (events after it are ignored).

    ``start`` says which status starts the clock (:class:`ClockStart`); ``started_on`` gives
    the start date directly when it is not in the history (works: the MOE's receipt).  After a
    suspension, completion opens a new delay of 30 days, or the balance left if longer
    (CCP R2192-29).  Dates may be ISO ``str``.

    >>> h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2))])
    >>> payment_delay(h, date(2026, 3, 27)).days_left
    5
    >>> payment_delay(h, date(2026, 3, 27), delay_days=HEALTH_DELAY_DAYS).days_left
    25
    """
    history = _as_history(history)
    today = as_date(today, "today")
    start_date = None if started_on is None else as_date(started_on, "started_on")
    how: ClockStart = _member(ClockStart, start, "start", "un départ du délai")
    if not isinstance(delay_days, int) or isinstance(delay_days, bool) or delay_days < 0:
        raise WorkflowUsageError(
            f"delay_days: {delay_days!r} is not a number of days (an int ≥ 0)",
            f"delay_days : {delay_days!r} n'est pas un nombre de jours (entier ≥ 0)",
            argument="delay_days",
        )
    state, started, stopped, elapsed, paused, left = _clock(
        history, today, delay_days, how, start_date)
    due = _due(state, stopped, today, left)
    return PaymentDelay(
        today=today, delay_days=delay_days, state=state, started_on=started, stopped_on=stopped,
        days_elapsed=elapsed, days_paused=paused, days_left=max(left, 0),
        days_late=max(-left, 0), due_date=due,
    )


_Clock = tuple[ClockState, date | None, date | None, int, int, int]


def _clock(
    history: History, today: date, delay_days: int, start: ClockStart,
    started_on: date | None,
) -> _Clock:
    """The clock's raw figures: state, start, stop, elapsed, paused and left days."""
    events = [e for e in history.events if e.on <= today]
    first = 0
    if started_on is not None:
        started: date | None = started_on if started_on <= today else None
        first = next((i for i, e in enumerate(events) if e.on >= started_on), len(events))
    else:
        starts = _START_STATUSES[start]
        index = next((i for i, e in enumerate(events) if e.status in starts), None)
        started = None if index is None else events[index].on
        first = index or 0
    if started is None:
        return ClockState.NOT_STARTED, None, None, 0, 0, delay_days
    left, elapsed, paused = delay_days, 0, 0
    stopped: date | None = None
    status: Status | None = None  # the status in force at ``cursor``
    available = False  # made available once: routing statuses no longer let the clock run
    cursor = started

    def running() -> bool:
        return status in CLOCK_RUNS or (status in _BEFORE_AVAILABLE and not available)

    for index, event in enumerate(events):
        if index >= first:
            if event.on > cursor:
                span = (event.on - cursor).days
                if running():
                    elapsed += span
                    left -= span
                else:
                    paused += span
                cursor = event.on
            if event.status in CLOCK_STOPS:
                stopped, status = event.on, event.status
                break
            if event.status is Status.COMPLETEE and status is Status.SUSPENDUE:
                left = max(left, NEW_DELAY_AFTER_SUSPENSION_DAYS)  # CCP R2192-29
        available = available or event.status in CLOCK_RUNS
        status = event.status
    if stopped is None:
        span = (today - cursor).days
        if running():
            elapsed += span
            left -= span
            return ClockState.RUNNING, started, None, elapsed, paused, left
        return ClockState.PAUSED, started, None, elapsed, paused + span, left
    state = ClockState.PAID if status is Status.MISE_EN_PAIEMENT else ClockState.ENDED
    return state, started, stopped, elapsed, paused, left


def _due_date(history: History, today: date, delay_days: int) -> date | None:
    """The due date of the clock at ``today`` (default start), None unless running or
    stopped: the fast path of the views."""
    state, _, stopped, _, _, left = _clock(history, today, delay_days,
                                           ClockStart.MADE_AVAILABLE, None)
    return _due(state, stopped, today, left)


def _due(state: ClockState, stopped: date | None, today: date, left: int) -> date | None:
    """The due date: ``left`` days after the stop (or ``today``), None unless the clock runs
    or has stopped."""
    if state is ClockState.PAUSED or state is ClockState.NOT_STARTED:
        return None
    return (stopped or today) + timedelta(days=left)


def acknowledgement_due(history: History) -> date | None:
    """The date by which the supplier must acknowledge a suspended or rejected invoice.

    Seven days after the invoice entered ``SUSPENDUE`` or ``REJETEE`` (Chorus Pro's tracking
    page: acknowledgement becomes mandatory after 7 days); ``None`` in any other status.

    >>> h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2)),
    ...                       (Status.REJETEE, date(2026, 3, 5))])
    >>> acknowledgement_due(h)
    datetime.date(2026, 3, 12)
    """
    history = _as_history(history)
    entered = history.entered_current_status()
    if history.status not in _TO_ACKNOWLEDGE or entered is None:
        return None
    return entered + timedelta(days=ACKNOWLEDGEMENT_DAYS)


class LatePaymentCost(BaseModel):
    """Late-payment interest and the fixed indemnity, in euros (Decimal, to the cent)."""

    model_config = ConfigDict(frozen=True)

    days_late: int
    interest: Decimal
    indemnity: Decimal

    @property
    def total(self) -> Decimal:
        """Interest plus indemnity."""
        return self.interest + self.indemnity


_CENT = Decimal("0.01")


def moratorium_rate(ecb_rate_percent: Decimal) -> Decimal:
    """The moratorium interest rate: the ECB main refinancing rate you pass, plus 8 points.

    The ECB rate is the one in force on the first day of the semester in which the interest
    starts to run; looking it up is the caller's job (no I/O here).

    >>> moratorium_rate(Decimal("2.15"))
    Decimal('10.15')
    """
    return ecb_rate_percent + MORATORIUM_MARGIN


def late_payment_cost(
    delay: PaymentDelay,
    amount: Decimal,
    annual_rate_percent: Decimal,
    *,
    day_count: int = 365,
) -> LatePaymentCost:
    """Interest ``amount × rate × days_late / day_count`` plus 40 € once any day is late.

    ``amount`` is what is paid late (TTC), ``annual_rate_percent`` the legal moratorium rate
    in percent (e.g. ``Decimal("10.15")``, see :func:`moratorium_rate`).  Rounded half-up to
    the cent.  A rejected invoice (clock ``ENDED``) owes nothing: no payment is due on it.

    >>> from chorus_core.workflow.machine import History
    >>> h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 1, 5)),
    ...                       (Status.MISE_EN_PAIEMENT, date(2026, 2, 14))])
    >>> cost = late_payment_cost(payment_delay(h, date(2026, 3, 1)), Decimal("12000.00"),
    ...                          Decimal("10.15"))
    >>> cost.days_late, cost.interest, cost.total
    (10, Decimal('33.37'), Decimal('73.37'))
    """
    if delay.days_late <= 0 or delay.state is ClockState.ENDED:
        return LatePaymentCost(days_late=0, interest=Decimal("0.00"), indemnity=Decimal("0.00"))
    interest = amount * annual_rate_percent / Decimal(100) * delay.days_late / day_count
    return LatePaymentCost(
        days_late=delay.days_late,
        interest=interest.quantize(_CENT, rounding=ROUND_HALF_UP),
        indemnity=FIXED_INDEMNITY,
    )
