"""Tests of the payment-delay clock: start, suspension, stop, due date, interest, indemnity."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chorus_core.workflow import (
    ACKNOWLEDGEMENT_DAYS,
    CLOCK_RUNS,
    CLOCK_STOPS,
    FIXED_INDEMNITY,
    HEALTH_DELAY_DAYS,
    PUBLIC_ENTERPRISE_DELAY_DAYS,
    ClockStart,
    ClockState,
    History,
    Status,
    WorkflowUsageError,
    acknowledgement_due,
    late_payment_cost,
    payment_delay,
)

D0 = date(2026, 3, 2)


def _days(n: int) -> date:
    return D0 + timedelta(days=n)


def test_the_25_day_chase() -> None:
    """An invoice made available 25 days ago has 5 days left of the 30-day delay."""
    h = History.observed([(Status.DEPOSEE, D0), (Status.MISE_A_DISPOSITION, D0)])
    d = payment_delay(h, _days(25))
    assert (d.state, d.days_elapsed, d.days_left, d.due_date) == (
        ClockState.RUNNING, 25, 5, _days(30))


def test_not_started_before_being_made_available() -> None:
    """A deposited invoice has not started its clock: full delay left, no due date."""
    d = payment_delay(History.observed([(Status.DEPOSEE, D0)]), _days(10))
    assert (d.state, d.days_elapsed, d.days_left, d.due_date, d.started_on) == (
        ClockState.NOT_STARTED, 0, 30, None, None)


def test_suspension_stops_the_clock_and_completion_opens_a_new_delay() -> None:
    """CCP R2192-29: after a suspension « un nouveau délai de paiement est ouvert » of 30 days."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.SUSPENDUE, _days(5)),
                          (Status.COMPLETEE, _days(15))])
    during = payment_delay(h, _days(12))
    assert (during.state, during.days_elapsed, during.days_paused, during.due_date) == (
        ClockState.PAUSED, 5, 7, None)
    after = payment_delay(h, _days(20))
    assert (after.days_elapsed, after.days_paused, after.days_left, after.due_date) == (
        10, 10, 25, _days(45))


def test_new_delay_keeps_a_balance_longer_than_30_days() -> None:
    """CCP R2192-29: the new delay equals the balance left when that balance exceeds 30 days."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.SUSPENDUE, _days(5)),
                          (Status.COMPLETEE, _days(15))])
    after = payment_delay(h, _days(15), delay_days=PUBLIC_ENTERPRISE_DELAY_DAYS)
    assert (after.days_left, after.due_date) == (55, _days(70))


def test_the_clock_example_is_due_on_19_april() -> None:
    """CCP R2192-29 applied to the module example: suspended 12 March, completed 20 March."""
    h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2)),
                          (Status.SUSPENDUE, date(2026, 3, 12)),
                          (Status.COMPLETEE, date(2026, 3, 20))])
    assert payment_delay(h, date(2026, 3, 25)).due_date == date(2026, 4, 19)


def test_public_enterprises_have_60_days() -> None:
    """CCP R2192-10: the delay is 60 days for entreprises publiques."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0)])
    assert payment_delay(h, D0, delay_days=PUBLIC_ENTERPRISE_DELAY_DAYS).due_date == _days(60)


def test_state_edi_deposits_start_at_arrival() -> None:
    """CCP/Chorus Pro: for State EDI deposits the delay starts at the arrival timestamp."""
    h = History.observed([(Status.DEPOSEE, D0), (Status.MISE_A_DISPOSITION, _days(2))])
    default = payment_delay(h, _days(10))
    edi = payment_delay(h, _days(10), start=ClockStart.DEPOSITED)
    assert (default.started_on, default.days_elapsed) == (_days(2), 8)
    assert (edi.started_on, edi.days_elapsed) == (D0, 10)


def test_works_start_at_the_moe_receipt() -> None:
    """CCP R2192-12: for works the delay starts at the MOE's receipt, given as ``started_on``."""
    h = History.observed([(Status.MISE_A_DISPOSITION, _days(4))])
    d = payment_delay(h, _days(10), started_on=D0)
    assert (d.started_on, d.days_elapsed, d.due_date) == (D0, 10, _days(30))


def test_acknowledgement_is_due_seven_days_after_a_rejection() -> None:
    """Chorus Pro tracking page: acknowledging a rejected invoice is mandatory after 7 days."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.REJETEE, _days(3))])
    assert acknowledgement_due(h) == _days(3 + ACKNOWLEDGEMENT_DAYS)


def test_no_acknowledgement_outside_suspension_and_rejection() -> None:
    """Only suspended and rejected invoices have an acknowledgement date."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0)])
    assert acknowledgement_due(h) is None


def test_a_mandate_after_payment_keeps_the_clock_paid() -> None:
    """Hélios may set « mandatée » after « mise en paiement » (community article): still paid."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.MISE_EN_PAIEMENT, _days(20)),
                          (Status.MANDATEE, _days(22))])
    d = payment_delay(h, _days(40))
    assert (d.state, d.stopped_on, d.days_elapsed) == (ClockState.PAID, _days(20), 20)


def test_str_dates_are_accepted() -> None:
    """The clock takes ISO dates as History.observed does."""
    h = History.observed([(Status.MISE_A_DISPOSITION, "2026-03-02")])
    assert payment_delay(h, "2026-03-27").days_left == 5


def test_a_bad_today_is_a_typed_error() -> None:
    """A today that is not a date raises WorkflowUsageError naming the argument."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0)])
    with pytest.raises(WorkflowUsageError) as caught:
        payment_delay(h, 20260327)  # type: ignore[arg-type]
    assert caught.value.argument == "today"


def test_suspension_and_completion_on_the_same_day_count_nothing() -> None:
    """A suspension lifted on the day it starts pauses no day."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.SUSPENDUE, _days(5)),
                          (Status.COMPLETEE, _days(5))])
    assert payment_delay(h, _days(8)).days_elapsed == 8


def test_recycling_pauses_and_keeps_counted_days() -> None:
    """Days before a recycling stay counted; the routing days after it are not."""
    h = History.observed([
        (Status.MISE_A_DISPOSITION, D0), (Status.A_RECYCLER, _days(4)),
        (Status.DEPOSEE, _days(9)), (Status.MISE_A_DISPOSITION, _days(10)),
    ])
    d = payment_delay(h, _days(12))
    assert (d.days_elapsed, d.days_paused, d.days_left) == (6, 6, 24)


def test_payment_stops_the_clock_for_good() -> None:
    """Paid on day 40 of a 30-day delay: 10 days late, frozen whatever today is."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.MISE_EN_PAIEMENT, _days(40))])
    for today in (_days(40), _days(90)):
        d = payment_delay(h, today)
        assert (d.state, d.days_elapsed, d.days_late, d.days_left, d.due_date, d.stopped_on) == (
            ClockState.PAID, 40, 10, 0, _days(30), _days(40))


def test_rejection_ends_the_clock() -> None:
    """A rejected invoice's clock ends on the rejection date."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.REJETEE, _days(3))])
    d = payment_delay(h, _days(50))
    assert (d.state, d.days_elapsed, d.stopped_on) == (ClockState.ENDED, 3, _days(3))


def test_events_after_today_are_ignored() -> None:
    """Reading the clock in the past ignores later events."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.SUSPENDUE, _days(5))])
    assert payment_delay(h, _days(3)).state is ClockState.RUNNING
    assert payment_delay(h, _days(3)).days_elapsed == 3


def test_health_establishments_have_50_days() -> None:
    """With the 50-day delay, 25 days elapsed leave 25."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0)])
    d = payment_delay(h, _days(25), delay_days=HEALTH_DELAY_DAYS)
    assert (d.delay_days, d.days_left, d.due_date) == (50, 25, _days(50))


def test_late_payment_interest_and_indemnity() -> None:
    """10 days late on 12 000 € at 10.15 %: 33.37 € interest plus the 40 € indemnity."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.MISE_EN_PAIEMENT, _days(40))])
    cost = late_payment_cost(payment_delay(h, _days(40)), Decimal("12000.00"), Decimal("10.15"))
    assert (cost.days_late, cost.interest, cost.indemnity, cost.total) == (
        10, Decimal("33.37"), FIXED_INDEMNITY, Decimal("73.37"))
    on_360 = late_payment_cost(payment_delay(h, _days(40)), Decimal("12000.00"),
                               Decimal("10.15"), day_count=360)
    assert on_360.interest == Decimal("33.83")


def test_no_cost_when_paid_in_time() -> None:
    """Paid on day 30 exactly: no interest and no indemnity."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.MISE_EN_PAIEMENT, _days(30))])
    cost = late_payment_cost(payment_delay(h, _days(31)), Decimal("500"), Decimal("10"))
    assert (cost.days_late, cost.total) == (0, Decimal("0.00"))


def test_unpaid_invoice_accrues_interest_daily() -> None:
    """An unpaid invoice 1 day past due owes one day of interest and the indemnity."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0)])
    cost = late_payment_cost(payment_delay(h, _days(31)), Decimal("36500"), Decimal("10"))
    assert (cost.days_late, cost.interest, cost.total) == (1, Decimal("10.00"), Decimal("50.00"))


_CLOCK_STATUSES = [*sorted(CLOCK_RUNS), Status.SUSPENDUE, Status.A_RECYCLER, Status.DEPOSEE,
                   Status.MISE_EN_PAIEMENT, Status.REJETEE]


@st.composite
def observed_histories(draw: st.DrawFn) -> History:
    """Observed histories over the clock-relevant statuses, dates never going back."""
    steps = draw(st.lists(st.tuples(st.sampled_from(_CLOCK_STATUSES), st.integers(0, 15)),
                          max_size=8))
    day, pairs = D0, []
    for status, gap in steps:
        day += timedelta(days=gap)
        pairs.append((status, day))
    return History.observed(pairs)


def _oracle(history: History, today: date) -> int:
    """Count running days one by one, stopping at the first stop status."""
    events = [e for e in history.events if e.on <= today]
    first = next((i for i, e in enumerate(events) if e.status in CLOCK_RUNS), None)
    if first is None:
        return 0
    count, day = 0, events[first].on
    # Only a stop recorded after the start stops the clock.
    stops = [e.on for e in events[first:] if e.status in CLOCK_STOPS]
    while day < today and not (stops and day >= stops[0]):
        in_force = [e for e in events if e.on <= day][-1].status
        count += in_force in CLOCK_RUNS
        day += timedelta(days=1)
    return count


@given(observed_histories(), st.integers(0, 120))
def test_clock_matches_a_day_by_day_count(history: History, offset: int) -> None:
    """The elapsed days equal an independent day-by-day count of running days."""
    assert payment_delay(history, _days(offset)).days_elapsed == _oracle(history, _days(offset))


@given(observed_histories(), st.integers(0, 120), st.integers(0, 30))
def test_clock_never_goes_backwards(history: History, offset: int, more: int) -> None:
    """Reading later never gives fewer elapsed days, nor more days left unless a completion
    (a new delay, CCP R2192-29) happened in between."""
    early = payment_delay(history, _days(offset))
    late = payment_delay(history, _days(offset + more))
    assert late.days_elapsed >= early.days_elapsed
    completed = any(e.status is Status.COMPLETEE and _days(offset) < e.on <= _days(offset + more)
                    for e in history.events)
    assert completed or late.days_left <= early.days_left


def test_moratorium_rate_adds_eight_points() -> None:
    """The moratorium rate is the ECB rate plus 8 points, exactly."""
    from chorus_core.workflow import moratorium_rate

    assert moratorium_rate(Decimal("4.50")) == Decimal("12.50")


def test_rejected_invoice_owes_no_interest() -> None:
    """An invoice rejected after its due date owes no interest nor indemnity."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.REJETEE, _days(45))])
    d = payment_delay(h, _days(60))
    assert d.days_late == 15
    assert late_payment_cost(d, Decimal("1000"), Decimal("10")).total == Decimal("0.00")


def test_an_unknown_start_is_a_typed_error() -> None:
    """A start that is not a ClockStart raises WorkflowUsageError naming ``start``."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0)])
    with pytest.raises(WorkflowUsageError) as caught:
        payment_delay(h, D0, start="arrival")  # type: ignore[arg-type]
    assert caught.value.argument == "start"


def test_a_negative_delay_is_a_typed_error() -> None:
    """A delay below zero days raises WorkflowUsageError naming ``delay_days``."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0)])
    with pytest.raises(WorkflowUsageError) as caught:
        payment_delay(h, D0, delay_days=-1)
    assert caught.value.argument == "delay_days"
