"""Scale-out helpers: one document in, one small JSON-ready record out, errors as data.

An archive of millions of invoices is validated or converted by mapping a pure function over a
distributed collection (a ``dask.bag`` of file paths, see ``docs/scale.md``).  The function
must not raise on a bad file, or one broken document fails the whole bag, and it must return
something small, or the results fill the workers' memory: :func:`validate_one` and
:func:`convert_one` return a flat record (the document's name, its format, ``ok``, the finding
codes or lost terms, the error class and message) and turn every
:class:`~chorus_core.errors.ChorusError` into ``error`` / ``message`` fields.  Misuse
(:class:`~chorus_core.errors.UsageError`: an unknown profile or target format) is still
raised: it would be the same for every document.

This module does no I/O and imports no distributed engine: reading the bytes and writing the
results belong to the task that calls it (the recipe of ``docs/scale.md``).

>>> from chorus_core.examples import sample_invoice
>>> from chorus_core.formats import write
>>> validate_one("a.xml", write(sample_invoice(), "ubl"))
{'path': 'a.xml', 'format': 'ubl', 'ok': True, 'findings': [], 'error': None, 'message': None}
>>> validate_one("b.xml", b"<Invoice")["error"]
'MalformedXMLError'
"""

from __future__ import annotations

import datetime
from typing import TypedDict

from .directory import Directory
from .errors import ChorusError, UsageError
from .formats import FORMATS, convert, detect_format, parse_document
from .rules import PROFILES, Profile, validate

__all__ = ["ConversionRecord", "ValidationRecord", "convert_one", "validate_one"]


class ValidationRecord(TypedDict):
    """What :func:`validate_one` says of one document (JSON-ready: str, bool, list, None)."""

    path: str
    format: str | None
    ok: bool
    findings: list[str]
    error: str | None
    message: str | None


class ConversionRecord(TypedDict):
    """What :func:`convert_one` says of one document (JSON-ready: str, bool, list, None)."""

    path: str
    format: str | None
    target: str
    ok: bool
    losses: list[str]
    error: str | None
    message: str | None


def validate_one(
    path: str,
    data: bytes | str,
    *,
    profile: Profile = "en16931",
    directory: Directory | None = None,
    today: datetime.date | None = None,
    schema_dir: str | None = None,
) -> ValidationRecord:
    """Validate one document with :func:`~chorus_core.rules.validate`; return its record.

    ``path`` is only copied into the record (the document's name in the archive).  ``ok`` is
    the report's ``ok`` (no blocking finding), ``findings`` the codes of every finding in
    order.  A document that cannot be read at all gives ``ok=False``, ``format=None`` when
    its format is unknown, and the exception's class name and message in ``error`` and
    ``message``.  Raises :class:`~chorus_core.errors.UsageError` for an unknown ``profile``.

    >>> record = validate_one("x.xml", b"<Order/>")
    >>> record["ok"], record["format"], record["error"]
    (False, None, 'UnknownFormatError')
    """
    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}: one of {', '.join(PROFILES)}",
                         f"profil inconnu {profile!r} : {' ou '.join(PROFILES)}",
                         argument="profile")
    fmt: str | None = None
    try:
        root = parse_document(data)  # parsed once, for the format and the validation
        fmt = detect_format(root)
        report = validate(root, profile, directory, today=today, schema_dir=schema_dir)
    except UsageError:
        raise
    except ChorusError as exc:
        return ValidationRecord(path=path, format=fmt, ok=False, findings=[],
                                error=type(exc).__name__, message=str(exc))
    return ValidationRecord(path=path, format=fmt, ok=report.ok, findings=list(report.codes),
                            error=None, message=None)


def convert_one(path: str, data: bytes | str, to: str) -> tuple[ConversionRecord, bytes | None]:
    """Convert one document to the format ``to``; return its record and the converted bytes.

    ``losses`` lists the BT ids the target does not carry as the source did (sorted, once
    each); ``ok`` is True when the conversion succeeded, lossless or not.  A document that
    cannot be converted gives ``ok=False``, the error's class name and message, and ``None``
    for the bytes.  Raises :class:`~chorus_core.errors.UsageError` for an unknown ``to``.

    >>> from chorus_core.examples import sample_invoice
    >>> from chorus_core.formats import write
    >>> record, cii = convert_one("a.xml", write(sample_invoice(), "ubl"), "cii")
    >>> record["format"], record["target"], record["ok"], detect_format(cii)
    ('ubl', 'cii', True, 'cii')
    >>> convert_one("b.xml", b"", "cii")[0]["error"]
    'MalformedXMLError'
    """
    if not isinstance(to, str) or to.lower() not in FORMATS:
        raise UsageError(f"unknown target format {to!r}: one of {', '.join(FORMATS)}",
                         f"format cible inconnu {to!r} : {', '.join(FORMATS)}", argument="to")
    target = to.lower()
    fmt: str | None = None
    try:
        root = parse_document(data)
        fmt = detect_format(root)
        result = convert(root, to=target, source=fmt)
    except UsageError:
        raise
    except ChorusError as exc:
        return ConversionRecord(path=path, format=fmt, target=target, ok=False, losses=[],
                                error=type(exc).__name__, message=str(exc)), None
    losses = sorted({loss.bt for loss in result.losses})
    return ConversionRecord(path=path, format=fmt, target=target, ok=True, losses=losses,
                            error=None, message=None), result.data
