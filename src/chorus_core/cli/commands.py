"""The per-document commands of the command line: detect, convert, validate, route.

Each command is a pure function of a document's bytes and the run's :class:`Options`: it calls
the library and returns a :class:`Record`, the result of one document, ready to be rendered
as text or JSON (:mod:`chorus_core.cli.output`).  :func:`process` is what a worker process
runs; a :class:`~chorus_core.errors.ChorusError` raised by the library (a malformed or
hostile document, an unknown format) becomes the record's ``error``, so one broken document
never stops a folder.  Files and printing stay in :mod:`chorus_core.cli`.

>>> from chorus_core.examples import sample_invoice
>>> from chorus_core.formats import write
>>> process(Options("detect"), "a.xml", write(sample_invoice(), "cii")).format
'cii'
>>> record = process(Options("detect"), "b.xml", b"<a><b></a>")
>>> record.ok, record.error["type"]
(False, 'MalformedXMLError')
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from lxml import etree

from .. import rules
from ..directory import Directory, check_routing
from ..errors import ChorusError, Finding, Report
from ..formats import Loss, convert, detect_format, facturx, parse_document, read
from ..model.routing import routing_of

__all__ = ["COMMANDS", "Options", "Record", "error_record", "process"]


@dataclass(frozen=True)
class Options:
    """What a run asks of every document (picklable: it is sent to the worker processes).

    ``command`` is one of :data:`COMMANDS`; ``to`` the target format of ``convert``,
    ``strict`` makes a conversion with losses fail; ``profile``, ``today`` and ``schema_dir``
    are passed to :func:`chorus_core.rules.validate`; ``directory`` adds the routing checks
    of ``validate`` and ``route``.
    """

    command: str
    to: str | None = None
    strict: bool = False
    profile: str = "en16931"
    today: datetime.date | None = None
    schema_dir: str | None = None
    directory: Directory | None = None


@dataclass
class Record:
    """The result of one document: what the JSON output's ``results`` items hold.

    ``container`` is ``pdf`` for a Factur-X PDF (its embedded CII is what is read), ``xml``
    otherwise.  ``ok`` is false when the document could not be read (``error`` says why), has
    blocking findings, or lost terms in a ``--strict`` conversion.  ``details`` holds what only one
    command has (the routing, the validation layers, the target format); ``data`` the
    converted bytes, written by the caller and never rendered.
    """

    path: str
    ok: bool = True
    format: str | None = None
    container: str | None = None
    error: dict[str, str | None] | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    losses: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    data: bytes | None = None

    def as_json(self) -> dict[str, Any]:
        """The record as the JSON object of one result (without the converted bytes)."""
        return {"path": self.path, "ok": self.ok, "format": self.format,
                "container": self.container, "error": self.error,
                "findings": self.findings, "losses": self.losses, **self.details}


def _value(value: Any) -> Any:
    """A loss value as JSON: strings, numbers, booleans and null as they are, others as text."""
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding as a JSON object, with the same keys for every kind of finding."""
    return {
        "code": finding.code, "severity": finding.severity.value, "bt": list(finding.bt),
        "path": finding.path, "source": getattr(finding, "source", None),
        "line": getattr(finding, "line", None), "layer": finding.layer,
        "policy": finding.policy.value, "message_en": finding.message_en,
        "message_fr": finding.message_fr,
    }


def loss_json(loss: Loss) -> dict[str, Any]:
    """One conversion loss as a JSON object."""
    return {"bt": loss.bt, "name": loss.name, "path": loss.path, "kind": loss.kind,
            "source": _value(loss.source), "target": _value(loss.target), "reason": loss.reason}


def _add_report(record: Record, report: Report) -> None:
    record.findings = [finding_json(f) for f in report]
    record.ok = record.ok and report.ok


def _detect(options: Options, record: Record, data: etree._Element) -> None:
    record.format = detect_format(data)


def _convert(options: Options, record: Record, data: etree._Element) -> None:
    assert options.to is not None
    conversion = convert(data, to=options.to)
    record.format = conversion.source_format
    record.losses = [loss_json(loss) for loss in conversion.losses]
    record.ok = not (options.strict and conversion.losses)
    record.data = conversion.data
    record.details = {"target": conversion.target_format, "bytes": len(conversion.data)}


def _validate(options: Options, record: Record, data: etree._Element) -> None:
    record.format = detect_format(data)
    profile: Literal["en16931", "chorus"] = (
        "chorus" if options.profile == "chorus" else "en16931")
    report = rules.validate(data, profile, options.directory, today=options.today,
                            schema_dir=options.schema_dir)
    _add_report(record, report)
    record.details = {
        "profile": profile,
        "layers": [{"name": la.name, "ran": la.ran, "reason": la.reason} for la in report.layers],
    }


def _route(options: Options, record: Record, data: etree._Element) -> None:
    record.format = detect_format(data)
    invoice = read(data)
    record.details = {"routing": routing_of(invoice).model_dump(mode="json"),
                      "directory": options.directory is not None}
    if options.directory is not None:
        _add_report(record, check_routing(invoice, options.directory))


COMMANDS: dict[str, Callable[[Options, Record, etree._Element], None]] = {
    "detect": _detect, "convert": _convert, "validate": _validate, "route": _route}
"""Command name → the function that fills a :class:`Record` from a document, parsed once."""


def error_record(path: str, exc: BaseException, container: str | None = None) -> Record:
    """The record of a document that could not be handled: its typed error's messages."""
    message_en = getattr(exc, "message_en", None) or str(exc)
    message_fr = getattr(exc, "message_fr", None)
    kind = type(exc).__name__
    if not isinstance(exc, ChorusError | OSError):  # a bug of ours: say so, do not hide it
        message_en = f"internal error, please report it: {kind}: {exc}"
    return Record(path=path, ok=False, container=container,
                  error={"type": kind, "message": message_en, "message_fr": message_fr})


def process(options: Options, path: str, data: bytes) -> Record:
    """Run ``options.command`` on the document ``data`` read from ``path``; never raises.

    A pure function of its arguments (no I/O), run in worker processes by ``--jobs``.
    """
    record = Record(path=path, container="pdf" if facturx.is_pdf(data) else "xml")
    try:
        COMMANDS[options.command](options, record, parse_document(data))
    except Exception as exc:  # one document must not stop the others
        return error_record(path, exc, record.container)
    return record
