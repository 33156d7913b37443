"""Regenerate ``src/chorus_core/rules/_syntax_data.py`` from the EN 16931 syntax Schematron.

Usage: ``python tools/gen_syntax_rules.py ARTIFACTS [OUTPUT]`` where ARTIFACTS is
``../shared/corpus/en16931/artifacts/eInvoicing-EN16931-1.3.16`` and OUTPUT defaults to the
module in ``src/``.  The preprocessed Schematron of each syntax is read; its syntax pattern
(``UBL-syntax``, ``EN16931-CII-Syntax``) is written as a table of rules in document order:
the rule context as an XPath 1.0 expression (an XSLT match pattern made absolute) and, for each
assert, its id, flag, XPath 1.0 test, and English and French messages.

The official tests are XPath 2.0.  The few 2.0 constructs they use are rewritten to XPath 1.0
with the same meaning (``REWRITES`` below, plus ``ends-with(name(), …)``, ``exists()`` and
``upper-case()``); every expression is then compiled with lxml, so a construct this script
does not know makes it fail instead of writing a rule that would never fire.
``tests/rules/test_syntax.py`` checks that the committed module is not stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lxml import etree

SCH = "{http://purl.oclc.org/dsdl/schematron}"
SOURCES = {
    "ubl": ("ubl/schematron/preprocessed/EN16931-UBL-validation-preprocessed.sch", "UBL-syntax"),
    "cii": ("cii/schematron/preprocessed/EN16931-CII-validation-preprocessed.sch",
            "EN16931-CII-Syntax"),
}
REGEX_NS = "http://exslt.org/regular-expressions"
LOWER, UPPER = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# XPath 2.0 → 1.0, exact sub-strings.  ``x = false()`` in 2.0 casts the untyped value to
# xs:boolean ("false"/"0"); in 1.0 it would compare the node-set's existence instead.
_BOOL_FALSE = "[normalize-space(.) = 'false' or normalize-space(.) = '0']"
_BOOL_TRUE = "[normalize-space(.) = 'true' or normalize-space(.) = '1']"
REWRITES: tuple[tuple[str, str], ...] = (
    ("cbc:ChargeIndicator = false()", "cbc:ChargeIndicator" + _BOOL_FALSE),
    ("cbc:ChargeIndicator = true()", "cbc:ChargeIndicator" + _BOOL_TRUE),
    ("udt:Indicator=false()", "udt:Indicator" + _BOOL_FALSE),
    # 2.0 allows a function as the last step: TaxScheme/upper-case(ID) = 'VAT' (existential).
    ("cac:TaxScheme/upper-case(cbc:ID)='VAT'",
     f"cac:TaxScheme/cbc:ID[translate(., '{LOWER}', '{UPPER}') = 'VAT']"),
    ("cac:TaxScheme/upper-case(cbc:ID)!='VAT'",
     f"cac:TaxScheme/cbc:ID[translate(., '{LOWER}', '{UPPER}') != 'VAT']"),
    # CII-SR-462: all DueDateTypeCode values equal.
    ("count(distinct-values(//ram:ApplicableTradeTax/ram:DueDateTypeCode)) = 1",
     "count(//ram:ApplicableTradeTax/ram:DueDateTypeCode[. != "
     "string((//ram:ApplicableTradeTax/ram:DueDateTypeCode)[1])]) = 0"),
    # CII-DT-097: XPath 2.0 matches() is EXSLT re:test() on lxml.
    ("matches(.,", "re:test(.,"),
)

# French messages: general forms first, then one line per remaining rule.
_FR_FORMS: tuple[tuple[str, str], ...] = (
    (r"A UBL invoice should not include (?:the |a |an )?(.+)",
     r"Une facture UBL ne devrait pas contenir : \1"),
    (r"A UBL invoice shall not include (?:the |a |an )?(.+)",
     r"Une facture UBL ne doit pas contenir : \1"),
    (r"A UBL credit note should not include (?:the |a |an )?(.+)",
     r"Un avoir UBL ne devrait pas contenir : \1"),
    (r"(.+?) ?should not be present\.?", r"\1 ne devrait pas être présent"),
    (r"(.+?) shall not be used\.?", r"\1 ne doit pas être utilisé"),
    (r"(.+?) shall occur at most once in (.+?)\.?", r"\1 doit figurer au plus une fois dans \2"),
    (r"(.+?) shall occur at most once in the document\.?",
     r"\1 doit figurer au plus une fois dans le document"),
    (r"(.+?) should exist maximum once\.?", r"\1 devrait figurer au plus une fois"),
    (r"(.+?) shall exist maximum once\.?", r"\1 doit figurer au plus une fois"),
    (r"(.+?) shall occur maximum once\.?", r"\1 doit figurer au plus une fois"),
    (r"(.+?) must exist exactly once", r"\1 doit figurer exactement une fois"),
    (r"Only one (.+?) should be present(.*)", r"Un seul élément \1 devrait être présent\2"),
    (r"Only one (.+?) shall be present", r"Un seul élément \1 doit être présent"),
)
_FR_TERMS = {
    "(either the ID or the Global ID)": "(soit l'ID, soit le Global ID)",
}
_FR_BY_ID = {
    "UBL-SR-01": "L'identifiant de contrat doit figurer au plus une fois.",
    "UBL-SR-02": "L'identifiant d'avis de réception doit figurer au plus une fois",
    "UBL-SR-03": "L'identifiant d'avis d'expédition doit figurer au plus une fois",
    "UBL-SR-04": "L'identifiant de l'objet facturé doit figurer au plus une fois",
    "UBL-SR-05": "Les conditions de paiement doivent figurer au plus une fois",
    "UBL-SR-06": "La référence à une facture antérieure doit figurer au plus une fois",
    "UBL-SR-07": "Si une référence à une facture antérieure est donnée, le numéro de cette "
                 "facture doit être présent",
    "UBL-SR-08": "La période de facturation doit figurer au plus une fois",
    "UBL-SR-09": "Le nom du vendeur doit figurer au plus une fois",
    "UBL-SR-10": "Le nom commercial du vendeur doit figurer au plus une fois",
    "UBL-SR-11": "L'identifiant d'immatriculation légale du vendeur doit figurer au plus une fois",
    "UBL-SR-12": "L'identifiant TVA du vendeur doit figurer au plus une fois",
    "UBL-SR-13": "L'enregistrement fiscal du vendeur doit figurer au plus une fois",
    "UBL-SR-14": "Les informations juridiques complémentaires du vendeur doivent figurer au plus "
                 "une fois",
    "UBL-SR-15": "Le nom de l'acheteur doit figurer au plus une fois",
    "UBL-SR-16": "L'identifiant de l'acheteur doit figurer au plus une fois",
    "UBL-SR-17": "L'identifiant d'immatriculation légale de l'acheteur doit figurer au plus "
                 "une fois",
    "UBL-SR-18": "L'identifiant TVA de l'acheteur doit figurer au plus une fois",
    "UBL-SR-19": "Le nom du bénéficiaire doit figurer au plus une fois, s'il diffère du vendeur",
    "UBL-SR-20": "L'identifiant du bénéficiaire doit figurer au plus une fois, s'il diffère du "
                 "vendeur",
    "UBL-SR-21": "L'identifiant d'immatriculation légale du bénéficiaire doit figurer au plus "
                 "une fois, s'il diffère du vendeur",
    "UBL-SR-22": "Le nom du représentant fiscal du vendeur doit figurer au plus une fois",
    "UBL-SR-23": "L'identifiant TVA du représentant fiscal du vendeur doit figurer au plus une "
                 "fois",
    "UBL-SR-24": "Les informations de livraison doivent figurer au plus une fois",
    "UBL-SR-25": "Le nom de la partie livrée doit figurer au plus une fois",
    "UBL-SR-26": "La référence de paiement doit figurer au plus une fois",
    "UBL-SR-27": "Le code de moyen de paiement doit figurer au plus une fois",
    "UBL-SR-28": "La référence du mandat doit figurer au plus une fois",
    "UBL-SR-29": "La référence du créancier (SEPA) doit figurer au plus une fois",
    "UBL-SR-30": "Le motif de la remise au niveau du document doit figurer au plus une fois",
    "UBL-SR-31": "Le motif de la charge au niveau du document doit figurer au plus une fois",
    "UBL-SR-32": "Le motif d'exonération de TVA doit figurer au plus une fois",
    "UBL-SR-33": "La description d'un justificatif doit figurer au plus une fois",
    "UBL-SR-34": "La note de ligne de facture doit figurer au plus une fois",
    "UBL-SR-35": "La référence de ligne de bon de commande doit figurer au plus une fois",
    "UBL-SR-36": "La période de ligne de facture doit figurer au plus une fois",
    "UBL-SR-37": "La remise sur le prix de l'article doit figurer au plus une fois",
    "UBL-SR-39": "La référence de projet doit figurer au plus une fois.",
    "UBL-SR-40": "Le nom commercial de l'acheteur doit figurer au plus une fois",
    "UBL-SR-42": "Le régime fiscal de la partie doit figurer au plus deux fois pour le vendeur",
    "UBL-SR-43": "L'identifiant de schéma n'est autorisé que pour l'objet facturé (code de type "
                 "de document 130 ou 50)",
    "UBL-SR-44": "Une facture ne peut avoir qu'un seul PaymentID distinct, mais il peut servir à "
                 "plusieurs moyens de paiement",
    "UBL-SR-45": "La date d'échéance doit figurer au plus une fois",
    "UBL-SR-46": "Le libellé du moyen de paiement doit figurer au plus une fois",
    "UBL-SR-47": "Quand plusieurs codes de moyen de paiement sont donnés, ils doivent être égaux",
    "UBL-SR-48": "Une ligne de facture doit avoir une et une seule catégorie de TVA",
    "UBL-SR-49": "Le code de date d'exigibilité de la TVA doit figurer au plus une fois",
    "UBL-SR-50": "La description de l'article doit figurer au plus une fois",
    "UBL-SR-51": "Une adresse ne peut avoir qu'une seule troisième ligne.",
    "UBL-SR-52": "La référence de document doit figurer au plus une fois",
    "UBL-SR-53": "Le CompanyID (identifiant TVA) doit être donné avec PartyTaxScheme/TaxScheme/ID.",
    "UBL-SR-54": "Une facture contient au plus un compte de carte de paiement (BG-18).",
    "UBL-SR-55": "Une facture contient au plus un mandat de prélèvement (BG-19).",
    "UBL-SR-56": "Une facture contient au plus un identifiant de document d'origine (BT-17).",
    "UBL-DT-01": "Les montants sont des décimaux à deux décimales au plus",
    "UBL-DT-06": "Un objet binaire doit porter l'attribut mimeCode",
    "UBL-DT-07": "Un objet binaire doit porter l'attribut filename",
    "UBL-DT-24": "La version de la liste des codes devise ne devrait pas être présente",
    "CII-SR-046": "schemeID doit être présent si GlobalID est présent",
    "CII-SR-119": "Seules des remises sur le prix devraient être présentes",
    "CII-SR-454": "Une seule ApplicableTradeTax devrait être présente",
    "CII-SR-455": "DefinedTradeContact de SellerTradeParty doit figurer au plus une fois",
    "CII-SR-457": "IssuerAssignedID avec TypeCode 50 devrait figurer au plus une fois",
    "CII-SR-458": "IssuerAssignedID avec TypeCode 130 devrait figurer au plus une fois",
    "CII-SR-459": "URIUniversalCommunication de SellerTradeParty devrait figurer au plus une fois",
    "CII-SR-461": "Un seul TaxPointDate doit être présent",
    "CII-SR-462": "Tous les DueDateTypeCode doivent avoir la même valeur",
    "CII-SR-463": "Chaque remise ou charge (BG-20)(BG-21) doit contenir un indicateur de charge.",
    "CII-SR-464": "PayerSpecifiedDebtorFinancialInstitution ne doit pas être utilisé.",
    "CII-SR-465": "Un seul élément BT-41 est autorisé dans une facture.",
    "CII-SR-466": "Un seul élément BT-86 est autorisé dans une facture.",
    "CII-SR-467": "Tous les codes de moyen de paiement (BT-81) doivent avoir la même valeur dans "
                  "tous les SpecifiedTradeSettlementPaymentMeans.",
    "CII-SR-468": "Tous les libellés de moyen de paiement (BT-82) doivent avoir la même valeur "
                  "dans tous les SpecifiedTradeSettlementPaymentMeans.",
    "CII-SR-469": "La référence de paiement (BT-83) doit figurer au plus une fois dans le "
                  "document.",
    "CII-SR-470": "L'IBAN ou un identifiant propriétaire (BT-84) doit être utilisé.",
    "CII-SR-471": "Chaque remise ou charge (BG-20)(BG-21) devrait contenir un code de catégorie "
                  "de TVA (BT-95).",
    "CII-SR-472": "Chaque remise ou charge (BG-20)(BG-21) devrait contenir un taux de TVA (BT-96).",
    "CII-SR-473": "Une ligne de facture ne doit pas contenir plus d'un justificatif de type 130.",
    "CII-SR-474": "Une ligne de facture ne doit pas contenir plus d'un "
                  "AdditionalReferencedDocument de TypeCode 130.",
    "CII-SR-475": "Un seul nom d'AdditionalReferencedDocument (BT-123) est autorisé avec le "
                  "TypeCode 916.",
    "CII-SR-476": "Un seul AttachmentBinaryObject (BT-125) est autorisé avec le TypeCode 916.",
    "CII-DT-037": "TypeCode doit valoir 'VAT'",
    "CII-DT-097": "Une date au format 102 doit s'écrire AAAAMMJJ.",
}


# Business terms of the fatal rules whose message does not name them (read from the rule's
# context and test); the others take the BT/BG ids written in their message.
_BT_BY_ID: dict[str, tuple[str, ...]] = {
    "UBL-SR-01": ("BT-12",), "UBL-SR-02": ("BT-15",), "UBL-SR-03": ("BT-16",),
    "UBL-SR-04": ("BT-18",), "UBL-SR-05": ("BT-20",), "UBL-SR-06": ("BG-3",),
    "UBL-SR-07": ("BT-25",), "UBL-SR-08": ("BG-14",), "UBL-SR-09": ("BT-27",),
    "UBL-SR-10": ("BT-28",), "UBL-SR-11": ("BT-30",), "UBL-SR-12": ("BT-31",),
    "UBL-SR-13": ("BT-32",), "UBL-SR-14": ("BT-33",), "UBL-SR-15": ("BT-44",),
    "UBL-SR-16": ("BT-46",), "UBL-SR-17": ("BT-47",), "UBL-SR-18": ("BT-48",),
    "UBL-SR-19": ("BT-59",), "UBL-SR-20": ("BT-60",), "UBL-SR-21": ("BT-61",),
    "UBL-SR-22": ("BT-62",), "UBL-SR-23": ("BT-63",), "UBL-SR-24": ("BG-13",),
    "UBL-SR-25": ("BT-70",), "UBL-SR-26": ("BT-83",), "UBL-SR-27": ("BT-81",),
    "UBL-SR-28": ("BT-89",), "UBL-SR-29": ("BT-90",), "UBL-SR-30": ("BT-97",),
    "UBL-SR-31": ("BT-104",), "UBL-SR-32": ("BT-120",), "UBL-SR-33": ("BT-123",),
    "UBL-SR-34": ("BT-127",), "UBL-SR-35": ("BT-132",), "UBL-SR-36": ("BG-26",),
    "UBL-SR-37": ("BT-147",), "UBL-SR-39": ("BT-11",), "UBL-SR-40": ("BT-45",),
    "UBL-SR-42": ("BT-31", "BT-32"), "UBL-SR-43": ("BT-18-1",), "UBL-SR-44": ("BT-83",),
    "UBL-SR-45": ("BT-9",), "UBL-SR-46": ("BT-82",), "UBL-SR-47": ("BT-81",),
    "UBL-SR-48": ("BG-30",), "UBL-SR-49": ("BT-8",), "UBL-SR-50": ("BT-154",),
    "UBL-SR-51": ("BT-162", "BT-163", "BT-164", "BT-165"), "UBL-SR-52": ("BT-128",),
    "UBL-SR-53": ("BT-31", "BT-48", "BT-63"),
    "UBL-DT-06": ("BT-125-1",), "UBL-DT-07": ("BT-125-2",),
    "UBL-CR-666": ("BT-18", "BT-125"), "UBL-CR-673": ("BT-18", "BT-123"),
    "CII-SR-009": ("BT-24",), "CII-SR-010": ("BT-24",), "CII-SR-014": ("BT-3",),
    "CII-SR-046": ("BT-157-1",), "CII-SR-069": ("BT-160",), "CII-SR-072": ("BT-161",),
    "CII-SR-090": ("BT-159",), "CII-SR-439": ("BT-146",), "CII-SR-440": ("BT-147",),
    "CII-SR-441": ("BT-146",), "CII-SR-455": ("BG-6",), "CII-SR-456": ("BG-9",),
    "CII-SR-459": ("BT-34",), "CII-SR-460": ("BT-49",), "CII-SR-461": ("BT-7",),
    "CII-SR-462": ("BT-8",), "CII-SR-473": ("BT-92", "BT-99"), "CII-SR-477": ("BT-106",),
    "CII-SR-478": ("BT-108",), "CII-SR-479": ("BT-107",), "CII-SR-480": ("BT-109",),
    "CII-SR-481": ("BT-114",), "CII-SR-482": ("BT-112",), "CII-SR-484": ("BT-113",),
    "CII-SR-487": ("BT-115",),
}


def terms(rule_id: str, message: str) -> tuple[str, ...]:
    """The business terms of ``rule_id``: from the table above, else named in its message."""
    if rule_id in _BT_BY_ID:
        return _BT_BY_ID[rule_id]
    return tuple(dict.fromkeys(re.findall(r"\bB[TG]-\d+\b", message)))


def french(rule_id: str, message: str) -> str:
    """The French message of ``rule_id``: by id, else from one of the general forms."""
    if rule_id in _FR_BY_ID:
        return _FR_BY_ID[rule_id]
    for pattern, repl in _FR_FORMS:
        if re.fullmatch(pattern, message):
            text = re.sub(pattern, repl, message)
            for en, fr in _FR_TERMS.items():
                text = text.replace(en, fr)
            return text
    raise SystemExit(f"no French message for {rule_id}: {message!r}")


def to_xpath1(expr: str) -> str:
    """Rewrite the XPath 2.0 constructs of the official tests to XPath 1.0."""
    for old, new in REWRITES:
        expr = expr.replace(old, new)
    expr = re.sub(r"ends-with\(\s*name\(\)\s*,\s*'([^']*)'\s*\)",
                  lambda m: f"substring(name(), string-length(name()) - {len(m[1]) - 1}) "
                            f"= '{m[1]}'", expr)
    expr = re.sub(r"\bexists\(", "boolean(", expr)
    expr = re.sub(r"upper-case\((@?[\w:]+)\)",
                  lambda m: f"translate({m[1]}, '{LOWER}', '{UPPER}')", expr)
    return " ".join(expr.split())


def context_xpath(pattern: str) -> str:
    """An XSLT match pattern as an XPath selecting every node it matches."""
    parts = [p.strip() for p in re.split(r"\|(?![^\[]*\])", pattern)]
    return " | ".join(p if p.startswith("/") else "//" + p for p in parts)


def _message(node: etree._Element) -> str:
    text = " ".join("".join(node.itertext()).split())
    return re.sub(r"^\[[^\]]+\]\s*-?\s*", "", text)


def render(artifacts: Path) -> str:
    """The source of the generated module."""
    out = [
        '"""EN 16931 syntax rules (UBL-* and CII-*), as data: generated, do not edit by hand.',
        "",
        "Generated by ``tools/gen_syntax_rules.py`` from the CEN/TC 434 validation artefacts",
        "(eInvoicing-EN16931 1.3.16, preprocessed Schematron, syntax patterns).  Each syntax is a",
        "tuple of rules in Schematron order (a node is checked by the first rule whose context",
        "matches it): ``(context, asserts)``, each assert ``(id, flag, test, message_en,",
        "message_fr, terms)``; contexts and tests are XPath 1.0.",
        "",
        ">>> RULES_UBL[0][0], RULES_UBL[0][1][0][:2]",
        "('//cac:PostalAddress | //cac:Address', ('UBL-SR-51', 'fatal'))",
        '"""',
        "",
        "# ruff: noqa: E501",
        "",
        "from typing import Final",
        "",
        "Assert = tuple[str, str, str, str, str, tuple[str, ...]]",
        "Rule = tuple[str, tuple[Assert, ...]]",
        "",
        f'REGEX_NS: Final = "{REGEX_NS}"',
        "",
        "# fmt: off",
    ]
    for syntax, (rel, pattern_id) in SOURCES.items():
        tree = etree.parse(str(artifacts / rel))
        nsmap = {n.get("prefix"): n.get("uri") for n in tree.getroot().iter(f"{SCH}ns")}
        nsmap["re"] = REGEX_NS
        out.append(f"NAMESPACES_{syntax.upper()}: Final = {nsmap!r}")
        out.append(f"RULES_{syntax.upper()}: Final[tuple[Rule, ...]] = (")
        pattern = tree.getroot().find(f"{SCH}pattern[@id='{pattern_id}']")
        assert pattern is not None, pattern_id
        for rule in pattern.findall(f"{SCH}rule"):
            ctx = context_xpath(to_xpath1(rule.get("context", "")))
            etree.XPath(ctx, namespaces=nsmap)
            out.append(f"    ({ctx!r}, (")
            for a in rule.findall(f"{SCH}assert"):
                rid, flag, test = a.get("id", ""), a.get("flag", "fatal"), a.get("test", "")
                test1 = to_xpath1(test)
                etree.XPath(f"boolean({test1})", namespaces=nsmap)
                msg = _message(a)
                out.append(f"        ({rid!r}, {flag!r}, {test1!r},")
                out.append(f"         {msg!r},")
                out.append(f"         {french(rid, msg)!r},")
                out.append(f"         {terms(rid, msg)!r}),")
            out.append("    )),")
        out.append(")")
    out.append("# fmt: on")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> None:
    """Write the module (to ``argv[1]`` if given)."""
    artifacts = Path(argv[0])
    default = Path(__file__).resolve().parent.parent / "src/chorus_core/rules/_syntax_data.py"
    dest = Path(argv[1]) if len(argv) > 1 else default
    dest.write_text(render(artifacts), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
