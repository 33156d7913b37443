"""Tests of chorus_core.formats.pes_status: the CPPStatut V1_19 status flow."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from chorus_core.errors import (
    MalformedXMLError,
    PesWriteError,
    ReadError,
    Severity,
    UnknownFormatError,
)
from chorus_core.examples import sample_invoice
from chorus_core.formats import pes_status
from chorus_core.formats.pes_status import (
    Debtor,
    Envelope,
    ErrorLine,
    FlowStatus,
    InvoiceRef,
    InvoiceStatus,
    StatusFlow,
    Supplier,
)
from chorus_core.workflow import (
    STATUSES,
    Action,
    Actor,
    Event,
    History,
    NewRouting,
    Status,
    apply,
    status_by_code,
)

ENVELOPE = Envelope.of("FLX-2026-001", date(2026, 3, 10), sender="HEL001", receiver="CPP001")
REF = InvoiceRef.of_invoice(sample_invoice())


def _known(code: int) -> bool:
    try:
        status_by_code(code)
    except KeyError:
        return False
    return True


#: the statuses the workflow gives a life-cycle code to (what a flow can carry)
CODED = [status_by_code(c) for c in range(1, 42) if _known(c)]
UNCODED = [s for s in Status if STATUSES[s].code is None]


def _schema(corpus: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(corpus / "pes" / "CPPStatutPivot_V1_19.xsd")))


def _assert_valid(schema: etree.XMLSchema, xml: bytes) -> None:
    doc = etree.fromstring(xml)
    assert schema.validate(doc), schema.error_log


def _flow_xml(data_statut: str, *, extra: str = "") -> bytes:
    return f"""<CPPStatut><Enveloppe><EnveloppeUnitaire NumOrdre="1"><Parametres>
<ParametreIndiv NumOrdre="0001"><Code>DtPrd</Code><Valeurparametre>2026-03-10</Valeurparametre>
</ParametreIndiv><ParametreIndiv NumOrdre="0002"><Code>IdFlx</Code>
<Valeurparametre>F1</Valeurparametre></ParametreIndiv></Parametres><Partenaires>
<Recepteur><Id>CPP001</Id></Recepteur><Emetteur><Id>HEL001</Id></Emetteur></Partenaires>
</EnveloppeUnitaire></Enveloppe><CPPFactureStatuts compteur="1">
<CPPFactureStatutUnitaire NumOrdre="1"><Fournisseur><TypeIdentifiant>1</TypeIdentifiant>
<Identifiant>73282932000074</Identifiant><RaisonSociale>Atelier Dupont</RaisonSociale>
</Fournisseur><Debiteur><TypeIdentifiant>1</TypeIdentifiant>
<Identifiant>21690123100011</Identifiant></Debiteur><DonneesStatut>{data_statut}</DonneesStatut>
{extra}</CPPFactureStatutUnitaire></CPPFactureStatuts></CPPStatut>""".encode()


# ---------------------------------------------------------------- the corpus samples


@pytest.mark.parametrize("name, code, invoice_id", [
    ("Example01-FactureStatut-ok.xml", 7, "Example01"),
    ("Example02-FactureStatut-ko.xml", 17, "Example02"),
])
def test_corpus_samples_read_into_histories(
    corpus: Path, name: str, code: int, invoice_id: str
) -> None:
    """Each corpus status sample gives one history whose event carries the flow's data."""
    flow = pes_status.read((corpus / "pes" / name).read_bytes())
    assert flow.findings == ()
    assert flow.envelopes[0].flow_id == "1000000000"
    assert (flow.envelopes[0].sender_id, flow.envelopes[0].receiver_id) == ("CPP001", "XXX001")
    [entry] = flow.statuses
    assert entry.code == code and entry.status is status_by_code(code)
    assert entry.invoice.supplier == Supplier(
        identifier_type=1, identifier="00000000169959", name="26049168FOURNISSEUR",
        country_code="FR")
    assert entry.invoice.debtor == Debtor(siret="00000000169991", name="26049168DESTINATAIRE")
    assert entry.invoice.invoice_date == date(2018, 6, 13)
    assert entry.timestamp == datetime(2018, 12, 18, 16, 51, 55,
                                       tzinfo=timezone(timedelta(hours=1)))
    [(ref, history)] = flow.histories().items()
    assert ref.invoice_id == invoice_id
    [event] = history.events
    assert event == Event(status=status_by_code(code), on=date(2018, 12, 18),
                          actor=STATUSES[status_by_code(code)].producer,
                          motif="Service fait", comment="Service fait")


@pytest.mark.parametrize("name", ["Example01-FactureStatut-ok.xml",
                                  "Example02-FactureStatut-ko.xml"])
def test_corpus_samples_written_back_are_valid_and_equal(corpus: Path, name: str) -> None:
    """A sample, valid before, is valid once written back and reads back to the same flow."""
    schema = _schema(corpus)
    original = (corpus / "pes" / name).read_bytes()
    _assert_valid(schema, original)  # otherwise the round trip is moot
    flow = pes_status.read(original)
    written = pes_status.write(flow)
    _assert_valid(schema, written)
    assert pes_status.read(written) == flow


# ---------------------------------------------------------------- reading


def test_codes_map_through_the_workflow_table() -> None:
    """Every code 01–41 the workflow knows reads as the workflow's own status for it."""
    for code in range(1, 42):
        xml = _flow_xml(f"<IdStatut>{code:02d}</IdStatut><Horodatage>2026-03-10T10:00:00"
                        "</Horodatage><IdFacture>F-1</IdFacture>")
        [entry] = pes_status.read(xml).statuses
        assert entry.code == code
        assert entry.status == (status_by_code(code) if _known(code) else None)


def test_unknown_code_is_kept_and_reported() -> None:
    """A code without a workflow status stays in the flow, is reported, and has no event."""
    unknown = [c for c in range(1, 42) if not _known(c)] + [99]
    for code in unknown:
        xml = _flow_xml(f"<IdStatut>{code}</IdStatut><Horodatage>2026-03-10T10:00:00"
                        "</Horodatage><IdFacture>F-1</IdFacture>")
        flow = pes_status.read(xml)
        assert [f.code for f in flow.findings] == ["CHORUS-STATUS-001"]
        assert flow.findings[0].path.endswith("DonneesStatut/IdStatut")
        assert str(code) in flow.findings[0].message_en
        assert flow.statuses[0].status is None and flow.statuses[0].event() is None
        assert flow.histories() == {}
        assert pes_status.read(pes_status.write(flow)).statuses[0].code == code


def test_unexpected_element_is_reported_with_its_path() -> None:
    """An element the schema does not define is reported, not silently skipped."""
    xml = _flow_xml("<IdStatut>07</IdStatut><Horodatage>2026-03-10T10:00:00</Horodatage>"
                    "<IdFacture>F-1</IdFacture><Surprise>x</Surprise>")
    flow = pes_status.read(xml)
    [finding] = flow.findings
    assert finding.code == "CHORUS-STATUS-002" and finding.severity is Severity.WARNING
    assert finding.path == ("CPPStatut/CPPFactureStatuts/CPPFactureStatutUnitaire[1]"
                            "/DonneesStatut/Surprise")


def test_all_fields_of_a_status_are_read() -> None:
    """Motif, comment, producer, mandate number and the debtor's service are all kept."""
    xml = _flow_xml(
        "<IdStatut>08</IdStatut><ComplementStatut>Mandat émis</ComplementStatut>"
        "<Commentaire></Commentaire><Horodatage>2026-03-10T10:00:00Z</Horodatage>"
        '<Producteur Id="HEL001"/><IdFacture>F-1</IdFacture><IdMandatDP>M-9</IdMandatDP>')
    [entry] = pes_status.read(xml).statuses
    assert (entry.complement, entry.comment, entry.producer_id, entry.mandate_id) == (
        "Mandat émis", "", "HEL001", "M-9")
    assert entry.timestamp == datetime(2026, 3, 10, 10, tzinfo=UTC)
    assert entry.invoice.invoice_date is None
    event = entry.event()
    assert event is not None
    assert (event.motif, event.comment, event.mandate_number) == ("Mandat émis", "", "M-9")


@pytest.mark.parametrize("data, path", [
    ("<IdStatut>07</IdStatut><IdFacture>F-1</IdFacture>", "DonneesStatut/Horodatage"),
    ("<IdStatut>sept</IdStatut><Horodatage>2026-03-10T10:00:00</Horodatage>"
     "<IdFacture>F-1</IdFacture>", "DonneesStatut/IdStatut"),
    ("<IdStatut>07</IdStatut><Horodatage>2026-03-10</Horodatage><IdFacture>F-1</IdFacture>",
     "DonneesStatut/Horodatage"),
    ("<IdStatut>07</IdStatut><Horodatage>2026-03-10T10:00:00</Horodatage>"
     "<IdFacture>F-1</IdFacture><DateFacture>2026-02-30</DateFacture>",
     "DonneesStatut/DateFacture"),
    ("<IdStatut>07</IdStatut><Horodatage>2026-03-10T10:00:00</Horodatage>",
     "DonneesStatut/IdFacture"),
])
def test_missing_or_unreadable_values_are_read_errors(data: str, path: str) -> None:
    """A missing mandatory element or an unreadable value raises ReadError at its path."""
    with pytest.raises(ReadError) as caught:
        pes_status.read(_flow_xml(data))
    assert caught.value.path is not None and caught.value.path.endswith(path)


@pytest.mark.parametrize("data", [
    b"<CPPStatut><Enveloppe></CPPStatut>",
    b"\x89PNG\r\n\x1a\n\x00\x00",
    b"",
    b'<!DOCTYPE CPPStatut [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    b"<CPPStatut>&b;</CPPStatut>",
    b'<!DOCTYPE CPPStatut [<!ENTITY x SYSTEM "file:///etc/passwd">]><CPPStatut>&x;</CPPStatut>',
])
def test_malformed_and_hostile_input_is_a_typed_error(data: bytes) -> None:
    """Broken XML, junk bytes, entity bombs and external entities are MalformedXMLError."""
    with pytest.raises(MalformedXMLError):
        pes_status.read(data)


def test_another_document_is_unknown_format() -> None:
    """A well-formed document with another root is UnknownFormatError."""
    with pytest.raises(UnknownFormatError):
        pes_status.read(b"<CPPFacturePivot/>")


def test_statuses_of_one_invoice_form_one_history_in_time_order() -> None:
    """Statuses of the same invoice, out of order in the flow, give one ordered history."""
    later = InvoiceStatus(invoice=REF, code=11, status=status_by_code(11),
                          timestamp=datetime(2026, 4, 2, 8))
    earlier = InvoiceStatus(invoice=REF, code=9, status=status_by_code(9),
                            timestamp=datetime(2026, 3, 20, 8))
    other_ref = REF.model_copy(update={"invoice_id": "FA-2026-0043"})
    other = InvoiceStatus(invoice=other_ref, code=3, status=status_by_code(3),
                          timestamp=datetime(2026, 3, 1, 8))
    flow = StatusFlow(envelopes=(ENVELOPE,), statuses=(later, other, earlier))
    histories = pes_status.read(pes_status.write(flow)).histories()
    assert [h.events[0].on for h in histories.values()] == [date(2026, 3, 20), date(2026, 3, 1)]
    assert [e.status for e in histories[REF].events] == [status_by_code(9), status_by_code(11)]
    assert [e.status for e in histories[other_ref].events] == [status_by_code(3)]


def test_histories_take_the_context_given() -> None:
    """The histories of a flow carry the cadre context the caller gives."""
    from chorus_core.workflow import Context

    flow = pes_status.read(_flow_xml("<IdStatut>03</IdStatut><Horodatage>2026-03-10T10:00:00"
                                     "</Horodatage><IdFacture>F-1</IdFacture>"))
    [history] = flow.histories(context=Context(cadre="A9")).values()
    assert history.context.cadre == "A9"


# ---------------------------------------------------------------- writing from histories


def test_history_written_is_valid_and_reads_back(corpus: Path) -> None:
    """A realistic Hélios history gives a valid flow that reads back to the same events."""
    h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2))])
    h = apply(h, Action.SUSPEND, Actor.RECIPIENT, date(2026, 3, 5), motif="BL manquant")
    h = apply(h, Action.COMPLETE, Actor.SUPPLIER, date(2026, 3, 9), comment="BL ajouté")
    xml = pes_status.write([(REF, h)], envelope=ENVELOPE)
    _assert_valid(_schema(corpus), xml)
    assert re.findall(rb"<IdStatut>(\d+)</IdStatut>", xml) == [
        f"{STATUSES[e.status].code:02d}".encode() for e in h.events]
    # the flow names neither action nor actor: they read back as the usual producer, no action
    assert pes_status.read(xml).histories()[REF].events == tuple(
        e.model_copy(update={"action": None, "actor": STATUSES[e.status].producer})
        for e in h.events)


def test_status_without_code_is_refused_even_with_losses_allowed() -> None:
    """A status with no life-cycle code cannot be written: PesWriteError, never a skip."""
    assert UNCODED, "the workflow has statuses without a life-cycle code"
    h = History.observed([(UNCODED[0], date(2026, 3, 2))])
    for allow in (False, True):
        with pytest.raises(PesWriteError) as caught:
            pes_status.write([(REF, h)], envelope=ENVELOPE, allow_losses=allow)
        assert [f.code for f in caught.value.findings] == ["CHORUS-STATUS-010"]


def test_data_the_flow_cannot_carry_is_refused_unless_allowed() -> None:
    """New routing and attachments block writing unless allow_losses; the actor only informs."""
    h = History.observed([(Status.A_RECYCLER, date(2026, 3, 2))])
    recycled = h.events[0].model_copy(update={
        "routing": NewRouting(code_service="COMPTA"), "attachments": ("a.pdf",),
        "actor": Actor.CHORUS_PRO})
    h = History(events=(recycled,))
    assert [f.code for f in pes_status.losses([(REF, h)])] == [
        "CHORUS-STATUS-011", "CHORUS-STATUS-012", "CHORUS-STATUS-013"]
    with pytest.raises(PesWriteError) as caught:
        pes_status.write([(REF, h)], envelope=ENVELOPE)
    assert [f.code for f in caught.value.findings] == ["CHORUS-STATUS-011", "CHORUS-STATUS-012"]
    written = pes_status.read(pes_status.write([(REF, h)], envelope=ENVELOPE,
                                               allow_losses=True))
    assert written.statuses[0].status is Status.A_RECYCLER


def test_action_is_dropped_with_an_informative_finding_only() -> None:
    """The action, implied by the status, does not block writing but is reported."""
    h = apply(History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2))]),
              Action.CERTIFY_SERVICE_DONE, Actor.RECIPIENT, date(2026, 3, 4))
    flow = pes_status.flow_from_histories([(REF, h)], envelope=ENVELOPE)
    assert [(f.code, f.severity) for f in flow.findings] == [("CHORUS-STATUS-014",
                                                              Severity.INFO)]
    back = pes_status.read(pes_status.write(flow)).histories()[REF]
    assert back.events[-1] == h.events[-1].model_copy(update={"action": None})


def test_losses_take_a_mapping_as_write_does() -> None:
    """losses() reads a {ref: history} mapping like the writer, not its keys only."""
    h = History(events=(Event(status=Status.SUSPENDUE, on=date(2026, 3, 2),
                              actor=Actor.RECIPIENT, attachments=("a.pdf",)),))
    assert [f.code for f in pes_status.losses({REF: h})] == ["CHORUS-STATUS-012"]


def test_an_eu_supplier_is_referenced_by_its_vat_number() -> None:
    """A supplier of another EU country (Chorus type 2) is identified by its VAT number."""
    from chorus_core.model import Address, Identifier

    invoice = sample_invoice()
    assert invoice.seller is not None
    seller = invoice.seller.model_copy(update={
        "identifiers": (Identifier(value="0776091951"),), "legal_registration_identifier": None,
        "vat_identifier": "BE0776091951", "postal_address": Address(country_code="BE")})
    ref = InvoiceRef.of_invoice(invoice.model_copy(update={"seller": seller}))
    assert (ref.supplier.identifier_type, ref.supplier.identifier) == (2, "BE0776091951")
    assert ref.supplier.country_code == "BE"


def test_writing_histories_needs_an_envelope() -> None:
    """Histories without an envelope are refused with a typed error."""
    h = History.observed([(Status.DEPOSEE, date(2026, 3, 2))])
    with pytest.raises(PesWriteError):
        pes_status.write([(REF, h)])


def test_a_character_xml_cannot_carry_is_a_typed_error() -> None:
    """A control character in a motif is refused with PesWriteError, not an lxml error."""
    h = History(events=(Event(status=Status.SUSPENDUE, on=date(2026, 3, 2),
                              actor=Actor.RECIPIENT, motif="bell\x07"),))
    with pytest.raises(PesWriteError):
        pes_status.write([(REF, h)], envelope=ENVELOPE)


def test_invoice_ref_needs_the_identifiers_the_flow_requires() -> None:
    """An invoice without a number or a buyer SIRET cannot be referenced in a flow."""
    invoice = sample_invoice().model_copy(update={"invoice_number": None, "buyer": None})
    with pytest.raises(PesWriteError, match=r"BT-1\b.*BT-46"):
        InvoiceRef.of_invoice(invoice)


def test_a_flow_holds_one_branch() -> None:
    """A flow cannot hold invoice statuses and flow statuses at once (one would be lost)."""
    entry = InvoiceStatus(invoice=REF, code=3, status=status_by_code(3),
                          timestamp=datetime(2026, 3, 1))
    fs = FlowStatus(code=90, timestamp=datetime(2026, 3, 1), flow_id="F1")
    with pytest.raises(ValueError, match="not both"):
        StatusFlow(envelopes=(ENVELOPE,), statuses=(entry,), flow_statuses=(fs,))


def test_flow_statuses_round_trip_and_validate(corpus: Path) -> None:
    """The flow-level branch (codes 90–96, error details) is written validly and read back."""
    fs = FlowStatus(code=93, timestamp=datetime(2026, 3, 1, 12, 5, tzinfo=UTC),
                    flow_id="F1", complement="Erreur réception", producer_id="HEL00001",
                    has_producer=True,
                    errors=(ErrorLine(line_id="1", nature="XSD", code="E01",
                                      label="Schéma", description="IdFacture absent"),))
    flow = StatusFlow(version="V1_19", envelopes=(ENVELOPE,), flow_statuses=(fs,))
    xml = pes_status.write(flow)
    _assert_valid(_schema(corpus), xml)
    back = pes_status.read(xml)
    assert back == flow and back.histories() == {}


def test_rules_are_well_formed() -> None:
    """Each status-pivot finding code is unique, namespaced and has two distinct messages."""
    assert all(re.fullmatch(r"CHORUS-STATUS-\d{3}", c) for c in pes_status.RULES)
    assert all(r.message_fr != r.message_en for r in pes_status.RULES.values())


# ---------------------------------------------------------------- properties

_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn"),
                              include_characters="\t\n\r"), max_size=30)
_NAME = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=20)


@st.composite
def _history(draw: st.DrawFn) -> History:
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
    gaps = draw(st.lists(st.integers(0, 40), min_size=1, max_size=6))
    events = []
    on = start
    for gap in gaps:
        on += timedelta(days=gap)
        status = draw(st.sampled_from(CODED))
        events.append(Event(
            status=status, on=on, actor=STATUSES[status].producer,
            motif=draw(st.none() | _TEXT), comment=draw(st.none() | _TEXT),
            mandate_number=draw(st.none() | _TEXT),
        ))
    return History(events=tuple(events))


_REFS = st.builds(
    InvoiceRef,
    supplier=st.builds(Supplier, identifier_type=st.integers(1, 7), identifier=_NAME,
                       name=_NAME, country_code=st.none() | st.sampled_from(["FR", "BE"])),
    debtor=st.builds(Debtor, siret=st.from_regex(r"\A\d{14}\Z"), name=st.none() | _NAME,
                     code_service=st.none() | _NAME, service_name=st.none() | _NAME),
    invoice_id=_NAME, invoice_date=st.none() | st.dates(),
)


def _distinct(pairs: list[tuple[InvoiceRef, History]]) -> list[tuple[InvoiceRef, History]]:
    seen: dict[tuple[str, str], tuple[InvoiceRef, History]] = {}
    for ref, h in pairs:
        seen.setdefault(ref.key, (ref, h))
    return list(seen.values())


@given(st.lists(st.tuples(_REFS, _history()), min_size=1, max_size=4).map(_distinct))
def test_histories_round_trip(pairs: list[tuple[InvoiceRef, History]]) -> None:
    """Histories written then read give the same invoices and the same events."""
    back = pes_status.read(pes_status.write(pairs, envelope=ENVELOPE)).histories()
    assert list(back) == [ref for ref, _ in pairs]
    assert [h.events for h in back.values()] == [h.events for _, h in pairs]


@given(st.lists(st.tuples(_REFS, _history()), min_size=1, max_size=3).map(_distinct))
def test_written_flows_validate(corpus: Path, pairs: list[tuple[InvoiceRef, History]]) -> None:
    """Whatever the histories, the written flow is valid against CPPStatutPivot_V1_19.xsd."""
    _assert_valid(_schema(corpus), pes_status.write(pairs, envelope=ENVELOPE))


@given(st.lists(st.builds(
    InvoiceStatus, invoice=_REFS, code=st.sampled_from([s for s in range(1, 42)]),
    status=st.none(),
    timestamp=st.datetimes(timezones=st.sampled_from(
        [None, UTC, timezone(timedelta(hours=-5, minutes=-30))])),
    complement=st.none() | _TEXT, comment=st.none() | _TEXT,
    producer_id=st.none() | _NAME, mandate_id=st.none() | _TEXT,
), min_size=1, max_size=4))
def test_status_flows_round_trip(entries: list[InvoiceStatus]) -> None:
    """A status flow model written then read is the same model, time zones included."""
    fixed = [e.model_copy(update={"status": status_by_code(e.code) if _known(e.code) else None})
             for e in entries]
    flow = StatusFlow(version=None, envelopes=(ENVELOPE,), statuses=tuple(fixed))
    back = pes_status.read(pes_status.write(flow))
    assert back.model_copy(update={"findings": ()}) == flow
    assert len(back.findings) == sum(1 for e in fixed if e.status is None)


def test_midnight_is_the_written_time_of_an_event() -> None:
    """An event is written at midnight of its date, with no time zone."""
    h = History.observed([(Status.MISE_EN_PAIEMENT, date(2026, 11, 20))])
    [entry] = pes_status.flow_from_histories([(REF, h)], envelope=ENVELOPE).statuses
    assert entry.timestamp == datetime.combine(date(2026, 11, 20), time())
