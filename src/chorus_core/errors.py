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
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AttachmentError",
    "CalculationError",
    "ChorusError",
    "ConversionError",
    "DirectoryError",
    "Finding",
    "FindingRule",
    "FormatError",
    "IncompleteInvoiceError",
    "Layer",
    "MalformedXMLError",
    "PdfError",
    "PesWriteError",
    "Policy",
    "ReadError",
    "Report",
    "SchemaNotFoundError",
    "Severity",
    "UnknownFormatError",
    "UsageError",
    "WorkflowError",
    "XMLLimitError",
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


class XMLLimitError(MalformedXMLError):
    """The document exceeds one of the :class:`~chorus_core.limits.Limits`; ``limit`` names it.

    Raise the limit with :func:`chorus_core.limits.using_limits` if the document is trusted.
    """

    def __init__(
        self, message: str, *, limit: str, line: int | None = None, column: int | None = None
    ):
        where = "" if line is None else f" (line {line}" + (
            f", column {column})" if column is not None else ")")
        FormatError.__init__(self, f"{message}{where}")
        self.line = line
        self.column = column
        self.limit = limit


class UnknownFormatError(FormatError):
    """The document is well-formed but is not one of the supported formats (wrong root)."""


class AttachmentError(FormatError):
    """An embedded file cannot be unpacked safely: bad base64, ZIP or gzip, or over a limit.

    ``reason`` says why, one of ``base64`` (not strict base64), ``corrupt`` (a broken ZIP or
    gzip stream), ``entries`` (not exactly one entry, or more than ``max_zip_entries``),
    ``name`` (not the expected entry name, or an unsafe one), ``nested`` (an archive inside the
    archive), ``method`` (a compression method other than stored or deflate, or encryption),
    ``size`` (over ``max_attachment_bytes`` or ``max_unpacked_bytes``) and ``ratio`` (over
    ``max_compression_ratio``).
    """

    def __init__(self, message: str, *, reason: str):
        super().__init__(f"{message} [{reason}]")
        self.reason = reason


class PdfError(FormatError):
    """A PDF cannot be read, or carries no Factur-X / ZUGFeRD invoice to read.

    ``reason`` says why, one of ``not_pdf`` (no ``%PDF-`` header in the first 1024 bytes),
    ``corrupt`` (the PDF cannot be parsed: truncated, broken cross-reference table or objects),
    ``encrypted`` (protected by a password), ``size`` (over ``Limits.max_pdf_bytes``) and
    ``no_invoice`` (a readable PDF without an embedded ``factur-x.xml``, ``zugferd-invoice.xml``
    or ``xrechnung.xml``).  ``message_en`` and ``message_fr`` explain it.
    """

    def __init__(self, message_en: str, message_fr: str, *, reason: str):
        super().__init__(f"{message_en} [{reason}]")
        self.reason = reason
        self.message_en = message_en
        self.message_fr = message_fr


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


class CalculationError(ChorusError):
    """A total cannot be computed: an amount, quantity or price is too large to calculate with.

    ``bt`` names the business term being computed (``BT-131`` for a line net amount, ``BT-106``
    … ``BT-117`` for the totals and the VAT breakdown); ``path`` locates it in the model.
    """

    def __init__(self, message: str, *, bt: str | None, path: str | None = None):
        where = f" at {path}" if path else ""
        term = f" [{bt}]" if bt else ""
        super().__init__(f"{message}{term}{where}")
        self.bt = bt
        self.path = path


class ConversionError(ChorusError):
    """A conversion could not be carried out."""


class IncompleteInvoiceError(ConversionError):
    """The invoice lacks terms the target syntax's XSD requires; ``terms`` lists their ids.

    Pass ``draft=True`` to the writer to write such an invoice anyway (schema-invalid).
    """

    def __init__(self, terms: list[str] | tuple[str, ...], format: str):
        self.terms = tuple(terms)
        self.format = format
        super().__init__(
            f"cannot write a valid {format} document: the XSD requires "
            f"{', '.join(self.terms)}, absent from the invoice (write(..., draft=True) writes "
            f"it anyway) / le XSD exige {', '.join(self.terms)}, absents de la facture"
        )


class PesWriteError(ConversionError):
    """A PES status flow or Dépense fragment cannot be written as asked; ``findings`` say why.

    Raised instead of truncating or dropping a value: a supplier invoice number longer than
    20 characters, a status without a life-cycle code, history data the flow cannot carry, …
    """

    def __init__(self, message: str, findings: Iterable[Finding] = ()):
        self.findings: tuple[Finding, ...] = tuple(findings)
        codes = ", ".join(f.code for f in self.findings)
        super().__init__(f"{message} ({codes})" if codes else message)


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

    def __repr__(self) -> str:
        """Code, severity, terms, layer and the English message cut short (< 300 characters).

        >>> Finding(code="BR-02", severity=Severity.FATAL, bt=("BT-1",), layer="en16931",
        ...         message_en="An Invoice shall have an Invoice number (BT-1).", message_fr="…")
        Finding(code='BR-02', severity='fatal', bt=('BT-1',), layer='en16931',
                message_en='An Invoice shall have an Invoice number (BT-1).')
        """
        bt = self.bt if len(self.bt) <= 4 else (*self.bt[:4], "…")
        return _capped(
            f"Finding(code={_cut(self.code, 40)!r}, severity={self.severity.value!r}, "
            f"bt={bt!r}, layer={self.layer!r}, message_en={_cut(self.message_en, 60)!r})"
        )

    def _repr_html_(self) -> str:
        """The notebook view: a one-finding report."""
        from ._html import report_html

        return report_html(Report(findings=(self,)))


class FindingRule(NamedTuple):
    """A finding a check may give: its stable code, severity, terms, disposition, French and
    English message templates (``str.format`` fields), and ``source``, where the rule comes
    from.  The routing, Chorus Pro profile, PES status and PES Dépense checks declare theirs so.

    >>> rule = FindingRule("X-001", Severity.ERROR, ("BT-1",), Policy.REJECT,
    ...                    "Numéro {n} absent", "Number {n} missing")
    >>> rule.finding(layer="demo", n=3).message_en
    'Number 3 missing'
    """

    code: str
    severity: Severity
    bt: tuple[str, ...]
    policy: Policy
    message_fr: str
    message_en: str
    source: str = ""

    def finding(self, *, layer: str, path: str | None = None, bt: tuple[str, ...] | None = None,
                **context: object) -> Finding:
        """The :class:`Finding` of this rule in ``layer``, its messages filled from
        ``context``; ``bt`` replaces the rule's terms when the check names the one concerned."""
        return Finding(
            code=self.code, severity=self.severity, bt=self.bt if bt is None else bt,
            path=path, policy=self.policy, layer=layer,
            message_fr=self.message_fr.format(**context),
            message_en=self.message_en.format(**context))


class Layer(BaseModel):
    """One validation layer of a report (``xsd``, ``syntax``, ``en16931``, ``chorus``): whether
    it ran and, when it did not, why.

    >>> Layer(name="xsd", ran=False, reason="the input is an Invoice, not a document")
    Layer(name='xsd', ran=False, reason='the input is an Invoice, not a document')
    """

    model_config = ConfigDict(frozen=True)

    name: str
    ran: bool = True
    reason: str | None = None

    def __repr__(self) -> str:
        reason = None if self.reason is None else _cut(self.reason, 200)
        return _capped(f"Layer(name={_cut(self.name, 40)!r}, ran={self.ran}, reason={reason!r})")


class Report(BaseModel):
    """An ordered collection of findings; ``ok`` when none is blocking.

    ``layers`` lists, in order, the validation layers that produced it, each run or skipped
    with its reason (empty for a report that is not a validation).

    Its ``repr`` is one line (< 300 characters): whether it is ok, the findings counted by
    severity and the layers (those skipped after ``skipped``); in a notebook,
    ``_repr_html_`` shows the layers and the findings as tables.

    >>> Report().ok
    True
    >>> Report(findings=(Finding(code="BR-02", severity=Severity.FATAL, message_en="…",
    ...                          message_fr="…"),), layers=(Layer(name="xsd", ran=False),
    ...                                                     Layer(name="en16931")))
    Report(ok=False, 1 finding: 1 fatal; layers en16931; skipped xsd)
    """

    model_config = ConfigDict(frozen=True)

    findings: tuple[Finding, ...] = ()
    layers: tuple[Layer, ...] = ()

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
        """Return a new report with ``more`` appended (the layers are kept)."""
        return Report(findings=self.findings + tuple(more), layers=self.layers)

    def layer(self, name: str) -> Layer | None:
        """The layer called ``name``, or None when the report has no such layer."""
        return next((la for la in self.layers if la.name == name), None)

    def by_layer(self, name: str) -> tuple[Finding, ...]:
        """The findings produced by the layer called ``name``, in order."""
        return tuple(f for f in self.findings if f.layer == name)

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.severity.value] = counts.get(finding.severity.value, 0) + 1
        n = len(self.findings)
        text = f"Report(ok={self.ok}, {n} finding{'' if n == 1 else 's'}"
        if counts:
            text += ": " + ", ".join(
                f"{counts[s.value]} {s.value}" for s in Severity if s.value in counts)
        ran = [la.name for la in self.layers if la.ran]
        skipped = [la.name for la in self.layers if not la.ran]
        if ran:
            text += f"; layers {','.join(ran)}"
        if skipped:
            text += f"; skipped {','.join(skipped)}"
        return _capped(text + ")")

    def __str__(self) -> str:
        """The summary line, then one line per finding (``code [BT]: message``)."""
        return "\n".join([repr(self), *(f"  {f}" for f in self.findings)])

    def _repr_html_(self) -> str:
        """The notebook view (Jupyter): layers, and findings coloured by severity."""
        from ._html import report_html

        return report_html(self)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _capped(text: str, limit: int = 299) -> str:
    return text if len(text) <= limit else text[: limit - 2] + "…)"
