"""What the command line prints: records as text lines, or as one JSON document per run.

The JSON document (``--format json``) has the same shape for every command::

    {"command": "validate", "version": "0.1.0", "exit_code": 1,
     "results": [{"path": ..., "ok": ..., "format": ..., "error": ..., "findings": [...],
                  "losses": [...], ...}],
     "summary": {"files": 2, "ok": 1, "failed": 1, "errors": 0, "findings": 3, "losses": 0}}

``docs/cli.md`` documents each key.  The text output is for people: a single document's
result in a few lines, and for a folder the problems of each file then a summary table.

>>> from chorus_core.cli.commands import Record
>>> summary([Record("a.xml", format="ubl"), Record("b.xml", ok=False, error={})])
{'files': 2, 'ok': 1, 'failed': 1, 'errors': 1, 'findings': 0, 'losses': 0}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..model.routing import CADRES
from .commands import Record

__all__ = [
    "error_lines",
    "finding_lines",
    "folder_lines",
    "json_document",
    "loss_lines",
    "loss_report_lines",
    "routing_lines",
    "summary",
    "table_lines",
    "validation_lines",
]


def summary(records: Sequence[Record]) -> dict[str, int]:
    """Counts over the records: files, ok, failed (not ok), errors (unreadable), findings, losses.
    """
    return {
        "files": len(records),
        "ok": sum(r.ok for r in records),
        "failed": sum(not r.ok for r in records),
        "errors": sum(r.error is not None for r in records),
        "findings": sum(len(r.findings) for r in records),
        "losses": sum(len(r.losses) for r in records),
    }


def json_document(command: str, version: str, exit_code: int,
                  results: Sequence[dict[str, Any]], counts: dict[str, int]) -> str:
    """The JSON document of a run, indented, keys in a stable order."""
    return json.dumps({"command": command, "version": version, "exit_code": exit_code,
                       "results": list(results), "summary": counts},
                      ensure_ascii=False, indent=2)


def error_lines(record: Record) -> list[str]:
    """The error of a record that could not be handled: type, English and French messages."""
    if record.error is None:
        return []
    lines = [f"error: {record.error['message']} [{record.error['type']}]"]
    if record.error.get("message_fr"):
        lines.append(f"erreur : {record.error['message_fr']}")
    return lines


def finding_lines(record: Record) -> list[str]:
    """One line per finding (code, severity, terms, policy, English message), French below."""
    lines = []
    for f in record.findings:
        terms = f" [{', '.join(f['bt'])}]" if f["bt"] else ""
        where = f" at {f['path']}" if f["path"] else ""
        policy = f" ({f['policy']})" if f["policy"] != "none" else ""
        lines.append(f"{f['code']} {f['severity']}{terms}{policy}{where}: {f['message_en']}")
        lines.append(f"    {f['message_fr']}")
    return lines


def loss_lines(record: Record) -> list[str]:
    """One line per conversion loss: the term, its name, what happened and the values."""
    lines = []
    for loss in record.losses:
        term = f"{loss['bt']} ({loss['name']})" if loss["bt"] else "(no term)"
        if loss["kind"] == "unread":
            lines.append(f"{term} unread at {loss['path']}: {loss['reason']}")
        else:
            why = f" ({loss['reason']})" if loss["reason"] else ""
            lines.append(f"{term} {loss['kind']} at {loss['path']}: "
                         f"{loss['source']!r} -> {loss['target']!r}{why}")
    return lines


def _status(record: Record, command: str) -> str:
    if record.error is not None:
        return "error"
    if command == "convert":
        return "lossy" if record.losses else "ok"
    return "ok" if record.ok else "findings"


def table_lines(records: Sequence[Record], command: str) -> list[str]:
    """The summary table of a folder: one row per file, then the totals.

    >>> for line in table_lines([Record("a.xml", format="ubl"),
    ...                          Record("b.xml", ok=False, error={"type": "X", "message": "m"})],
    ...                         "detect"):
    ...     print(line)
    file   format  status  findings  losses
    a.xml  ubl     ok      0         0
    b.xml  -       error   -         -
    2 files: 1 ok, 1 failed (1 unreadable); 0 findings, 0 losses
    """
    head = ("file", "format", "status", "findings", "losses")
    rows = [
        (r.path, r.format or "-", _status(r, command),
         "-" if r.error else str(len(r.findings)), "-" if r.error else str(len(r.losses)))
        for r in records
    ]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in [head, *rows]]
    n = summary(records)
    lines.append(f"{n['files']} files: {n['ok']} ok, {n['failed']} failed "
                 f"({n['errors']} unreadable); {n['findings']} findings, {n['losses']} losses")
    return lines


def loss_report_lines(record: Record) -> list[str]:
    """The loss report of one conversion (printed on stderr): a count, then each loss."""
    n = len(record.losses)
    head = f"{record.format} -> {record.details['target']}: {n} loss(es) / perte(s)"
    return [head + (":" if n else ""), *(f"  {line}" for line in loss_lines(record))]


def validation_lines(record: Record) -> list[str]:
    """One validation: the layers that did not run and why, the findings, then the verdict."""
    lines = [f"{la['name']}: skipped / ignorée: {la['reason']}"
             for la in record.details["layers"] if not la["ran"]]
    lines += finding_lines(record)
    blocking = sum(f["severity"] in ("fatal", "error") for f in record.findings)
    verdict = "valid / valide" if record.ok else "not valid / non valide"
    lines.append(f"{record.path}: {record.format}, profile {record.details['profile']}: "
                 f"{verdict} ({len(record.findings)} finding(s), {blocking} blocking)")
    return lines


def routing_lines(record: Record) -> list[str]:
    """The Chorus Pro routing of one document, and the directory findings when checked."""
    r = record.details["routing"]
    cadre = CADRES.get(r["cadre"])
    term = f" [{r['buyer_siret_term']}]" if r["buyer_siret_term"] else ""
    supplier = r["supplier_identifier"] or "-"
    if r["supplier_identifier_scheme"]:
        supplier += f" (scheme {r['supplier_identifier_scheme']})"
    lines = [
        f"{record.path}: {record.format}, {r['kind']}",
        f"  SIRET destinataire / buyer SIRET (BT-46/47/49): {r['buyer_siret'] or '-'}{term}",
        f"  Code service (BT-10)                         : {r['code_service'] or '-'}",
        f"  Numéro d'engagement / engagement (BT-13)     : {r['engagement'] or '-'}",
        f"  Numéro de marché / contract (BT-12)          : {r['marche'] or '-'}",
        f"  Cadre de facturation / cadre (BT-23)         : {r['cadre']} "
        f"{cadre.label_fr if cadre else '(unknown / inconnu)'}",
        f"  Fournisseur / supplier (BT-29/30)            : {supplier}",
    ]
    if record.details["directory"]:
        found = finding_lines(record)
        lines.append("  annuaire / directory:" + ("" if found else " no finding / aucune anomalie"))
        lines += [f"    {line}" for line in found]
    return lines


def folder_lines(records: Sequence[Record], command: str) -> list[str]:
    """A folder's text output: the problems of each file under its path, then the table."""
    lines: list[str] = []
    for record in records:
        problems = error_lines(record) + finding_lines(record)
        if command == "convert":
            problems += loss_lines(record)
        if problems:
            lines.append(f"{record.path}:")
            lines += [f"  {line}" for line in problems]
    return lines + table_lines(records, command)
