"""PES Pivot (the Chorus Pro ``CPPFacturePivot`` flow) ↔ the canonical model.

Chorus Pro delivers the invoices of a local public entity as a ``CPPFacturePivot`` flow: no
namespace, plain element text, an envelope (``Enveloppe``: parameters and partners) and N
``CPPFacturePivotUnitaire`` invoices.  The EN 16931 part of an invoice is the ``pes_pivot``
column of the binding table (``bindings.csv``), compiled with ``CPPFacturePivotUnitaire`` as
its root; this module splits the flow, keeps what EN 16931 has no term for in a
:class:`PivotExtension` beside each invoice (mode d'émission, service name, reception date,
the invoice document itself, validation cycle…), and writes flows for ``V2_02``.

One invoice or N: :func:`read`, :func:`read_report`, :func:`write` and ``convert(...)`` take
and give a flow of exactly one invoice (a flow of N is a :class:`~chorus_core.errors.ReadError`
naming :func:`read_flow`); :func:`read_flow` gives a :class:`PivotFlow` of N
:class:`PivotInvoice` (invoice + extension), :func:`write_flow` writes one, and :func:`split`
cuts a flow into one-invoice flows for ``convert``.

Conventions and tolerance:

* attachments (``PJ/Contenu``) are base64 of a ZIP of one file named ``NomPJ``: decoded with
  the bomb-safe :func:`~chorus_core.xml.unzip_single`, re-packed with
  :func:`~chorus_core.xml.zip_single`, so the file bytes round-trip exactly.  ``TypePJ`` 01
  is the invoice itself (kept in the extension, :meth:`PivotInvoice.original` reads it when it
  is UBL or CII), ``02`` are the supporting documents of BG-24; a flow written from an invoice
  without its original embeds the invoice's UBL rendering as ``TypePJ`` 01;
* VAT rates (``Taux``, ``TauxTVA``) are percent or fraction in real files (``5.5`` / ``0.021``):
  an invoice whose non-zero rates are all below 1 is read as fractions (× 100; the extension
  says ``vat_rate_unit="fraction"``), otherwise as percent.  Rates are written as percent,
  except an invoice whose non-zero rates are all below 1 %, written as fractions so that they
  read back unchanged;
* ``xsi:type`` on leaves and empty elements (``<NumeroMarche/>``, kept as ``""``) are accepted;
  ``TypeIdentifiant`` 1 (SIRET) is the identifier scheme ``0009``.

More information:

* ``CPPFacturePivot_V2_02.xsd`` (AIFE, 04/04/2022); ``research/pes-pivot.md``
* :mod:`chorus_core.formats._table` (the path language), ``docs/pes.md``

>>> from chorus_core.examples import sample_invoice
>>> flow = read_flow(write(sample_invoice()))
>>> invoice = flow.invoices[0].invoice
>>> invoice.invoice_number, invoice.buyer_reference, invoice.vat_breakdown[0].rate
('FA-2026-0042', 'SERV-TECHNIQUES', Decimal('20'))
>>> read(b"<CPPFacturePivot><CPPFactures/></CPPFacturePivot>")
Traceback (most recent call last):
...
chorus_core.errors.ReadError: a pivot flow of 0 invoices: use pes_pivot.read_flow() for ...
"""

from __future__ import annotations

import contextvars
import copy
import dataclasses
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from lxml import etree

from ..errors import (
    AttachmentError,
    ConversionError,
    IncompleteInvoiceError,
    ReadError,
    UnknownFormatError,
    UsageError,
)
from ..limits import current_limits
from ..model import Invoice
from ..model.routing import CADRES, DEFAULT_CADRE, find_buyer_siret
from ..xml import b64decode, b64encode, iter_elements, parse_xml, unzip_single, zip_single
from ..xml.escape import escape_text
from ._engine import Hook, Reading, Syntax, Unread, Written, _full_text, _Leaf, _Reader, _Writer
from ._formats import Descriptor
from ._input import parse_document
from ._pes import Frozen as _Frozen
from ._pes import check_invoice, insert, relaxed, unknown_root
from ._xsd_order import ORDER

__all__ = [
    "DESCRIPTOR",
    "FLOW",
    "SYNTAX",
    "UNIT",
    "VERSIONS",
    "Envelope",
    "MainDocument",
    "Parameter",
    "Partner",
    "PivotAttachment",
    "PivotExtension",
    "PivotFlow",
    "PivotInvoice",
    "Validation",
    "detect",
    "iter_flow",
    "parse",
    "read",
    "read_flow",
    "read_report",
    "split",
    "write",
    "write_flow",
    "write_report",
]

FLOW = "CPPFacturePivot"
"""Root element of a pivot flow."""
UNIT = "CPPFacturePivotUnitaire"
"""The invoice element of a flow: the root of the ``pes_pivot`` column."""

Element = etree._Element

_MAIN_TYPES = frozenset({"01", "1"})
_OCTETS = "application/octet-stream"
_EXTENSION: contextvars.ContextVar[PivotExtension | None] = contextvars.ContextVar(
    "pes_pivot_extension", default=None)


# ---------------------------------------------------------------- the extension models


class Parameter(_Frozen):
    """One ``ParametreIndiv`` of the envelope (``DtPrd`` production date, ``IdFlx`` flow id)."""

    code: str
    value: str
    note: str | None = None


class Partner(_Frozen):
    """A partner of the envelope (``Recepteur`` or ``Emetteur``): an id of 3 to 8 characters."""

    id: str
    label: str | None = None
    note: str | None = None


class Envelope(_Frozen):
    """The flow envelope: parameters and partners (``Enveloppe/EnveloppeUnitaire``).

    >>> Envelope.of("CPP0020036000000000000004", date(2026, 11, 2)).parameters[0].value
    '2026-11-02'
    """

    parameters: tuple[Parameter, ...]
    receiver: Partner
    sender: Partner

    @classmethod
    def of(cls, flow_id: str, produced: date, *, receiver: str = "ENT001",
           sender: str = "CPP001") -> Envelope:
        """An envelope with the two usual parameters, ``DtPrd`` and ``IdFlx``."""
        return cls(parameters=(Parameter(code="DtPrd", value=produced.isoformat()),
                               Parameter(code="IdFlx", value=flow_id)),
                   receiver=Partner(id=receiver), sender=Partner(id=sender))

    @property
    def flow_id(self) -> str | None:
        """The ``IdFlx`` parameter."""
        return next((p.value for p in self.parameters if p.code == "IdFlx"), None)


class MainDocument(_Frozen):
    """The invoice document itself (``TypePJ`` 01): a PDF or the original UBL/CII XML."""

    name: str
    mime_type: str | None = None
    content: bytes | None = None
    category: str | None = None


class PivotAttachment(_Frozen):
    """What the pivot says of one ``PJ`` beyond BG-24, in document order."""

    type: str
    """``TypePJ`` as written: ``01`` (the invoice itself) or ``02`` (a supporting document)."""
    number: str | None = None
    unique_id: str | None = None
    original_id: str | None = None
    original_name: str | None = None
    main: MainDocument | None = None
    """The document of a ``TypePJ`` 01 (BG-24 holds the content of the others)."""


class Producer(_Frozen):
    """``ProducteurStatut`` of a validation step."""

    type: str
    id: str
    name: str
    country: str
    note: str | None = None


class Validation(_Frozen):
    """One ``ValidationUnitaire`` of the validation cycle (cadres needing a validation)."""

    date: date
    code: str
    producer: Producer
    complement: str | None = None
    comment: str | None = None


class PivotExtension(_Frozen):
    """The pivot data of one invoice that EN 16931 has no term for."""

    number: str | None = None
    """``NumOrdre`` of the invoice in the flow."""
    supplier_identifier_type: str | None = None
    """``Fournisseur/TypeIdentifiant`` (1 SIRET … 7 particulier)."""
    issue_mode: str = "flux"
    """``ModeEmission``: flux, numérisation, saisie or PDF."""
    bank_reference_type: str | None = None
    """``ReferenceBancaire/@Type`` (IBAN or RIB)."""
    bank_name: str | None = None
    """``ReferenceBancaire/Etablissement``."""
    collector_name: str | None = None
    """``ReferenceBancaire/RaisonSocialeEncaisseur``."""
    service_name: str | None = None
    """``Debiteur/NomService``."""
    chorus_id: str | None = None
    """``IdCPRO`` (V2_02)."""
    resent: str | None = None
    """``Renvoi`` (V2_02): Non, Complétée, Recyclée."""
    reception_date: date | None = None
    """``DateReception`` (by Chorus Pro); written as the issue date when absent."""
    moe_date: date | None = None
    """``DateMiseADispositionMOE`` (V2_02, works invoices)."""
    attachments: tuple[PivotAttachment, ...] = ()
    validation_cycle: tuple[Validation, ...] = ()
    vat_rate_unit: Literal["percent", "fraction"] = "percent"
    """How the source wrote its VAT rates (they are read as percent either way)."""

    @property
    def main_document(self) -> MainDocument | None:
        """The invoice document itself (the first ``TypePJ`` 01), if any."""
        return next((a.main for a in self.attachments if a.main is not None), None)


class PivotInvoice(_Frozen):
    """One invoice of a flow: the canonical invoice and its pivot extension."""

    invoice: Invoice
    extension: PivotExtension = PivotExtension()

    def original(self) -> Invoice | None:
        """The invoice read from the main document when it is UBL or CII (full detail), else
        ``None``."""
        main = self.extension.main_document
        if main is None or main.content is None or main.content.lstrip()[:1] != b"<":
            return None
        from .conversion import read

        try:
            return read(main.content)
        except UnknownFormatError:
            return None


class PivotFlow(_Frozen):
    """A pivot flow: its version, envelope and invoices."""

    version: str | None = "V2_02"
    envelope: Envelope
    invoices: tuple[PivotInvoice, ...]


# ---------------------------------------------------------------- hooks


def _rates(unit: Element) -> list[Decimal]:
    found = [*unit.iterfind("DonneesFacture/TVAs/TVA/Taux"),
             *unit.iterfind("DonneesFacture/Lignes/Ligne/TauxTVA")]
    rates = []
    for el in found:
        try:
            rates.append(Decimal(_full_text(el).strip()))
        except InvalidOperation:
            continue
    return rates


def _small(rates: Sequence[Decimal | None], bound: Decimal) -> bool:
    nonzero = [r for r in rates if r is not None and r.is_finite() and r != 0]
    return bool(nonzero) and all(abs(r) < bound for r in nonzero)


def _fraction_unit(unit: Element) -> bool:
    """True when the invoice writes its VAT rates as fractions (every non-zero rate < 1)."""
    return _small(_rates(unit), Decimal(1))


def _read_as_fraction(unit: Element) -> bool:
    """:func:`_fraction_unit` of the invoice being read: the unit of its extension when
    :func:`_read_unit` has read it (once per invoice, not once per rate)."""
    extension = _EXTENSION.get()
    if extension is not None:
        return extension.vat_rate_unit == "fraction"
    return _fraction_unit(unit)


def _invoice_rates(invoice: Invoice) -> list[Decimal | None]:
    rates: list[Decimal | None] = [b.rate for b in invoice.vat_breakdown]
    rates.extend(line.vat_information.rate for line in invoice.lines
                 if line.vat_information is not None)
    return rates


class _VatRate(Hook):
    """BT-119 and BT-152: percent, or fraction when every non-zero rate is below 1."""

    def read(self, reader: _Reader, el: Element, leaves: list[_Leaf], open_: Any) -> None:
        leaf = leaves[0]
        value = reader.convert(leaf, el)
        if value != 0 and _read_as_fraction(reader.root_el):
            value = value.scaleb(2)
        reader.store(leaf, value, el, open_)

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: Any) -> tuple[str | None, str]:
        leaf = leaves[0]
        value = writer.value(leaf, ctx)
        if value is None:
            return None, ""
        extension = _EXTENSION.get()
        rates = _invoice_rates(writer.invoice)
        fraction = _small(rates, Decimal(1)) or (
            extension is not None and extension.vat_rate_unit == "fraction"
            and _small(rates, Decimal(100)))
        if value != 0 and fraction:
            value = value.scaleb(-2)
        return writer.format(leaf, value), ""


class _PieceJointe(Hook):
    """BT-125: base64 of a one-file ZIP whose entry is named ``NomPJ``."""

    def read(self, reader: _Reader, el: Element, leaves: list[_Leaf], open_: Any) -> None:
        leaf = leaves[0]
        parent = el.getparent()
        name_el = parent.find("NomPJ") if parent is not None else None
        expected = _full_text(name_el) if name_el is not None else None
        reader.store(leaf, _unpack(_full_text(el), expected, reader.path(el)), el, open_)

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: Any) -> tuple[str | None, str]:
        leaf = leaves[0]
        document = writer.instance(leaf.term.parent, ctx)  # type: ignore[arg-type]
        content = writer.value(leaf, ctx)
        if content is None:
            return None, ""
        name = (getattr(document, "filename", None) or getattr(document, "reference", None)
                or "piece-jointe")
        return b64encode(_zip(_entry_name(name), content)), ""


class _PieceName(Hook):
    """BT-122 and BT-125-2 are both ``NomPJ``: the pivot names a document by its file name."""

    def read(self, reader: _Reader, el: Element, leaves: list[_Leaf], open_: Any) -> None:
        for leaf in leaves:
            reader.store(leaf, reader.convert(leaf, el), el, open_)

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: Any) -> tuple[str | None, str]:
        document = writer.instance(leaves[0].term.parent, ctx)  # type: ignore[arg-type]
        if document is None:
            return None, ""
        by_term = {leaf.term.id: leaf for leaf in leaves}
        values = {bt: writer.value(leaf, ctx) for bt, leaf in by_term.items()}
        text = values["BT-125-2"] if values["BT-125-2"] is not None else values["BT-122"]
        if text is None:
            return None, ""
        for bt, value in values.items():
            if value != text:  # read back as the file name
                writer.changed.append((bt, writer.path_of(document, by_term[bt].term), value,
                                       text))
        return str(text), ""


def _zip(name: str, data: bytes) -> bytes:
    """:func:`~chorus_core.xml.zip_single`, stored instead of deflated when deflate would
    compress past ``Limits.max_compression_ratio`` (a repetitive file the reader would refuse
    as a bomb)."""
    packed = zip_single(name, data)
    if len(data) <= (1 << 20) or len(data) <= current_limits().max_compression_ratio * len(
            packed):
        return packed
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_STORED
    entry.create_system = 3
    entry.external_attr = 0o100644 << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(entry, data)
    return buffer.getvalue()


def _entry_name(name: str) -> str:
    """The ZIP entry name for ``NomPJ``: the name without surrounding blanks (real files
    write ``"a.pdf "`` for an entry ``a.pdf``), unless unsafe in an archive."""
    name = name.strip()
    parts = name.replace("\\", "/").split("/")
    if not name or name.endswith("/") or parts[0] == "" or ".." in parts or (
            len(name) > 1 and name[1] == ":"):
        return "piece-jointe"
    return name


def _unpack(text: str, expected: str | None, path: str) -> bytes:
    try:
        raw = b64decode(text)
    except AttachmentError as exc:
        raise ReadError(f"the attached document cannot be decoded: {exc}", path=path,
                        bt="BT-125") from None
    wanted = None if expected is None else _entry_name(expected)
    return unzip_single(raw, expected_name=wanted)[1]


class _PartyId(Hook):
    """BT-29 / BT-46 with their scheme: ``TypeIdentifiant`` 1 (SIRET) is scheme ``0009``."""

    def __init__(self, buyer: bool) -> None:
        self.buyer = buyer

    def read(self, reader: _Reader, el: Element, leaves: list[_Leaf], open_: Any) -> None:
        value_leaf, scheme_leaf = _split_id(leaves)
        reader.store(value_leaf, reader.convert(value_leaf, el), el, open_)
        parent = el.getparent()
        kind = parent.find("TypeIdentifiant") if parent is not None else None
        if kind is not None and _full_text(kind).strip() == "1":
            reader.store(scheme_leaf, "0009", el, open_)

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: Any) -> tuple[str | None, str]:
        value_leaf, scheme_leaf = _split_id(leaves)
        text = writer.text_of(value_leaf, ctx)
        if text is None:
            return None, ""
        identifier = writer.instance(value_leaf.term.parent, ctx)  # type: ignore[arg-type]
        scheme = getattr(identifier, "scheme_id", None)
        if scheme == "0009":
            writer.value(scheme_leaf, ctx)
        elif self.buyer:  # the buyer is always TypeIdentifiant 1: read back as 0009
            writer.value(scheme_leaf, ctx)
            writer.changed.append(("BT-46-1", writer.path_of(identifier, scheme_leaf.term),
                                   scheme, "0009"))
        return text, ""


def _split_id(leaves: list[_Leaf]) -> tuple[_Leaf, _Leaf]:
    value = next(leaf for leaf in leaves if leaf.term.self_value)
    scheme = next(leaf for leaf in leaves if not leaf.term.self_value)
    return value, scheme



# what this module writes itself beside the engine's output: the PJ 01 (the invoice itself)
# beside BG-24, the default cadre A1, the identifiers found elsewhere in the invoice
_ORDER = {**ORDER, "pes_pivot": relaxed(ORDER["pes_pivot"], {
    UNIT: ("PJ",), f"{UNIT}/DonneesFacture": ("Cadre",), f"{UNIT}/Fournisseur": ("Identifiant",),
    f"{UNIT}/Debiteur": ("Identifiant",), f"{UNIT}/PJ": ("NomPJ", "MimeTypePJ")})}

SYNTAX = Syntax(
    name="pes_pivot",
    columns={UNIT: "pes_pivot"},
    prefixes={},
    namespaces={},
    abbreviations={},
    date="iso",
    hooks={
        "vat_rate": _VatRate(),
        "pj_zip": _PieceJointe(),
        "pj_name": _PieceName(),
        "seller_id": _PartyId(buyer=False),
        "buyer_id": _PartyId(buyer=True),
    },
    order=_ORDER,
    root_for=lambda invoice: UNIT,
)
"""The pivot syntax: the ``pes_pivot`` column, rooted at ``CPPFacturePivotUnitaire``."""


# ---------------------------------------------------------------- reading


def _text(el: Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path)
    return None if found is None else _full_text(found)


def _date(el: Element, path: str, where: str) -> date | None:
    text = _text(el, path)
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ReadError(f"{text.strip()!r} is not a date (YYYY-MM-DD)",
                        path=f"{where}/{path}") from None


def _units(root: Element) -> list[Element]:
    return list(root.iterfind(f"CPPFactures/{UNIT}"))


def _envelope(root: Element) -> Envelope:
    unit = root.find("Enveloppe/EnveloppeUnitaire")
    params = []
    if unit is not None:
        for p in unit.iterfind("Parametres/ParametreIndiv"):
            params.append(Parameter(code=_text(p, "Code") or "",
                                    value=_text(p, "Valeurparametre") or "",
                                    note=_text(p, "Note")))

    def partner(tag: str) -> Partner:
        el = unit.find(f"Partenaires/{tag}") if unit is not None else None
        return Partner(id=_text(el, "Id") or "", label=_text(el, "Libelle"),
                       note=_text(el, "Note"))

    return Envelope(parameters=tuple(params), receiver=partner("Recepteur"),
                    sender=partner("Emetteur"))


def _extension(unit: Element, where: str) -> PivotExtension:
    bank = unit.find("Fournisseur/ReferenceBancaire")
    attachments = []
    for index, pj in enumerate(unit.iterfind("PJ"), 1):
        kind = (_text(pj, "TypePJ") or "").strip()
        main = None
        if kind in _MAIN_TYPES:
            content = _text(pj, "Contenu")
            name = _text(pj, "NomPJ") or ""
            main = MainDocument(
                name=name, mime_type=_text(pj, "MimeTypePJ"),
                content=None if content is None else _unpack(content, name,
                                                             f"{where}/PJ[{index}]/Contenu"),
                category=_text(pj, "CategoriePJ"))
        attachments.append(PivotAttachment(
            type=kind, number=pj.get("NumOrdre"), unique_id=_text(pj, "IdUnique"),
            original_id=_text(pj, "IdOriginal"),
            original_name=_text(pj, "NomPJOrigine"), main=main))
    cycle = []
    for step in unit.iterfind("CycleDeValidation/ValidationUnitaire"):
        producer = step.find("ProducteurStatut")
        when = _date(step, "DateStatut", where + "/CycleDeValidation")
        cycle.append(Validation(
            date=when or date.min, code=_text(step, "CodeStatut") or "",
            complement=_text(step, "ComplementStatut"), comment=_text(step, "Commentaire"),
            producer=Producer(type=_text(producer, "TypeIdentifiant") or "",
                              id=_text(producer, "Id") or "",
                              name=_text(producer, "RaisonSociale") or "",
                              country=_text(producer, "CodePays") or "",
                              note=_text(producer, "Note"))))
    return PivotExtension(
        number=unit.get("NumOrdre"),
        supplier_identifier_type=_text(unit, "Fournisseur/TypeIdentifiant"),
        issue_mode=_text(unit, "Fournisseur/ModeEmission") or "flux",
        bank_reference_type=None if bank is None else bank.get("Type"),
        bank_name=_text(bank, "Etablissement"),
        collector_name=_text(bank, "RaisonSocialeEncaisseur"),
        service_name=_text(unit, "Debiteur/NomService"),
        chorus_id=_text(unit, "DonneesFacture/IdCPRO"),
        resent=_text(unit, "DonneesFacture/Renvoi"),
        reception_date=_date(unit, "DonneesFacture/DateReception", where),
        moe_date=_date(unit, "DonneesFacture/DateMiseADispositionMOE", where),
        attachments=tuple(attachments),
        validation_cycle=tuple(cycle),
        vat_rate_unit="fraction" if _fraction_unit(unit) else "percent",
    )


_CONSUMED = re.compile(r"/(?:Fournisseur|Debiteur)/TypeIdentifiant$")


def _read_unit(unit: Element, where: str) -> tuple[Reading, PivotExtension]:
    extension = _extension(unit, where)
    work = copy.deepcopy(unit)
    removed: list[Unread] = []
    for index, pj in enumerate(list(work.iterfind("PJ")), 1):
        kind = pj.find("TypePJ")
        value = "" if kind is None else _full_text(kind).strip()
        if value in _MAIN_TYPES:
            removed.append(Unread(f"{where}/PJ[{index}]", None, _text(pj, "NomPJ"),
                                  "the invoice document itself (TypePJ 01): not a BG-24 "
                                  "supporting document (kept in PivotExtension.attachments)"))
            work.remove(pj)
        elif kind is not None and value == "2":
            kind.text = "02"  # V1_x wrote the type as an integer
    token = _EXTENSION.set(extension)
    try:
        reading = SYNTAX.read(work)
    finally:
        _EXTENSION.reset(token)
    unread = list(removed)
    for item in reading.unread:
        path = where + item.path[len("/" + UNIT):]
        if _CONSUMED.search(item.path) and item.value is None:
            kind_text = _text(work, item.path[len("/" + UNIT) + 1:])
            if kind_text is not None and kind_text.strip() == "1":
                continue  # TypeIdentifiant 1 is the scheme 0009 of the identifier
        unread.append(dataclasses.replace(item, path=path))
    return Reading(reading.invoice, tuple(unread)), extension


def _path_of(root: Element, unit: Element, position: int, count: int) -> str:
    suffix = f"[{position}]" if count > 1 else ""
    return f"/{root.tag}/CPPFactures/{UNIT}{suffix}"


def iter_flow(data: bytes | str | Element) -> Iterator[tuple[Reading, PivotExtension]]:
    """Each invoice of a flow, read one by one: its reading and its extension.

    Bytes and text are parsed as a stream (:func:`~chorus_core.xml.iter_elements`): an
    invoice's elements are freed once it is read, so memory does not grow with the number of
    invoices beyond what the caller keeps.  Paths name each invoice by its position.
    """
    if isinstance(data, etree._Element):
        root = _parse(data)
        units = _units(root)
        for position, unit in enumerate(units, 1):
            yield _read_unit(unit, _path_of(root, unit, position, len(units)))
        return
    if not isinstance(data, (bytes, bytearray, memoryview, str)):
        _parse(data)  # the UsageError naming the argument
    raw = bytes(data) if isinstance(data, (bytearray, memoryview)) else data
    for position, unit in enumerate(iter_elements(raw, UNIT, root=FLOW), 1):
        parent = unit.getparent()
        if parent is None or parent.tag != "CPPFactures":
            continue
        yield _read_unit(unit, f"/{FLOW}/CPPFactures/{UNIT}[{position}]")


def read_flow(data: bytes | str | Element) -> PivotFlow:
    """Read a pivot flow: its envelope and every invoice with its extension.

    >>> from chorus_core.examples import sample_invoice
    >>> flow = read_flow(write(sample_invoice()))
    >>> flow.envelope.sender.id, len(flow.invoices), flow.invoices[0].extension.issue_mode
    ('CPP001', 1, 'flux')
    """
    root = _parse(data)
    invoices = tuple(PivotInvoice(invoice=reading.invoice, extension=extension)
                     for reading, extension in iter_flow(root))
    return PivotFlow(version=root.get("Version"), envelope=_envelope(root), invoices=invoices)


def _parse(data: bytes | str | Element) -> Element:
    root = parse_document(data)
    if root.tag != FLOW:
        raise unknown_root(root, "a Chorus Pro CPPFacturePivot flow")
    return root


def split(data: bytes | str | Element) -> tuple[bytes, ...]:
    """Cut a flow into flows of one invoice each (same envelope), e.g. for ``convert``.

    >>> from chorus_core.examples import sample_invoice
    >>> flow = write_flow([sample_invoice(), sample_invoice()])
    >>> [len(read_flow(part).invoices) for part in split(flow)]
    [1, 1]
    """
    root = _parse(data)
    parts = []
    for unit in _units(root):
        shell = etree.Element(str(root.tag))
        for key, value in root.attrib.items():
            shell.set(key, value)
        for child in root:
            if child.tag == "CPPFactures":
                holder = etree.SubElement(shell, "CPPFactures", Compteur="1")
                holder.append(copy.deepcopy(unit))
            elif isinstance(child.tag, str):
                shell.append(copy.deepcopy(child))
        parts.append(etree.tostring(shell, xml_declaration=True, encoding="UTF-8"))
    return tuple(parts)


# ---------------------------------------------------------------- writing

_ENVELOPE_ATTR = ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'

_SEQUENCE = {
    "Fournisseur": ("TypeIdentifiant", "Identifiant", "RaisonSociale", "CodePays",
                    "ReferenceBancaire", "ModeEmission"),
    "ReferenceBancaire": ("Compte", "Etablissement", "RaisonSocialeEncaisseur"),
    "Debiteur": ("TypeIdentifiant", "Identifiant", "Nom", "CodeService", "NomService"),
    "DonneesFacture": ("Id", "IdCPRO", "Renvoi", "IdFactureOrigine", "Type", "Cadre",
                       "DateEmissionFacture", "DateLivraison", "ModePaiement", "DateReception",
                       "DateMiseADispositionMOE", "Devise", "Montants", "TVAs", "Engagement",
                       "Lignes"),
    "PJ": ("IdUnique", "IdOriginal", "Contenu", "NomPJ", "NomPJOrigine", "CategoriePJ",
           "TypePJ", "MimeTypePJ"),
    UNIT: ("Fournisseur", "Debiteur", "DonneesFacture", "PJ", "CycleDeValidation"),
}


def _put(parent: Element, tag: str, text: str | None) -> Element | None:
    """Insert (or replace) the child ``tag`` of ``parent`` at its XSD place."""
    if text is None:
        return None
    found = parent.find(tag)
    if found is None:
        found = insert(parent, tag, _SEQUENCE[str(parent.tag)])
    found.text = text
    return found


def _supplier_type(invoice: Invoice) -> str:
    from ..directory import supplier_identifier_type
    from ..model.routing import Routing

    seller = invoice.seller
    ident = seller.identifiers[0] if seller is not None and seller.identifiers else None
    if ident is not None and ident.scheme_id == "0009":
        return "1"
    country = seller.postal_address.country_code if (
        seller is not None and seller.postal_address is not None) else None
    found = supplier_identifier_type(Routing.model_construct(
        supplier_identifier=None if ident is None else ident.value,
        supplier_identifier_scheme=None if ident is None else ident.scheme_id,
        supplier_country_code=country))
    if found is None or int(found) == 1:
        return "3" if country not in (None, "FR") else "6"
    return str(int(found))


def _written_line(line: Any) -> bool:
    price = line.price_details
    vat = line.vat_information
    item = line.item
    return any(v is not None for v in (
        line.identifier, line.invoiced_quantity, line.net_amount,
        None if price is None else price.net_price, None if vat is None else vat.rate,
        None if item is None else item.seller_identifier))


def _main_of(invoice: Invoice, extension: PivotExtension) -> MainDocument:
    main = extension.main_document
    if main is not None:
        return main
    from . import ubl

    name = re.sub(r"[^A-Za-z0-9._-]", "_", invoice.invoice_number or "facture")[:40]
    return MainDocument(name=f"{name}.xml", mime_type="application/xml",
                        content=ubl.write(invoice, draft=True))


def _pj(main: MainDocument, attachment: PivotAttachment | None, number: int) -> Element:
    pj = etree.Element("PJ", NumOrdre=str(number))
    if attachment is not None:
        _put(pj, "IdUnique", attachment.unique_id)
        _put(pj, "IdOriginal", attachment.original_id)
    if main.content is not None:
        _put(pj, "Contenu", b64encode(_zip(_entry_name(main.name), main.content)))
    _put(pj, "NomPJ", main.name)
    if attachment is not None:
        _put(pj, "NomPJOrigine", attachment.original_name)
    _put(pj, "CategoriePJ", main.category)
    _put(pj, "TypePJ", "01")
    _put(pj, "MimeTypePJ", main.mime_type or _OCTETS)
    return pj


def _overlay(unit: Element, invoice: Invoice, extension: PivotExtension, number: int,
             changed: list[tuple[str, str, Any, Any]],
             missing: list[tuple[str, str, Any]], draft: bool) -> None:
    """Add to the engine's output what the XSD requires beyond EN 16931, from the extension."""
    unit.set("NumOrdre", extension.number or str(number))
    required: list[str] = []

    def declare(bt: str, path: str, before: Any, after: Any) -> None:
        """A value read back differently from the model: a change, no longer a drop."""
        for item in missing:
            if item[:2] == (bt, path):
                before = item[2]
        missing[:] = [m for m in missing if m[:2] != (bt, path)]
        if before != after:
            changed.append((bt, path, before, after))

    supplier = unit.find("Fournisseur")
    if supplier is not None:
        seller = invoice.seller
        ident = seller.identifiers[0] if seller is not None and seller.identifiers else None
        value = None if ident is None else ident.value
        if value is None and seller is not None:
            # the pivot requires an identifier: the legal registration or VAT identifier
            legal = seller.legal_registration_identifier
            value = (legal.value if legal is not None and legal.value else
                     seller.vat_identifier)
            if value is not None:
                _put(supplier, "Identifiant", value)
                declare("BT-29", "seller.identifiers[0].value", None, value)
        if value is None:
            required.append("BT-29")
        kind = extension.supplier_identifier_type or _supplier_type(invoice)
        _put(supplier, "TypeIdentifiant", kind)
        if kind.strip() == "1" and value is not None:
            declare("BT-29-1", "seller.identifiers[0].scheme_id",
                    None if ident is None else ident.scheme_id, "0009")
        bank = supplier.find("ReferenceBancaire")
        if bank is not None:
            if extension.bank_reference_type is not None:
                bank.set("Type", extension.bank_reference_type)
            _put(bank, "Etablissement", extension.bank_name)
            _put(bank, "RaisonSocialeEncaisseur", extension.collector_name)
        _put(supplier, "ModeEmission", extension.issue_mode)
    debtor = unit.find("Debiteur")
    if debtor is not None:
        _put(debtor, "TypeIdentifiant", "1")
        if debtor.find("Identifiant") is None:
            siret, _term = find_buyer_siret(invoice)  # BT-47 or BT-49 (Chorus Pro routing)
            if siret is None:
                required.append("BT-46")
            else:
                _put(debtor, "Identifiant", siret)
                declare("BT-46", "buyer.identifier.value", None, siret)
                declare("BT-46-1", "buyer.identifier.scheme_id", None, "0009")
        _put(debtor, "NomService", extension.service_name)
    data = unit.find("DonneesFacture")
    if data is not None:
        _put(data, "IdCPRO", extension.chorus_id)
        _put(data, "Renvoi", extension.resent)
        cadre = data.find("Cadre")
        if cadre is None:
            _put(data, "Cadre", DEFAULT_CADRE)
            changed.append(("BT-23", "process_control.business_process_type", None,
                            DEFAULT_CADRE))
        elif (cadre.text or "") not in CADRES:  # a Peppol profile URN, not a Chorus cadre
            control = invoice.process_control
            changed.append(("BT-23", "process_control.business_process_type",
                            None if control is None else control.business_process_type,
                            DEFAULT_CADRE))
            cadre.text = DEFAULT_CADRE
        received = extension.reception_date or invoice.invoice_issue_date
        if received is not None:
            _put(data, "DateReception", received.isoformat())
        if extension.moe_date is not None:
            _put(data, "DateMiseADispositionMOE", extension.moe_date.isoformat())
        written = [i for i, line in enumerate(invoice.lines) if _written_line(line)]
        for index, ligne in zip(written, data.iterfind("Lignes/Ligne"), strict=False):
            current = ligne.get("NumOrdre")
            if current is None or not current.isdigit():
                new = str(index + 1)
                ligne.set("NumOrdre", new)
                changed.append(("BT-126", f"lines[{index}].identifier", current, new))
    # the engine writes one PJ per supporting document, an empty one included (the reader keeps
    # an empty group as a group): pair them by position
    documents = range(len(invoice.supporting_documents))
    for index, pj in zip(documents, unit.iterfind("PJ"), strict=False):
        where = f"supporting_documents[{index}]"
        if pj.find("NomPJ") is None:  # required: a name for a document the pivot names so
            _put(pj, "NomPJ", "piece-jointe")
            declare("BT-122", f"{where}.reference", None, "piece-jointe")
            declare("BT-125-2", f"{where}.filename", None, "piece-jointe")
        if pj.find("MimeTypePJ") is None:
            _put(pj, "MimeTypePJ", _OCTETS)
            declare("BT-125-1", f"{where}.mime_code", None, _OCTETS)
    _attachments(unit, invoice, extension)
    if required and not draft:
        raise IncompleteInvoiceError(required, "pes_pivot")
    if extension.validation_cycle:
        _validation_cycle(etree.SubElement(unit, "CycleDeValidation"),
                          extension.validation_cycle)


def _children(parent: Element, items: tuple[tuple[str, str | None], ...]) -> None:
    for tag, value in items:
        if value is not None:
            etree.SubElement(parent, tag).text = value


def _validation_cycle(cycle: Element, steps: Sequence[Validation]) -> None:
    for step in steps:
        one = etree.SubElement(cycle, "ValidationUnitaire")
        _children(one, (("DateStatut", step.date.isoformat()), ("CodeStatut", step.code),
                        ("ComplementStatut", step.complement), ("Commentaire", step.comment)))
        _children(etree.SubElement(one, "ProducteurStatut"), (
            ("TypeIdentifiant", step.producer.type), ("Id", step.producer.id),
            ("RaisonSociale", step.producer.name), ("CodePays", step.producer.country),
            ("Note", step.producer.note)))


def _attachments(unit: Element, invoice: Invoice, extension: PivotExtension) -> None:
    supporting = list(unit.iterfind("PJ"))
    for pj in supporting:
        unit.remove(pj)
    planned = list(extension.attachments)
    if not any(a.type in _MAIN_TYPES for a in planned):
        planned.insert(0, PivotAttachment(type="01"))
    out: list[Element] = []
    queue = iter(supporting)
    for attachment in planned:
        if attachment.type in _MAIN_TYPES:
            out.append(_pj(_main_of(invoice, extension) if attachment.main is None
                           else attachment.main, attachment, len(out) + 1))
            continue
        supported = next(queue, None)
        if supported is None:
            continue
        supported.set("NumOrdre", attachment.number or str(len(out) + 1))
        _put(supported, "IdUnique", attachment.unique_id)
        _put(supported, "IdOriginal", attachment.original_id)
        _put(supported, "NomPJOrigine", attachment.original_name)
        out.append(supported)
    for pj in queue:
        pj.set("NumOrdre", str(len(out) + 1))
        out.append(pj)
    anchor = unit.find("CycleDeValidation")
    for pj in out:
        if anchor is not None:
            anchor.addprevious(pj)
        else:
            unit.append(pj)


_V2_ONLY = {  # element → what it holds, for the refusal of a V1_22 flow
    "DonneesFacture/IdCPRO": "IdCPRO", "DonneesFacture/Renvoi": "Renvoi",
    "DonneesFacture/DateLivraison": "BT-72 (DateLivraison)",
    "DonneesFacture/DateMiseADispositionMOE": "DateMiseADispositionMOE",
    "PJ/NomPJOrigine": "NomPJOrigine", "PJ/CategoriePJ": "BT-123 (CategoriePJ)",
}
VERSIONS = ("V2_02", "V1_22")
"""The pivot versions :func:`write_flow` writes."""


_NOT_IN = {"V2_02": frozenset({"A11"}), "V1_22": frozenset({"A11"})}
"""Cadres a version's XSD does not list (both enumerate A1…A25 without A11)."""


def _check_cadre(unit: Element, number: int, version: str) -> None:
    cadre = unit.findtext("DonneesFacture/Cadre")
    if cadre in _NOT_IN[version]:
        raise ConversionError(f"invoice {number}: the cadre {cadre} does not exist in "
                              f"CPPFacturePivot {version}")


def _v1(unit: Element, number: int) -> None:
    """Refuse what V1_22 cannot carry (the V2_02 elements) rather than drop it."""
    found = sorted({what for path, what in _V2_ONLY.items() if unit.find(path) is not None})
    if found:
        raise ConversionError(
            f"invoice {number}: CPPFacturePivot V1_22 cannot carry {', '.join(found)} "
            "(V2_02 elements); write V2_02")


def _write_unit(invoice: Invoice, extension: PivotExtension, number: int, draft: bool,
                version: str = "V2_02"
                ) -> tuple[str, list[tuple[str, str, Any]], list[tuple[str, str, Any, Any]]]:
    check_invoice(invoice)
    token = _EXTENSION.set(extension)
    try:
        written = SYNTAX.write(invoice, draft=draft)
    finally:
        _EXTENSION.reset(token)
    unit = parse_xml(written.data)
    missing = list(written.missing)
    changed = list(written.changed)
    _overlay(unit, invoice, extension, number, changed, missing, draft)
    _check_cadre(unit, number, version)
    if version == "V1_22":
        _v1(unit, number)
    return etree.tostring(unit, encoding="unicode"), missing, changed


def _envelope_xml(envelope: Envelope) -> str:
    params = "".join(
        f'<ParametreIndiv NumOrdre="{index:04d}"><Code>{escape_text(p.code)}</Code>'
        f"<Valeurparametre>{escape_text(p.value)}</Valeurparametre>"
        + (f"<Note>{escape_text(p.note)}</Note>" if p.note is not None else "")
        + "</ParametreIndiv>"
        for index, p in enumerate(envelope.parameters, 1))

    def partner(tag: str, p: Partner) -> str:
        inner = f"<Id>{escape_text(p.id)}</Id>"
        if p.label is not None:
            inner += f"<Libelle>{escape_text(p.label)}</Libelle>"
        if p.note is not None:
            inner += f"<Note>{escape_text(p.note)}</Note>"
        return f"<{tag}>{inner}</{tag}>"

    return (f'<Enveloppe><EnveloppeUnitaire NumOrdre="1"><Parametres>{params}</Parametres>'
            f"<Partenaires>{partner('Recepteur', envelope.receiver)}"
            f"{partner('Emetteur', envelope.sender)}</Partenaires></EnveloppeUnitaire>"
            "</Enveloppe>")


def _default_envelope(invoices: Sequence[Invoice]) -> Envelope:
    first = invoices[0] if invoices else None
    produced = (first.invoice_issue_date if first is not None and first.invoice_issue_date
                else date(2000, 1, 1))
    flow_id = (first.invoice_number if first is not None and first.invoice_number
               else "CHORUS-CORE")
    return Envelope.of(flow_id, produced)


def _flow_report(items: Sequence[Invoice | PivotInvoice], envelope: Envelope | None,
                 draft: bool, version: str = "V2_02") -> Written:
    pairs = [(item.invoice, item.extension) if isinstance(item, PivotInvoice)
             else (item, PivotExtension()) for item in items]
    if envelope is None:
        envelope = _default_envelope([invoice for invoice, _ in pairs])
    units = []
    missing: list[tuple[str, str, Any]] = []
    changed: list[tuple[str, str, Any, Any]] = []
    for number, (invoice, extension) in enumerate(pairs, 1):
        text, lost, moved = _write_unit(invoice, extension, number, draft, version)
        units.append(text)
        missing.extend(lost)
        changed.extend(moved)
    body = (f"<?xml version='1.0' encoding='UTF-8'?>\n"
            f'<{FLOW}{_ENVELOPE_ATTR} Version="{version}">{_envelope_xml(envelope)}'
            f'<CPPFactures Compteur="{len(units)}">{"".join(units)}</CPPFactures></{FLOW}>')
    return Written(body.encode("utf-8"), tuple(missing), tuple(changed))


def write_flow(invoices: Sequence[Invoice | PivotInvoice], envelope: Envelope | None = None,
               *, version: str = "V2_02", draft: bool = False) -> bytes:
    """Write a flow of ``invoices`` (canonical invoices, or with their extension).

    ``version`` is ``V2_02`` (the default) or ``V1_22``, which has no ``IdCPRO``, ``Renvoi``,
    ``DateLivraison`` (BT-72), ``DateMiseADispositionMOE``, ``NomPJOrigine`` nor
    ``CategoriePJ`` (BT-123): an invoice holding one of them is a
    :class:`~chorus_core.errors.ConversionError`, not a silent drop.  Without ``envelope``,
    one is made from the first invoice (``DtPrd`` its issue date, ``IdFlx`` its number).
    Raises :class:`~chorus_core.errors.IncompleteInvoiceError` for the terms the XSD requires
    and an invoice lacks, unless ``draft``.

    >>> from chorus_core.examples import sample_invoice
    >>> b'Compteur="2"' in write_flow([sample_invoice(), sample_invoice()])
    True
    >>> b'Version="V1_22"' in write_flow([sample_invoice()], version="V1_22")
    True
    """
    if version not in VERSIONS:
        raise UsageError(f"version must be one of {', '.join(VERSIONS)}, not {version!r}",
                         f"version doit être l'une de {', '.join(VERSIONS)}, pas {version!r}",
                         argument="version")
    if isinstance(invoices, (Invoice, PivotInvoice)) or not isinstance(invoices, Sequence):
        raise UsageError(
            "invoices must be a sequence of Invoice or PivotInvoice",
            "invoices doit être une séquence d'Invoice ou de PivotInvoice",
            argument="invoices")
    return _flow_report(invoices, envelope, draft, version).data


# ---------------------------------------------------------------- the descriptor


@dataclasses.dataclass(frozen=True)
class _FlowDescriptor(Descriptor):
    """The pivot's descriptor: a document is a flow, the binding table reads one invoice."""

    @property
    def roots(self) -> tuple[str, ...]:
        """The root element of a flow."""
        return (FLOW,)

    def detect(self, root: Element) -> bool:
        """True for a ``CPPFacturePivot`` root."""
        return root.tag == FLOW

    def parse(self, data: bytes | str | Element) -> Element:
        """Parse ``data`` with the hardened parser and check that it is a pivot flow."""
        return _parse(data)

    def read(self, data: bytes | str | Element) -> Invoice:
        """Read a flow of one invoice into the canonical model (see :func:`read_flow`)."""
        return self.read_report(data).invoice

    def read_report(self, data: bytes | str | Element) -> Reading:
        """Like :meth:`read`, with everything of the flow the model does not hold."""
        root = _parse(data)
        units = _units(root)
        if len(units) != 1:
            raise ReadError(f"a pivot flow of {len(units)} invoices: use pes_pivot.read_flow() "
                            "for a flow, or pes_pivot.split() to convert its invoices one by one",
                            path=f"/{FLOW}/CPPFactures")
        reading, _ = _read_unit(units[0], _path_of(root, units[0], 1, 1))
        envelope = Unread(f"/{FLOW}/Enveloppe", None, None,
                          "the flow envelope (kept in PivotFlow.envelope by read_flow)")
        return Reading(reading.invoice, (envelope, *reading.unread))

    def write(self, invoice: Invoice, *, draft: bool = False) -> bytes:
        """Write a ``V2_02`` flow of one invoice (see :func:`write_flow` for N)."""
        return self.write_report(invoice, draft=draft).data

    def write_report(self, invoice: Invoice, *, draft: bool = False) -> Written:
        """Like :meth:`write`, with what the pivot did not carry as the model held it."""
        if not isinstance(invoice, Invoice):
            raise ConversionError(
                f"write() takes a chorus_core Invoice, not {type(invoice).__name__}")
        return _flow_report([invoice], None, draft)


DESCRIPTOR = _FlowDescriptor(
    name="pes_pivot",
    title="Chorus Pro CPPFacturePivot flow",
    syntax=SYNTAX,
    schemas={FLOW: ("CPPFacturePivot_V2_02.xsd", (
        "CPPFacturePivot_V2_02.xsd", "pes/CPPFacturePivot_V2_02.xsd"))},
)
"""What the registry, the XSD validation and the docs need to know of the pivot."""

detect = DESCRIPTOR.detect
parse = DESCRIPTOR.parse
read = DESCRIPTOR.read
read_report = DESCRIPTOR.read_report
write = DESCRIPTOR.write
write_report = DESCRIPTOR.write_report
