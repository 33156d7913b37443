"""Structure and Service take their identifier first (issue 13, part 6)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from chorus_core.directory import (
    Directory,
    IdentifierType,
    Service,
    Structure,
    read_directory,
    write_services,
    write_structures,
)
from chorus_core.directory.api_json import (
    services_from_api,
    services_to_api,
    structure_from_api,
    structure_to_api,
)
from chorus_core.directory.strategies import services, structures

SIRET = "21690123100011"


def test_structure_identifier_then_name_with_siret_by_default() -> None:
    """Two positional arguments are the identifier and the name; the type defaults to SIRET."""
    s = Structure(SIRET, "COMMUNE X")
    assert (s.identifier, s.name, s.identifier_type) == (SIRET, "COMMUNE X", IdentifierType.SIRET)


def test_structure_third_positional_is_the_identifier_type() -> None:
    """The identifier type comes third, before the flags."""
    s = Structure("B-1", "CITY", IdentifierType.HORS_UE, True)
    assert s.identifier_type is IdentifierType.HORS_UE
    assert s.edi_sender is True
    assert Structure._fields[:4] == ("identifier", "name", "identifier_type", "edi_sender")


def test_service_structure_identifier_code_then_name() -> None:
    """A service is its structure's identifier and code, then its name, then the structure's."""
    sv = Service(SIRET, "COMPTA", "Comptabilité", "COMMUNE X")
    assert (sv.structure_identifier, sv.code, sv.name, sv.structure_name) == (
        SIRET, "COMPTA", "Comptabilité", "COMMUNE X")
    bare = Service(SIRET, "COMPTA")
    assert (bare.name, bare.structure_name, bare.active) == (None, None, True)


def test_directory_lookups_with_identifier_first_records() -> None:
    """The directory indexes the reordered records by identifier and (identifier, code)."""
    d = Directory.of([Structure(SIRET, "COMMUNE X")], [Service(SIRET, "COMPTA", "Compta")])
    found = d.service(SIRET, "COMPTA")
    assert found is not None and found.name == "Compta"
    assert d.structure(SIRET) == Structure(SIRET, "COMMUNE X")


def test_csv_fast_path_puts_each_column_in_its_field() -> None:
    """A CSV row read on the fast path fills the fields by name, not by the old positions."""
    s = Structure(SIRET, "COMMUNE X", IdentifierType.SIRET, service_required=True,
                  post_code="69000", city="LYON")
    sv = Service(SIRET, "COMPTA", "Comptabilité", "COMMUNE X", engagement_required=True,
                 active=False, city="LYON")
    d = read_directory(write_structures([s]), write_services([sv]))
    assert d.structure(SIRET) == s
    assert d.service(SIRET, "COMPTA") == sv


def test_csv_slow_path_puts_each_column_in_its_field() -> None:
    """A row the fast path declines (blank-padded type, ``TRUE`` flags) is built by field
    name too."""
    header = "Identifiant;RaisonSociale;Code;Nom;GestionEGMT;ServiceActif;Adresse;" \
        "ComplementAdresse1;ComplementAdresse2;CodePostal;Ville;NumTelephone;Courriel;" \
        "CodePays;LibellePays"
    row = f" {SIRET} ;COMMUNE X;COMPTA;Comptabilité;Oui;1;;;;;;;;;"
    structures_csv = write_structures([Structure(SIRET, "COMMUNE X")])
    d = read_directory(structures_csv, f"{header}\n{row}\n", lenient=True)
    assert d.load_report.error_count == 1  # "Oui" is no boolean: the exact path names it
    row = f"{SIRET};COMMUNE X;COMPTA;Comptabilité; TRUE ;1;;;;;;;;;"
    d = read_directory(structures_csv, f"{header}\n{row}\n")
    assert d.service(SIRET, "COMPTA") == Service(SIRET, "COMPTA", "Comptabilité", "COMMUNE X",
                                                 engagement_required=True)


def test_api_json_round_trip_keeps_fields() -> None:
    """The API shapes build the reordered records with each value in its field."""
    s = Structure(SIRET, "COMMUNE X", IdentifierType.SIRET, service_required=True)
    assert structure_from_api(structure_to_api(s)) == s
    sv = Service(SIRET, "COMPTA", "Comptabilité", "COMMUNE X", valid_from=date(2024, 1, 1))
    assert services_from_api(services_to_api([sv]), s) == (sv,)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_strategies_build_consistent_records(data: st.DataObject) -> None:
    """The public strategies put the structure's identifier and name in the service's fields."""
    s = data.draw(structures())
    sv = data.draw(services(s, code="C-1"))
    assert isinstance(s.identifier_type, IdentifierType)
    assert sv.structure_identifier == s.identifier
    assert sv.code == "C-1"
    assert sv.structure_name in (None, s.name)
