"""Directory records: public structures, their services, and the immutable :class:`Directory`.

The Chorus Pro *annuaire des structures publiques* lists every public entity that can receive
invoices (a :class:`Structure`, usually identified by its SIRET) and, for each, its services (a
:class:`Service`, identified by its *code service*, invoice term BT-10).  Flags on both say what a
supplier must provide: a code service, an engagement number (BT-13), or either one.

Records are typed named tuples rather than pydantic models: a national export holds about
150,000 structures and several hundred thousand services, and a tuple costs a fraction of the
memory and build time of a model instance (and, holding only strings, booleans and dates, a
service is not even followed by the garbage collector).  The parsers (:mod:`.csv_export`,
:mod:`.api_json`) validate every value before building a record; ``_replace`` derives a
changed copy.

More information:

* ``research/chorus-rules.md`` §3 (export columns, API fields, identifier types)
* https://communaute.chorus-pro.gouv.fr/ (guide "annuaire des structures publiques")

>>> d = Directory.of([Structure("11000201100044", "ETAT")],
...                  [Service("11000201100044", "SERV-1", "Service 1")])
>>> d.structure("11000201100044").name
'ETAT'
>>> d.service("11000201100044", "SERV-1").name
'Service 1'
>>> d.service("11000201100044", "NOPE") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from chorus_core.errors import DirectoryError

__all__ = [
    "Directory",
    "DuplicateEntryError",
    "IdentifierType",
    "LoadReport",
    "Service",
    "Structure",
]


class IdentifierType(IntEnum):
    """Type of a structure identifier (``TypeIdentifiant``; API ``typeIdentifiantStructure``).

    Numbers and French labels from Pastell ``definition.yml``; API names from the official
    ``recupererTypeIdentifiantStructure`` example; the pairing of 6 with ``AUTRE`` is inferred
    from the identical ordering of both lists.

    >>> IdentifierType(1).api_name, IdentifierType.from_api("RIDET")
    ('SIRET', <IdentifierType.RIDET: 4>)
    """

    SIRET = 1
    UE_HORS_FRANCE = 2
    HORS_UE = 3
    RIDET = 4
    TAHITI = 5
    AUTRE = 6
    PARTICULIER = 7

    @property
    def api_name(self) -> str:
        """The Chorus Pro API value (``SIRET``, ``UE_HORS_FRANCE``, …)."""
        return self.name

    @property
    def label_fr(self) -> str:
        """The French label of the type."""
        return _LABELS_FR[self]

    @classmethod
    def from_api(cls, value: str) -> IdentifierType:
        """The type named ``value`` in the API (raises ``KeyError`` when unknown)."""
        return cls[value.strip().upper()]


_LABELS_FR = {
    IdentifierType.SIRET: "Tiers avec SIRET",
    IdentifierType.UE_HORS_FRANCE: "Structure européenne hors France",
    IdentifierType.HORS_UE: "Structure hors UE",
    IdentifierType.RIDET: "RIDET (Nouvelle-Calédonie)",
    IdentifierType.TAHITI: "Numéro TAHITI",
    IdentifierType.AUTRE: "Tiers en cours d'immatriculation / autre",
    IdentifierType.PARTICULIER: "Particulier",
}


class Structure(NamedTuple):
    """A public structure of the directory (one row of the structures export).

    The identifier comes first, then the raison sociale (``name``); ``identifier_type``
    defaults to :attr:`IdentifierType.SIRET`.  Flags (export column in brackets):
    ``edi_sender`` [EmetteurEdi], ``edi_receiver`` [RecepteurEdi], ``manages_payment_status``
    [GestionStatutMiseEnPaiement], ``engagement_required`` [GestionEngagement],
    ``service_required`` [GestionService], ``service_or_engagement_required``
    [GestionServiceEngagement], ``is_moa`` [EstMOA], ``is_moa_only`` [EstMOAUniquement],
    ``active`` [StructureActive].  Address and contact fields are ``None`` when empty.

    >>> s = Structure("11000201100044", "ETAT", service_required=True)
    >>> s.identifier_type.name, s.service_required, s.active
    ('SIRET', True, True)
    >>> Structure("B-123", "CITY OF X", IdentifierType.UE_HORS_FRANCE).identifier_type.name
    'UE_HORS_FRANCE'
    """

    identifier: str
    name: str
    identifier_type: IdentifierType = IdentifierType.SIRET
    edi_sender: bool = False
    edi_receiver: bool = False
    manages_payment_status: bool = False
    engagement_required: bool = False
    service_required: bool = False
    service_or_engagement_required: bool = False
    is_moa: bool = False
    is_moa_only: bool = False
    active: bool = True
    address: str | None = None
    address_complement_1: str | None = None
    address_complement_2: str | None = None
    post_code: str | None = None
    city: str | None = None
    telephone: str | None = None
    email: str | None = None
    country_code: str | None = None
    country_label: str | None = None


class Service(NamedTuple):
    """A service of a public structure (one row of the services export).

    The parent structure's identifier and the code service come first:
    ``structure_identifier`` is the SIRET of the parent structure [Identifiant], ``code`` the
    code service [Code], ``name`` its label [Nom] and ``structure_name`` the structure's raison
    sociale as repeated in the export [RaisonSociale].  ``engagement_required`` is [GestionEGMT]
    ("engagement obligatoire"), ``active`` is [ServiceActif].  ``valid_from`` / ``valid_to``
    come from the API (``dateDbtService`` / ``dateFinService``) and are ``None`` when unknown
    (the CSV export does not carry them).

    >>> Service("11000201100044", "S1", "Achats", valid_to=date(2020, 1, 1)).is_valid_on(
    ...     date(2021, 1, 1))
    False
    """

    structure_identifier: str
    code: str
    name: str | None = None
    structure_name: str | None = None
    engagement_required: bool = False
    active: bool = True
    address: str | None = None
    address_complement_1: str | None = None
    address_complement_2: str | None = None
    post_code: str | None = None
    city: str | None = None
    telephone: str | None = None
    email: str | None = None
    country_code: str | None = None
    country_label: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def is_valid_on(self, on: date) -> bool:
        """True when ``on`` lies within the known validity dates (bounds included)."""
        if self.valid_from is not None and on < self.valid_from:
            return False
        return not (self.valid_to is not None and on > self.valid_to)


class DuplicateEntryError(DirectoryError):
    """Two structures with the same identifier, or two services with the same (SIRET, code)."""

    def __init__(self, message: str, *, line: int | None = None, key: str = ""):
        super().__init__(message, line=line)
        self.key = key


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a lenient load set aside: each malformed row as a typed error with its line number.

    Never a silent skip: every row that is not in the directory is counted in ``error_count``;
    the first ones (up to the load's ``max_errors``) are kept in ``errors``, so that a file of
    millions of bad lines does not keep millions of error objects.

    >>> LoadReport().ok
    True
    >>> LoadReport(error_count=5000).errors_not_kept
    5000
    """

    errors: tuple[DirectoryError, ...] = ()
    structures_read: int = 0
    services_read: int = 0
    error_count: int = 0

    def __post_init__(self) -> None:
        if self.error_count < len(self.errors):
            object.__setattr__(self, "error_count", len(self.errors))

    @property
    def ok(self) -> bool:
        """True when no row was set aside."""
        return not self.error_count

    @property
    def errors_not_kept(self) -> int:
        """How many set-aside rows are counted but not kept in ``errors``."""
        return self.error_count - len(self.errors)


_EMPTY: Mapping[str, Service] = MappingProxyType({})


@dataclass(frozen=True, slots=True, eq=False)
class Directory:
    """An immutable directory of structures and services with O(1) lookups.

    Build it with :meth:`of` (from records) or :func:`chorus_core.directory.read_directory`
    (from the CSV exports).  Lookups: :meth:`structure` by identifier (SIRET),
    :meth:`service` by (SIRET, code service), :meth:`services_of` for all services of a
    structure.  ``load_report`` lists the rows a lenient load set aside.
    """

    _structures: Mapping[str, Structure]
    # One flat index by (SIRET, code): the cheapest to build at national size; the
    # per-structure view is built on the first call that needs it.
    _services: Mapping[tuple[str, str], Service]
    service_count: int = 0
    load_report: LoadReport = field(default_factory=LoadReport)
    _by_structure: dict[str, dict[str, Service]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls,
        structures: Iterable[Structure],
        services: Iterable[Service] = (),
        *,
        load_report: LoadReport | None = None,
    ) -> Directory:
        """Index ``structures`` and ``services``; a duplicate raises :class:`DuplicateEntryError`.

        Services whose structure is absent are kept (their lookups work); the structure checks
        then report the structure as unknown.
        """
        by_id: dict[str, Structure] = {}
        for s in structures:
            if s.identifier in by_id:
                raise DuplicateEntryError(
                    f"structure {s.identifier!r} appears twice", key=s.identifier
                )
            by_id[s.identifier] = s
        flat: dict[tuple[str, str], Service] = {}
        for sv in services:
            key = (sv.structure_identifier, sv.code)
            if key in flat:
                raise DuplicateEntryError(
                    f"service {sv.code!r} of structure {sv.structure_identifier!r} appears twice",
                    key=f"{sv.structure_identifier}/{sv.code}",
                )
            flat[key] = sv
        return cls._from_indexes(by_id, flat, load_report or LoadReport())

    @classmethod
    def _from_indexes(
        cls,
        structures: dict[str, Structure],
        services: dict[tuple[str, str], Service],
        load_report: LoadReport,
    ) -> Directory:
        # Nobody else holds the dicts: read-only proxies make them immutable.
        return cls(MappingProxyType(structures), MappingProxyType(services), len(services),
                   load_report)

    def _grouped(self) -> dict[str, dict[str, Service]]:
        grouped = self._by_structure
        if not grouped and self._services:
            built: dict[str, dict[str, Service]] = {}
            for (siret, code), sv in self._services.items():
                codes = built.get(siret)
                if codes is None:
                    codes = built[siret] = {}
                codes[code] = sv
            grouped.update(built)  # published whole: a reader never sees half an index
        return grouped

    def structure(self, identifier: str) -> Structure | None:
        """The structure with this identifier (SIRET), or ``None``."""
        return self._structures.get(identifier)

    def service(self, siret: str, code: str) -> Service | None:
        """The service ``code`` of structure ``siret``, or ``None``."""
        return self._services.get((siret, code))

    def services_of(self, siret: str) -> Mapping[str, Service]:
        """All services of structure ``siret``, by code (read-only, empty when none)."""
        codes = self._grouped().get(siret)
        return _EMPTY if codes is None else MappingProxyType(codes)

    @property
    def structures(self) -> Mapping[str, Structure]:
        """All structures by identifier (read-only)."""
        return self._structures

    def iter_services(self) -> Iterator[Service]:
        """Every service, grouped by structure (in order of first appearance), in load order."""
        for codes in self._grouped().values():
            yield from codes.values()

    def __len__(self) -> int:
        return len(self._structures)

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._structures

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Directory):
            return NotImplemented
        return (dict(self._structures) == dict(other._structures)
                and dict(self._services) == dict(other._services))

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        # read-only mapping proxies do not pickle: rebuild them from plain dicts
        return (
            _restore,
            (dict(self._structures), dict(self._services), self.load_report),
        )

    def __repr__(self) -> str:
        return f"Directory({len(self._structures)} structures, {self.service_count} services)"


def _restore(
    structures: dict[str, Structure],
    services: dict[tuple[str, str], Service],
    load_report: LoadReport,
) -> Directory:
    return Directory._from_indexes(structures, services, load_report)
