"""The synthetic national-size export generator."""

from __future__ import annotations

from stdnum.fr import siret as fr_siret

from chorus_core.directory import SERVICE_COLUMNS, STRUCTURE_COLUMNS, read_directory
from chorus_core.directory.generate import generate_export, synthetic_siret


def test_generated_export_loads_with_official_columns() -> None:
    """A generated export has the official headers and loads without any error."""
    structures_csv, services_csv = generate_export(500, 1300, seed=3)
    assert structures_csv.split(b"\r\n", 1)[0].decode() == ";".join(
        c.name for c in STRUCTURE_COLUMNS)
    assert services_csv.split(b"\r\n", 1)[0].decode() == ";".join(c.name for c in SERVICE_COLUMNS)
    d = read_directory(structures_csv, services_csv)
    assert (len(d), d.service_count, d.load_report.ok) == (500, 1300, True)
    assert all(fr_siret.is_valid(s) for s in d.structures)
    assert {s.structure_identifier for s in d.iter_services()} <= set(d.structures)


def test_generation_is_deterministic_per_seed() -> None:
    """The same seed gives the same bytes; another seed gives other flags."""
    assert generate_export(50, 100, seed=1) == generate_export(50, 100, seed=1)
    assert generate_export(50, 100, seed=1) != generate_export(50, 100, seed=2)


def test_synthetic_sirets_are_distinct_and_valid() -> None:
    """Synthetic SIRETs are valid and distinct."""
    sirets = [synthetic_siret(i) for i in range(2000)]
    assert len(set(sirets)) == 2000 and all(map(fr_siret.is_valid, sirets))


def test_generated_export_reads_in_latin1() -> None:
    """The generator can write Latin-1, which the reader detects."""
    structures_csv, services_csv = generate_export(20, 30, encoding="latin-1")
    assert read_directory(structures_csv, services_csv).service_count == 30
