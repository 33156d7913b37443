"""Limits: the caps that bound the work done on a hostile document, in one place.

Every document chorus_core reads comes from outside (supplier uploads, Chorus Pro flows, files
dropped into a notebook), so every costly step has a cap: the document size, the nesting depth,
the number of elements, the length of a text node, the size of an attachment once base64-decoded,
the size of a ZIP entry or gzip stream once decompressed, the number of entries of a ZIP, the
compression ratio, and the number of findings a validation returns.  The defaults read every
legitimate Chorus Pro and Hélios document (attachments up to Chorus Pro's 100 MB included) and
refuse the rest with a typed :class:`~chorus_core.errors.ChorusError`.

The limits in force are :func:`current_limits`: :data:`DEFAULT_LIMITS` unless the caller changed
them for a block of code with :func:`using_limits`.  The change is held in a
:class:`contextvars.ContextVar`, so it applies to the calling thread or asyncio task and to
everything it calls (``read``, ``convert``, ``validate_xsd``, the PES readers), without a
``limits=`` argument threaded through every public signature, and without leaking into other
requests served concurrently.  The low-level helpers (:func:`chorus_core.xml.parse_xml`,
:mod:`chorus_core.xml.packing`) also take an explicit ``limits=`` keyword.

More information:

* ``SECURITY.md`` at the root of the repository (threat model, what is refused, how to report)
* libxml2's own parser limits (``XML_MAX_TEXT_LENGTH``, ``xmlParserMaxDepth``), which the
  defaults mirror

>>> current_limits().max_depth
256
>>> with using_limits(max_depth=64):
...     current_limits().max_depth
64
>>> Limits(max_depth=0)
Traceback (most recent call last):
...
chorus_core.errors.UsageError: Limits.max_depth must be a positive integer, got 0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from .errors import UsageError

__all__ = [
    "DEFAULT_LIMITS",
    "LIBXML2_MAX_DEPTH",
    "Limits",
    "capped",
    "current_limits",
    "using_limits",
]

_T = TypeVar("_T")

_MIB = 1024 * 1024

LIBXML2_MAX_DEPTH = 2048
"""The deepest nesting libxml2 can parse at all (with ``XML_PARSE_HUGE``); ``max_depth`` cap."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The caps applied to one document; every field is a positive integer.

    * ``max_document_bytes``: size of an XML document (200 MiB; Chorus Pro caps files at 100 MB,
      a pivot with a 100 MB attachment in base64 is about 135 MB).
    * ``max_depth``: nesting depth of elements, the root being at depth 1 (256, libxml2's own
      default; at most :data:`LIBXML2_MAX_DEPTH`).  Invoices nest about 10 levels deep.
    * ``max_elements``: number of elements in a document (1,000,000: about 25,000 UBL invoice
      lines; it bounds the memory of the parsed tree).
    * ``max_text_length``: characters of one text node or attribute value, base64 attachments
      apart (10,000,000, libxml2's own default).
    * ``max_attachment_bytes``: size of one attachment once base64-decoded (100 MiB, Chorus Pro's
      limit); the base64 text of an attachment element may be as long as that size needs.
    * ``max_unpacked_bytes``: size of a ZIP entry or of a gzip stream once decompressed (200 MiB,
      the document size: a PES_PJ may carry a whole PES document).
    * ``max_zip_entries``: entries in a ZIP archive, counted before the archive is opened (16).
    * ``max_compression_ratio``: decompressed size over compressed size (100); checked once the
      output exceeds 1 MiB, so that small, very repetitive files stay readable.
    * ``max_findings``: findings returned by one validation layer; the rest are counted in one
      closing finding (1,000).
    * ``max_pdf_bytes``: size of a PDF read for its embedded Factur-X / ZUGFeRD invoice
      (200 MiB, as a document); the embedded XML is then held to ``max_document_bytes`` once
      decompressed, and to ``max_compression_ratio``.

    >>> Limits().max_attachment_bytes // (1024 * 1024)
    100
    >>> Limits(max_elements=10).replace(max_depth=8)
    Limits(max_document_bytes=209715200, max_depth=8, max_elements=10, ...)
    """

    max_document_bytes: int = 200 * _MIB
    max_depth: int = 256
    max_elements: int = 1_000_000
    max_text_length: int = 10_000_000
    max_attachment_bytes: int = 100 * _MIB
    max_unpacked_bytes: int = 200 * _MIB
    max_zip_entries: int = 16
    max_compression_ratio: int = 100
    max_findings: int = 1000
    max_pdf_bytes: int = 200 * _MIB

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UsageError(
                    f"Limits.{field.name} must be a positive integer, got {value!r}",
                    f"Limits.{field.name} doit être un entier positif, et non {value!r}",
                    argument=field.name,
                )
        if self.max_depth > LIBXML2_MAX_DEPTH:
            raise UsageError(
                f"Limits.max_depth is at most {LIBXML2_MAX_DEPTH} (libxml2), got {self.max_depth}",
                f"Limits.max_depth vaut au plus {LIBXML2_MAX_DEPTH} (libxml2), "
                f"et non {self.max_depth}",
                argument="max_depth",
            )

    def replace(self, **changes: int) -> Limits:
        """Return a copy with ``changes`` applied (unknown names are a :class:`UsageError`)."""
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise UsageError(
                f"Limits has no field {', '.join(unknown)}",
                f"Limits n'a pas de champ {', '.join(unknown)}",
                argument=unknown[0],
            )
        return dataclasses.replace(self, **changes)

    @property
    def max_attachment_text_length(self) -> int:
        """Characters of the base64 text of one attachment: ``max_attachment_bytes`` encoded.

        Base64 turns 3 bytes into 4 characters; room is left for a line break every 76
        characters (MIME) and for indentation.

        >>> Limits(max_attachment_bytes=300).max_attachment_text_length
        1434
        """
        encoded = (self.max_attachment_bytes + 2) // 3 * 4
        return encoded + encoded // 76 * 2 + 1024


DEFAULT_LIMITS = Limits()
"""The limits in force when no :func:`using_limits` block is active."""

_CURRENT: ContextVar[Limits] = ContextVar("chorus_core_limits", default=DEFAULT_LIMITS)


def current_limits() -> Limits:
    """The limits in force in the current thread or task.

    >>> current_limits() is DEFAULT_LIMITS
    True
    """
    return _CURRENT.get()


@contextmanager
def using_limits(limits: Limits | None = None, /, **changes: int) -> Iterator[Limits]:
    """Apply ``limits`` (or the current limits with ``changes``) inside a ``with`` block.

    The change applies to the current thread or asyncio task and to everything it calls; it is
    undone when the block ends, even on an exception.  Blocks nest.

    >>> with using_limits(max_document_bytes=2 * 1024 ** 3) as limits:
    ...     limits.max_document_bytes
    2147483648
    >>> current_limits().max_document_bytes
    209715200
    >>> with using_limits(Limits(max_findings=10), max_depth=20) as limits:
    ...     limits.max_findings, limits.max_depth
    (10, 20)
    """
    if limits is not None and not isinstance(limits, Limits):
        raise UsageError(
            f"limits must be a Limits, got {type(limits).__name__}",
            f"limits doit être un Limits, et non un {type(limits).__name__}",
            argument="limits",
        )
    chosen = (limits or current_limits()).replace(**changes)
    token = _CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        _CURRENT.reset(token)


def capped(items: Iterable[_T], limit: int | None = None) -> tuple[tuple[_T, ...], int]:
    """The first ``limit`` items (default ``max_findings`` in force) and how many were left out.

    For a validation layer: build findings for the kept items only, and one closing finding
    that counts the rest.  The rest is counted without being kept.

    >>> capped(range(5), 2)
    ((0, 1), 3)
    >>> capped(iter("ab"))
    (('a', 'b'), 0)
    """
    if limit is None:
        limit = current_limits().max_findings
    iterator = iter(items)
    kept = tuple(item for _, item in zip(range(limit), iterator, strict=False))
    return kept, sum(1 for _ in iterator)
