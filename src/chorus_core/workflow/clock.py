"""Payment-delay clock: the délai global de paiement of an invoice at a date the caller gives.

The délai global de paiement (DGP) starts when the invoice is made available to the recipient
(``MISE_A_DISPOSITION``), stops while it is suspended and restarts when the supplier completes
it (``COMPLETEE``).  The legal delay is 30 days for the State and local authorities and 50 days
for public health establishments; pass another ``delay_days`` when needed.  Past the due date,
late-payment interest runs at a rate the caller supplies (the legal rate changes every
semester), plus a fixed 40 € indemnity for recovery costs.

Counting rule: a status entered on day *d* governs day *d* onwards, so the clock counts the
days ``d`` in ``[start, today)`` on which the status in force lets it run.  Choices made here:

* the clock runs in ``MISE_A_DISPOSITION``, ``COMPLETEE`` and the processing statuses
  (``SERVICE_FAIT`` … ``COMPTABILISEE``);
* it is paused in ``SUSPENDUE`` and also in ``A_RECYCLER`` and the routing statuses that follow
  a recycling, until the invoice is available again; the days already counted are kept (the
  safe side for the payer: the warning comes earlier, never later);
* it stops for good at ``MISE_EN_PAIEMENT`` (paid) and at ``REJETEE`` (nothing is due).

More information:

* Code de la commande publique, art. L2192-10 to L2192-14 and R2192-10 to R2192-36
* ``../shared/research/chorus-rules.md`` §2.3 (Pastell ``date_mise_a_dispo``,
  ``date_fin_suspension``)

>>> from datetime import date
>>> from chorus_core.workflow.machine import History
>>> h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2)),
...                       (Status.SUSPENDUE, date(2026, 3, 12)),
...                       (Status.COMPLETEE, date(2026, 3, 20))])
>>> d = payment_delay(h, date(2026, 3, 25))
>>> d.days_elapsed, d.days_paused, d.days_left, d.due_date
(15, 8, 15, datetime.date(2026, 4, 9))
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

from .machine import History
from .statuses import Status

__all__ = [
    "CLOCK_RUNS",
    "CLOCK_STOPS",
    "FIXED_INDEMNITY",
    "HEALTH_DELAY_DAYS",
    "MORATORIUM_MARGIN",
    "STATE_DELAY_DAYS",
    "ClockState",
    "LatePaymentCost",
    "PaymentDelay",
    "late_payment_cost",
    "moratorium_rate",
    "payment_delay",
]

STATE_DELAY_DAYS = 30
"""Legal payment delay of the State and local authorities (code de la commande publique)."""

HEALTH_DELAY_DAYS = 50
"""Legal payment delay of public health establishments."""

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
    history: History, today: date, *, delay_days: int = STATE_DELAY_DAYS
) -> PaymentDelay:
    """Read the payment-delay clock of ``history`` at ``today`` (events after it are ignored).

    >>> h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2))])
    >>> payment_delay(h, date(2026, 3, 27)).days_left
    5
    >>> payment_delay(h, date(2026, 3, 27), delay_days=HEALTH_DELAY_DAYS).days_left
    25
    """
    started: date | None = None
    stopped: date | None = None
    elapsed = paused = 0
    state = ClockState.NOT_STARTED
    since: date | None = None  # start of the current interval, once started
    for event in history.events:
        if event.on > today:
            break
        if started is None and event.status in CLOCK_RUNS:
            started = event.on
        if since is not None:
            if state is ClockState.RUNNING:
                elapsed += (event.on - since).days
            else:
                paused += (event.on - since).days
        if started is None:
            continue
        since = event.on
        if event.status in CLOCK_STOPS:
            stopped = event.on
            state = ClockState.PAID if event.status is Status.MISE_EN_PAIEMENT else ClockState.ENDED
            break
        state = ClockState.RUNNING if event.status in CLOCK_RUNS else ClockState.PAUSED
    if stopped is None and since is not None:
        if state is ClockState.RUNNING:
            elapsed += (today - since).days
        else:
            paused += (today - since).days
    left = delay_days - elapsed
    reference = stopped if stopped is not None else today
    due = None
    if state in (ClockState.RUNNING, ClockState.PAID, ClockState.ENDED):
        due = reference + relativedelta(days=left)
    return PaymentDelay(
        today=today, delay_days=delay_days, state=state, started_on=started, stopped_on=stopped,
        days_elapsed=elapsed, days_paused=paused, days_left=max(left, 0),
        days_late=max(-left, 0), due_date=due,
    )


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
