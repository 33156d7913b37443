"""The Chorus Pro API JSON shapes of the directory: ``consulterStructure`` and
``rechercherServicesStructure`` (plus ``consulterService`` parameters), read and written.

The API and the CSV export name the same flags differently (table :data:`STRUCTURE_FLAGS`), and
one flag is **inverted**: the export's ``GestionStatutMiseEnPaiement`` is the negation of the
API's ``statutMiseEnPaiementNestPasRemonte``.  Services from ``rechercherServicesStructure``
carry their validity dates (``dateDbtService`` / ``dateFinService``) but not the "engagement
obligatoire" flag, which comes from ``consulterService`` (``parametres.numeroEngagement``, see
:func:`apply_service_parameters`).

Functions take the decoded JSON (a mapping) or the raw JSON text/bytes; no I/O.  A response
that does not have the expected shape raises :class:`ApiShapeError` naming the field.

More information:

* ``research/chorus-rules.md`` §3.2 (field table, inverted flag) [CLIENT: go-choruspro
  ``structures_consultations.go``, OCA ``res_partner.py``]
* The address sub-object names (``adressePostale``) follow the client libraries; they are not
  confirmed against the AIFE Swagger.

>>> s = structure_from_api({"informationGenerales": {"identifiantStructure": "11000201100044",
...     "typeIdentifiantStructure": "SIRET", "raisonSocialeStructure": "ETAT"},
...     "parametres": {"codeServiceDoitEtreRenseigne": True,
...                    "statutMiseEnPaiementNestPasRemonte": False}})
>>> s.service_required, s.manages_payment_status
(True, True)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from dateutil.parser import isoparse

from chorus_core.errors import DirectoryError

from .models import IdentifierType, Service, Structure

__all__ = [
    "ADDRESS_FIELDS",
    "STRUCTURE_FLAGS",
    "ApiShapeError",
    "apply_service_parameters",
    "services_from_api",
    "services_to_api",
    "structure_from_api",
    "structure_to_api",
]


class ApiShapeError(DirectoryError):
    """An API response lacks a field or has a value of the wrong type; ``field`` names it."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


STRUCTURE_FLAGS: Final[tuple[tuple[str, str, bool], ...]] = (
    ("codeServiceDoitEtreRenseigne", "service_required", False),
    ("numeroEJDoitEtreRenseigne", "engagement_required", False),
    ("gestionNumeroEJOuCodeService", "service_or_engagement_required", False),
    ("statutMiseEnPaiementNestPasRemonte", "manages_payment_status", True),
    ("estMoaUniquement", "is_moa_only", False),
    ("getaMoa", "is_moa", False),
    ("connexionEDI", "edi_sender", False),
    ("recevoirDonneesViaEDI", "edi_receiver", False),
)
"""``consulterStructure.parametres`` flag → :class:`Structure` field, and whether inverted."""

ADDRESS_FIELDS: Final[tuple[tuple[str, str], ...]] = (
    ("adresse", "address"),
    ("complementAdresse1", "address_complement_1"),
    ("complementAdresse2", "address_complement_2"),
    ("codePostal", "post_code"),
    ("ville", "city"),
    ("telephone", "telephone"),
    ("courriel", "email"),
    ("codePays", "country_code"),
    ("libellePays", "country_label"),
)
"""``adressePostale`` sub-field → record field (same for structures and services)."""

_ACTIVE = {"ACTIF": True, "ACTIVE": True, "INACTIF": False, "INACTIVE": False}


def _load(data: Mapping[str, Any] | str | bytes, what: str) -> Mapping[str, Any]:
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise ApiShapeError(f"not JSON: {exc}", field=what) from None
    if not isinstance(data, Mapping):
        raise ApiShapeError("expected a JSON object", field=what)
    return data


def _obj(data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ApiShapeError("expected a JSON object", field=f"{path}.{key}")
    return value


def _str(data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise ApiShapeError("missing", field=f"{path}.{key}")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ApiShapeError(f"expected a string, got {value!r}", field=f"{path}.{key}")
    return str(value)


def _flag(data: Mapping[str, Any], key: str, path: str) -> bool | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ApiShapeError(f"expected a boolean, got {value!r}", field=f"{path}.{key}")


def _date(data: Mapping[str, Any], key: str, path: str) -> date | None:
    value = _str(data, key, path)
    if value is None:
        return None
    try:
        return isoparse(value).date()
    except ValueError:
        raise ApiShapeError(f"{value!r} is not an ISO date", field=f"{path}.{key}") from None


def _address(data: Mapping[str, Any], path: str) -> dict[str, str | None]:
    address = _obj(data, "adressePostale", path)
    return {f: _str(address, k, f"{path}.adressePostale") for k, f in ADDRESS_FIELDS}


def structure_from_api(data: Mapping[str, Any] | str | bytes) -> Structure:
    """Build a :class:`Structure` from a ``consulterStructure`` response.

    Identity comes from ``informationGenerales`` (falling back to the top level), flags from
    ``parametres`` (absent flag: ``False``), status from ``statut`` (``ACTIF``/``INACTIF``;
    absent: active, since the API only answers for referenced structures).
    """
    root = _load(data, "consulterStructure")
    info, where = root, "consulterStructure"
    if root.get("informationGenerales") is not None:
        info = _obj(root, "informationGenerales", where)
        where = "informationGenerales"
    ident = _str(info, "identifiantStructure", where, required=True)
    type_name = _str(info, "typeIdentifiantStructure", where) or "SIRET"
    try:
        id_type = IdentifierType.from_api(type_name)
    except KeyError:
        raise ApiShapeError(
            f"{type_name!r} is not an identifier type", field=f"{where}.typeIdentifiantStructure"
        ) from None
    name = _str(info, "raisonSocialeStructure", where) or _str(info, "raisonSociale", where) or ""
    params = _obj(root, "parametres", "consulterStructure")
    flags: dict[str, Any] = {}
    for api_name, field_name, inverted in STRUCTURE_FLAGS:
        value = _flag(params, api_name, "parametres")
        if api_name == "getaMoa" and value is None:
            value = _flag(params, "avecMOA", "parametres")
        flags[field_name] = (not value if inverted else value) if value is not None else False
    status = _str(info, "statut", where) or _str(root, "statut", "consulterStructure")
    if status is not None and status.upper() not in _ACTIVE:
        raise ApiShapeError(f"{status!r} is not ACTIF/INACTIF", field=f"{where}.statut")
    active = _ACTIVE[status.upper()] if status is not None else True
    fields: dict[str, Any] = {**flags, **_address(root, "consulterStructure")}
    return Structure(ident or "", name, id_type, active=active, **fields)


def structure_to_api(structure: Structure) -> dict[str, Any]:
    """The ``consulterStructure`` shape of ``structure`` (inverse of :func:`structure_from_api`).

    >>> s = Structure("11000201100044", "ETAT", IdentifierType.SIRET, active=False)
    >>> structure_from_api(structure_to_api(s)) == s
    True
    """
    params = {
        api_name: (not getattr(structure, f) if inverted else getattr(structure, f))
        for api_name, f, inverted in STRUCTURE_FLAGS
    }
    return {
        "codeRetour": 0,
        "informationGenerales": {
            "identifiantStructure": structure.identifier,
            "typeIdentifiantStructure": structure.identifier_type.api_name,
            "raisonSocialeStructure": structure.name,
            "statut": "ACTIF" if structure.active else "INACTIF",
        },
        "parametres": params,
        "adressePostale": {k: getattr(structure, f) for k, f in ADDRESS_FIELDS},
    }


def services_from_api(
    data: Mapping[str, Any] | str | bytes,
    structure: Structure | str,
    *,
    engagement_required: Mapping[str, bool] | None = None,
) -> tuple[Service, ...]:
    """Build the services of ``structure`` from a ``rechercherServicesStructure`` response.

    Each ``listeServices[]`` item gives ``codeService``, ``libelleService``, ``estActif``,
    ``dateDbtService`` and ``dateFinService``.  The response does not say whether an
    engagement is mandatory: pass ``engagement_required`` (code → flag, from
    ``consulterService``) or use :func:`apply_service_parameters`; absent means ``False``.

    >>> services_from_api({"listeServices": [{"codeService": "S1", "libelleService": "Achats",
    ...     "estActif": True, "dateDbtService": "2020-01-01"}]}, "11000201100044")[0].valid_from
    datetime.date(2020, 1, 1)
    """
    root = _load(data, "rechercherServicesStructure")
    items = root.get("listeServices")
    items = [] if items is None else items
    if not isinstance(items, list):
        raise ApiShapeError("expected a list", field="listeServices")
    siret = structure if isinstance(structure, str) else structure.identifier
    name = None if isinstance(structure, str) else structure.name
    required = engagement_required or {}
    out: list[Service] = []
    for i, item in enumerate(items):
        path = f"listeServices[{i}]"
        if not isinstance(item, Mapping):
            raise ApiShapeError("expected a JSON object", field=path)
        code = _str(item, "codeService", path, required=True) or ""
        active = _flag(item, "estActif", path)
        out.append(Service(
            siret, code, _str(item, "libelleService", path), name,
            engagement_required=required.get(code, False),
            active=True if active is None else active,
            valid_from=_date(item, "dateDbtService", path),
            valid_to=_date(item, "dateFinService", path),
        ))
    return tuple(out)


def services_to_api(services: Iterable[Service]) -> dict[str, Any]:
    """The ``rechercherServicesStructure`` shape of ``services`` (``idService`` is the rank)."""
    return {
        "codeRetour": 0,
        "listeServices": [
            {
                "idService": i,
                "codeService": s.code,
                "libelleService": s.name,
                "estActif": s.active,
                "dateDbtService": s.valid_from.isoformat() if s.valid_from else None,
                "dateFinService": s.valid_to.isoformat() if s.valid_to else None,
            }
            for i, s in enumerate(services, start=1)
        ],
    }


def apply_service_parameters(
    service: Service, data: Mapping[str, Any] | str | bytes
) -> Service:
    """Return ``service`` updated from a ``consulterService`` response: ``parametres.
    numeroEngagement`` (engagement obligatoire), ``dateDebutValidite``, ``dateFinValidite``.

    >>> sv = Service("11000201100044", "S1", structure_name="ETAT")
    >>> apply_service_parameters(sv, {"parametres": {"numeroEngagement": True}}).engagement_required
    True
    """
    root = _load(data, "consulterService")
    params = _obj(root, "parametres", "consulterService")
    engagement = _flag(params, "numeroEngagement", "parametres")
    valid_from = _date(params, "dateDebutValidite", "parametres")
    valid_to = _date(params, "dateFinValidite", "parametres")
    return service._replace(
        engagement_required=service.engagement_required if engagement is None else engagement,
        valid_from=valid_from or service.valid_from,
        valid_to=valid_to or service.valid_to,
    )
