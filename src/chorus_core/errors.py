"""Errors and findings of chorus_core.

Two kinds of problems, kept apart on purpose:

* **Exceptions** (:class:`ChorusError` and its subclasses) are raised only when the library
  cannot proceed: malformed or hostile XML, an unknown format, a refused workflow action, a
  malformed directory export, misuse of the API.  Callers catch the whole family with
  ``except ChorusError`` or one kind.  Exceptions of lxml, xmlschema or pydantic never escape a
  reader: they are wrapped.
* **Findings** (:class:`Finding`) describe problems *in a document* (a missing term, a wrong
  SIRET, an inactive service).  They are returned, never raised, gathered in a :class:`Report`.
  Each finding has a stable ``code``, a severity, the BT ids concerned, a French and an English
  message, and the :class:`Policy` that applies (recycle, suspend, reject, …).

>>> f = Finding(code="CHORUS-ROUTING-001", severity=Severity.ERROR, bt=("BT-10",),
...             message_fr="Code service manquant", message_en="Missing code service",
...             policy=Policy.REFUSED_AT_DEPOSIT)
>>> f.is_blocking
True
>>> Report(findings=(f,)).ok
False
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ChorusError",
    "ConversionError",
    "DirectoryError",
    "Finding",
    "FormatError",
    "MalformedXMLError",
    "Policy",
    "ReadError",
    "Report",
    "SchemaNotFoundError",
    "Severity",
    "UnknownFormatError",
    "UsageError",
    "WorkflowError",
]


class ChorusError(Exception):
    """Root of every exception raised by chorus_core."""


class FormatError(ChorusError):
    """A document cannot be handled by the requested format (base class)."""


class MalformedXMLError(FormatError):
    """The bytes are not well-formed XML, or are hostile (entities, DTD, size limit).

    ``line`` and ``column`` locate the problem when the parser knows them.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{message}{where}")
        self.line = line
        self.column = column


class UnknownFormatError(FormatError):
    """The document is well-formed but is not one of the supported formats (wrong root)."""


class ReadError(FormatError):
    """A value in a document cannot be represented at all (e.g. an amount that is not a number).

    ``path`` is the XPath-like location of the offending element, ``bt`` the business term.
    """

    def __init__(self, message: str, *, path: str | None = None, bt: str | None = None):
        parts = [message]
        if bt:
            parts.append(f"[{bt}]")
        if path:
            parts.append(f"at {path}")
        super().__init__(" ".join(parts))
        self.path = path
        self.bt = bt


class ConversionError(ChorusError):
    """A conversion could not be carried out."""


class SchemaNotFoundError(ChorusError):
    """An XSD or validation artefact was not found in any configured location."""


class DirectoryError(ChorusError):
    """A directory (annuaire) export is malformed; ``line`` gives the 1-based line number."""

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line


class WorkflowError(ChorusError):
    """A workflow action is refused (base class of the workflow errors)."""


class UsageError(ChorusError):
    """A public function was called with an argument it cannot take (wrong type or value).

    ``argument`` names the argument; ``message_fr`` and ``message_en`` explain the misuse.
    """

    def __init__(self, message_en: str, message_fr: str, *, argument: str | None = None):
        super().__init__(message_en)
        self.argument = argument
        self.message_en = message_en
        self.message_fr = message_fr


class Severity(StrEnum):
    """How serious a finding is."""

    FATAL = "fatal"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Policy(StrEnum):
    """What a finding leads to, from the cheapest to the costliest for the supplier.

    * ``NONE``: informative only.
    * ``REFUSED_AT_DEPOSIT``: Chorus Pro itself refuses the deposit; nothing enters the workflow.
    * ``RECYCLE``: wrong routing data (SIRET, code service, engagement); the supplier fixes it
      without issuing a new invoice (status *À recycler*).
    * ``SUSPEND``: a missing attachment or document; the supplier completes the invoice
      (status *Suspendue*, then *Complétée*).
    * ``REJECT``: wrong invoice content; the supplier must issue a new invoice (status *Rejetée*).
    """

    NONE = "none"
    REFUSED_AT_DEPOSIT = "refused_at_deposit"
    RECYCLE = "recycle"
    SUSPEND = "suspend"
    REJECT = "reject"


_BLOCKING = frozenset({Severity.FATAL, Severity.ERROR})


class Finding(BaseModel):
    """One problem found in a document.

    ``code`` is stable: an official id (``BR-CO-10``) or one of ours in a namespace
    (``CHORUS-ROUTING-003``).  ``bt`` lists the business terms concerned, ``path`` locates the
    problem in the document or the model when known.
    """

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity = Severity.ERROR
    bt: tuple[str, ...] = ()
    path: str | None = None
    message_fr: str
    message_en: str
    policy: Policy = Policy.NONE
    layer: str | None = Field(default=None, description="xsd, en16931, chorus, routing, …")

    @property
    def is_blocking(self) -> bool:
        """True for fatal and error findings."""
        return self.severity in _BLOCKING

    def __str__(self) -> str:
        where = f" [{', '.join(self.bt)}]" if self.bt else ""
        return f"{self.code}{where}: {self.message_en}"


class Report(BaseModel):
    """An ordered collection of findings; ``ok`` when none is blocking.

    >>> Report().ok
    True
    """

    model_config = ConfigDict(frozen=True)

    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no finding is fatal or an error."""
        return not any(f.is_blocking for f in self.findings)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the findings, in order."""
        return tuple(f.code for f in self.findings)

    def __iter__(self) -> Iterator[Finding]:  # type: ignore[override]
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def extend(self, more: Iterable[Finding]) -> Report:
        """Return a new report with ``more`` appended."""
        return Report(findings=self.findings + tuple(more))
