"""Directory records and the immutable, indexed Directory."""

from __future__ import annotations

import pickle
from datetime import date

import pytest
from hypothesis import given

from chorus_core.directory import (
    Directory,
    DuplicateEntryError,
    IdentifierType,
    Service,
    Structure,
)
from chorus_core.directory.strategies import directories

SIRET = "21310555400017"


def test_identifier_types_pair_numbers_and_api_names() -> None:
    """The seven identifier types pair export numbers and API names in the official order."""
    assert [(t.value, t.api_name) for t in IdentifierType] == [
        (1, "SIRET"), (2, "UE_HORS_FRANCE"), (3, "HORS_UE"), (4, "RIDET"), (5, "TAHITI"),
        (6, "AUTRE"), (7, "PARTICULIER"),
    ]
    assert all(t.label_fr for t in IdentifierType)
    assert IdentifierType.from_api(" tahiti ") is IdentifierType.TAHITI


@given(directories())
def test_lookups_find_every_record(directory: Directory) -> None:
    """Every structure is found by its identifier and every service by (SIRET, code)."""
    for s in directory.structures.values():
        assert directory.structure(s.identifier) is s
        assert s.identifier in directory
    for sv in directory.iter_services():
        assert directory.service(sv.structure_identifier, sv.code) is sv
        assert directory.services_of(sv.structure_identifier)[sv.code] is sv
    assert sum(1 for _ in directory.iter_services()) == directory.service_count


def test_missing_lookups_return_none() -> None:
    """Unknown SIRETs and codes give None and an empty service map."""
    d = Directory.of([Structure(SIRET, "M")])
    assert d.structure("00000000000000") is None
    assert d.service(SIRET, "X") is None
    assert dict(d.services_of(SIRET)) == {}


def test_directory_is_read_only() -> None:
    """The indexes cannot be changed through the directory."""
    d = Directory.of([Structure(SIRET, "M")],
                     [Service(SIRET, "A", structure_name="M")])
    with pytest.raises(TypeError):
        d.structures[SIRET] = Structure(SIRET, "X")  # type: ignore[index]
    with pytest.raises(TypeError):
        d.services_of(SIRET)["B"] = Service(SIRET, "B", structure_name="M")  # type: ignore[index]
    with pytest.raises(AttributeError):
        d.structure(SIRET).name = "X"  # type: ignore[misc, union-attr]


def test_duplicates_refused() -> None:
    """Two structures with one identifier, or two services with one key, are refused."""
    s = Structure(SIRET, "M")
    with pytest.raises(DuplicateEntryError):
        Directory.of([s, s])
    with pytest.raises(DuplicateEntryError) as info:
        Directory.of([s], [Service(SIRET, "A", structure_name="M"),
                           Service(SIRET, "A", structure_name="M")])
    assert info.value.key == f"{SIRET}/A"


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "on", "expected"),
    [
        (None, None, date(2024, 1, 1), True),
        (date(2024, 1, 1), None, date(2024, 1, 1), True),
        (date(2024, 1, 2), None, date(2024, 1, 1), False),
        (None, date(2024, 1, 1), date(2024, 1, 1), True),
        (None, date(2023, 12, 31), date(2024, 1, 1), False),
    ],
)
def test_service_validity_bounds_included(
    valid_from: date | None, valid_to: date | None, on: date, expected: bool
) -> None:
    """A service is valid from its start date to its end date, both included."""
    sv = Service(SIRET, "A", structure_name="M", valid_from=valid_from, valid_to=valid_to)
    assert sv.is_valid_on(on) is expected


def test_directory_equality_ignores_load_report() -> None:
    """Two directories with the same records are equal; a record change makes them differ."""
    s = Structure(SIRET, "M")
    assert Directory.of([s]) == Directory.of([s])
    assert Directory.of([s]) != Directory.of([s._replace(active=False)])


@given(directories())
def test_directory_pickles(directory: Directory) -> None:
    """A loaded directory can be pickled (e.g. cached) and comes back equal and read-only."""
    back = pickle.loads(pickle.dumps(directory))
    assert back == directory and back.service_count == directory.service_count
    with pytest.raises(TypeError):
        back.structures["x"] = None  # type: ignore[index]
