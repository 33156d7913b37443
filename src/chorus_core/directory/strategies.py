"""Hypothesis strategies for directories and for routings that satisfy them (tests only).

This module imports hypothesis at top level: it is imported by tests and by
:mod:`chorus_core.testing`, never by the library itself.  Everything generated is synthetic.

* :func:`public_sirets` / :func:`private_sirets`: valid SIRETs; public ones have a SIREN starting
  with ``2`` (as local authorities do), private ones never collide with them.
* :func:`structures`, :func:`services`, :func:`directories`: records and whole directories whose
  text survives the CSV export in the chosen ``encoding``.
* :func:`routing_cases`: a directory, one routable structure (flags forced by keyword), and a
  :class:`~chorus_core.model.routing.Routing` that passes every routing check.
* :func:`satisfying_routings`, :func:`satisfying_invoices`: a routing or a full invoice that
  passes the routing checks against a given directory.
* :func:`mutations`: such a case broken by one single mutation (:data:`MUTATIONS`), with the one
  finding code it must give; for testing what consumes the routing findings.

>>> from hypothesis import given, settings
>>> from chorus_core.directory import check_routing
>>> @settings(max_examples=5)
... @given(routing_cases(structure={"service_required": True}))
... def test_passes(case):
...     assert check_routing(case.routing, case.directory, on=case.on).ok
...     assert case.routing.code_service is not None
>>> test_passes()
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, NamedTuple

from hypothesis import assume
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.fr import siret as fr_siret

from chorus_core.model import Buyer, Identifier, Invoice
from chorus_core.model.routing import Routing

from .models import Directory, IdentifierType, Service, Structure
from .routing_checks import PUBLIC_INVOICES_SERVICE

__all__ = [
    "MUTATIONS",
    "Mutation",
    "RoutingCase",
    "day_before",
    "directories",
    "flip_digit",
    "mutations",
    "private_sirets",
    "public_sirets",
    "routable",
    "routing_cases",
    "satisfying_invoices",
    "satisfying_routings",
    "services",
    "structures",
    "texts",
]

_FLAGS = (
    "edi_sender", "edi_receiver", "manages_payment_status", "engagement_required",
    "service_required", "service_or_engagement_required", "is_moa", "is_moa_only",
)
_OPTIONAL = (
    "address", "address_complement_1", "address_complement_2", "post_code", "city",
    "telephone", "email", "country_code", "country_label",
)
_CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
_DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def _siret(prefix: str, draw: st.DrawFn) -> str:
    body = prefix + "".join(draw(st.lists(st.sampled_from("0123456789"),
                                          min_size=8 - len(prefix), max_size=8 - len(prefix))))
    siren = body + luhn.calc_check_digit(body)
    nic = f"{draw(st.integers(min_value=1, max_value=9999)):04d}"
    return siren + nic + luhn.calc_check_digit(siren + nic)


@st.composite
def public_sirets(draw: st.DrawFn) -> str:
    """A valid SIRET whose SIREN starts with ``2`` (like a local authority's)."""
    return _siret("2", draw)


@st.composite
def private_sirets(draw: st.DrawFn) -> str:
    """A valid SIRET whose SIREN starts with ``4``–``9`` (never one of :func:`public_sirets`)."""
    return _siret(draw(st.sampled_from("456789")), draw)


def texts(encoding: str = "utf-8", min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    """Any text the export can carry in ``encoding``: quotes, ``;``, newlines included."""
    return st.text(
        st.characters(codec=encoding, exclude_categories=["Cs"], exclude_characters="\x00"),
        min_size=min_size, max_size=max_size,
    )


def _keys(encoding: str, max_size: int = 20) -> st.SearchStrategy[str]:
    # identifiers and codes are stripped on reading, so generate them without edge blanks
    return texts(encoding, 1, max_size).filter(lambda s: s == s.strip() and s != "")


def _optionals(draw: st.DrawFn, encoding: str, addresses: bool = True) -> dict[str, Any]:
    if not addresses:
        return {}
    return {
        f: draw(st.none() | texts(encoding, 1).filter(bool)) for f in _OPTIONAL
    }


@st.composite
def structures(
    draw: st.DrawFn,
    /,
    *,
    identifier: str | None = None,
    identifier_type: IdentifierType | None = None,
    encoding: str = "utf-8",
    addresses: bool = True,
    **fields: Any,
) -> Structure:
    """A :class:`Structure`; keywords (``active=False``, ``service_required=True``, …) fix fields.

    SIRET-typed structures get a valid public SIRET; other types a free identifier.
    ``addresses=False`` leaves the address and contact fields empty (cheaper).
    """
    kind = identifier_type or draw(st.sampled_from(list(IdentifierType)))
    if identifier is None:
        identifier = draw(public_sirets() if kind is IdentifierType.SIRET else _keys(encoding))
    values: dict[str, Any] = {f: draw(st.booleans()) for f in _FLAGS}
    values["active"] = draw(st.booleans())
    values.update(_optionals(draw, encoding, addresses))
    values.update(fields)
    return Structure(identifier, draw(texts(encoding, 1)), kind, **values)


@st.composite
def services(
    draw: st.DrawFn,
    /,
    structure: Structure,
    *,
    code: str | None = None,
    encoding: str = "utf-8",
    dates: bool = False,
    addresses: bool = True,
    **fields: Any,
) -> Service:
    """A :class:`Service` of ``structure``; ``dates=True`` adds optional validity dates,
    ``addresses=False`` leaves the address fields empty."""
    values: dict[str, Any] = {
        "engagement_required": draw(st.booleans()),
        "active": draw(st.booleans()),
    }
    values.update(_optionals(draw, encoding, addresses))
    if dates:
        start, end = draw(st.none() | _DATES), draw(st.none() | _DATES)
        if start is not None and end is not None and end < start:
            start, end = end, start
        values["valid_from"], values["valid_to"] = start, end
    values.update(fields)
    structure_name = draw(st.none() | st.just(structure.name))
    if code is None:
        code = draw(st.text(_CODE_ALPHABET, min_size=1, max_size=20))
    name = draw(st.none() | texts(encoding, 1))
    return Service(structure.identifier, code, name, structure_name, **values)


@st.composite
def directories(
    draw: st.DrawFn,
    *,
    min_structures: int = 0,
    max_structures: int = 5,
    max_services: int = 4,
    encoding: str = "utf-8",
    dates: bool = False,
    addresses: bool = True,
) -> Directory:
    """A :class:`Directory` of random structures, each with up to ``max_services`` services."""
    found = draw(st.lists(structures(encoding=encoding, addresses=addresses),
                          min_size=min_structures, max_size=max_structures,
                          unique_by=lambda s: s.identifier))
    all_services: list[Service] = []
    for s in found:
        all_services += draw(st.lists(
            services(s, encoding=encoding, dates=dates, addresses=addresses),
            max_size=max_services, unique_by=lambda sv: sv.code))
    return Directory.of(found, all_services)


def _usable(service: Service, on: date) -> bool:
    return (
        service.active and service.is_valid_on(on)
        and service.code.upper() != PUBLIC_INVOICES_SERVICE
    )


def routable(directory: Directory, on: date) -> list[Structure]:
    """Structures an invoice can be routed to on ``on``: active, SIRET, a usable service when
    one is required."""
    return [
        s for s in directory.structures.values()
        if s.active and s.identifier_type is IdentifierType.SIRET
        and fr_siret.is_valid(s.identifier)
        and (not s.service_required
             or any(_usable(sv, on) for sv in directory.services_of(s.identifier).values()))
    ]


@st.composite
def satisfying_routings(
    draw: st.DrawFn, directory: Directory, on: date, structure: Structure | None = None
) -> Routing:
    """A strict :class:`Routing` that passes :func:`check_routing` against ``directory`` on ``on``.

    It goes to ``structure`` (or a routable structure drawn from the directory), names a usable
    service when one is required (or by choice), an engagement when required, and a private
    supplier with a valid SIRET.
    """
    if structure is None:
        candidates = routable(directory, on)
        assume(candidates)
        structure = draw(st.sampled_from(candidates))
    usable = [sv for sv in directory.services_of(structure.identifier).values()
              if _usable(sv, on)]
    service: Service | None = None
    if usable and (structure.service_required or draw(st.booleans())):
        service = draw(st.sampled_from(usable))
    code = service.code if service else None
    needs_engagement = (
        structure.engagement_required
        or (service is not None and service.engagement_required)
        or (structure.service_or_engagement_required and code is None)
    )
    engagement = draw(st.text(_CODE_ALPHABET, min_size=1, max_size=50)) if (
        needs_engagement or draw(st.booleans())) else None
    supplier = draw(private_sirets().filter(lambda s: s not in directory))
    return Routing(
        buyer_siret=structure.identifier, buyer_siret_term="BT-46",
        code_service=code, engagement=engagement,
        supplier_identifier=supplier, supplier_identifier_scheme="0009",
        supplier_country_code="FR",
    )


class RoutingCase(NamedTuple):
    """A directory, the structure (and service) a routing goes to, the routing and its date."""

    directory: Directory
    structure: Structure
    service: Service | None
    routing: Routing
    on: date


@st.composite
def routing_cases(
    draw: st.DrawFn,
    *,
    structure: Mapping[str, Any] | None = None,
    service: Mapping[str, Any] | None = None,
    dates: bool = False,
) -> RoutingCase:
    """A random directory with one routable target structure and a routing that passes.

    ``structure`` fixes fields of the target (``{"engagement_required": True}``); ``service``,
    when given, makes the routing name a usable service with those fields fixed.
    """
    on = draw(_DATES)
    target = draw(structures(identifier_type=IdentifierType.SIRET, addresses=False,
                             **{**(structure or {}), "active": True}))
    own: list[Service] = []
    if service is not None or target.service_required:
        fixed = {"active": True, "valid_from": None, "valid_to": None, **(service or {})}
        own.append(draw(services(target, addresses=False, **fixed).filter(
            lambda sv: "code" in fixed or sv.code.upper() != PUBLIC_INVOICES_SERVICE)))
    own += [sv for sv in draw(st.lists(services(target, dates=dates, addresses=False),
                                       max_size=3))
            if sv.code not in {o.code for o in own}]
    own = list({sv.code: sv for sv in own}.values())
    others = draw(directories(max_structures=3, dates=dates, addresses=False))
    assume(target.identifier not in others)
    directory = Directory.of(
        [target, *others.structures.values()], [*own, *others.iter_services()]
    )
    routing = draw(satisfying_routings(directory, on, target))
    if service is not None:  # name the fixed service
        chosen = own[0]
        needs = target.engagement_required or chosen.engagement_required
        routing = routing.model_copy(update={
            "code_service": chosen.code,
            "engagement": routing.engagement or ("EJ-1" if needs else None),
        })
    named = directory.service(target.identifier, routing.code_service or "")
    return RoutingCase(directory, target, named, routing, on)


class Mutation(NamedTuple):
    """One single mutation of a passing routing: what changed and the one code it must give."""

    name: str
    directory: Directory
    routing: Routing
    on: date
    expected: str


def _with_structure(case: RoutingCase, **changes: Any) -> Directory:
    d = case.directory
    return Directory.of(
        [s._replace(**changes) if s.identifier == case.structure.identifier else s
         for s in d.structures.values()],
        d.iter_services(),
    )


def _with_service(case: RoutingCase, **changes: Any) -> Directory:
    assert case.service is not None
    key = (case.service.structure_identifier, case.service.code)
    d = case.directory
    return Directory.of(
        d.structures.values(),
        [sv._replace(**changes) if (sv.structure_identifier, sv.code) == key else sv
         for sv in d.iter_services()],
    )


def _update(case: RoutingCase, **changes: Any) -> tuple[Directory, Routing]:
    return case.directory, case.routing.model_copy(update=changes)


def _flipped(draw: st.DrawFn, siret: str) -> str:
    position = draw(st.integers(0, 13))
    flipped = flip_digit(siret, position)
    assume(not fr_siret.is_valid(flipped))  # only a La Poste SIRET survives a flipped digit
    return flipped


_Mutate = Any  # Callable[[st.DrawFn, RoutingCase], tuple[Directory, Routing]]

# name: (routing_cases keywords, mutation, the one expected code)
MUTATIONS: dict[str, tuple[dict[str, Any], _Mutate, str]] = {
    "drop buyer SIRET": (
        {}, lambda draw, c: _update(c, buyer_siret=None), "CHORUS-ROUTING-001"),
    "truncate buyer SIRET": (
        {}, lambda draw, c: _update(c, buyer_siret=c.structure.identifier[:13]),
        "CHORUS-ROUTING-002"),
    "flip a buyer SIRET digit": (
        {}, lambda draw, c: _update(c, buyer_siret=_flipped(draw, c.structure.identifier)),
        "CHORUS-ROUTING-003"),
    "unknown buyer SIRET": (
        {}, lambda draw, c: _update(
            c, buyer_siret=draw(public_sirets().filter(lambda s: s not in c.directory))),
        "CHORUS-ROUTING-010"),
    "deactivate the structure": (
        {}, lambda draw, c: (_with_structure(c, active=False), c.routing), "CHORUS-ROUTING-011"),
    "structure not identified by SIRET": (
        {}, lambda draw, c: (_with_structure(c, identifier_type=IdentifierType.RIDET), c.routing),
        "CHORUS-ROUTING-012"),
    "drop the mandatory code service": (
        {"structure": {"service_required": True, "service_or_engagement_required": False}},
        lambda draw, c: _update(c, code_service=None), "CHORUS-ROUTING-020"),
    "unknown code service": (
        {"service": {}}, lambda draw, c: _update(
            c, code_service="Z" * 21, engagement=c.routing.engagement or "EJ-1"),
        "CHORUS-ROUTING-021"),
    "deactivate the service": (
        {"service": {}}, lambda draw, c: (_with_service(c, active=False), c.routing),
        "CHORUS-ROUTING-022"),
    "service closed the day before": (
        {"service": {}}, lambda draw, c: (
            _with_service(c, valid_to=day_before(c.on)), c.routing), "CHORUS-ROUTING-023"),
    "code service over 100 characters": (
        {}, lambda draw, c: _update(c, code_service="S" * 101, engagement="EJ-1"),
        "CHORUS-ROUTING-024"),
    "drop the engagement the structure requires": (
        {"structure": {"engagement_required": True, "service_or_engagement_required": False}},
        lambda draw, c: _update(c, engagement=None), "CHORUS-ROUTING-030"),
    "drop the engagement the service requires": (
        {"structure": {"engagement_required": False}, "service": {"engagement_required": True}},
        lambda draw, c: _update(c, engagement=None), "CHORUS-ROUTING-031"),
    "drop both code service and engagement": (
        {"structure": {"service_or_engagement_required": True, "service_required": False,
                       "engagement_required": False}},
        lambda draw, c: _update(c, code_service=None, engagement=None), "CHORUS-ROUTING-032"),
    "engagement over 50 characters": (
        {}, lambda draw, c: _update(c, engagement="E" * 51), "CHORUS-ROUTING-033"),
    "FACTURES_PUBLIQUES from a private supplier": (
        {"service": {"code": PUBLIC_INVOICES_SERVICE, "engagement_required": False}},
        lambda draw, c: (c.directory, c.routing), "CHORUS-ROUTING-050"),
    "drop the supplier identifier": (
        {}, lambda draw, c: _update(c, supplier_identifier=None), "CHORUS-ROUTING-060"),
    "flip a supplier SIRET digit": (
        {}, lambda draw, c: _update(
            c, supplier_identifier=_flipped(draw, c.routing.supplier_identifier or "")),
        "CHORUS-ROUTING-061"),
}
"""Single mutations of a passing routing, each with the one routing code it must produce."""


@st.composite
def mutations(draw: st.DrawFn, names: tuple[str, ...] | None = None) -> Mutation:
    """A passing :func:`routing_cases` case broken by one of :data:`MUTATIONS` (or ``names``).

    >>> from hypothesis import given, settings
    >>> from chorus_core.directory import check_routing
    >>> @settings(max_examples=5)
    ... @given(mutations())
    ... def test_one_code(m):
    ...     assert check_routing(m.routing, m.directory, on=m.on).codes == (m.expected,)
    >>> test_one_code()
    """
    name = draw(st.sampled_from(sorted(names or MUTATIONS)))
    kwargs, mutate, expected = MUTATIONS[name]
    case = draw(routing_cases(**kwargs))
    directory, routing = mutate(draw, case)
    return Mutation(name, directory, routing, case.on, expected)


@st.composite
def satisfying_invoices(draw: st.DrawFn, directory: Directory, on: date) -> Invoice:
    """A complete valid invoice (:func:`chorus_core.testing.invoices`) routed to satisfy
    ``directory`` on ``on`` (its issue date)."""
    from chorus_core.testing import invoices  # the lead's public strategies

    routing = draw(satisfying_routings(directory, on))
    structure = directory.structure(routing.buyer_siret or "")
    assert structure is not None
    invoice = draw(invoices(attachments=False))
    seller = invoice.seller
    assert seller is not None
    siret = Identifier(value=routing.buyer_siret, scheme_id="0009")
    buyer = (invoice.buyer or Buyer()).model_copy(update={
        "name": structure.name or "?", "identifier": siret, "electronic_address": siret,
    })
    supplier = Identifier(value=routing.supplier_identifier, scheme_id="0009")
    return invoice.model_copy(update={
        "invoice_issue_date": on,
        "buyer": buyer,
        "buyer_reference": routing.code_service,
        "purchase_order_reference": routing.engagement,
        "seller": seller.model_copy(update={"identifiers": (supplier,)}),
    })


def flip_digit(siret: str, position: int) -> str:
    """``siret`` with the digit at ``position`` replaced by the next digit (mod 10)."""
    digit = (int(siret[position]) + 1) % 10
    return siret[:position] + str(digit) + siret[position + 1:]


def day_before(on: date) -> date:
    """The day before ``on``."""
    return on - timedelta(days=1)
