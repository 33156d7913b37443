"""Stateful property test: random actions by random actors keep the workflow invariants.

A hypothesis ``RuleBasedStateMachine`` picks a context (cadre, second validator, Hélios,
payment status), then applies random actions by random actors on random later dates, with or
without their data, and also steps through actions the table allows so that invoices get far.
It checks: the history is append-only; every accepted step is a row of the table whose actor
and conditions match; terminal statuses accept nothing; a refused action leaves the history
untouched; the payment clock never counts a day the invoice was not in a running status (an
independent day-by-day count) and never goes backwards.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from chorus_core.workflow import (
    CLOCK_RUNS,
    CLOCK_STOPS,
    DEFAULT_TABLE,
    VALIDATION_DELAY_DAYS,
    Action,
    Actor,
    ClockState,
    Condition,
    Context,
    History,
    NewRouting,
    Refusal,
    Status,
    TransitionRefused,
    allowed_actions,
    apply,
    payment_delay,
)

START = date(2026, 1, 5)

_MOTIFS = st.sampled_from([None, "", "Pièce manquante", "x" * 255, "x" * 256])
_ROUTINGS = st.sampled_from([None, NewRouting(), NewRouting(code_service="SERVICE-2")])
_ATTACHMENTS = st.sampled_from([(), ("bl.pdf",)])
_MANDATES = st.sampled_from([None, "2589"])


@st.composite
def contexts(draw: st.DrawFn) -> Context:
    """Any context the default table knows: cadre A1/A2/A9/A12 and the structure flags."""
    cadre = draw(st.sampled_from(["A1", "A2", "A9", "A12"]))
    second = cadre in ("A9", "A12") and draw(st.booleans())
    return Context(cadre=cadre, second_validator=second, helios=draw(st.booleans()),
                   payment_status_managed=draw(st.booleans()))


def _running_days(history: History, today: date) -> int:
    """Count, day by day, the days in [start, today) whose status in force runs the clock."""
    events = [e for e in history.events if e.on <= today]
    starts = [e.on for e in events if e.status in CLOCK_RUNS]
    if not starts:
        return 0
    count = 0
    day = starts[0]
    while day < today:
        in_force = [e for e in events if e.on <= day][-1].status
        stopped = any(e.status in CLOCK_STOPS and e.on <= day for e in events)
        if stopped:
            break
        count += in_force in CLOCK_RUNS
        day += timedelta(days=1)
    return count


def _holds(condition: Condition, history: History, on: date) -> bool:
    """The conditions of the table, evaluated here independently of the library."""
    ctx = history.context
    validated = ctx.cadre in ("A9", "A12")
    if condition is Condition.VALIDATION_DELAY_EXPIRED:
        entered = history.events[-1].on
        for event in reversed(history.events):
            if event.status is not history.status:
                break
            entered = event.on
        return (on - entered).days >= VALIDATION_DELAY_DAYS
    if condition is Condition.FIRST_SUSPENSION:
        return all(event.status is not Status.SUSPENDUE for event in history.events)
    return {
        Condition.VALIDATION_CIRCUIT: validated,
        Condition.NO_VALIDATION_CIRCUIT: not validated,
        Condition.SECOND_VALIDATOR: ctx.second_validator,
        Condition.NO_SECOND_VALIDATOR: not ctx.second_validator,
        Condition.NOT_HELIOS: not ctx.helios,
        Condition.PAYMENT_STATUS_MANAGED: ctx.payment_status_managed,
    }[condition]


class Workflow(RuleBasedStateMachine):
    """Drives one invoice through random actions."""

    def __init__(self) -> None:
        super().__init__()
        self.history = History()
        self.today = START
        self.elapsed = 0

    @initialize(context=contexts())
    def start(self, context: Context) -> None:
        """Start from a new invoice of this context."""
        self.history = History(context=context)

    def _try(self, action: Action, actor: Actor, on: date, **data: object) -> None:
        before = self.history
        snapshot = before.model_copy(deep=True)
        offered = {
            row.action for row in allowed_actions(before, actor, on) if row.action is action
        }
        try:
            after = apply(before, action, actor, on, **data)  # type: ignore[arg-type]
        except TransitionRefused as refused:
            assert before == snapshot, "a refused action changed the history"
            assert refused.status is before.status
            if DEFAULT_TABLE.is_terminal(before.status):
                assert refused.reason is Refusal.TERMINAL_STATUS
            if not offered:
                assert refused.reason in (
                    Refusal.TERMINAL_STATUS, Refusal.DATE_BEFORE_LAST_EVENT,
                    Refusal.NOT_ALLOWED_FROM_STATUS, Refusal.WRONG_ACTOR,
                    Refusal.CONDITION_NOT_MET,
                )
            return
        assert not DEFAULT_TABLE.is_terminal(before.status), "a terminal status accepted"
        assert offered, "apply accepted an action allowed_actions did not offer"
        assert after.events[: len(before.events)] == before.events, "history rewritten"
        assert len(after.events) == len(before.events) + 1
        event = after.events[-1]
        rows = [
            row for row in DEFAULT_TABLE.candidates(before.status, action)
            if row.actor is actor and row.target is event.status
            and all(_holds(c, before, on) for c in row.conditions)
        ]
        assert rows, f"step {before.status} -{action}-> {event.status} is not in the table"
        self.history = after
        self.today = on

    @rule(action=st.sampled_from(Action), actor=st.sampled_from(Actor),
          days=st.integers(0, 20), motif=_MOTIFS, mandate=_MANDATES, routing=_ROUTINGS,
          attachments=_ATTACHMENTS)
    def random_action(self, action: Action, actor: Actor, days: int, motif: str | None,
                      mandate: str | None, routing: NewRouting | None,
                      attachments: tuple[str, ...]) -> None:
        """Any actor tries any action, on any date near today, with any data."""
        self._try(action, actor, self.today + timedelta(days=days), motif=motif,
                  mandate_number=mandate, routing=routing, attachments=attachments)

    @rule(action=st.sampled_from(Action), actor=st.sampled_from(Actor),
          days=st.integers(1, 5))
    def backdated_action(self, action: Action, actor: Actor, days: int) -> None:
        """An action dated before the last event is refused (or terminal), history unchanged."""
        last = self.history.last_date
        if last is None:
            return
        before = self.history
        try:
            apply(before, action, actor, last - timedelta(days=days), motif="Motif",
                  mandate_number="2589", routing=NewRouting(engagement="EJ-2"), comment="ok")
        except TransitionRefused as refused:
            assert refused.reason in (Refusal.TERMINAL_STATUS, Refusal.DATE_BEFORE_LAST_EVENT)
        else:
            raise AssertionError("a backdated action was accepted")
        assert self.history is before

    def _progress(self, data: st.DataObject, days: int) -> None:
        on = self.today + timedelta(days=days)
        rows = [row for actor in Actor for row in allowed_actions(self.history, actor, on)]
        if not rows:
            return
        row = data.draw(st.sampled_from(rows))
        self._try(row.action, row.actor, on, motif="Motif", mandate_number="2589",
                  routing=NewRouting(siret="11000201100044"), comment="Pièces jointes")
        assert self.history.status is row.target

    @rule(data=st.data(), days=st.integers(0, 20))
    def allowed_action(self, data: st.DataObject, days: int) -> None:
        """Some actor does one of the actions allowed now, with complete data."""
        self._progress(data, days)

    @rule(data=st.data(), days=st.integers(0, 3))
    def prompt_allowed_action(self, data: st.DataObject, days: int) -> None:
        """Same, within a few days (a second rule, so that invoices get far)."""
        self._progress(data, days)

    @rule(days=st.integers(0, 40))
    def wait(self, days: int) -> None:
        """Time passes without any event; a paused or stopped clock does not move."""
        before = payment_delay(self.history, self.today)
        self.today += timedelta(days=days)
        after = payment_delay(self.history, self.today)
        if before.state is not ClockState.RUNNING:
            assert after.days_elapsed == before.days_elapsed, "a paused clock counted days"
        else:
            assert after.days_elapsed == before.days_elapsed + days

    @invariant()
    def terminal_accepts_nothing(self) -> None:
        """On a terminal status no actor is offered any action."""
        if DEFAULT_TABLE.is_terminal(self.history.status):
            assert all(allowed_actions(self.history, a, self.today) == () for a in Actor)

    @invariant()
    def clock_counts_running_days_only_and_never_goes_back(self) -> None:
        """The clock equals a day-by-day count of running days and never decreases."""
        reading = payment_delay(self.history, self.today)
        assert reading.days_elapsed == _running_days(self.history, self.today)
        assert reading.days_elapsed >= self.elapsed, "the clock went backwards"
        if reading.started_on is not None:
            end = reading.stopped_on or self.today
            assert reading.days_elapsed + reading.days_paused == (end - reading.started_on).days
        self.elapsed = reading.days_elapsed

    @invariant()
    def last_status_is_a_known_one(self) -> None:
        """The current status is one the table mentions (or none yet)."""
        status = self.history.status
        assert status is None or status in DEFAULT_TABLE.statuses()
        assert status is None or isinstance(status, Status)


Workflow.TestCase.settings = settings(Workflow.TestCase.settings, stateful_step_count=40)
TestWorkflow = Workflow.TestCase
