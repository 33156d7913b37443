"""The Chorus Pro API shapes: round trips, the inverted payment flag, shape errors."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chorus_core.directory import (
    ApiShapeError,
    IdentifierType,
    Service,
    Structure,
    apply_service_parameters,
    services_from_api,
    services_to_api,
    structure_from_api,
    structure_to_api,
)
from chorus_core.directory.strategies import services, structures

SIRET = "21310555400017"


@given(structures())
def test_structure_round_trip(structure: Structure) -> None:
    """Any structure written as consulterStructure JSON and read back is equal."""
    data = json.dumps(structure_to_api(structure))
    assert structure_from_api(data) == structure


@given(structures().flatmap(
    lambda s: st.tuples(st.just(s), st.lists(services(s, dates=True, engagement_required=False),
                                             max_size=4, unique_by=lambda sv: sv.code))))
def test_services_round_trip(pair: tuple[Structure, list[Service]]) -> None:
    """Services written as rechercherServicesStructure and read back keep code, name, state
    and dates (the shape carries no address)."""
    structure, records = pair
    back = services_from_api(json.dumps(services_to_api(records)).encode(), structure)
    assert [(s.code, s.name, s.active, s.valid_from, s.valid_to) for s in back] == [
        (s.code, s.name, s.active, s.valid_from, s.valid_to) for s in records
    ]
    assert all(s.structure_identifier == structure.identifier for s in back)


@pytest.mark.parametrize(("not_reported", "manages"), [(True, False), (False, True)])
def test_payment_status_flag_is_inverted(not_reported: bool, manages: bool) -> None:
    """statutMiseEnPaiementNestPasRemonte is the negation of GestionStatutMiseEnPaiement."""
    s = structure_from_api({
        "informationGenerales": {"identifiantStructure": SIRET},
        "parametres": {"statutMiseEnPaiementNestPasRemonte": not_reported},
    })
    assert s.manages_payment_status is manages


def test_flags_map_to_export_names() -> None:
    """Each API flag lands on the field of its export column."""
    s = structure_from_api({
        "informationGenerales": {"identifiantStructure": SIRET,
                                 "typeIdentifiantStructure": "SIRET", "statut": "INACTIF"},
        "parametres": {"codeServiceDoitEtreRenseigne": True, "numeroEJDoitEtreRenseigne": False,
                       "gestionNumeroEJOuCodeService": True, "avecMOA": True},
    })
    assert (s.service_required, s.engagement_required, s.service_or_engagement_required,
            s.is_moa, s.active) == (True, False, True, True, False)


def test_top_level_identity_accepted() -> None:
    """Identity fields at the top level (no informationGenerales) are accepted."""
    s = structure_from_api({"identifiantStructure": "A12345", "typeIdentifiantStructure": "TAHITI",
                            "raisonSociale": "COMMUNE"})
    assert (s.identifier_type, s.name, s.active) == (IdentifierType.TAHITI, "COMMUNE", True)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ("{not json", "consulterStructure"),
        ("[]", "consulterStructure"),
        ({"informationGenerales": {}}, "informationGenerales.identifiantStructure"),
        ({"informationGenerales": {"identifiantStructure": SIRET,
                                   "typeIdentifiantStructure": "NIR"}},
         "informationGenerales.typeIdentifiantStructure"),
        ({"informationGenerales": {"identifiantStructure": SIRET},
          "parametres": {"numeroEJDoitEtreRenseigne": "oui"}},
         "parametres.numeroEJDoitEtreRenseigne"),
        ({"informationGenerales": {"identifiantStructure": SIRET, "statut": "FERME"}},
         "informationGenerales.statut"),
        ({"informationGenerales": {"identifiantStructure": SIRET}, "parametres": []},
         "consulterStructure.parametres"),
    ],
)
def test_structure_shape_errors_name_the_field(data: object, field: str) -> None:
    """A response of the wrong shape raises ApiShapeError naming the field."""
    with pytest.raises(ApiShapeError) as info:
        structure_from_api(data)  # type: ignore[arg-type]
    assert info.value.field == field


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"listeServices": {}}, "listeServices"),
        ({"listeServices": [{"libelleService": "x"}]}, "listeServices[0].codeService"),
        ({"listeServices": [{"codeService": "A", "dateDbtService": "demain"}]},
         "listeServices[0].dateDbtService"),
        ({"listeServices": [{"codeService": "A", "estActif": 1}]}, "listeServices[0].estActif"),
    ],
)
def test_services_shape_errors_name_the_field(data: object, field: str) -> None:
    """A services response of the wrong shape raises ApiShapeError naming the field."""
    with pytest.raises(ApiShapeError) as info:
        services_from_api(data, SIRET)  # type: ignore[arg-type]
    assert info.value.field == field


def test_services_engagement_flags_and_timestamps() -> None:
    """engagement_required comes from the caller's map; timestamps are cut to dates."""
    (sv,) = services_from_api(
        {"listeServices": [{"codeService": "A", "dateDbtService": "2021-03-04T00:00:00.000+0100"}]},
        SIRET, engagement_required={"A": True},
    )
    assert (sv.engagement_required, sv.valid_from, sv.active) == (True, date(2021, 3, 4), True)


def test_apply_service_parameters() -> None:
    """consulterService parametres set engagement obligatoire and the validity dates."""
    sv = Service(SIRET, "A", structure_name="MAIRIE", valid_from=date(2020, 1, 1))
    updated = apply_service_parameters(sv, json.dumps({"parametres": {
        "numeroEngagement": True, "dateFinValidite": "2025-12-31"}}))
    assert (updated.engagement_required, updated.valid_from, updated.valid_to) == (
        True, date(2020, 1, 1), date(2025, 12, 31))
    assert apply_service_parameters(sv, {}) == sv
