"""Routing checks: a satisfying routing passes; each single mutation gives exactly its code."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.fr import siret as fr_siret

from chorus_core.directory import (
    ROUTING_RULES,
    Directory,
    IdentifierType,
    Service,
    Structure,
    check_routing,
    supplier_identifier_type,
)
from chorus_core.directory.strategies import (
    MUTATIONS,
    Mutation,
    RoutingCase,
    directories,
    flip_digit,
    mutations,
    private_sirets,
    public_sirets,
    routable,
    routing_cases,
    satisfying_invoices,
    satisfying_routings,
)
from chorus_core.errors import Finding, Policy, Severity, UsageError
from chorus_core.model import Address, Buyer, Identifier, Invoice, Seller
from chorus_core.model.routing import STATE_SIRET, Routing

DOCS = Path(__file__).resolve().parents[2] / "docs" / "directory.md"


def replace_structure(case: RoutingCase, **changes: object) -> Directory:
    d = case.directory
    structures = [s._replace(**changes) if s.identifier == case.structure.identifier else s
                  for s in d.structures.values()]
    return Directory.of(structures, d.iter_services())


def replace_service(case: RoutingCase, **changes: object) -> Directory:
    assert case.service is not None
    d = case.directory
    target = (case.service.structure_identifier, case.service.code)
    services = [sv._replace(**changes) if (sv.structure_identifier, sv.code) == target else sv
                for sv in d.iter_services()]
    return Directory.of(d.structures.values(), services)


def codes(routing: Routing, directory: Directory, on: date | None = None) -> tuple[str, ...]:
    return check_routing(routing, directory, on=on).codes


# ---------------------------------------------------------------- the rule table


def test_codes_are_unique_well_formed_and_documented() -> None:
    """Every code is CHORUS-ROUTING-0nn, has FR and EN messages and appears in the docs page."""
    docs = DOCS.read_text(encoding="utf-8")
    for code, rule in ROUTING_RULES.items():
        assert re.fullmatch(r"CHORUS-ROUTING-0\d\d", code)
        assert rule.code == code and rule.message_fr and rule.message_en and rule.bt
        assert code in docs, f"{code} missing from docs/directory.md"


def test_no_routing_check_claims_recycling() -> None:
    """The seed: recycling is for a wrong SIRET, code service or engagement, which the recipient
    finds; no deposit-time check leads to it, and the buyer-name check has no source."""
    assert not [c for c, r in ROUTING_RULES.items() if r.policy is Policy.RECYCLE]


def test_buyer_name_check_is_marked_as_the_librarys_choice() -> None:
    """Research §9: a buyer name mismatch leading to recycling has no source, so 080 is only
    informative and says it is the library's choice."""
    rule = ROUTING_RULES["CHORUS-ROUTING-080"]
    assert (rule.policy, rule.severity) == (Policy.NONE, Severity.WARNING)
    assert "library's choice" in rule.source


# ---------------------------------------------------------------- satisfying routings


@given(routing_cases(dates=True))
def test_satisfying_routing_passes(case: RoutingCase) -> None:
    """A routing generated to satisfy a generated directory gives no finding at all."""
    assert check_routing(case.routing, case.directory, on=case.on).findings == ()


@settings(max_examples=15)
@given(st.data())
def test_satisfying_invoice_passes(data: st.DataObject) -> None:
    """A full invoice generated to satisfy a generated directory gives no finding at all."""
    case = data.draw(routing_cases())
    invoice = data.draw(satisfying_invoices(case.directory, case.on))
    assert check_routing(invoice, case.directory).findings == ()


@settings(max_examples=15)
@given(st.data())
def test_routable_structures_accept_a_satisfying_routing(data: st.DataObject) -> None:
    """Every routable structure of a random directory (random flags, dates) accepts a routing."""
    directory = data.draw(directories(min_structures=1, dates=True))
    on = data.draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    for structure in routable(directory, on):
        r = data.draw(satisfying_routings(directory, on, structure))
        assert check_routing(r, directory, on=on).findings == ()


@settings(max_examples=200)
@given(mutations())
def test_every_single_mutation_gives_exactly_its_code(m: Mutation) -> None:
    """Each single mutation of a passing routing gives exactly its one code, refused at deposit."""
    report = check_routing(m.routing, m.directory, on=m.on)
    assert report.codes == (m.expected,), m.name
    assert not report.ok and report.findings[0].policy is Policy.REFUSED_AT_DEPOSIT


def test_mutation_table_covers_the_directory_codes() -> None:
    """The mutation table reaches every code except the fixed-example ones (State, supplier
    types, buyer name) and the deposit limits (tests/directory/test_deposit_checks.py)."""
    reached = {expected for _, _, expected in MUTATIONS.values()}
    fixed = {"CHORUS-ROUTING-040", "CHORUS-ROUTING-041", "CHORUS-ROUTING-062",
             "CHORUS-ROUTING-063", "CHORUS-ROUTING-064", "CHORUS-ROUTING-080",
             *(f"CHORUS-ROUTING-07{n}" for n in range(8))}
    assert reached == set(ROUTING_RULES) - fixed


# ---------------------------------------------------------------- buyer SIRET


@given(routing_cases())
def test_missing_siret(case: RoutingCase) -> None:
    """No buyer SIRET gives CHORUS-ROUTING-001 only."""
    r = case.routing.model_copy(update={"buyer_siret": None})
    assert codes(r, case.directory) == ("CHORUS-ROUTING-001",)


@given(routing_cases(), st.sampled_from([lambda s: s[:13], lambda s: s + "0",
                                         lambda s: s[:5] + "A" + s[6:]]))
def test_malformed_siret(case: RoutingCase, mangle: object) -> None:
    """A buyer SIRET that is not 14 digits gives CHORUS-ROUTING-002 only."""
    r = case.routing.model_copy(update={"buyer_siret": mangle(case.structure.identifier)})  # type: ignore[operator]
    assert codes(r, case.directory) == ("CHORUS-ROUTING-002",)


@given(routing_cases(), st.integers(0, 13))
def test_flipped_siret_digit(case: RoutingCase, position: int) -> None:
    """Flipping one digit of the buyer SIRET gives CHORUS-ROUTING-003 only."""
    flipped = flip_digit(case.structure.identifier, position)
    # Luhn catches every single-digit change, except into a La Poste SIRET
    assume(not fr_siret.is_valid(flipped))
    r = case.routing.model_copy(update={"buyer_siret": flipped})
    assert codes(r, case.directory) == ("CHORUS-ROUTING-003",)


@given(routing_cases())
def test_spaced_siret_is_compacted(case: RoutingCase) -> None:
    """A buyer SIRET written with spaces is looked up without them."""
    siret = case.structure.identifier
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    assert codes(case.routing.model_copy(update={"buyer_siret": spaced}), case.directory) == ()


def test_la_poste_siret_is_valid_format() -> None:
    """A La Poste SIRET (sum of digits % 5) is accepted as a SIRET: unknown, not malformed."""
    r = Routing.model_validate({"buyer_siret": "35600000049837", "supplier_identifier":
                                "35600000000048", "supplier_identifier_scheme": "0009"},
                               context={"lenient": True})
    assert codes(r, Directory.of([])) == ("CHORUS-ROUTING-010",)


@given(routing_cases(), public_sirets())
def test_unknown_structure(case: RoutingCase, other: str) -> None:
    """A valid SIRET that is not in the directory gives CHORUS-ROUTING-010 only."""
    assume(other not in case.directory)
    r = case.routing.model_copy(update={"buyer_siret": other})
    assert codes(r, case.directory) == ("CHORUS-ROUTING-010",)


@given(routing_cases())
def test_inactive_structure(case: RoutingCase) -> None:
    """Deactivating the structure gives CHORUS-ROUTING-011 only."""
    assert codes(case.routing, replace_structure(case, active=False)) == ("CHORUS-ROUTING-011",)


NOT_SIRET = [t for t in IdentifierType if t is not IdentifierType.SIRET]


@given(routing_cases(), st.sampled_from(NOT_SIRET))
def test_structure_not_receiving(case: RoutingCase, kind: IdentifierType) -> None:
    """A structure identified otherwise than by SIRET does not receive: CHORUS-ROUTING-012 only."""
    d = replace_structure(case, identifier_type=kind)
    assert codes(case.routing, d) == ("CHORUS-ROUTING-012",)


# ---------------------------------------------------------------- code service


@given(routing_cases(structure={"service_required": True,
                                "service_or_engagement_required": False}))
def test_drop_mandatory_code_service(case: RoutingCase) -> None:
    """Dropping the code service where the structure requires one gives CHORUS-ROUTING-020."""
    r = case.routing.model_copy(update={"code_service": None})
    if case.service is not None and case.service.engagement_required and not r.engagement:
        pytest.fail("generated routing lacks a mandatory engagement")
    assert codes(r, case.directory) == ("CHORUS-ROUTING-020",)


@given(routing_cases(service={}), st.text("XYZ", min_size=21, max_size=25))
def test_unknown_code_service(case: RoutingCase, code: str) -> None:
    """A code service the structure does not have gives CHORUS-ROUTING-021 only."""
    r = case.routing.model_copy(update={"code_service": code})
    r = r.model_copy(update={"engagement": r.engagement or "EJ-1"})
    assert codes(r, case.directory) == ("CHORUS-ROUTING-021",)


@given(routing_cases(service={}))
def test_inactive_service(case: RoutingCase) -> None:
    """Deactivating the named service gives CHORUS-ROUTING-022 only."""
    assert codes(case.routing, replace_service(case, active=False)) == ("CHORUS-ROUTING-022",)


@given(routing_cases(service={}), st.booleans())
def test_service_out_of_dates(case: RoutingCase, ended: bool) -> None:
    """A service not yet open, or already closed, on the date gives CHORUS-ROUTING-023 only."""
    window = ({"valid_to": case.on - timedelta(days=1)} if ended
              else {"valid_from": case.on + timedelta(days=1)})
    d = replace_service(case, **window)
    assert codes(case.routing, d, case.on) == ("CHORUS-ROUTING-023",)
    assert codes(case.routing, d) == ()  # no date, no date check


@given(routing_cases(service={}))
def test_code_service_too_long(case: RoutingCase) -> None:
    """A code service over 100 characters gives CHORUS-ROUTING-024 only."""
    r = case.routing.model_copy(update={"code_service": "S" * 101, "engagement": "EJ-1"})
    assert codes(r, case.directory) == ("CHORUS-ROUTING-024",)


# ---------------------------------------------------------------- engagement


@given(routing_cases(structure={"engagement_required": True,
                                "service_or_engagement_required": False}))
def test_drop_mandatory_engagement_structure(case: RoutingCase) -> None:
    """Dropping the engagement where the structure requires one gives CHORUS-ROUTING-030."""
    r = case.routing.model_copy(update={"engagement": None})
    assert codes(r, case.directory) == ("CHORUS-ROUTING-030",)


@given(routing_cases(structure={"engagement_required": False},
                     service={"engagement_required": True}))
def test_drop_mandatory_engagement_service(case: RoutingCase) -> None:
    """Dropping the engagement where the service requires one gives CHORUS-ROUTING-031."""
    r = case.routing.model_copy(update={"engagement": None})
    assert codes(r, case.directory) == ("CHORUS-ROUTING-031",)


@given(routing_cases(structure={"service_or_engagement_required": True,
                                "service_required": False, "engagement_required": False}))
def test_drop_both_where_one_is_mandatory(case: RoutingCase) -> None:
    """Dropping both code service and engagement under "code service ou engagement" gives 032."""
    r = case.routing.model_copy(update={"engagement": None, "code_service": None})
    assert codes(r, case.directory) == ("CHORUS-ROUTING-032",)
    assert codes(r.model_copy(update={"engagement": "EJ"}), case.directory) == ()


@given(routing_cases())
def test_engagement_too_long(case: RoutingCase) -> None:
    """An engagement over 50 characters gives CHORUS-ROUTING-033 only."""
    r = case.routing.model_copy(update={"engagement": "E" * 51})
    assert codes(r, case.directory) == ("CHORUS-ROUTING-033",)
    assert codes(r.model_copy(update={"engagement": "E" * 50}), case.directory) == ()


# ---------------------------------------------------------------- the State


def state_directory() -> Directory:
    state = Structure(STATE_SIRET, "ETAT", service_required=True,
                      engagement_required=True)
    return Directory.of([state], [Service(STATE_SIRET, "SG-1", "Achats", "ETAT")])


STATE_OK = Routing(buyer_siret=STATE_SIRET, code_service="SG-1", engagement="1300012345",
                   supplier_identifier="35600000000048", supplier_identifier_scheme="0009")


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        ({}, ()),
        ({"code_service": None}, ("CHORUS-ROUTING-040",)),
        ({"engagement": None}, ("CHORUS-ROUTING-041",)),
        ({"engagement": " ", "code_service": None}, ("CHORUS-ROUTING-040", "CHORUS-ROUTING-041")),
    ],
)
def test_state_rules(update: dict[str, object], expected: tuple[str, ...]) -> None:
    """The State SIRET needs both a code service and an engagement; its own codes say which."""
    assert codes(STATE_OK.model_copy(update=update), state_directory()) == expected


@pytest.mark.parametrize("cadre", ["A8", "A17", "A25"])
def test_state_rules_do_not_apply_to_works(cadre: str) -> None:
    """The seed: the single State SIRET rules apply « pour les factures hors marchés de
    travaux », so a works cadre without code service or engagement gets neither 040 nor 041."""
    d = Directory.of([Structure(STATE_SIRET, "ETAT")])
    r = STATE_OK.model_copy(update={"code_service": None, "engagement": None, "cadre": cadre})
    assert codes(r, d) == ()


def test_state_rules_apply_to_invoices_outside_works() -> None:
    """An A1 invoice to the State without engagement still gets 041, whatever the flags."""
    d = Directory.of([Structure(STATE_SIRET, "ETAT")])
    r = STATE_OK.model_copy(update={"code_service": None, "engagement": None, "cadre": "A1"})
    assert codes(r, d) == ("CHORUS-ROUTING-040", "CHORUS-ROUTING-041")


def test_state_rules_apply_without_directory_entry() -> None:
    """The State rules hold even when the directory lacks the State."""
    r = STATE_OK.model_copy(update={"engagement": None})
    assert codes(r, Directory.of([])) == ("CHORUS-ROUTING-010", "CHORUS-ROUTING-041")


# ---------------------------------------------------------------- FACTURES_PUBLIQUES


@given(routing_cases(service={"code": "FACTURES_PUBLIQUES", "engagement_required": False}))
def test_public_invoices_service_private_supplier(case: RoutingCase) -> None:
    """The reserved FACTURES_PUBLIQUES service used by a private supplier gives 050 only."""
    assert codes(case.routing, case.directory) == ("CHORUS-ROUTING-050",)


@given(routing_cases(service={"code": "FACTURES_PUBLIQUES", "engagement_required": False}))
def test_public_invoices_service_public_supplier(case: RoutingCase) -> None:
    """A supplier that is itself a structure of the directory may use FACTURES_PUBLIQUES."""
    r = case.routing.model_copy(update={"supplier_identifier": case.structure.identifier})
    assert codes(r, case.directory) == ()
    assert check_routing(case.routing, case.directory, supplier_is_public=True).ok


# ---------------------------------------------------------------- supplier identifiers


@given(routing_cases())
def test_supplier_identifier_missing(case: RoutingCase) -> None:
    """No supplier identifier nor VAT number gives CHORUS-ROUTING-060 only."""
    r = case.routing.model_copy(update={"supplier_identifier": None})
    assert codes(r, case.directory) == ("CHORUS-ROUTING-060",)


@given(routing_cases(), st.integers(0, 13))
def test_supplier_siret_flipped(case: RoutingCase, position: int) -> None:
    """Flipping one digit of the supplier SIRET gives CHORUS-ROUTING-061 only."""
    flipped = flip_digit(case.routing.supplier_identifier or "", position)
    assume(not fr_siret.is_valid(flipped))
    r = case.routing.model_copy(update={"supplier_identifier": flipped})
    assert codes(r, case.directory) == ("CHORUS-ROUTING-061",)


@pytest.mark.parametrize(
    ("supplier", "expected"),
    [
        ({"supplier_identifier_scheme": None, "supplier_country_code": "BE",
          "supplier_vat_identifier": "BE0776091951"}, ()),
        ({"supplier_identifier_scheme": None, "supplier_country_code": "BE",
          "supplier_vat_identifier": "BE0776091952"}, ("CHORUS-ROUTING-062",)),
        ({"supplier_identifier_scheme": "2", "supplier_identifier": "DE136695976"}, ()),
        ({"supplier_identifier_scheme": None, "supplier_country_code": "NC",
          "supplier_identifier": "1234567.001"}, ()),
        ({"supplier_identifier_scheme": None, "supplier_country_code": "NC",
          "supplier_identifier": "12345"}, ("CHORUS-ROUTING-063",)),
        ({"supplier_identifier_scheme": "5", "supplier_identifier": "A12345"}, ()),
        ({"supplier_identifier_scheme": "5", "supplier_identifier": "A1234"},
         ("CHORUS-ROUTING-064",)),
        ({"supplier_identifier_scheme": None, "supplier_country_code": "US",
          "supplier_identifier": "12-3456789"}, ()),
    ],
)
def test_supplier_identifier_by_type(
    supplier: dict[str, object], expected: tuple[str, ...]
) -> None:
    """Supplier identifiers are checked by their type: EU VAT, RIDET, TAHITI, outside the EU."""
    assert codes(STATE_OK.model_copy(update=supplier), state_directory()) == expected


def test_supplier_siren_alone_is_not_a_siret() -> None:
    """A French seller identified only by its SIREN (BT-30) lacks the SIRET Chorus Pro needs."""
    d = Directory.of([Structure("21310555400017", "MAIRIE")])
    invoice = Invoice(
        buyer=Buyer(identifier=Identifier(value="21310555400017", scheme_id="0009")),
        seller=Seller(legal_registration_identifier=Identifier(value="356000000",
                                                               scheme_id="0002"),
                      postal_address=Address(country_code="FR")),
    )
    assert check_routing(invoice, d).codes == ("CHORUS-ROUTING-061",)


def test_supplier_type_from_scheme_and_country() -> None:
    """The identifier type comes from the scheme when it says, else from the country."""
    r = STATE_OK.model_copy(update={"supplier_identifier_scheme": None,
                                    "supplier_country_code": "PF"})
    assert supplier_identifier_type(r) is IdentifierType.TAHITI
    assert supplier_identifier_type(STATE_OK) is IdentifierType.SIRET


# ---------------------------------------------------------------- invoices and findings


@settings(max_examples=10)
@given(st.data())
def test_buyer_name_mismatch_is_reported(data: st.DataObject) -> None:
    """An invoice whose buyer name differs from the raison sociale gets 080, informative only."""
    case = data.draw(routing_cases())
    invoice = data.draw(satisfying_invoices(case.directory, case.on))
    assert invoice.buyer is not None
    renamed = invoice.model_copy(update={
        "buyer": invoice.buyer.model_copy(update={"name": "ZZ" + (invoice.buyer.name or "")})})
    report = check_routing(renamed, case.directory)
    assert report.codes == ("CHORUS-ROUTING-080",)
    assert report.ok  # a warning: the invoice is deposited
    assert report.findings[0].policy is Policy.NONE


def test_buyer_name_compared_without_case_accents_or_punctuation() -> None:
    """Buyer name and raison sociale match regardless of case, accents and punctuation."""
    d = Directory.of([Structure("21310555400017", "MAIRIE DE TOULOUSE")])
    invoice = Invoice(
        invoice_issue_date=date(2025, 1, 1),
        buyer=Buyer(name="Mairie de  Toulouse.",
                    identifier=Identifier(value="21310555400017", scheme_id="0009")),
        seller=None,
    )
    assert check_routing(invoice, d).codes == ("CHORUS-ROUTING-060",)


def test_finding_fields() -> None:
    """A finding carries code, severity, terms, path, both messages, policy and layer."""
    r = STATE_OK.model_copy(update={"code_service": "X" * 101})
    (finding,) = check_routing(r, state_directory()).findings
    assert finding == Finding(
        code="CHORUS-ROUTING-024", severity=Severity.ERROR, bt=("BT-10",),
        path="routing.code_service",
        message_fr="Code service trop long (101 caractères, 100 au plus)",
        message_en="Code service too long (101 characters, at most 100)",
        policy=Policy.REFUSED_AT_DEPOSIT, layer="routing",
    )


@given(private_sirets())
def test_private_sirets_are_valid_and_not_public(siret: str) -> None:
    """Generated private SIRETs are valid and never start like public ones."""
    assert fr_siret.is_valid(siret) and siret[0] in "456789"


# ---------------------------------------------------------------- « engagement ou service »

_MAIRIE = "21310555400017"


def _both_flags(service_required: bool, engagement_required: bool) -> Directory:
    return Directory.of(
        [Structure(_MAIRIE, "MAIRIE", service_required=service_required,
                   engagement_required=engagement_required,
                   service_or_engagement_required=True)],
        [Service(_MAIRIE, "COMPTA", structure_name="MAIRIE")])


@pytest.mark.parametrize(("service_required", "engagement_required"),
                         [(True, False), (False, True), (True, True)])
def test_engagement_or_service_flag_overrides_the_single_flags(
    service_required: bool, engagement_required: bool
) -> None:
    """OCA's precedence: « engagement ou code service » overrides « code service obligatoire »
    and « engagement obligatoire », so either one alone routes the invoice."""
    d = _both_flags(service_required, engagement_required)
    base = Routing(buyer_siret=_MAIRIE, supplier_identifier="35600000000048",
                   supplier_identifier_scheme="0009")
    assert codes(base.model_copy(update={"engagement": "EJ-1"}), d) == ()
    assert codes(base.model_copy(update={"code_service": "COMPTA"}), d) == ()
    assert codes(base, d) == ("CHORUS-ROUTING-032",)


# ---------------------------------------------------------------- misuse


def test_check_routing_of_bytes_is_a_typed_error() -> None:
    """check_routing on the bytes of a document raises UsageError naming the argument."""
    with pytest.raises(UsageError) as caught:
        check_routing(b"<Invoice/>", Directory.of([]))  # type: ignore[arg-type]
    assert caught.value.argument == "invoice_or_routing"
    assert caught.value.message_fr and caught.value.message_en


def test_check_routing_without_a_directory_is_a_typed_error() -> None:
    """Passing something else than a Directory raises UsageError naming ``directory``."""
    with pytest.raises(UsageError) as caught:
        check_routing(STATE_OK, {})  # type: ignore[arg-type]
    assert caught.value.argument == "directory"


def test_check_routing_takes_an_iso_date() -> None:
    """The date of the service validity check may be ISO text, as the workflow takes it."""
    d = Directory.of([Structure(_MAIRIE, "MAIRIE")],
                     [Service(_MAIRIE, "COMPTA", "Comptabilité", "MAIRIE",
                              valid_to=date(2024, 12, 31))])
    r = Routing(buyer_siret=_MAIRIE, code_service="COMPTA", supplier_identifier="35600000000048",
                supplier_identifier_scheme="0009")
    assert codes(r, d, on="2025-01-01") == ("CHORUS-ROUTING-023",)  # type: ignore[arg-type]
    assert codes(r, d, on="2024-12-31") == ()  # type: ignore[arg-type]


def test_check_routing_refuses_a_date_it_cannot_read() -> None:
    """A date that is neither a date nor ISO text raises UsageError naming ``on``."""
    with pytest.raises(UsageError) as caught:
        check_routing(STATE_OK, state_directory(), on="31/12/2024")
    assert caught.value.argument == "on"
