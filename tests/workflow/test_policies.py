"""Tests of the return policies: least costly return, motif text, reform reason codes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chorus_core.errors import Finding, Policy, Severity
from chorus_core.workflow import (
    MOTIF_MAX_LENGTH,
    PROBLEMS,
    REASON_CODES_BY_REFORM_STATUS,
    Actor,
    History,
    Problem,
    ReasonCode,
    Status,
    apply,
    recommend,
)

D0 = date(2026, 3, 2)


def _finding(policy: Policy, message: str = "Service inactif", code: str = "DIR-001") -> Finding:
    return Finding(code=code, severity=Severity.ERROR, message_fr=message,
                   message_en="Inactive service", policy=policy, layer="routing")


@pytest.mark.parametrize(("problem", "policy", "status"), [
    (Problem.WRONG_RECIPIENT_SIRET, Policy.RECYCLE, Status.A_RECYCLER),
    (Problem.MISSING_ATTACHMENT, Policy.SUSPEND, Status.SUSPENDUE),
    (Problem.WRONG_VAT_RATE, Policy.REJECT, Status.REJETEE),
    (Problem.DUPLICATE, Policy.REJECT, Status.REJETEE),
    (Problem.UNKNOWN_ORDER, Policy.REJECT, Status.REJETEE),
])
def test_single_problem_gets_its_return(problem: Problem, policy: Policy,
                                        status: Status) -> None:
    """Routing errors recycle, missing documents suspend, content errors reject."""
    r = recommend([problem])
    assert (r.policy, r.target, r.motif) == (policy, status, PROBLEMS[problem].motif_fr)
    assert r.reason_codes == (PROBLEMS[problem].reason_code,)


def test_content_error_wins_over_cheaper_returns() -> None:
    """A wrong total forces a rejection even with routing and document problems."""
    r = recommend([Problem.WRONG_SERVICE_CODE, Problem.MISSING_ATTACHMENT, Problem.WRONG_TOTAL])
    assert (r.policy, r.reason_codes) == (Policy.REJECT, (ReasonCode.MONTANTTOTAL_ERR,))
    assert r.deferred == ("Code service erroné ou absent", "Pièce justificative manquante")


def test_routing_error_wins_over_missing_documents() -> None:
    """With wrong routing, recycle; the missing document is deferred to the right recipient."""
    r = recommend([Problem.MISSING_ATTACHMENT, Problem.WRONG_ENGAGEMENT])
    assert (r.policy, r.motif, r.deferred) == (
        Policy.RECYCLE, "Numéro d'engagement juridique erroné", ("Pièce justificative manquante",))


def test_motif_lists_each_problem_once() -> None:
    """Two problems of the same policy are joined once each, codes deduplicated."""
    r = recommend([Problem.MISSING_ATTACHMENT, Problem.MISSING_DELIVERY_PROOF,
                   Problem.MISSING_ATTACHMENT])
    assert r.motif == ("Pièce justificative manquante ; "
                       "Bon de livraison ou attestation de service fait manquant")
    assert r.reason_codes == (ReasonCode.JUSTIF_ABS,)


def test_findings_with_a_policy_are_accepted() -> None:
    """A routing finding with Policy.RECYCLE recommends recycling with its French message."""
    r = recommend([_finding(Policy.RECYCLE)])
    assert (r.policy, r.motif, r.reason_codes) == (
        Policy.RECYCLE, "Service inactif (DIR-001)", (ReasonCode.ROUTAGE_ERR,))


def test_findings_without_policy_are_ignored() -> None:
    """Informative findings lead to no return."""
    r = recommend([_finding(Policy.NONE)])
    assert (r.policy, r.action, r.target, r.motif) == (Policy.NONE, None, None, "")


def test_refused_at_deposit_means_no_workflow_action() -> None:
    """A deposit-level finding wins and names no action: the invoice never entered Chorus Pro."""
    r = recommend([Problem.WRONG_VAT_RATE, _finding(Policy.REFUSED_AT_DEPOSIT, "SIRET inconnu")])
    assert (r.policy, r.action, r.target, r.motif) == (
        Policy.REFUSED_AT_DEPOSIT, None, None, "SIRET inconnu (DIR-001)")


def test_long_motif_is_truncated_to_255() -> None:
    """A motif built from long finding messages is cut to 255 characters with an ellipsis."""
    r = recommend([_finding(Policy.REJECT, "é" * 200, "A"),
                   _finding(Policy.REJECT, "è" * 200, "B")])
    assert len(r.motif) == MOTIF_MAX_LENGTH and r.motif.endswith("…")


def test_problem_reason_codes_are_allowed_for_the_reform_status() -> None:
    """Recycle and suspend codes are allowed for 208 Suspendue; reject codes for 210 Refusée."""
    reform_status = {Policy.RECYCLE: 208, Policy.SUSPEND: 208, Policy.REJECT: 210}
    for problem, info in PROBLEMS.items():
        assert info.problem is problem
        assert info.reason_code in REASON_CODES_BY_REFORM_STATUS[reform_status[info.policy]], info
        assert len(info.motif_fr) <= MOTIF_MAX_LENGTH


def test_reform_code_list_has_45_codes() -> None:
    """The reform's reason-code list of the research note has 45 codes."""
    assert len(ReasonCode) == 45


@given(st.lists(st.sampled_from(Problem), min_size=1, max_size=6))
def test_recommendation_can_be_applied(problems: list[Problem]) -> None:
    """The recommended action and motif are accepted by the machine on an available invoice."""
    r = recommend(problems)
    assert r.action is not None
    available = History.observed([(Status.MISE_A_DISPOSITION, D0)])
    after = apply(available, r.action, Actor.RECIPIENT, D0, motif=r.motif)
    assert after.status is r.target
    assert len(r.motif) <= MOTIF_MAX_LENGTH
