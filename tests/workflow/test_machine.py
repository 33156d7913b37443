"""Tests of the status machine: each refusal reason, allowed actions, observed histories."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chorus_core.errors import ChorusError, WorkflowError
from chorus_core.workflow import (
    MOTIF_MAX_LENGTH,
    Action,
    Actor,
    Condition,
    Context,
    History,
    NewRouting,
    Refusal,
    Status,
    TransitionRefused,
    WorkflowUsageError,
    allowed_actions,
    apply,
)

D0 = date(2026, 3, 2)
AVAILABLE = History.observed([(Status.DEPOSEE, D0), (Status.MISE_A_DISPOSITION, D0)])


def _refusal(history: History, action: Action, actor: Actor, on: date = D0,
             **data: object) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as refused:
        apply(history, action, actor, on, **data)  # type: ignore[arg-type]
    assert refused.value.status is history.status
    assert (refused.value.action, refused.value.actor) == (action, actor)
    return refused.value


def test_refused_on_terminal_status() -> None:
    """Any action on a rejected invoice is refused because REJETEE is terminal."""
    rejected = apply(AVAILABLE, Action.REJECT, Actor.RECIPIENT, D0, motif="Montant erroné")
    assert _refusal(rejected, Action.SUSPEND, Actor.RECIPIENT,
                    motif="x").reason is Refusal.TERMINAL_STATUS


def test_refused_when_dated_before_the_last_event() -> None:
    """An action dated before the last event is refused, whatever the action."""
    refused = _refusal(AVAILABLE, Action.SUSPEND, Actor.RECIPIENT, D0 - timedelta(days=1),
                       motif="Pièce manquante")
    assert refused.reason is Refusal.DATE_BEFORE_LAST_EVENT


def test_refused_when_the_action_does_not_leave_this_status() -> None:
    """Completing an invoice that is not suspended is refused as not allowed from its status."""
    refused = _refusal(AVAILABLE, Action.COMPLETE, Actor.SUPPLIER, comment="RIB joint")
    assert refused.reason is Refusal.NOT_ALLOWED_FROM_STATUS


def test_refused_for_the_wrong_actor() -> None:
    """A supplier cannot suspend its own invoice."""
    refused = _refusal(AVAILABLE, Action.SUSPEND, Actor.SUPPLIER, motif="Pièce manquante")
    assert refused.reason is Refusal.WRONG_ACTOR


def test_refused_when_a_condition_fails() -> None:
    """Tacit validation on day 14 is refused: the 15-day delay has not expired."""
    waiting = History.observed([(Status.A_VALIDER_1, D0)], context=Context(cadre="A12"))
    refused = _refusal(waiting, Action.TACIT_VALIDATION, Actor.CHORUS_PRO,
                       D0 + timedelta(days=14))
    assert (refused.reason, refused.condition) == (
        Refusal.CONDITION_NOT_MET, Condition.VALIDATION_DELAY_EXPIRED)
    assert "validation_delay_expired" in str(refused)


@pytest.mark.parametrize("motif", [None, "", "   "])
def test_refused_without_motif(motif: str | None) -> None:
    """Suspending with no motif, or a blank one, is refused for the missing motif."""
    refused = _refusal(AVAILABLE, Action.SUSPEND, Actor.RECIPIENT, motif=motif)
    assert refused.reason is Refusal.MISSING_MOTIF


@pytest.mark.parametrize("action", [Action.REJECT, Action.SEND_FOR_RECYCLING])
def test_refused_with_a_motif_over_255_characters(action: Action) -> None:
    """A 256-character motif is refused, even where the motif is optional."""
    refused = _refusal(AVAILABLE, action, Actor.RECIPIENT, motif="x" * (MOTIF_MAX_LENGTH + 1))
    assert refused.reason is Refusal.MOTIF_TOO_LONG
    ok = apply(AVAILABLE, action, Actor.RECIPIENT, D0, motif="x" * MOTIF_MAX_LENGTH)
    assert ok.events[-1].motif == "x" * MOTIF_MAX_LENGTH


def test_mandate_number_is_optional() -> None:
    """No source requires numeroDPMandat for MANDATEE (research §9), so none is asked for."""
    after = apply(AVAILABLE, Action.MANDATE, Actor.RECIPIENT, D0)
    assert (after.status, after.events[-1].mandate_number) == (Status.MANDATEE, None)


def test_a_second_suspension_is_refused() -> None:
    """CCP R2192-27: the delay « peut être interrompu une seule fois », so one suspension only."""
    h = apply(AVAILABLE, Action.SUSPEND, Actor.RECIPIENT, D0, motif="Bon de livraison manquant")
    h = apply(h, Action.COMPLETE, Actor.SUPPLIER, D0, attachments=("bl.pdf",))
    refused = _refusal(h, Action.SUSPEND, Actor.RECIPIENT, motif="Encore un document")
    assert (refused.reason, refused.condition) == (Refusal.CONDITION_NOT_MET,
                                                   Condition.FIRST_SUSPENSION)


@pytest.mark.parametrize("source", [Status.MANDATEE, Status.MISE_A_DISPOSITION_COMPTABLE])
def test_the_recipient_rejects_after_the_mandate(source: Status) -> None:
    """DGCL FAQ: when the accountant rejects the mandate, « la collectivité rejette la facture »."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (source, D0)])
    after = apply(h, Action.REJECT, Actor.RECIPIENT, D0, motif="Mandat rejeté par le comptable")
    assert after.status is Status.REJETEE


def test_a_history_observed_past_payment_allows_nothing() -> None:
    """MISE_EN_PAIEMENT is terminal (the library's choice): a « mandatée » observed after it
    leaves the invoice paid, with no action allowed or applied."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.MISE_EN_PAIEMENT, D0),
                          (Status.MANDATEE, D0 + timedelta(days=1))])
    assert allowed_actions(h, Actor.RECIPIENT) == ()
    refused = _refusal(h, Action.PAY, Actor.RECIPIENT, D0 + timedelta(days=2))
    assert refused.reason is Refusal.TERMINAL_STATUS


def test_a_mandate_after_payment_is_an_accepted_observation() -> None:
    """Hélios may set « mandatée » after « mise en paiement »; the observed history keeps it."""
    h = History.observed([(Status.MISE_A_DISPOSITION, D0), (Status.MISE_EN_PAIEMENT, D0),
                          (Status.MANDATEE, D0 + timedelta(days=1))])
    assert [e.status for e in h.events][-2:] == [Status.MISE_EN_PAIEMENT, Status.MANDATEE]


@pytest.mark.parametrize("routing", [None, NewRouting(), NewRouting(siret=" ")])
def test_refused_without_new_routing(routing: NewRouting | None) -> None:
    """Recycling without any new SIRET, code service or engagement is refused."""
    to_recycle = History.observed([(Status.A_RECYCLER, D0)])
    refused = _refusal(to_recycle, Action.RECYCLE, Actor.SUPPLIER, routing=routing)
    assert refused.reason is Refusal.MISSING_ROUTING


def test_refused_without_attachment_or_comment() -> None:
    """Completing a suspended invoice with neither attachment nor comment is refused."""
    suspended = History.observed([(Status.SUSPENDUE, D0)])
    refused = _refusal(suspended, Action.COMPLETE, Actor.SUPPLIER, comment=" ")
    assert refused.reason is Refusal.MISSING_ATTACHMENT_OR_COMMENT
    done = apply(suspended, Action.COMPLETE, Actor.SUPPLIER, D0, comment="RIB corrigé joint")
    assert done.status is Status.COMPLETEE


def test_refusal_is_a_workflow_error_with_french_and_english_messages() -> None:
    """TransitionRefused belongs to the ChorusError family and explains itself in FR and EN."""
    refused = _refusal(AVAILABLE, Action.REJECT, Actor.RECIPIENT)
    assert isinstance(refused, WorkflowError) and isinstance(refused, ChorusError)
    assert "motif obligatoire" in refused.message_fr
    assert "a motif is required" in refused.message_en


def test_refusal_leaves_the_history_untouched() -> None:
    """A refused action returns nothing and the history keeps its events."""
    before = AVAILABLE.model_copy(deep=True)
    _refusal(AVAILABLE, Action.REJECT, Actor.RECIPIENT)
    assert before == AVAILABLE


def test_apply_records_the_data_of_the_event() -> None:
    """The new event carries the date, actor, action and the data given."""
    to_recycle = History.observed([(Status.A_RECYCLER, D0)])
    routing = NewRouting(siret="11000201100044", code_service="SERVICE-2", engagement="EJ-1")
    after = apply(to_recycle, Action.RECYCLE, Actor.SUPPLIER, D0 + timedelta(days=3),
                  routing=routing, comment="Nouveau service")
    event = after.events[-1]
    assert (event.status, event.on, event.actor, event.action) == (
        Status.DEPOSEE, D0 + timedelta(days=3), Actor.SUPPLIER, Action.RECYCLE)
    assert (event.routing, event.comment) == (routing, "Nouveau service")


def test_a_new_invoice_is_deposited_or_goes_to_its_validator() -> None:
    """Depositing creates DEPOSEE for A1 and A_VALIDER_1 for A9."""
    assert apply(History(), Action.DEPOSIT, Actor.SUPPLIER, D0).status is Status.DEPOSEE
    a9 = History(context=Context(cadre="A9"))
    assert apply(a9, Action.DEPOSIT, Actor.SUPPLIER, D0).status is Status.A_VALIDER_1


def test_allowed_actions_of_the_recipient_on_an_available_invoice() -> None:
    """The recipient of an available invoice may return it or process it, in table order."""
    actions = [row.action for row in allowed_actions(AVAILABLE, Actor.RECIPIENT)]
    assert actions == [
        Action.SUSPEND, Action.REJECT, Action.SEND_FOR_RECYCLING, Action.CERTIFY_SERVICE_DONE,
        Action.MANDATE, Action.HAND_TO_ACCOUNTANT, Action.BOOK, Action.PAY,
    ]
    assert allowed_actions(AVAILABLE, Actor.SUPPLIER) == ()


def test_allowed_actions_respect_the_structure() -> None:
    """For a Hélios entity without payment status, the ordonnateur cannot pay or book."""
    helios = AVAILABLE.model_copy(update={
        "context": Context(helios=True, payment_status_managed=False)})
    actions = {row.action for row in allowed_actions(helios, Actor.RECIPIENT)}
    assert Action.PAY not in actions and Action.BOOK not in actions
    assert {row.action for row in allowed_actions(helios, Actor.ACCOUNTANT)} == {
        Action.HAND_TO_ACCOUNTANT, Action.BOOK}


def test_allowed_actions_need_a_date_for_tacit_validation() -> None:
    """Tacit validation is offered only when the question's date is past the delay."""
    waiting = History.observed([(Status.A_VALIDER_1, D0)], context=Context(cadre="A9"))
    assert allowed_actions(waiting, Actor.CHORUS_PRO) == ()
    late = allowed_actions(waiting, Actor.CHORUS_PRO, D0 + timedelta(days=15))
    assert [row.action for row in late] == [Action.TACIT_VALIDATION]


def test_allowed_actions_on_terminal_status_are_empty() -> None:
    """Nobody may do anything on a paid invoice."""
    paid = History.observed([(Status.MISE_EN_PAIEMENT, D0)])
    assert all(allowed_actions(paid, actor, D0) == () for actor in Actor)


def test_observed_history_refuses_dates_going_backwards() -> None:
    """An observed history whose dates go backwards raises a typed usage error."""
    with pytest.raises(WorkflowUsageError) as caught:
        History.observed([(Status.MISE_A_DISPOSITION, D0),
                          (Status.SUSPENDUE, D0 - timedelta(days=1))])
    assert caught.value.argument == "statuses"
    assert "out of order" in caught.value.message_en
    assert "ordre chronologique" in caught.value.message_fr


def test_observed_history_refuses_an_unknown_status() -> None:
    """A status name that is not one of the 57 raises a typed usage error, not a KeyError."""
    with pytest.raises(WorkflowUsageError) as caught:
        History.observed([("MISE_A_DISPO", D0)])
    assert caught.value.argument == "statuses[0]"


def test_observed_history_takes_api_names_and_str_dates() -> None:
    """Statuses by API name and ISO dates, as consulterHistoriqueFacture returns them."""
    h = History.observed([("MISE_A_DISPOSITION", "2026-03-02")])
    assert (h.status, h.last_date) == (Status.MISE_A_DISPOSITION, D0)


def test_apply_refuses_an_unknown_action() -> None:
    """An action that is not an Action value raises a typed usage error naming ``action``."""
    with pytest.raises(WorkflowUsageError) as caught:
        apply(AVAILABLE, "payer", Actor.RECIPIENT, D0)
    assert isinstance(caught.value, ChorusError) and caught.value.argument == "action"


def test_apply_refuses_an_unknown_actor() -> None:
    """An actor that is not an Actor value raises a typed usage error naming ``actor``."""
    with pytest.raises(WorkflowUsageError) as caught:
        apply(AVAILABLE, Action.MANDATE, "ordonnateur", D0)
    assert caught.value.argument == "actor"


def test_apply_takes_values_and_str_dates() -> None:
    """Action and actor by value and the date as ISO text work as their typed forms."""
    after = apply(AVAILABLE, "mandate", "recipient", "2026-03-05")
    assert (after.status, after.last_date) == (Status.MANDATEE, date(2026, 3, 5))


def test_apply_refuses_a_value_that_is_not_a_date() -> None:
    """A date that is neither a date nor ISO text raises a typed usage error naming ``on``."""
    with pytest.raises(WorkflowUsageError) as caught:
        apply(AVAILABLE, Action.MANDATE, Actor.RECIPIENT, "05/03/2026")
    assert caught.value.argument == "on"


def test_apply_refuses_a_history_that_is_not_one() -> None:
    """Passing something else than a History raises a typed usage error naming ``history``."""
    with pytest.raises(WorkflowUsageError) as caught:
        apply([], Action.MANDATE, Actor.RECIPIENT, D0)  # type: ignore[arg-type]
    assert caught.value.argument == "history"


def test_entered_current_status_is_the_first_of_a_run() -> None:
    """Repeated events of the same status keep the date the status was entered."""
    h = History.observed([(Status.A_VALIDER_1, D0), (Status.A_VALIDER_1, D0 + timedelta(3))])
    assert h.entered_current_status() == D0
    assert History().entered_current_status() is None


def test_context_refuses_unknown_cadre_and_lonely_second_validator() -> None:
    """A cadre outside A1…A25, or a second validator without circuit, is refused."""
    with pytest.raises(ValueError, match="A99"):
        Context(cadre="A99")
    with pytest.raises(ValueError, match="second validator"):
        Context(cadre="A1", second_validator=True)
    assert Context(cadre=None).cadre == "A1"


def test_history_round_trips_through_json() -> None:
    """A history with routing and attachments survives JSON serialization unchanged."""
    h = apply(History.observed([(Status.A_RECYCLER, D0)], context=Context(cadre="A12")),
              Action.RECYCLE, Actor.SUPPLIER, D0, routing=NewRouting(engagement="EJ-9"),
              attachments=["devis.pdf"], motif="Nouvel engagement")
    assert History.model_validate_json(h.model_dump_json()) == h


def test_observed_accepts_api_status_names() -> None:
    """Status names read from the API convert to statuses and get their producer."""
    h = History.observed([(Status("MISE_A_DISPOSITION"), D0)])
    assert h.status is Status.MISE_A_DISPOSITION
    assert h.events[0].actor is Actor.CHORUS_PRO


def test_new_routing_checks_the_siret() -> None:
    """A recycling SIRET that fails its check digits is refused with siret_invalid."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as error:
        NewRouting(siret="11000201100045")
    assert error.value.errors()[0]["type"] == "siret_invalid"
    assert NewRouting(siret=" 11000201100044 ").siret == "11000201100044"


def test_allowed_actions_before_the_last_event_are_empty() -> None:
    """Asking about a date before the last event offers nothing."""
    assert allowed_actions(AVAILABLE, Actor.RECIPIENT, D0 - timedelta(days=1)) == ()
