"""PES ASAP (avis des sommes à payer: a ``PES_Aller`` with a ``PES_Facture`` of ``TypeFact`` 09).

An entity invoicing another public body (or a person) sends Hélios a PES V2 ``PES_Aller``: root
in namespace ``http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller``, unqualified children,
every value in a ``V`` attribute (``<DteStr V="2025-02-10"/>``), ISO-8859-1.  The EN 16931 part
of the invoice is the ``pes_asap`` column of the binding table, rooted at ``PES_Facture`` (paths
end in ``/@V``); the ASAP data EN 16931 has no term for — the envelope and header, the issuer's
categories, TIPI and signatory, the collection centre (``Tiers`` 25) and the public finance
centre (``Tiers`` 26, whose bank account is BG-17), the titre reference, the payment-slip lines,
the TIP mode, the line VAT and TTC amounts — is an :class:`AsapExtension` beside the invoice.

One ASAP, one invoice: :func:`read`, :func:`write` and ``convert(...)`` take and give a
``PES_Aller`` whose ``PES_Facture`` holds one ``FactureIndiv`` (more is a
:class:`~chorus_core.errors.ReadError`); :func:`read_asap` / :func:`write_asap` give and take the
invoice with its extension.  Per the XSD an ASAP travels to the DGFiP inside a ``PES_PJ``, gzip
then base64: :func:`pack_pj` and :func:`unpack_pj` do that packing with the bomb-safe
:func:`~chorus_core.xml.gzip_bytes` / :func:`~chorus_core.xml.gunzip`.

More information:

* DGFiP PES V2 schemas v5.17 (``NS_Facture/r0/Class_PESFacture.xsd``,
  ``Class_FacturePESIndiv.xsd``); ``research/pes-v2-asap.md``

>>> from chorus_core.examples import sample_invoice
>>> data = write(sample_invoice())
>>> data.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
True
>>> read(data).invoice_number
'FA-2026-0042'
>>> read(b"<PES_Aller/>")
Traceback (most recent call last):
...
chorus_core.errors.UnknownFormatError: not a PES_Aller with a PES_Facture (ASAP): root ...
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from lxml import etree

from ..errors import (
    ConversionError,
    IncompleteInvoiceError,
    ReadError,
)
from ..model import Invoice
from ..xml import b64decode, b64encode, gunzip, gzip_bytes, parse_xml
from ..xml.escape import escape_attr
from ._engine import Hook, Reading, Syntax, Unread, Written, _Leaf, _Reader, _Writer
from ._formats import Descriptor
from ._input import parse_document
from ._pes import Frozen as _Frozen
from ._pes import check_invoice, insert, relaxed, unknown_root
from ._xsd_order import ORDER

__all__ = [
    "ALLER_NS",
    "DESCRIPTOR",
    "ROOT",
    "SYNTAX",
    "AsapAddress",
    "AsapExtension",
    "AsapHeader",
    "AsapInvoice",
    "AsapIssuer",
    "AsapLine",
    "Centre",
    "DebtorInfo",
    "PesPj",
    "TitreRef",
    "detect",
    "pack_pj",
    "parse",
    "read",
    "read_asap",
    "read_report",
    "unpack_pj",
    "write",
    "write_asap",
    "write_report",
]

ALLER_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller"
ROOT = "{" + ALLER_NS + "}PES_Aller"
"""Root element of a PES V2 flow."""
FACTURE = "PES_Facture"
"""The ASAP block: the root of the ``pes_asap`` column."""

Element = etree._Element


class AsapAddress(_Frozen):
    """A ``TAdresseFacture`` outside EN 16931 (a centre's address)."""

    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    post_code: str
    city: str
    resident: bool = True
    """``CodRes`` 0: resident in France."""


class Centre(_Frozen):
    """A ``Tiers`` of the ASAP: the collection centre (25) or the public finance centre (26)."""

    name: str
    complement: str | None = None
    category: str = "20"
    legal_nature: str = "07"
    address: AsapAddress | None = None
    phone: str | None = None
    opening_hours: str | None = None
    email: str | None = None


class Signatory(_Frozen):
    """``Emetteur/Signataire`` (mandatory for an ASAP)."""

    last_name: str
    first_name: str
    role: str


class AsapIssuer(_Frozen):
    """What the ASAP says of its issuer beyond BT-27, BT-29, BG-5 and BG-6."""

    category: str = "23"
    """``CatTiers`` (23 communes, 22 départements, 21 régions…)."""
    legal_nature: str = "09"
    type: str = "20"
    opening_hours: str | None = None
    tipi_code: str | None = None
    tipi_url: str | None = None
    creditor_reference: str | None = None
    """``RefBdf``: the ICS for a TIP edition, else the issuer number."""
    code_2d: str | None = None
    signatory: Signatory | None = None


class DebtorInfo(_Frozen):
    """What the ASAP says of the debtor beyond BT-44, BT-46 and BG-8."""

    category: str = "01"
    legal_nature: str = "01"
    type: str = "01"
    civility: str | None = None
    first_name: str | None = None
    complement: str | None = None


class AsapHeader(_Frozen):
    """``Enveloppe`` and ``EnTetePES`` of the ``PES_Aller``."""

    file_name: str = "ASAP.xml"
    file_type: str = "PESALR1"
    editor: str = "CHORUS CORE"
    application: str = "CHORUS CORE"
    produced: date | None = None
    """``DteStr`` (the issue date when absent)."""
    post: str = "999999"
    """``IdPost``: the codique of the poste comptable (a placeholder by default)."""
    post_label: str | None = None
    collectivity: str | None = None
    """``IdColl``: SIRET of the budget (the issuer's BT-29 when absent)."""
    collectivity_code: str = "999"
    budget_code: str = "00"
    label: str | None = None
    flow_id: str | None = None
    """``PES_Aller/@Id``."""


class TitreRef(_Frozen):
    """``RefTitre``: the titre de recette of the ASAP (mandatory for an ASAP)."""

    year: str
    bordereau: str
    titre: str
    line: str = "1"


class AsapLine(_Frozen):
    """Per ``LigneFacture``, the amounts EN 16931 has no term for (computed when absent)."""

    day: date | None = None
    """``Date`` of a line without a service period (the issue date when absent)."""
    vat_amount: Decimal | None = None
    amount_with_vat: Decimal | None = None


class AsapExtension(_Frozen):
    """The ASAP data of one invoice that EN 16931 has no term for."""

    header: AsapHeader = AsapHeader()
    year: str | None = None
    """``Annee`` (the issue year when absent)."""
    issue_date: date | None = None
    """``PES_Facture/Date`` (the invoice issue date when absent)."""
    issuer: AsapIssuer = AsapIssuer()
    collection_centre: Centre = Centre(
        name="CENTRE D'ENCAISSEMENT", complement="DES FINANCES PUBLIQUES")
    finance_centre: Centre | None = None
    debtor: DebtorInfo = DebtorInfo()
    subject: str | None = None
    """``Objet`` (required: the invoice number when absent)."""
    lines: tuple[AsapLine, ...] = ()
    titre: TitreRef | None = None
    slip: tuple[str, str] | None = None
    """``TalonOptique2Lignes`` (computed by the ordonnateur by the norme HEL)."""
    tip: bool | None = None
    """``ModeRecouvrement``: True for an edition with TIP (``0``), False without (``1``)."""
    contest: str | None = None
    conditions: str = "Voir conditions générales"
    """``ConditionsGen`` (required)."""
    payment_terms: str = "Démarche non prévue par la collectivité"
    """``ModalitesReglement`` when the invoice has no BT-20."""


class AsapInvoice(_Frozen):
    """An ASAP: the canonical invoice and its extension."""

    invoice: Invoice
    extension: AsapExtension = AsapExtension()


# what this module writes itself beside the engine's output: required values outside EN 16931
_OPTIONAL = {
    f"{FACTURE}/FactureIndiv": ("ModalitesReglement",),
    f"{FACTURE}/FactureIndiv/LigneFacture": ("TauxTVA",),
}
_ORDER = {**ORDER, "pes_asap": relaxed(ORDER.get("pes_asap", {}), _OPTIONAL)}

class _V(Hook):
    """A ``V`` the engine cannot take as a plain ``@V``: an identifier (BT-29, BT-46: in the
    path language an identifier is an element, its value the element's own) and a date
    (BT-2, BT-134, BT-135: read by the xs:date policy, which attributes do not go through)."""

    def read(self, reader: _Reader, el: Element, leaves: list[_Leaf], open_: Any) -> None:
        leaf = leaves[0]
        text = el.get("V")
        if text is None:
            return
        reader.store(leaf, reader.date(leaf, text, el) if leaf.kind == "date" else text, el,
                     open_)

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: Any) -> tuple[str | None, str]:
        text = writer.text_of(leaves[0], ctx)
        if text is None:
            return None, ""
        return "", f' V="{escape_attr(text)}"'


SYNTAX = Syntax(
    name="pes_asap",
    columns={FACTURE: "pes_asap"},
    prefixes={},
    namespaces={},
    abbreviations={},
    date="iso",
    hooks={"v": _V()},
    order=_ORDER,
    root_for=lambda invoice: FACTURE,
)
"""The ASAP syntax: the ``pes_asap`` column, rooted at ``PES_Facture``."""

_SEQUENCE: dict[str, tuple[str, ...]] = {
    "PES_Facture": ("IdVer", "Annee", "NumSequence", "TypeFact", "Date", "Emetteur", "Tiers",
                    "FactureIndiv", "Nomenclatures", "RepartitionParNature"),
    "Emetteur": ("InfoTiers", "Adresse", "CptBancaire", "InfoTVAEmetteur", "InfoSuppl",
                 "Signataire"),
    "InfoTiers": ("IdTiers", "NatIdTiers", "DteIdTiers", "RefTiers", "CatTiers", "NatJur",
                  "TypTiers", "Civilite", "Nom", "ComplNom", "Prenom"),
    "Adresse": ("TypAdr", "Adr1", "Adr2", "Adr3", "CP", "Ville", "CodRes", "CodPays"),
    "InfoSuppl": ("NumTel", "HorairesOuv", "CodeTipi", "AdresseMelEmetteur", "AdrTipi", "RefBdf",
                  "InfoCode2D"),
    "Tiers": ("InfoTiers", "InfoSupplTiers", "Adresse", "CpteBancaire"),
    "Debiteur": ("InfoTiers", "InfoSupplTiers", "Adresse", "CpteBancaire"),
    "InfoSupplTiers": ("NumTel2", "HorairesOuv2", "AdresseMelCFP", "PaiementTel"),
    "FactureIndiv": ("DateEmission", "DateReglement", "NumeroFacture", "Debiteur",
                     "Destinataire", "Objet", "LigneFacture", "DetailTVA", "TotalAPayer",
                     "RefTitre", "TalonOptique2Lignes", "ModalitesReglement",
                     "ModalitesContestation", "ModeRecouvrement", "TexteGenerateur",
                     "ConditionsGen", "RepartitionBudget"),
    "LigneFacture": ("Date", "DateDebut", "DateFin", "CodeProduit", "CodeNature", "Libelle",
                     "Unite", "Quantite", "Unite1", "Quantite2", "Unite2", "MtUnitaire",
                     "MtBase", "MtRemise", "Taux", "MtHT", "TauxTVA", "MtTVA", "MtTTC", "Ordre",
                     "OrdreEdition", "Commentaire"),
}


# ---------------------------------------------------------------- reading


def _v(el: Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path)
    return None if found is None else found.get("V")


def _date(el: Element | None, path: str) -> date | None:
    text = _v(el, path)
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReadError(f"{text!r} is not a date (YYYY-MM-DD)", path=path) from None


def _amount(el: Element | None, path: str) -> Decimal | None:
    text = _v(el, path)
    if text is None:
        return None
    try:
        return Decimal(text.strip())
    except ArithmeticError:
        raise ReadError(f"{text!r} is not a decimal number", path=path) from None


def _parse(data: bytes | str | Element) -> Element:
    root = parse_document(data)
    if root.tag != ROOT or root.find(FACTURE) is None:
        raise unknown_root(root, "a PES_Aller with a PES_Facture (ASAP)")
    return root


def _address(el: Element | None) -> AsapAddress | None:
    if el is None:
        return None
    return AsapAddress(line1=_v(el, "Adr1"), line2=_v(el, "Adr2"), line3=_v(el, "Adr3"),
                       post_code=_v(el, "CP") or "", city=_v(el, "Ville") or "",
                       resident=_v(el, "CodRes") in ("0", "false", None))


def _centre(el: Element, with_address: bool = True) -> Centre:
    info = el.find("InfoTiers")
    suppl = el.find("InfoSupplTiers")
    return Centre(name=_v(info, "Nom") or "", complement=_v(info, "ComplNom"),
                  category=_v(info, "CatTiers") or "", legal_nature=_v(info, "NatJur") or "",
                  address=_address(el.find("Adresse")) if with_address else None,
                  phone=_v(suppl, "NumTel2"), opening_hours=_v(suppl, "HorairesOuv2"),
                  email=_v(suppl, "AdresseMelCFP"))


def _extension(root: Element, facture: Element) -> AsapExtension:
    header = root.find("EnTetePES")
    params = root.find("Enveloppe/Parametres")
    sender = root.find("Enveloppe/Emetteur")
    issuer = facture.find("Emetteur")
    info = None if issuer is None else issuer.find("InfoTiers")
    suppl = None if issuer is None else issuer.find("InfoSuppl")
    signer = None if issuer is None else issuer.find("Signataire")
    collection = finance = None
    for tiers in facture.iterfind("Tiers"):
        kind = _v(tiers, "InfoTiers/TypTiers")
        if kind == "25" and collection is None:
            collection = _centre(tiers)
        elif kind == "26" and finance is None:
            finance = _centre(tiers)
    indiv = facture.find("FactureIndiv")
    debtor = None if indiv is None else indiv.find("Debiteur/InfoTiers")
    ref = None if indiv is None else indiv.find("RefTitre")
    slip = None if indiv is None else indiv.find("TalonOptique2Lignes")
    mode = _v(indiv, "ModeRecouvrement")
    lines = tuple(AsapLine(day=_date(line, "Date"), vat_amount=_amount(line, "MtTVA"),
                           amount_with_vat=_amount(line, "MtTTC"))
                  for line in (() if indiv is None else indiv.iterfind("LigneFacture")))
    defaults = AsapExtension()
    return AsapExtension(
        header=AsapHeader(
            file_name=_v(params, "NomFic") or "", file_type=_v(params, "TypFic") or "",
            editor=_v(sender, "Sigle") or "", application=_v(sender, "Adresse") or "",
            produced=_date(header, "DteStr"), post=_v(header, "IdPost") or "",
            post_label=_v(header, "LibellePoste"), collectivity=_v(header, "IdColl"),
            collectivity_code=_v(header, "CodCol") or "", budget_code=_v(header, "CodBud") or "",
            label=_v(header, "LibelleColBud"), flow_id=root.get("Id")),
        year=_v(facture, "Annee"), issue_date=_date(facture, "Date"),
        issuer=AsapIssuer(
            category=_v(info, "CatTiers") or "", legal_nature=_v(info, "NatJur") or "",
            type=_v(info, "TypTiers") or "", opening_hours=_v(suppl, "HorairesOuv"),
            tipi_code=_v(suppl, "CodeTipi"), tipi_url=_v(suppl, "AdrTipi"),
            creditor_reference=_v(suppl, "RefBdf"), code_2d=_v(suppl, "InfoCode2D"),
            signatory=None if signer is None else Signatory(
                last_name=_v(signer, "Personne/Nom") or "",
                first_name=_v(signer, "Personne/Prenom") or "", role=_v(signer, "Role") or "")),
        collection_centre=collection or defaults.collection_centre,
        finance_centre=finance,
        debtor=DebtorInfo(category=_v(debtor, "CatTiers") or "",
                          legal_nature=_v(debtor, "NatJur") or "",
                          type=_v(debtor, "TypTiers") or "",
                          civility=_v(debtor, "Civilite"), first_name=_v(debtor, "Prenom"),
                          complement=_v(debtor, "ComplNom")),
        subject=_v(indiv, "Objet"), lines=lines,
        titre=None if ref is None else TitreRef(
            year=_v(ref, "Exercice") or "", bordereau=_v(ref, "NumBordereau") or "",
            titre=_v(ref, "NumTitre") or "", line=_v(ref, "NumLigne") or ""),
        slip=None if slip is None else (_v(slip, "Ligne1") or "", _v(slip, "Ligne2") or ""),
        tip=None if mode is None else mode in ("0", "false"),
        contest=_v(indiv, "ModalitesContestation"),
        conditions=_v(indiv, "ConditionsGen") or "",
        payment_terms=defaults.payment_terms,
    )


_TRANSFER = "30"
"""BT-81 of an ASAP with a bank account: a credit transfer to the public finance centre."""
_HOOKED = frozenset({"IdTiers", "DateEmission", "DateDebut", "DateFin"})


def _local(step: str) -> str:
    return step.partition("[")[0]


def _reading(root: Element) -> tuple[Reading, Element]:
    facture = root.find(FACTURE)
    assert facture is not None  # checked by _parse
    count = len(facture.findall("FactureIndiv"))
    if count != 1:
        raise ReadError(f"a PES_Facture of {count} FactureIndiv: chorus_core reads one invoice "
                        "per ASAP", path=f"/n:PES_Aller/{FACTURE}")
    reading = SYNTAX.read(facture)
    unread = tuple(u for u in reading.unread  # a V read by the hook ``v``
                   if not (u.reason == "attribute not carried" and u.path.endswith("/@V")
                           and _local(u.path.rsplit("/", 2)[-2]) in _HOOKED))
    invoice = reading.invoice.model_copy(update={"invoice_currency_code": "EUR"})
    pay = invoice.payment_instructions
    if pay is not None and pay.credit_transfers:  # the account of the finance centre
        invoice = invoice.model_copy(update={"payment_instructions": pay.model_copy(
            update={"payment_means_type_code": _TRANSFER})})
    return Reading(invoice, unread), facture


def read_asap(data: bytes | str | Element) -> AsapInvoice:
    """Read an ASAP into its invoice and extension.

    >>> from chorus_core.examples import sample_invoice
    >>> asap = read_asap(write(sample_invoice()))
    >>> asap.extension.collection_centre.name, asap.extension.issuer.type
    ("CENTRE D'ENCAISSEMENT", '20')
    """
    root = _parse(data)
    reading, facture = _reading(root)
    return AsapInvoice(invoice=reading.invoice, extension=_extension(root, facture))


# ---------------------------------------------------------------- writing


def _put(parent: Element, tag: str, value: str | None, *, replace: bool = True
         ) -> Element | None:
    """Set the ``V`` of the child ``tag`` of ``parent``, inserted at its XSD place."""
    if value is None:
        return None
    found = parent.find(tag)
    if found is None:
        found = _insert(parent, tag)
    elif not replace:
        return found
    found.set("V", value)
    return found


def _insert(parent: Element, tag: str) -> Element:
    return insert(parent, tag, _SEQUENCE[str(parent.tag)])


def _child(parent: Element, tag: str) -> Element:
    found = parent.find(tag)
    return found if found is not None else _insert(parent, tag)


def _tiers_info(el: Element, category: str, nature: str, kind: str, name: str | None,
                complement: str | None = None, civility: str | None = None,
                first_name: str | None = None) -> None:
    info = _child(el, "InfoTiers")
    _put(info, "CatTiers", category)
    _put(info, "NatJur", nature)
    _put(info, "TypTiers", kind)
    _put(info, "Civilite", civility)
    _put(info, "Nom", name, replace=False)
    _put(info, "ComplNom", complement)
    _put(info, "Prenom", first_name)


def _centre_xml(facture: Element, centre: Centre, kind: str) -> None:
    tiers = next((t for t in facture.iterfind("Tiers") if _v(t, "InfoTiers/TypTiers") == kind),
                 None)
    if tiers is None:
        tiers = _insert(facture, "Tiers")
    _tiers_info(tiers, centre.category, centre.legal_nature, kind, centre.name,
                centre.complement)
    if centre.phone or centre.opening_hours or centre.email:
        suppl = _child(tiers, "InfoSupplTiers")
        _put(suppl, "NumTel2", centre.phone)
        _put(suppl, "HorairesOuv2", centre.opening_hours)
        _put(suppl, "AdresseMelCFP", centre.email)
    if centre.address is not None:
        _address_xml(_child(tiers, "Adresse"), centre.address)


def _address_xml(el: Element, address: AsapAddress) -> None:
    _put(el, "TypAdr", "1")
    _put(el, "Adr1", address.line1)
    _put(el, "Adr2", address.line2)
    _put(el, "Adr3", address.line3)
    _put(el, "CP", address.post_code)
    _put(el, "Ville", address.city)
    _put(el, "CodRes", "0" if address.resident else "1")


@functools.cache
def _term_elements() -> dict[tuple[str, ...], str]:
    """Element path (below ``PES_Facture``) → the term whose value is its ``V`` (from the
    table: computed once)."""
    found: dict[tuple[str, ...], str] = {}
    for term, cell in SYNTAX.cells("pes_asap").items():
        for alternative in cell.alternatives:
            tags = tuple(step.tag for step in alternative)
            if tags and tags[-1] == "@V":
                found.setdefault(tags[:-1], term)
            elif cell.hook == "v":
                found.setdefault(tags, term)
    return found


def _required_values(facture: Element, draft: bool, missing_too: tuple[str, ...]) -> None:
    """An element the XSD requires is written by the engine even without its ``V`` (a value
    in an attribute): the term is missing (IncompleteInvoiceError), or, in a draft, left out."""
    terms = _term_elements()
    missing = list(missing_too)
    for el in list(facture.iter()):
        if len(el) or el.attrib or el is facture:
            continue
        path = []
        node: Element | None = el
        while node is not None and node is not facture:
            path.append(str(node.tag))
            node = node.getparent()
        term = terms.get(tuple(reversed(path)))
        if term is None:
            continue
        if draft:
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
        else:
            missing.append(term)
    if missing:
        raise IncompleteInvoiceError(sorted(set(missing), key=_term_order), "pes_asap")


def _term_order(term: str) -> tuple[int, int, str]:
    kind, _, rest = term.partition("-")
    number, _, sub = rest.partition("-")
    return (0 if kind == "BT" else 1, int(number) if number.isdigit() else 0, sub)


_MONEY = Context(prec=400, rounding=ROUND_HALF_UP)
"""Room for any amount a reader accepts (at most 200 characters): quantizing never traps."""


def _money(value: Decimal) -> str:
    try:
        return format(value.quantize(Decimal("0.01"), context=_MONEY), "f")
    except ArithmeticError:
        raise ConversionError(
            f"the amount {value} cannot be written to the cent in a PES ASAP") from None


def _overlay(facture: Element, invoice: Invoice, ext: AsapExtension,
             changed: list[tuple[str, str, Any, Any]]) -> None:
    issued = ext.issue_date or invoice.invoice_issue_date
    _put(facture, "IdVer", "2")
    _put(facture, "Annee", ext.year or (str(issued.year) if issued else None))
    _put(facture, "TypeFact", "09")
    _put(facture, "Date", issued.isoformat() if issued else None)
    issuer = _child(facture, "Emetteur")
    _tiers_info(issuer, ext.issuer.category, ext.issuer.legal_nature, ext.issuer.type, None)
    address = issuer.find("Adresse")
    if address is not None:
        _put(address, "TypAdr", "1")
        _put(address, "CodRes", "0")
    issuer_suppl = (ext.issuer.opening_hours, ext.issuer.tipi_code, ext.issuer.tipi_url,
                    ext.issuer.creditor_reference, ext.issuer.code_2d)
    if any(v is not None for v in issuer_suppl):
        suppl = _child(issuer, "InfoSuppl")
        for tag, value in zip(("HorairesOuv", "CodeTipi", "AdrTipi", "RefBdf", "InfoCode2D"),
                              issuer_suppl, strict=True):
            _put(suppl, tag, value)
    if ext.issuer.signatory is not None:
        signer = _child(issuer, "Signataire")
        person = etree.SubElement(signer, "Personne")
        etree.SubElement(person, "Nom", V=ext.issuer.signatory.last_name)
        etree.SubElement(person, "Prenom", V=ext.issuer.signatory.first_name)
        etree.SubElement(signer, "Role", V=ext.issuer.signatory.role)
    _centre_xml(facture, ext.collection_centre, "25")
    if ext.finance_centre is not None or any(
            _v(t, "InfoTiers/TypTiers") == "26" for t in facture.iterfind("Tiers")):
        _centre_xml(facture, ext.finance_centre or Centre(name="CENTRE DES FINANCES PUBLIQUES"),
                    "26")
    indiv = _child(facture, "FactureIndiv")
    debtor = _child(indiv, "Debiteur")
    _tiers_info(debtor, ext.debtor.category, ext.debtor.legal_nature, ext.debtor.type, None,
                ext.debtor.complement, ext.debtor.civility, ext.debtor.first_name)
    address = debtor.find("Adresse")
    if address is not None:
        _put(address, "TypAdr", "1")
        _put(address, "CodRes", "0")
    _put(indiv, "Objet", ext.subject or invoice.invoice_number or "FACTURE", replace=False)
    for index, line in enumerate(indiv.iterfind("LigneFacture")):
        extra = ext.lines[index] if index < len(ext.lines) else AsapLine()
        if line.find("DateDebut") is None and line.find("Date") is None:
            when = extra.day or issued
            if when is not None:
                _put(line, "Date", when.isoformat())
        if line.find("Quantite") is None and line.find("MtBase") is None:
            _put(line, "MtBase", _v(line, "MtHT"))
        if line.find("TauxTVA") is None:
            _put(line, "TauxTVA", "0")
            changed.append(("BT-152", f"lines[{index}].vat_information.rate", None,
                            Decimal("0")))
        net = _amount(line, "MtHT") or Decimal(0)
        rate = _amount(line, "TauxTVA") or Decimal(0)
        vat = extra.vat_amount if extra.vat_amount is not None else net * rate / 100
        _put(line, "MtTVA", _money(vat) if extra.vat_amount is None else format(vat, "f"))
        total = extra.amount_with_vat if extra.amount_with_vat is not None else net + vat
        _put(line, "MtTTC", _money(total) if extra.amount_with_vat is None else format(total, "f"))
    if ext.titre is not None:
        ref = _child(indiv, "RefTitre")
        for tag, value in (("Exercice", ext.titre.year), ("NumBordereau", ext.titre.bordereau),
                           ("NumTitre", ext.titre.titre), ("NumLigne", ext.titre.line)):
            etree.SubElement(ref, tag, V=value)
    if ext.slip is not None:
        slip = _child(indiv, "TalonOptique2Lignes")
        etree.SubElement(slip, "Ligne1", V=ext.slip[0])
        etree.SubElement(slip, "Ligne2", V=ext.slip[1])
    if indiv.find("ModalitesReglement") is None:
        _put(indiv, "ModalitesReglement", ext.payment_terms)
        changed.append(("BT-20", "payment_terms", None, ext.payment_terms))
    _put(indiv, "ModalitesContestation", ext.contest)
    if ext.tip is not None:
        _put(indiv, "ModeRecouvrement", "0" if ext.tip else "1")
    _put(indiv, "ConditionsGen", ext.conditions)
    _child(facture, "Nomenclatures")


def _report(item: Invoice | AsapInvoice, draft: bool) -> Written:
    invoice, ext = ((item.invoice, item.extension) if isinstance(item, AsapInvoice)
                    else (item, AsapExtension()))
    check_invoice(invoice)
    engine_missing: tuple[str, ...] = ()
    try:
        written = SYNTAX.write(invoice, draft=draft)
    except IncompleteInvoiceError as exc:  # with the values in V the engine does not see
        engine_missing = exc.terms
        written = SYNTAX.write(invoice, draft=True)
    facture = parse_xml(written.data)
    _required_values(facture, draft, engine_missing)
    changed = list(written.changed)
    _overlay(facture, invoice, ext, changed)
    head = ext.header
    root = etree.Element(ROOT, nsmap={"n": ALLER_NS})
    if head.flow_id is not None:
        root.set("Id", head.flow_id)
    envelope = etree.SubElement(root, "Enveloppe")
    params = etree.SubElement(envelope, "Parametres")
    etree.SubElement(params, "Version", V="2")
    etree.SubElement(params, "TypFic", V=head.file_type)
    etree.SubElement(params, "NomFic", V=head.file_name)
    sender = etree.SubElement(envelope, "Emetteur")
    etree.SubElement(sender, "Sigle", V=head.editor)
    etree.SubElement(sender, "Adresse", V=head.application)
    header = etree.SubElement(root, "EnTetePES")
    stamp = head.produced or invoice.invoice_issue_date or date(2000, 1, 1)
    seller = invoice.seller
    siret = seller.identifiers[0].value if seller is not None and seller.identifiers else None
    for tag, value in (("DteStr", stamp.isoformat()), ("IdPost", head.post),
                       ("LibellePoste", head.post_label),
                       ("IdColl", head.collectivity or siret or "0"),
                       ("CodCol", head.collectivity_code), ("CodBud", head.budget_code),
                       ("LibelleColBud", head.label)):
        if value is not None:
            etree.SubElement(header, tag, V=value)
    root.append(facture)
    try:
        out = etree.tostring(root, encoding="ISO-8859-1", xml_declaration=True)
        data = out if isinstance(out, bytes) else out.encode("iso-8859-1")
    except ValueError as exc:  # pragma: no cover - lxml escapes what Latin-1 cannot hold
        raise ConversionError(str(exc)) from None
    transfers = any(_v(t, "InfoTiers/TypTiers") == "26" and t.find("CpteBancaire") is not None
                    for t in facture.iterfind("Tiers"))
    missing = []
    for bt, path, value in written.missing:
        if bt == "BT-5":  # an ASAP is in euros: read back as EUR
            if value != "EUR":
                changed.append((bt, path, value, "EUR"))
            continue
        if bt == "BT-81" and transfers:  # read back as a credit transfer
            if value != _TRANSFER:
                changed.append((bt, path, value, _TRANSFER))
            continue
        missing.append((bt, path, value))
    if invoice.invoice_currency_code is None:
        changed.append(("BT-5", "invoice_currency_code", None, "EUR"))
    pay = invoice.payment_instructions
    if transfers and pay is not None and pay.payment_means_type_code is None:
        changed.append(("BT-81", "payment_instructions.payment_means_type_code", None,
                        _TRANSFER))
    return Written(data, tuple(missing), tuple(changed))


def write_asap(asap: AsapInvoice | Invoice, *, draft: bool = False) -> bytes:
    """Write an ASAP (``PES_Aller`` + ``PES_Facture`` ``TypeFact`` 09) in ISO-8859-1.

    Raises :class:`~chorus_core.errors.IncompleteInvoiceError` for the terms the XSD requires
    and the invoice lacks, unless ``draft``.
    """
    return _report(asap, draft).data


# ---------------------------------------------------------------- PES_PJ


@dataclasses.dataclass(frozen=True, slots=True)
class PesPj:
    """One ``PES_PJ/PJ``: its file, unpacked."""

    name: str
    unique_id: str
    type: str | None
    mime_type: str
    content: bytes
    description: str


def pack_pj(content: bytes, *, name: str, unique_id: str, description: str,
            type: str = "006", mime_type: str = "text/xml") -> Element:
    """A ``PES_PJ/PJ`` element: ``content`` gzip then base64 (``TypePJ`` 006: a PES Facture).

    >>> pj = pack_pj(b"<PES_Aller/>", name="ASAP.xml", unique_id="ASAP1", description="ASAP")
    >>> unpack_pj(pj)[0].content
    b'<PES_Aller/>'
    """
    pj = etree.Element("PJ")
    holder = etree.SubElement(pj, "Contenu")
    etree.SubElement(holder, "Fichier", MIMEType=mime_type).text = b64encode(gzip_bytes(content))
    etree.SubElement(pj, "IdUnique", V=unique_id)
    etree.SubElement(pj, "NomPJ", V=name)
    etree.SubElement(pj, "TypePJ", V=type)
    etree.SubElement(pj, "Description", V=description)
    return pj


def unpack_pj(data: bytes | str | Element) -> tuple[PesPj, ...]:
    """Every ``PJ`` of a ``PES_Aller``'s ``PES_PJ`` (or one ``PJ`` element), gunzipped under
    the limits (a gzip bomb is an :class:`~chorus_core.errors.AttachmentError`)."""
    if isinstance(data, etree._Element):
        root = data
    else:
        root = parse_xml(bytes(data) if isinstance(data, (bytearray, memoryview)) else data)
    pjs = [root] if root.tag == "PJ" else list(root.iterfind("PES_PJ/PJ"))
    out = []
    for pj in pjs:
        fichier = pj.find("Contenu/Fichier")
        text = "" if fichier is None else (fichier.text or "")
        out.append(PesPj(name=_v(pj, "NomPJ") or "", unique_id=_v(pj, "IdUnique") or "",
                         type=_v(pj, "TypePJ"),
                         mime_type="" if fichier is None else fichier.get("MIMEType", ""),
                         content=gunzip(b64decode(text)), description=_v(pj, "Description") or ""))
    return tuple(out)


# ---------------------------------------------------------------- the descriptor


@dataclasses.dataclass(frozen=True)
class _AsapDescriptor(Descriptor):
    """The ASAP's descriptor: a document is a ``PES_Aller``, the table reads its PES_Facture."""

    @property
    def roots(self) -> tuple[str, ...]:
        """The root element of a PES V2 flow."""
        return (ROOT,)

    def detect(self, root: Element) -> bool:
        """True for a ``PES_Aller`` holding a ``PES_Facture``."""
        return root.tag == ROOT and root.find(FACTURE) is not None

    def parse(self, data: bytes | str | Element) -> Element:
        """Parse ``data`` with the hardened parser and check that it is an ASAP."""
        return _parse(data)

    def read(self, data: bytes | str | Element) -> Invoice:
        """Read an ASAP into the canonical model (see :func:`read_asap`)."""
        return self.read_report(data).invoice

    def read_report(self, data: bytes | str | Element) -> Reading:
        """Like :meth:`read`, with everything of the ASAP the model does not hold."""
        root = _parse(data)
        reading, _ = _reading(root)
        outside = [Unread(f"/n:PES_Aller/{etree.QName(el).localname}", None, None,
                          "the PES_Aller envelope and header (kept in AsapExtension.header)")
                   for el in root if isinstance(el.tag, str) and el.tag != FACTURE]
        return Reading(reading.invoice, (*outside, *reading.unread))

    def write(self, invoice: Invoice, *, draft: bool = False) -> bytes:
        """Write an ASAP of ``invoice`` with a default extension (see :func:`write_asap`)."""
        return self.write_report(invoice, draft=draft).data

    def write_report(self, invoice: Invoice, *, draft: bool = False) -> Written:
        """Like :meth:`write`, with what the ASAP did not carry as the model held it."""
        if not isinstance(invoice, Invoice):
            raise ConversionError(
                f"write() takes a chorus_core Invoice, not {type(invoice).__name__}")
        return _report(invoice, draft)


DESCRIPTOR = _AsapDescriptor(
    name="pes_asap",
    title="PES V2 PES_Aller with a PES_Facture ASAP",
    syntax=SYNTAX,
    schemas={ROOT: ("PES_Aller.xsd", (
        "PES_Aller.xsd", "PES_V2/Rev0/PES_Aller.xsd",
        "schemas_pes_v5.17/PES_V2/Rev0/PES_Aller.xsd"))},
)
"""What the registry, the XSD validation and the docs need to know of the ASAP."""

detect = DESCRIPTOR.detect
parse = DESCRIPTOR.parse
read = DESCRIPTOR.read
read_report = DESCRIPTOR.read_report
write = DESCRIPTOR.write
write_report = DESCRIPTOR.write_report
