"""Integration: findings of the directory routing checks feed the return policies."""

from __future__ import annotations

from chorus_core.directory import Directory, Service, Structure
from chorus_core.directory.routing_checks import check_routing
from chorus_core.errors import Policy
from chorus_core.model.routing import Routing
from chorus_core.workflow import recommend

_DIRECTORY = Directory.of(
    [Structure("21310555400017", "MAIRIE", service_required=True)],
    [Service("21310555400017", "COMPTA", structure_name="MAIRIE")],
)
_OK = Routing(buyer_siret="21310555400017", code_service="COMPTA",
              supplier_identifier="35600000000048", supplier_identifier_scheme="0009")


def test_clean_routing_recommends_nothing() -> None:
    """A routing that passes the directory checks calls for no return."""
    assert recommend(check_routing(_OK, _DIRECTORY)).policy is Policy.NONE


def test_missing_code_service_is_refused_at_deposit() -> None:
    """A missing mandatory code service means Chorus Pro refuses the deposit: no workflow."""
    report = check_routing(_OK.model_copy(update={"code_service": None}), _DIRECTORY)
    r = recommend(report)
    assert (r.policy, r.action, r.target) == (Policy.REFUSED_AT_DEPOSIT, None, None)
    assert report.codes[0] in r.motif
