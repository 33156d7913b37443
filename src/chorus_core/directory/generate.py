"""A synthetic national-size directory export, for benchmarks and load tests (never real data).

:func:`generate_export` writes the structures and services exports with the official columns
(:data:`~chorus_core.directory.csv_export.STRUCTURE_COLUMNS`,
:data:`~chorus_core.directory.csv_export.SERVICE_COLUMNS`), deterministic for a seed.  Names,
addresses and e-mails are obviously fake (``COLLECTIVITE SYNTHETIQUE 000042``,
``…@exemple.invalid``); SIRETs have valid check digits and a SIREN starting with ``2``.  The
default size is the national one: 150,000 structures and 400,000 services.

>>> structures, services = generate_export(3, 5, seed=1)
>>> from chorus_core.directory import read_directory
>>> d = read_directory(structures, services)
>>> (len(d), d.service_count)
(3, 5)
"""

from __future__ import annotations

import random

from stdnum import luhn

from .csv_export import DELIMITER, SERVICE_COLUMNS, STRUCTURE_COLUMNS

__all__ = ["NATIONAL_SERVICES", "NATIONAL_STRUCTURES", "generate_export", "synthetic_siret"]

NATIONAL_STRUCTURES = 150_000
"""Order of magnitude of the public structures in the national export."""
NATIONAL_SERVICES = 400_000
"""Order of magnitude of the services in the national export."""

_T, _F = "true", "false"


def synthetic_siret(index: int) -> str:
    """The ``index``-th synthetic SIRET: SIREN ``2`` + 7 digits + Luhn key, NIC ``0001`` + key.

    >>> synthetic_siret(0), synthetic_siret(41)
    ('20000000800017', '20000041200011')
    """
    body = f"2{index:07d}"
    siren = body + luhn.calc_check_digit(body)
    return siren + "0001" + luhn.calc_check_digit(siren + "0001")


def generate_export(
    structures: int = NATIONAL_STRUCTURES,
    services: int = NATIONAL_SERVICES,
    *,
    seed: int = 0,
    encoding: str = "utf-8",
) -> tuple[bytes, bytes]:
    """Return ``(structures_csv, services_csv)``: synthetic exports of the given sizes.

    About 95 % of structures are active; 30 % require a code service, 10 % an engagement, 10 %
    a code service or an engagement.  Services are spread at random over the structures; 90 %
    are active, 20 % require an engagement.
    """
    rng = random.Random(seed)
    rand = rng.random
    sirets = [synthetic_siret(i) for i in range(structures)]
    names = [f"COLLECTIVITE SYNTHETIQUE {i:06d}" for i in range(structures)]
    lines = [DELIMITER.join(c.name for c in STRUCTURE_COLUMNS)]
    append = lines.append
    for i in range(structures):
        append(
            f"1;{sirets[i]};{names[i]};{_T if rand() < .3 else _F};{_T if rand() < .5 else _F};"
            f"{_T if rand() < .4 else _F};{_T if rand() < .1 else _F};"
            f"{_T if rand() < .3 else _F};{_T if rand() < .1 else _F};"
            f"{_T if rand() < .05 else _F};{_F};{_T if rand() < .95 else _F};"
            f"{rng.randrange(1, 200)} RUE DE L'EXEMPLE;;;{rng.randrange(1000, 96000):05d};"
            f"VILLE-{rng.randrange(3000):04d};;contact{i}@exemple.invalid;FR;France"
        )
    structures_csv = ("\r\n".join(lines) + "\r\n").encode(encoding)
    lines = [DELIMITER.join(c.name for c in SERVICE_COLUMNS)]
    append = lines.append
    for j in range(services):
        k = rng.randrange(structures) if structures else 0
        siret = sirets[k] if structures else synthetic_siret(0)
        name = names[k] if structures else ""
        append(
            f"{siret};{name};SRV{j:07d};SERVICE SYNTHETIQUE {j};"
            f"{_T if rand() < .2 else _F};{_T if rand() < .9 else _F};"
            f";;;{rng.randrange(1000, 96000):05d};VILLE-{rng.randrange(3000):04d};;;FR;France"
        )
    services_csv = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return structures_csv, services_csv
