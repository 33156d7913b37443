"""Tests of the transition table: every row works as written, and only as written."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from chorus_core.workflow import (
    DEFAULT_TABLE,
    STATUSES,
    TRANSITIONS,
    VALIDATION_DELAY_DAYS,
    Action,
    Actor,
    Basis,
    Condition,
    Context,
    History,
    NewRouting,
    Refusal,
    Requirement,
    Status,
    TableError,
    Transition,
    TransitionRefused,
    TransitionTable,
    apply,
)

D0 = date(2026, 3, 2)

# A context in which each condition holds, and one in which it does not.
_HOLDS: dict[Condition, dict[str, Any]] = {
    Condition.VALIDATION_CIRCUIT: {"cadre": "A9"},
    Condition.NO_VALIDATION_CIRCUIT: {"cadre": "A1"},
    Condition.SECOND_VALIDATOR: {"cadre": "A12", "second_validator": True},
    Condition.NO_SECOND_VALIDATOR: {"cadre": "A9", "second_validator": False},
    Condition.NOT_HELIOS: {"helios": False},
    Condition.PAYMENT_STATUS_MANAGED: {"payment_status_managed": True},
    Condition.VALIDATION_DELAY_EXPIRED: {},
    Condition.FIRST_SUSPENSION: {},
}
_FAILS: dict[Condition, dict[str, Any]] = {
    Condition.VALIDATION_CIRCUIT: {"cadre": "A1"},
    Condition.NO_VALIDATION_CIRCUIT: {"cadre": "A9"},
    Condition.SECOND_VALIDATOR: {"cadre": "A12", "second_validator": False},
    Condition.NO_SECOND_VALIDATOR: {"cadre": "A12", "second_validator": True},
    Condition.NOT_HELIOS: {"helios": True},
    Condition.PAYMENT_STATUS_MANAGED: {"payment_status_managed": False},
    Condition.VALIDATION_DELAY_EXPIRED: {},
    Condition.FIRST_SUSPENSION: {},  # the history carries an earlier suspension instead
}
_DATA: dict[Requirement, dict[str, Any]] = {
    Requirement.MOTIF: {"motif": "Bon de commande manquant"},
    Requirement.MANDATE_NUMBER: {"mandate_number": "2589"},
    Requirement.NEW_ROUTING: {"routing": NewRouting(code_service="SERVICE-2")},
    Requirement.ATTACHMENT_OR_COMMENT: {"attachments": ("bon-livraison.pdf",)},
}


def _context(row: Transition, override: dict[str, Any] | None = None) -> Context:
    fields: dict[str, Any] = {}
    for condition in sorted(row.conditions):
        fields.update(_HOLDS[condition])
    fields.update(override or {})
    return Context(**fields)


def _history(row: Transition, context: Context, *, suspended_before: bool = False) -> History:
    if row.source is None:
        return History(context=context)
    before = [(Status.SUSPENDUE, D0 - timedelta(days=2)),
              (Status.COMPLETEE, D0 - timedelta(days=1))] if suspended_before else []
    return History.observed([*before, (row.source, D0)], context=context)


def _on(row: Transition, *, delay_met: bool = True) -> date:
    if Condition.VALIDATION_DELAY_EXPIRED in row.conditions:
        return D0 + timedelta(days=VALIDATION_DELAY_DAYS - (0 if delay_met else 1))
    return D0 + timedelta(days=1)


def _data(row: Transition, without: Requirement | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for requirement in row.requires:
        if requirement is not without:
            data.update(_DATA[requirement])
    return data


def _id(row: Transition) -> str:
    source = row.source.value if row.source else "NEW"
    return f"{source}-{row.action.value}-{row.actor.value}-{row.target.value}"


@pytest.mark.parametrize("row", TRANSITIONS, ids=_id)
def test_each_row_moves_to_its_target(row: Transition) -> None:
    """The row's actor, with its data and conditions met, reaches the row's target."""
    history = _history(row, _context(row))
    after = apply(history, row.action, row.actor, _on(row), **_data(row))
    event = after.events[-1]
    assert (event.status, event.action, event.actor) == (row.target, row.action, row.actor)
    assert after.events[:-1] == history.events


@pytest.mark.parametrize(
    ("row", "requirement"),
    [(row, req) for row in TRANSITIONS for req in sorted(row.requires)],
    ids=lambda v: _id(v) if isinstance(v, Transition) else str(v),
)
def test_each_required_datum_is_enforced(row: Transition, requirement: Requirement) -> None:
    """Leaving out one required datum refuses the action with the matching reason."""
    history = _history(row, _context(row))
    expected = {
        Requirement.MOTIF: Refusal.MISSING_MOTIF,
        Requirement.MANDATE_NUMBER: Refusal.MISSING_MANDATE_NUMBER,
        Requirement.NEW_ROUTING: Refusal.MISSING_ROUTING,
        Requirement.ATTACHMENT_OR_COMMENT: Refusal.MISSING_ATTACHMENT_OR_COMMENT,
    }[requirement]
    with pytest.raises(TransitionRefused) as refused:
        apply(history, row.action, row.actor, _on(row), **_data(row, without=requirement))
    assert refused.value.reason is expected
    assert (refused.value.status, refused.value.action, refused.value.actor) == (
        row.source, row.action, row.actor)


@pytest.mark.parametrize(
    ("row", "condition"),
    [(row, c) for row in TRANSITIONS for c in sorted(row.conditions)],
    ids=lambda v: _id(v) if isinstance(v, Transition) else str(v),
)
def test_each_condition_is_enforced(row: Transition, condition: Condition) -> None:
    """With one condition failing, the row is not used: refused, or another row applies."""
    delay_met = condition is not Condition.VALIDATION_DELAY_EXPIRED
    history = _history(row, _context(row, _FAILS[condition]),
                       suspended_before=condition is Condition.FIRST_SUSPENSION)
    try:
        after = apply(history, row.action, row.actor, _on(row, delay_met=delay_met),
                      **_data(row))
    except TransitionRefused as refused:
        assert refused.reason is Refusal.CONDITION_NOT_MET
        assert refused.condition is condition
    else:
        assert after.status != row.target


@pytest.mark.parametrize("row", TRANSITIONS, ids=_id)
def test_each_row_refuses_other_actors(row: Transition) -> None:
    """An actor with no row for this action from this status is refused as the wrong actor."""
    allowed = {r.actor for r in DEFAULT_TABLE.candidates(row.source, row.action)}
    history = _history(row, _context(row))
    for actor in set(Actor) - allowed:
        with pytest.raises(TransitionRefused) as refused:
            apply(history, row.action, actor, _on(row), **_data(row))
        assert refused.value.reason is Refusal.WRONG_ACTOR


def test_no_row_leaves_a_terminal_status() -> None:
    """Terminal statuses of the status list have no outgoing row in the default table."""
    terminal = {s for s, info in STATUSES.items() if info.terminal}
    assert DEFAULT_TABLE.terminal == terminal
    assert not [row for row in TRANSITIONS if row.source in terminal]


def test_table_refuses_a_row_leaving_a_terminal_status() -> None:
    """Building a table with a row out of REJETEE raises TableError."""
    with pytest.raises(TableError, match="REJETEE"):
        TransitionTable([*TRANSITIONS, Transition(Status.REJETEE, Action.RECYCLE,
                                                  Status.DEPOSEE, Actor.SUPPLIER)])


def test_rows_are_unambiguous() -> None:
    """No two rows share source, action and actor unless their conditions differ."""
    seen: dict[tuple[object, ...], Transition] = {}
    for row in TRANSITIONS:
        key = (row.source, row.action, row.actor, row.conditions)
        assert key not in seen, row
        seen[key] = row


def test_motif_is_required_for_suspension_and_rejection_only_on_recipient_returns() -> None:
    """SUSPEND and REJECT rows require a motif; recycling rows do not."""
    for row in TRANSITIONS:
        if row.action in (Action.SUSPEND, Action.REJECT, Action.REFUSE):
            assert Requirement.MOTIF in row.requires, row
        if row.action is Action.SEND_FOR_RECYCLING:
            assert Requirement.MOTIF not in row.requires, row


def test_official_targets_from_mise_a_disposition() -> None:
    """From MISE_A_DISPOSITION the recipient side reaches the official list plus SERVICE_FAIT."""
    targets = {row.target for row in DEFAULT_TABLE.leaving(Status.MISE_A_DISPOSITION)}
    assert targets == {
        Status.SUSPENDUE, Status.REJETEE, Status.MANDATEE, Status.MISE_EN_PAIEMENT,
        Status.COMPTABILISEE, Status.MISE_A_DISPOSITION_COMPTABLE, Status.A_RECYCLER,
        Status.SERVICE_FAIT,
    }


def test_helios_entities_get_accounting_statuses_from_the_accountant() -> None:
    """For Hélios, MAD comptable and mise en paiement by the ordonnateur are refused."""
    history = History.observed([(Status.MANDATEE, D0)], context=Context(helios=True))
    for action in (Action.HAND_TO_ACCOUNTANT, Action.PAY):
        with pytest.raises(TransitionRefused) as refused:
            apply(history, action, Actor.RECIPIENT, D0)
        assert refused.value.condition is Condition.NOT_HELIOS
        assert apply(history, action, Actor.ACCOUNTANT, D0).events[-1].actor is Actor.ACCOUNTANT


def test_payment_status_only_where_the_structure_manages_it() -> None:
    """MISE_EN_PAIEMENT is refused when the structure does not report the payment status."""
    history = History.observed([(Status.COMPTABILISEE, D0)],
                               context=Context(payment_status_managed=False))
    with pytest.raises(TransitionRefused) as refused:
        apply(history, Action.PAY, Actor.ACCOUNTANT, D0)
    assert refused.value.condition is Condition.PAYMENT_STATUS_MANAGED


def test_a_caller_table_replaces_the_default() -> None:
    """A caller's table allowing recycling from SERVICE_FAIT is honoured by apply."""
    extra = Transition(Status.SERVICE_FAIT, Action.SEND_FOR_RECYCLING, Status.A_RECYCLER,
                       Actor.RECIPIENT)
    table = TransitionTable([*TRANSITIONS, extra])
    history = History.observed([(Status.SERVICE_FAIT, D0)])
    with pytest.raises(TransitionRefused):
        apply(history, Action.SEND_FOR_RECYCLING, Actor.RECIPIENT, D0)
    after = apply(history, Action.SEND_FOR_RECYCLING, Actor.RECIPIENT, D0, table=table)
    assert after.status is Status.A_RECYCLER


def test_validation_delay_is_configurable() -> None:
    """A table with a 10-day validation delay allows tacit validation on day 10."""
    table = TransitionTable(TRANSITIONS, validation_delay_days=10)
    history = History.observed([(Status.A_VALIDER_1, D0)], context=Context(cadre="A9"))
    on = D0 + timedelta(days=10)
    with pytest.raises(TransitionRefused):
        apply(history, Action.TACIT_VALIDATION, Actor.CHORUS_PRO, on)
    after = apply(history, Action.TACIT_VALIDATION, Actor.CHORUS_PRO, on, table=table)
    assert after.status is Status.ABSENCE_VALIDATION_1_HORS_DELAI


def test_recycling_is_traiter_facture_recue_with_its_source() -> None:
    """The official recupererEtatsPossiblesPourTraitement example lists A_RECYCLER as a target of
    traiterFactureRecue from MISE_A_DISPOSITION; the row says which call and which source."""
    (row,) = DEFAULT_TABLE.candidates(Status.MISE_A_DISPOSITION, Action.SEND_FOR_RECYCLING)
    assert (row.target, row.actor, row.basis) == (Status.A_RECYCLER, Actor.RECIPIENT,
                                                  Basis.OFFICIAL)
    assert "traiterFactureRecue" in row.note and "officiel" in row.note


def test_mandate_requires_nothing() -> None:
    """No source requires the mandate number, so no MANDATE row lists it."""
    assert not [row for row in TRANSITIONS
                if row.action is Action.MANDATE and Requirement.MANDATE_NUMBER in row.requires]


def test_every_suspension_row_allows_one_suspension_only() -> None:
    """CCP R2192-27 (one interruption): every SUSPEND row carries the first-suspension condition."""
    rows = [row for row in TRANSITIONS if row.action is Action.SUSPEND]
    assert rows and all(Condition.FIRST_SUSPENSION in row.conditions for row in rows)
