"""Chorus Pro status pivot (``CPPStatut``, V1_19): invoice status flows ↔ workflow histories.

The status pivot is how statuses travel between Chorus Pro and a public entity's systems: Hélios
(or the entity's finance software) reports *Mise à disposition du comptable*, *Mise en paiement*
… for each invoice, identified by its supplier, its recipient and the supplier invoice number.
It is plain XML without a namespace, like the invoice pivot.  :func:`read` gives a
:class:`StatusFlow` whose :meth:`~StatusFlow.histories` are :class:`~chorus_core.workflow.History`
values (codes 01–41 mapped through the workflow's own code table,
:func:`~chorus_core.workflow.status_by_code`); :func:`write` produces a flow from a
:class:`StatusFlow` or from histories, and refuses (:class:`~chorus_core.errors.PesWriteError`)
rather than drop what the flow cannot carry.

Mapping of one ``CPPFactureStatutUnitaire/DonneesStatut`` to an
:class:`~chorus_core.workflow.Event`:

==================  ============================  ==========================================
Pivot               Event                         Note
==================  ============================  ==========================================
``IdStatut``        ``status``                    via ``status_by_code``; unknown codes are
                                                  kept in the flow with finding
                                                  ``CHORUS-STATUS-001``, not in histories
``Horodatage``      ``on``                        the date as written (its own UTC offset)
``ComplementStatut`` ``motif``                    reason of a rejection, suspension, …
``Commentaire``     ``comment``
``IdMandatDP``      ``mandate_number``            the mandate (or DP) number of the recipient
(producer)          ``actor``                     the status's usual producer
==================  ============================  ==========================================

The flow-level branch (``CPPFluxStatuts``, codes 90–96 about a whole flow) is read into
:attr:`StatusFlow.flow_statuses` and written back; it gives no invoice history.  An element
the schema does not define is reported (``CHORUS-STATUS-002``), never ignored silently; an
empty element reads as the empty string.

More information:

* ``../shared/research/pes-pivot.md`` §6 (``CPPStatut`` tree), ``CPPStatutPivot_V1_19.xsd``
* ``../shared/research/chorus-rules.md`` §1 (the numbered statuses)

>>> flow = read(b'''<CPPStatut><Enveloppe><EnveloppeUnitaire NumOrdre="1"><Parametres>
... <ParametreIndiv NumOrdre="0001"><Code>DtPrd</Code><Valeurparametre>2026-03-10</Valeurparametre>
... </ParametreIndiv><ParametreIndiv NumOrdre="0002"><Code>IdFlx</Code>
... <Valeurparametre>F1</Valeurparametre></ParametreIndiv></Parametres><Partenaires>
... <Recepteur><Id>CPP001</Id></Recepteur><Emetteur><Id>HEL001</Id></Emetteur></Partenaires>
... </EnveloppeUnitaire></Enveloppe><CPPFactureStatuts compteur="1">
... <CPPFactureStatutUnitaire NumOrdre="1"><Fournisseur><TypeIdentifiant>1</TypeIdentifiant>
... <Identifiant>73282932000074</Identifiant><RaisonSociale>Atelier Dupont</RaisonSociale>
... </Fournisseur><Debiteur><TypeIdentifiant>1</TypeIdentifiant>
... <Identifiant>21690123100011</Identifiant></Debiteur><DonneesStatut><IdStatut>09</IdStatut>
... <Horodatage>2026-03-10T09:30:00+01:00</Horodatage><IdFacture>FA-2026-0042</IdFacture>
... <IdMandatDP>M-812</IdMandatDP></DonneesStatut></CPPFactureStatutUnitaire>
... </CPPFactureStatuts></CPPStatut>''')
>>> [(ref.invoice_id, h.status.value, h.events[0].mandate_number)
...  for ref, h in flow.histories().items()]
[('FA-2026-0042', 'MISE_A_DISPOSITION_COMPTABLE', 'M-812')]
>>> read(b"<CPPFacturePivot/>")
Traceback (most recent call last):
...
chorus_core.errors.UnknownFormatError: not a CPPStatut status flow: root element is CPPFacturePivot
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, time
from typing import Any, Final, TypeVar

from lxml import etree
from pydantic import BaseModel, ConfigDict, model_validator

from ..directory import IdentifierType, supplier_identifier_type
from ..errors import (
    Finding,
    FindingRule,
    PesWriteError,
    Policy,
    ReadError,
    Severity,
    UnknownFormatError,
)
from ..model import Invoice
from ..model.routing import routing_of
from ..workflow import (
    STATUSES,
    Context,
    Event,
    History,
    Status,
    StatusCodeError,
    status_by_code,
)
from ..xml import parse_xml, serialize

__all__ = [
    "RULES",
    "VERSION",
    "Debtor",
    "Envelope",
    "ErrorLine",
    "FlowStatus",
    "InvoiceRef",
    "InvoiceStatus",
    "StatusFlow",
    "StatusRule",
    "Supplier",
    "detect",
    "flow_from_histories",
    "losses",
    "read",
    "write",
]

VERSION: Final = "V1_19"
"""The ``Version`` attribute written on flows built from histories (schema V1_19)."""

ROOT: Final = "CPPStatut"
LAYER: Final = "pes_status"

Element = etree._Element
T = TypeVar("T")


# ---------------------------------------------------------------- findings


StatusRule = FindingRule
"""One status-pivot finding (a :class:`~chorus_core.errors.FindingRule`)."""


_RULES = (
    StatusRule("CHORUS-STATUS-001", Severity.WARNING, (), Policy.NONE,
               "{reason_fr} : statut gardé dans le flux, absent de l'historique de la facture "
               "{invoice}",
               "{reason_en}: status kept in the flow, left out of the history of invoice "
               "{invoice}"),
    StatusRule("CHORUS-STATUS-002", Severity.WARNING, (), Policy.NONE,
               "Élément {element} non prévu par le schéma, ignoré",
               "Element {element} is not defined by the schema and was ignored"),
    StatusRule("CHORUS-STATUS-010", Severity.ERROR, (), Policy.NONE,
               "Le statut {status} de la facture {invoice} n'a pas de code du cycle de vie : "
               "il ne peut pas figurer dans un flux statut",
               "Status {status} of invoice {invoice} has no life-cycle code: a status flow "
               "cannot carry it"),
    StatusRule("CHORUS-STATUS-011", Severity.ERROR, (), Policy.NONE,
               "Les nouvelles données d'acheminement du statut {status} (facture {invoice}) "
               "ne tiennent pas dans le flux statut",
               "The new routing data of status {status} (invoice {invoice}) cannot be carried "
               "by a status flow"),
    StatusRule("CHORUS-STATUS-012", Severity.ERROR, (), Policy.NONE,
               "Les pièces jointes du statut {status} (facture {invoice}) ne tiennent pas dans "
               "le flux statut",
               "The attachments of status {status} (invoice {invoice}) cannot be carried by a "
               "status flow"),
    StatusRule("CHORUS-STATUS-013", Severity.INFO, (), Policy.NONE,
               "Le statut {status} (facture {invoice}) a été posé par {actor} ; le flux ne "
               "nomme pas d'acteur et se relit avec le producteur habituel {producer}",
               "Status {status} (invoice {invoice}) was set by {actor}; the flow names no "
               "actor and reads back with the usual producer {producer}"),
    StatusRule("CHORUS-STATUS-014", Severity.INFO, (), Policy.NONE,
               "L'action {action} du statut {status} (facture {invoice}) n'est pas écrite : le "
               "statut la donne",
               "Action {action} of status {status} (invoice {invoice}) is not written: the "
               "status implies it"),
)

RULES: Final[dict[str, StatusRule]] = {r.code: r for r in _RULES}
"""Every status-pivot finding, by code."""


def _finding(code: str, path: str | None = None, /, **context: Any) -> Finding:
    return RULES[code].finding(layer=LAYER, path=path, **context)


# ---------------------------------------------------------------- model


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Envelope(_Frozen):
    """One ``EnveloppeUnitaire``: the flow parameters and the two partners.

    ``parameters`` are ``(Code, Valeurparametre, Note)`` triples in order; the schema wants at
    least ``DtPrd`` (production date) and ``IdFlx`` (flow id), which :meth:`of` writes.

    >>> Envelope.of("FLX-1", date(2026, 3, 10), sender="HEL001", receiver="CPP001").flow_id
    'FLX-1'
    """

    parameters: tuple[tuple[str, str, str | None], ...]
    receiver_id: str
    receiver_label: str | None = None
    receiver_note: str | None = None
    sender_id: str
    sender_label: str | None = None
    sender_note: str | None = None

    @classmethod
    def of(cls, flow_id: str, produced_on: date, *, sender: str, receiver: str) -> Envelope:
        """An envelope with the two mandatory parameters ``DtPrd`` and ``IdFlx``."""
        return cls(
            parameters=(("DtPrd", produced_on.isoformat(), None), ("IdFlx", flow_id, None)),
            receiver_id=receiver, sender_id=sender,
        )

    def parameter(self, code: str) -> str | None:
        """The value of parameter ``code``, None when absent."""
        return next((value for c, value, _ in self.parameters if c == code), None)

    @property
    def flow_id(self) -> str | None:
        """The flow identifier (parameter ``IdFlx``)."""
        return self.parameter("IdFlx")


class Supplier(_Frozen):
    """The ``Fournisseur`` of a status: Chorus ``TypeIdentifiant`` 1–7, identifier, name."""

    identifier_type: int
    identifier: str
    name: str
    country_code: str | None = None


class Debtor(_Frozen):
    """The ``Debiteur`` of a status: the recipient structure (SIRET) and its service."""

    siret: str
    identifier_type: int = 1
    name: str | None = None
    code_service: str | None = None
    service_name: str | None = None


class InvoiceRef(_Frozen):
    """Which invoice a status is about: supplier, recipient, supplier invoice number and date.

    Two statuses belong to the same invoice when their supplier identifier and ``invoice_id``
    (``IdFacture``, the number the supplier gave) are equal.

    >>> from chorus_core.examples import sample_invoice
    >>> ref = InvoiceRef.of_invoice(sample_invoice())
    >>> ref.invoice_id, ref.supplier.identifier_type, ref.debtor.siret, ref.debtor.code_service
    ('FA-2026-0042', 1, '21690123100011', 'SERV-TECHNIQUES')
    """

    supplier: Supplier
    debtor: Debtor
    invoice_id: str
    invoice_date: date | None = None

    @property
    def key(self) -> tuple[str, str]:
        """``(supplier identifier, invoice id)``: what identifies the invoice."""
        return (self.supplier.identifier, self.invoice_id)

    @classmethod
    def of_invoice(cls, invoice: Invoice) -> InvoiceRef:
        """The reference of a canonical invoice (BT-1, BT-2, seller, buyer SIRET, BT-10).

        The supplier identifier type is the one the routing checks use
        (:func:`chorus_core.directory.supplier_identifier_type`); a missing value raises
        :class:`~chorus_core.errors.PesWriteError`, since the flow requires it.
        """
        routing = routing_of(invoice)
        seller = invoice.seller
        kind = supplier_identifier_type(routing)
        supplier_id = routing.supplier_identifier or routing.supplier_vat_identifier
        if kind is IdentifierType.UE_HORS_FRANCE and routing.supplier_vat_identifier:
            supplier_id = routing.supplier_vat_identifier  # type 2 is the intra-EU VAT number
        missing = [name for name, value in (
            ("invoice number (BT-1)", invoice.invoice_number),
            ("supplier identifier (BT-29/BT-30/BT-31)", supplier_id),
            ("supplier identifier type", kind),
            ("supplier name (BT-27)", seller.name if seller else None),
            ("buyer SIRET (BT-46)", routing.buyer_siret),
        ) if not value]
        if missing:
            raise PesWriteError(f"the invoice lacks what a status flow needs: {', '.join(missing)}")
        assert seller is not None and seller.name and kind is not None
        assert supplier_id and routing.buyer_siret and invoice.invoice_number
        return cls(
            supplier=Supplier(identifier_type=int(kind), identifier=supplier_id,
                              name=seller.name, country_code=routing.supplier_country_code),
            debtor=Debtor(siret=routing.buyer_siret,
                          name=invoice.buyer.name if invoice.buyer else None,
                          code_service=routing.code_service),
            invoice_id=invoice.invoice_number, invoice_date=invoice.invoice_issue_date,
        )


class InvoiceStatus(_Frozen):
    """One ``CPPFactureStatutUnitaire``: a status of one invoice.

    ``code`` is ``IdStatut`` as read; ``status`` is the workflow status for it, None when the
    workflow has no status for that code.  ``producer_id`` is the ``Id`` of ``Producteur``
    (the empty string for the element without it, None without the element).
    """

    invoice: InvoiceRef
    code: int
    status: Status | None
    timestamp: datetime
    complement: str | None = None
    comment: str | None = None
    producer_id: str | None = None
    mandate_id: str | None = None

    def event(self) -> Event | None:
        """The workflow event of this status, None when the code is unknown to the workflow."""
        if self.status is None:
            return None
        observed = History.observed([(self.status, self.timestamp.date())]).events[0]
        return observed.model_copy(update={
            "motif": self.complement, "comment": self.comment,
            "mandate_number": self.mandate_id,
        })


class ErrorLine(_Frozen):
    """One ``LigneErreurDetail`` of a flow status."""

    line_id: str | None = None
    nature: str
    code: str
    label: str
    description: str | None = None


class FlowStatus(_Frozen):
    """One ``CPPFluxStatutUnitaire``: a status (90–96) of a whole flow, not of an invoice.

    ``producer_id`` is ``IdProducteur``; ``has_producer`` tells whether the (always empty)
    ``Producteur`` element is present; ``errors`` are the ``Details`` lines, None without them.
    """

    code: int
    timestamp: datetime
    flow_id: str
    complement: str | None = None
    comment: str | None = None
    note: str | None = None
    producer_id: str | None = None
    has_producer: bool = False
    errors: tuple[ErrorLine, ...] | None = None


class StatusFlow(_Frozen):
    """A status flow: envelopes, then invoice statuses *or* flow statuses, and the findings.

    ``findings`` hold what reading reported (unknown codes, unexpected elements) or, for a flow
    built by :func:`flow_from_histories`, what the flow does not carry.
    """

    version: str | None = None
    envelopes: tuple[Envelope, ...]
    statuses: tuple[InvoiceStatus, ...] = ()
    flow_statuses: tuple[FlowStatus, ...] = ()
    findings: tuple[Finding, ...] = ()

    @model_validator(mode="after")
    def _one_branch(self) -> StatusFlow:
        if not self.envelopes:
            raise ValueError("a status flow has at least one envelope")
        if self.statuses and self.flow_statuses:
            raise ValueError("a status flow holds invoice statuses or flow statuses, not both")
        return self

    def histories(self, *, context: Context | None = None) -> dict[InvoiceRef, History]:
        """One :class:`~chorus_core.workflow.History` per invoice, events in time order.

        The key is the first :class:`InvoiceRef` seen for the invoice; statuses whose code the
        workflow does not know are left out (finding ``CHORUS-STATUS-001`` says so).
        """
        groups: dict[tuple[str, str], tuple[InvoiceRef, list[tuple[int, InvoiceStatus]]]] = {}
        for position, entry in enumerate(self.statuses):
            if entry.status is None:
                continue
            ref, entries = groups.setdefault(entry.invoice.key, (entry.invoice, []))
            entries.append((position, entry))
        out: dict[InvoiceRef, History] = {}
        for ref, entries in groups.values():
            entries.sort(key=lambda item: (_sort_key(item[1].timestamp), item[0]))
            events = tuple(e for _, s in entries if (e := s.event()) is not None)
            out[ref] = History(context=context or Context(), events=events)
        return out


def _sort_key(moment: datetime) -> tuple[date, datetime]:
    # the date as written first (what the event keeps), then the instant when comparable
    offset = moment.utcoffset()
    naive = moment.replace(tzinfo=None) - offset if offset is not None else moment
    return (moment.date(), naive)


# ---------------------------------------------------------------- reading


def detect(root: Element) -> bool:
    """True when ``root`` is a ``CPPStatut`` element.

    >>> detect(etree.Element("CPPStatut")), detect(etree.Element("CPPFacturePivot"))
    (True, False)
    """
    return root.tag == ROOT


def read(data: bytes | str | Element) -> StatusFlow:
    """Read a ``CPPStatut`` flow (bytes, str or a parsed root) into a :class:`StatusFlow`.

    Raises :class:`~chorus_core.errors.MalformedXMLError` for malformed or hostile XML,
    :class:`~chorus_core.errors.UnknownFormatError` for another root and
    :class:`~chorus_core.errors.ReadError` (with the path) for a missing mandatory element or
    a value that is not a number, a date or a date-time.
    """
    root = data if isinstance(data, etree._Element) else parse_xml(data)
    if not detect(root):
        name = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        raise UnknownFormatError(f"not a CPPStatut status flow: root element is {name}")
    return _Reader().flow(root)


class _Node:
    """The children of one element by name, with unexpected ones reported once."""

    def __init__(self, reader: _Reader, el: Element, path: str, expected: Iterable[str]):
        self.reader, self.el, self.path = reader, el, path
        self.children: dict[str, list[Element]] = {}
        allowed = set(expected)
        for child in el:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions
            name = child.tag
            if name not in allowed:
                reader.findings.append(
                    _finding("CHORUS-STATUS-002", f"{path}/{name}", element=f"{path}/{name}"))
                continue
            self.children.setdefault(name, []).append(child)

    def all(self, name: str) -> list[Element]:
        return self.children.get(name, [])

    def one(self, name: str) -> Element:
        found = self.all(name)
        if not found:
            raise ReadError(f"missing mandatory element {name}", path=f"{self.path}/{name}")
        return found[0]

    def text(self, name: str) -> str:
        return self.one(name).text or ""

    def opt(self, name: str) -> str | None:
        found = self.all(name)
        return (found[0].text or "") if found else None

    def parse(self, name: str, convert: Callable[[str], T], what: str) -> T:
        raw = self.text(name).strip()
        try:
            return convert(raw)
        except (ValueError, OverflowError):
            raise ReadError(f"{raw!r} is not {what}", path=f"{self.path}/{name}") from None

    def opt_parse(self, name: str, convert: Callable[[str], T], what: str) -> T | None:
        return self.parse(name, convert, what) if self.all(name) else None


def _datetime(raw: str) -> datetime:
    if "T" not in raw:
        raise ValueError(raw)
    return datetime.fromisoformat(raw)


class _Reader:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def node(self, el: Element, path: str, *expected: str) -> _Node:
        return _Node(self, el, path, expected)

    def flow(self, root: Element) -> StatusFlow:
        top = self.node(root, ROOT, "Enveloppe", "CPPFluxStatuts", "CPPFactureStatuts")
        env = self.node(top.one("Enveloppe"), f"{ROOT}/Enveloppe", "EnveloppeUnitaire")
        units = env.all("EnveloppeUnitaire")
        if not units:
            raise ReadError("missing mandatory element EnveloppeUnitaire",
                            path=f"{ROOT}/Enveloppe/EnveloppeUnitaire")
        envelopes = tuple(
            self.envelope(u, f"{ROOT}/Enveloppe/EnveloppeUnitaire[{i}]")
            for i, u in enumerate(units, 1)
        )
        statuses: list[InvoiceStatus] = []
        flow_statuses: list[FlowStatus] = []
        for block in top.all("CPPFactureStatuts"):
            path = f"{ROOT}/CPPFactureStatuts"
            node = self.node(block, path, "CPPFactureStatutUnitaire")
            for i, unit in enumerate(node.all("CPPFactureStatutUnitaire"), 1):
                statuses.append(self.invoice_status(unit, f"{path}/CPPFactureStatutUnitaire[{i}]"))
        for block in top.all("CPPFluxStatuts"):
            path = f"{ROOT}/CPPFluxStatuts"
            node = self.node(block, path, "CPPFluxStatutUnitaire")
            for i, unit in enumerate(node.all("CPPFluxStatutUnitaire"), 1):
                flow_statuses.append(self.flow_status(unit, f"{path}/CPPFluxStatutUnitaire[{i}]"))
        return StatusFlow(
            version=root.get("Version"), envelopes=envelopes, statuses=tuple(statuses),
            flow_statuses=tuple(flow_statuses), findings=tuple(self.findings),
        )

    def envelope(self, el: Element, path: str) -> Envelope:
        unit = self.node(el, path, "Parametres", "Partenaires")
        params = self.node(unit.one("Parametres"), f"{path}/Parametres", "ParametreIndiv")
        parameters = []
        for i, p in enumerate(params.all("ParametreIndiv"), 1):
            node = self.node(p, f"{path}/Parametres/ParametreIndiv[{i}]",
                             "Code", "Valeurparametre", "Note")
            parameters.append((node.text("Code"), node.text("Valeurparametre"), node.opt("Note")))
        partners = self.node(unit.one("Partenaires"), f"{path}/Partenaires",
                             "Recepteur", "Emetteur")
        receiver = self.node(partners.one("Recepteur"), f"{path}/Partenaires/Recepteur",
                             "Id", "Libelle", "Note")
        sender = self.node(partners.one("Emetteur"), f"{path}/Partenaires/Emetteur",
                           "Id", "Libelle", "Note")
        return Envelope(
            parameters=tuple(parameters),
            receiver_id=receiver.text("Id"), receiver_label=receiver.opt("Libelle"),
            receiver_note=receiver.opt("Note"),
            sender_id=sender.text("Id"), sender_label=sender.opt("Libelle"),
            sender_note=sender.opt("Note"),
        )

    def invoice_status(self, el: Element, path: str) -> InvoiceStatus:
        unit = self.node(el, path, "Fournisseur", "Debiteur", "DonneesStatut")
        sup = self.node(unit.one("Fournisseur"), f"{path}/Fournisseur",
                        "TypeIdentifiant", "Identifiant", "RaisonSociale", "CodePays")
        deb = self.node(unit.one("Debiteur"), f"{path}/Debiteur", "TypeIdentifiant",
                        "Identifiant", "Nom", "CodeService", "NomService")
        data = self.node(unit.one("DonneesStatut"), f"{path}/DonneesStatut", "IdStatut",
                         "ComplementStatut", "Commentaire", "Horodatage", "Producteur",
                         "IdFacture", "DateFacture", "IdMandatDP")
        ref = InvoiceRef(
            supplier=Supplier(
                identifier_type=sup.parse("TypeIdentifiant", int, "an identifier type"),
                identifier=sup.text("Identifiant"), name=sup.text("RaisonSociale"),
                country_code=sup.opt("CodePays"),
            ),
            debtor=Debtor(
                identifier_type=deb.parse("TypeIdentifiant", int, "an identifier type"),
                siret=deb.text("Identifiant"), name=deb.opt("Nom"),
                code_service=deb.opt("CodeService"), service_name=deb.opt("NomService"),
            ),
            invoice_id=data.text("IdFacture"),
            invoice_date=data.opt_parse("DateFacture", date.fromisoformat, "a date"),
        )
        code = data.parse("IdStatut", int, "a status code")
        try:
            status: Status | None = status_by_code(code)
        except StatusCodeError as unknown:  # the workflow says whether the pivot has the code
            status = None
            self.findings.append(_finding(
                "CHORUS-STATUS-001", f"{path}/DonneesStatut/IdStatut", invoice=ref.invoice_id,
                reason_fr=unknown.message_fr, reason_en=unknown.message_en))
        producers = data.all("Producteur")
        return InvoiceStatus(
            invoice=ref, code=code, status=status,
            timestamp=data.parse("Horodatage", _datetime, "a date-time"),
            complement=data.opt("ComplementStatut"), comment=data.opt("Commentaire"),
            producer_id=producers[0].get("Id", "") if producers else None,
            mandate_id=data.opt("IdMandatDP"),
        )

    def flow_status(self, el: Element, path: str) -> FlowStatus:
        unit = self.node(el, path, "DonneesStatut")
        data = self.node(unit.one("DonneesStatut"), f"{path}/DonneesStatut", "IdStatut",
                         "ComplementStatut", "Commentaire", "Note", "Horodatage",
                         "IdProducteur", "Producteur", "IdFlux", "Details")
        errors: tuple[ErrorLine, ...] | None = None
        details = data.all("Details")
        if details:
            dpath = f"{path}/DonneesStatut/Details"
            node = self.node(details[0], dpath, "LigneErreurDetail")
            lines = []
            for i, line in enumerate(node.all("LigneErreurDetail"), 1):
                ln = self.node(line, f"{dpath}/LigneErreurDetail[{i}]", "NatureErreur",
                               "CodeErreur", "LibelleErreur", "DescriptionErreur")
                lines.append(ErrorLine(
                    line_id=line.get("IdLigne"), nature=ln.text("NatureErreur"),
                    code=ln.text("CodeErreur"), label=ln.text("LibelleErreur"),
                    description=ln.opt("DescriptionErreur"),
                ))
            errors = tuple(lines)
        return FlowStatus(
            code=data.parse("IdStatut", int, "a status code"),
            timestamp=data.parse("Horodatage", _datetime, "a date-time"),
            flow_id=data.text("IdFlux"), complement=data.opt("ComplementStatut"),
            comment=data.opt("Commentaire"), note=data.opt("Note"),
            producer_id=data.opt("IdProducteur"), has_producer=bool(data.all("Producteur")),
            errors=errors,
        )


# ---------------------------------------------------------------- from histories


def _event_losses(ref: InvoiceRef, event: Event, path: str) -> Iterator[Finding]:
    info = STATUSES[event.status]
    names = {"status": event.status.value, "invoice": ref.invoice_id}
    if info.code is None:
        yield _finding("CHORUS-STATUS-010", path, **names)
    if event.routing is not None:
        yield _finding("CHORUS-STATUS-011", path, **names)
    if event.attachments:
        yield _finding("CHORUS-STATUS-012", path, **names)
    if event.actor != info.producer:
        yield _finding("CHORUS-STATUS-013", path, actor=event.actor.value,
                       producer=info.producer.value, **names)
    if event.action is not None:
        yield _finding("CHORUS-STATUS-014", path, action=event.action.value, **names)


def losses(
    histories: Iterable[tuple[InvoiceRef, History]] | Mapping[InvoiceRef, History],
) -> tuple[Finding, ...]:
    """What a status flow would not carry of ``histories``: one finding per event and datum.

    ``CHORUS-STATUS-010`` (no life-cycle code), ``-011`` (new routing) and ``-012``
    (attachments) are errors; ``-013`` (an actor other than the status's usual producer) and
    ``-014`` (the action, implied by the status) are informative: the flow names neither, and
    reading gives the usual producer and no action.

    >>> from datetime import date
    >>> from chorus_core.examples import sample_invoice
    >>> from chorus_core.workflow import Action, Actor, apply
    >>> h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2))])
    >>> h = apply(h, Action.SUSPEND, Actor.RECIPIENT, date(2026, 3, 5), motif="BL manquant",
    ...           attachments=["bl.pdf"])
    >>> [f.code for f in losses([(InvoiceRef.of_invoice(sample_invoice()), h)])]
    ['CHORUS-STATUS-012', 'CHORUS-STATUS-014']
    """
    items = histories.items() if isinstance(histories, Mapping) else histories
    found: list[Finding] = []
    for i, (ref, history) in enumerate(items):
        for j, event in enumerate(history.events):
            found.extend(_event_losses(ref, event, f"histories[{i}].events[{j}]"))
    return tuple(found)


def flow_from_histories(
    histories: Iterable[tuple[InvoiceRef, History]] | Mapping[InvoiceRef, History],
    *,
    envelope: Envelope,
    version: str | None = VERSION,
) -> StatusFlow:
    """Build the status flow of ``histories`` (one status per event), losses in ``findings``.

    Each event becomes a status dated at midnight of its date (``Horodatage``), with its motif
    as ``ComplementStatut``, its comment as ``Commentaire`` and its mandate number as
    ``IdMandatDP``.  Raises :class:`~chorus_core.errors.PesWriteError` when an event's status
    has no life-cycle code: there is nothing to write for it.
    """
    items = list(histories.items() if isinstance(histories, Mapping) else histories)
    found = losses(items)
    fatal = [f for f in found if f.code == "CHORUS-STATUS-010"]
    if fatal:
        raise PesWriteError("statuses without a life-cycle code cannot be written", fatal)
    statuses = []
    for ref, history in items:
        for event in history.events:
            code = STATUSES[event.status].code
            assert code is not None  # checked above
            statuses.append(InvoiceStatus(
                invoice=ref, code=code, status=event.status,
                timestamp=datetime.combine(event.on, time()), complement=event.motif,
                comment=event.comment, mandate_id=event.mandate_number,
            ))
    return StatusFlow(version=version, envelopes=(envelope,), statuses=tuple(statuses),
                      findings=found)


# ---------------------------------------------------------------- writing


def write(
    source: StatusFlow | Iterable[tuple[InvoiceRef, History]] | Mapping[InvoiceRef, History],
    *,
    envelope: Envelope | None = None,
    allow_losses: bool = False,
) -> bytes:
    """Write a ``CPPStatut`` flow (UTF-8) from a :class:`StatusFlow` or from histories.

    Histories need an ``envelope`` and go through :func:`flow_from_histories`.  When the flow's
    findings hold an error (data the flow does not carry, see :func:`losses`), this raises
    :class:`~chorus_core.errors.PesWriteError` listing them, unless ``allow_losses`` is true.

    >>> from datetime import date
    >>> from chorus_core.examples import sample_invoice
    >>> ref = InvoiceRef.of_invoice(sample_invoice())
    >>> h = History.observed([(Status.MISE_EN_PAIEMENT, date(2026, 11, 20))])
    >>> env = Envelope.of("FLX-1", date(2026, 11, 20), sender="HEL001", receiver="CPP001")
    >>> xml = write([(ref, h)], envelope=env)
    >>> b"<IdStatut>11</IdStatut>" in xml, read(xml).histories()[ref] == h
    (True, True)
    """
    if isinstance(source, StatusFlow):
        flow = source
    else:
        if envelope is None:
            raise PesWriteError("writing histories needs an envelope (Envelope.of(...))")
        flow = flow_from_histories(source, envelope=envelope)
    blocking = [f for f in flow.findings if f.is_blocking]
    if blocking and not allow_losses:
        raise PesWriteError("the status flow would not carry everything", blocking)
    try:
        return serialize(_build(flow))
    except ValueError as exc:  # lxml refuses characters XML cannot carry
        raise PesWriteError(f"a value cannot be written in XML: {exc}") from None


def _sub(parent: Element, name: str, text: str | None = None) -> Element:
    el = etree.SubElement(parent, name)
    if text is not None:
        el.text = text
    return el


def _opt(parent: Element, name: str, text: str | None) -> None:
    if text is not None:
        _sub(parent, name, text)


def _build(flow: StatusFlow) -> Element:
    root = etree.Element(ROOT)
    if flow.version is not None:
        root.set("Version", flow.version)
    env = _sub(root, "Enveloppe")
    for i, e in enumerate(flow.envelopes, 1):
        unit = _sub(env, "EnveloppeUnitaire")
        unit.set("NumOrdre", str(i))
        params = _sub(unit, "Parametres")
        for j, (code, value, note) in enumerate(e.parameters, 1):
            p = _sub(params, "ParametreIndiv")
            p.set("NumOrdre", f"{j:04d}")
            _sub(p, "Code", code)
            _sub(p, "Valeurparametre", value)
            _opt(p, "Note", note)
        partners = _sub(unit, "Partenaires")
        for tag, ident, label, note in (
            ("Recepteur", e.receiver_id, e.receiver_label, e.receiver_note),
            ("Emetteur", e.sender_id, e.sender_label, e.sender_note),
        ):
            partner = _sub(partners, tag)
            _sub(partner, "Id", ident)
            _opt(partner, "Libelle", label)
            _opt(partner, "Note", note)
    if flow.flow_statuses:
        block = _sub(root, "CPPFluxStatuts")
        block.set("compteur", str(len(flow.flow_statuses)))
        for i, fs in enumerate(flow.flow_statuses, 1):
            _flow_status(block, i, fs)
    else:
        block = _sub(root, "CPPFactureStatuts")
        block.set("compteur", str(len(flow.statuses)))
        for i, st in enumerate(flow.statuses, 1):
            _invoice_status(block, i, st)
    return root


def _invoice_status(block: Element, number: int, st: InvoiceStatus) -> None:
    unit = _sub(block, "CPPFactureStatutUnitaire")
    unit.set("NumOrdre", str(number))
    sup = _sub(unit, "Fournisseur")
    s = st.invoice.supplier
    _sub(sup, "TypeIdentifiant", str(s.identifier_type))
    _sub(sup, "Identifiant", s.identifier)
    _sub(sup, "RaisonSociale", s.name)
    _opt(sup, "CodePays", s.country_code)
    deb = _sub(unit, "Debiteur")
    d = st.invoice.debtor
    _sub(deb, "TypeIdentifiant", str(d.identifier_type))
    _sub(deb, "Identifiant", d.siret)
    _opt(deb, "Nom", d.name)
    _opt(deb, "CodeService", d.code_service)
    _opt(deb, "NomService", d.service_name)
    data = _sub(unit, "DonneesStatut")
    _sub(data, "IdStatut", f"{st.code:02d}")
    _opt(data, "ComplementStatut", st.complement)
    _opt(data, "Commentaire", st.comment)
    _sub(data, "Horodatage", st.timestamp.isoformat())
    if st.producer_id is not None:
        _sub(data, "Producteur").set("Id", st.producer_id)
    _sub(data, "IdFacture", st.invoice.invoice_id)
    if st.invoice.invoice_date is not None:
        _sub(data, "DateFacture", st.invoice.invoice_date.isoformat())
    _opt(data, "IdMandatDP", st.mandate_id)


def _flow_status(block: Element, number: int, fs: FlowStatus) -> None:
    unit = _sub(block, "CPPFluxStatutUnitaire")
    unit.set("NumOrdre", str(number))
    data = _sub(unit, "DonneesStatut")
    _sub(data, "IdStatut", str(fs.code))
    _opt(data, "ComplementStatut", fs.complement)
    _opt(data, "Commentaire", fs.comment)
    _opt(data, "Note", fs.note)
    _sub(data, "Horodatage", fs.timestamp.isoformat())
    _opt(data, "IdProducteur", fs.producer_id)
    if fs.has_producer:
        _sub(data, "Producteur")
    _sub(data, "IdFlux", fs.flow_id)
    if fs.errors is not None:
        details = _sub(data, "Details")
        details.set("NbLignesErreur", str(len(fs.errors)))
        for line in fs.errors:
            el = _sub(details, "LigneErreurDetail")
            if line.line_id is not None:
                el.set("IdLigne", line.line_id)
            _sub(el, "NatureErreur", line.nature)
            _sub(el, "CodeErreur", line.code)
            _sub(el, "LibelleErreur", line.label)
            _opt(el, "DescriptionErreur", line.description)
