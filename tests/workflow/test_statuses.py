"""Tests of the status list: the 57 API names, life-cycle codes, producers and flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from chorus_core.workflow import (
    PIVOT_STATUS_CODES,
    STATUSES,
    Actor,
    Status,
    StatusCodeError,
    status_by_code,
)


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
    """Suspension and rejection come from the recipient, payment from the accountant."""
    assert STATUSES[Status.SUSPENDUE].producer is Actor.RECIPIENT
    assert STATUSES[Status.REJETEE].producer is Actor.RECIPIENT
    assert STATUSES[Status.MISE_EN_PAIEMENT].producer is Actor.ACCOUNTANT


def test_completion_is_produced_by_chorus_pro() -> None:
    """The seed's « Producteur » column: Chorus Pro sets COMPLETEE on the supplier's addition."""
    assert STATUSES[Status.COMPLETEE].producer is Actor.CHORUS_PRO


def test_mad_comptable_is_produced_by_helios() -> None:
    """The seed (« Helios* »): MISE_A_DISPOSITION_COMPTABLE is set by Hélios, the accountant."""
    assert STATUSES[Status.MISE_A_DISPOSITION_COMPTABLE].producer is Actor.ACCOUNTANT


def test_pivot_codes_match_the_status_pivot_xsd(corpus: Path) -> None:
    """CPPStatutPivot_V1_19.xsd enumerates the invoice life-cycle codes 01 to 41."""
    tree = etree.parse(str(corpus / "pes" / "CPPStatutPivot_V1_19.xsd"))
    values = tree.xpath('//xs:element[@name="CPPFactureStatutUnitaire"]'
                        '//xs:element[@name="IdStatut"]//xs:enumeration/@value',
                        namespaces={"xs": "http://www.w3.org/2001/XMLSchema"})
    assert {int(v) for v in values} == set(PIVOT_STATUS_CODES) == set(range(1, 42))


def test_code_41_is_known_to_exist_but_not_its_status() -> None:
    """Code 41 exists in the status pivot; asking its status says so in a typed error."""
    with pytest.raises(StatusCodeError) as caught:
        status_by_code(41)
    assert isinstance(caught.value, KeyError) and caught.value.code == 41
    assert "existe" in caught.value.message_fr


def test_a_code_outside_the_pivot_is_not_a_status_code() -> None:
    """Code 42 is outside 01 to 41 and is reported as no status code at all."""
    with pytest.raises(StatusCodeError) as caught:
        status_by_code(42)
    assert "not a Chorus Pro status code" in caught.value.message_en


def test_optional_statuses_are_the_processing_ones() -> None:
    """Service fait, mandatée, MAD comptable, comptabilisée and mise en paiement are optional."""
    assert {s for s, i in STATUSES.items() if i.optional} == {
        Status.SERVICE_FAIT, Status.MANDATEE, Status.MISE_A_DISPOSITION_COMPTABLE,
        Status.COMPTABILISEE, Status.MISE_EN_PAIEMENT}


def test_every_status_has_french_and_english_labels() -> None:
    """Each status has non-empty FR and EN labels."""
    assert all(i.label_fr and i.label_en for i in STATUSES.values())
