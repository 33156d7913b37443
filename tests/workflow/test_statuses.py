"""Tests of the status list: the 57 API names, life-cycle codes, producers and flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chorus_core.workflow import STATUSES, Actor, Status, status_by_code


def test_statuses_are_the_57_api_names_in_api_order(corpus: Path) -> None:
    """Status lists exactly the statutFacture enum of the reference corpus, in its order."""
    data = json.loads((corpus / "chorus" / "statuts_facture_api.json").read_text("utf-8"))
    assert [s.value for s in Status] == data["statutFacture"]
    assert list(STATUSES) == list(Status)


@pytest.mark.parametrize(("code", "status"), [
    (1, Status.DEPOSEE), (2, Status.EN_COURS_ACHEMINEMENT), (3, Status.MISE_A_DISPOSITION),
    (4, Status.A_RECYCLER), (5, Status.REJETEE), (6, Status.SUSPENDUE), (7, Status.SERVICE_FAIT),
    (8, Status.MANDATEE), (9, Status.MISE_A_DISPOSITION_COMPTABLE), (10, Status.COMPTABILISEE),
    (11, Status.MISE_EN_PAIEMENT), (12, Status.COMPLETEE),
])
def test_certain_codes_1_to_12(code: int, status: Status) -> None:
    """Codes 1 to 12 are the webinar's and are not marked inferred."""
    assert status_by_code(code) is status
    assert STATUSES[status].code == code and not STATUSES[status].code_inferred


def test_codes_are_unique_and_later_codes_are_inferred() -> None:
    """No two statuses share a code; codes above 12 are marked inferred."""
    codes = [i.code for i in STATUSES.values() if i.code is not None]
    assert len(codes) == len(set(codes))
    assert all(i.code_inferred for i in STATUSES.values() if i.code is not None and i.code > 12)
    with pytest.raises(KeyError):
        status_by_code(22)


def test_producers_of_the_main_statuses() -> None:
    """Suspension and rejection come from the recipient, completion from the supplier."""
    assert STATUSES[Status.SUSPENDUE].producer is Actor.RECIPIENT
    assert STATUSES[Status.REJETEE].producer is Actor.RECIPIENT
    assert STATUSES[Status.COMPLETEE].producer is Actor.SUPPLIER
    assert STATUSES[Status.MISE_EN_PAIEMENT].producer is Actor.ACCOUNTANT


def test_optional_statuses_are_the_processing_ones() -> None:
    """Service fait, mandatée, MAD comptable, comptabilisée and mise en paiement are optional."""
    assert {s for s, i in STATUSES.items() if i.optional} == {
        Status.SERVICE_FAIT, Status.MANDATEE, Status.MISE_A_DISPOSITION_COMPTABLE,
        Status.COMPTABILISEE, Status.MISE_EN_PAIEMENT}


def test_every_status_has_french_and_english_labels() -> None:
    """Each status has non-empty FR and EN labels."""
    assert all(i.label_fr and i.label_en for i in STATUSES.values())
