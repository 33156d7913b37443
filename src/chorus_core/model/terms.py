"""EN 16931 business terms: id, cardinality, English name and French label.

Every ``BT-…``/``BG-…`` of the European semantic model (EN 16931-1), the sub-identifiers
``BT-x-1``/``BT-x-2`` included (BT-4 does not exist).  The canonical model records these ids in
its field metadata; :func:`chorus_core.model.terms.model_terms` lists them, and a test checks
that both sets are equal.

>>> TERMS["BT-10"].name_en
'Buyer reference'
>>> TERMS["BT-10"].name_fr
"Référence de l'acheteur (code service)"
>>> TERMS["BG-25"].repeats
True
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["TERMS", "Term"]


class Term(NamedTuple):
    """One business term or group of EN 16931."""

    id: str
    cardinality: str
    name_en: str
    name_fr: str

    @property
    def is_group(self) -> bool:
        """True for a business group (``BG-…``)."""
        return self.id.startswith("BG-")

    @property
    def mandatory(self) -> bool:
        """True when the cardinality starts at 1 (within its parent group)."""
        return self.cardinality.startswith("1")

    @property
    def repeats(self) -> bool:
        """True when the term or group may occur more than once."""
        return self.cardinality.endswith("n")


_TABLE = """\
BG-1|0..n|INVOICE NOTE|Note de facture
BG-2|1..1|PROCESS CONTROL|Contrôle du processus
BG-3|0..n|PRECEDING INVOICE REFERENCE|Référence à une facture antérieure
BG-4|1..1|SELLER|Vendeur
BG-5|1..1|SELLER POSTAL ADDRESS|Adresse postale du vendeur
BG-6|0..1|SELLER CONTACT|Contact du vendeur
BG-7|1..1|BUYER|Acheteur
BG-8|1..1|BUYER POSTAL ADDRESS|Adresse postale de l'acheteur
BG-9|0..1|BUYER CONTACT|Contact de l'acheteur
BG-10|0..1|PAYEE|Bénéficiaire
BG-11|0..1|SELLER TAX REPRESENTATIVE PARTY|Représentant fiscal du vendeur
BG-12|1..1|SELLER TAX REPRESENTATIVE POSTAL ADDRESS|Adresse postale du représentant fiscal du vendeur
BG-13|0..1|DELIVERY INFORMATION|Informations de livraison
BG-14|0..1|INVOICING PERIOD|Période de facturation
BG-15|0..1|DELIVER TO ADDRESS|Adresse de livraison
BG-16|0..1|PAYMENT INSTRUCTIONS|Instructions de paiement
BG-17|0..n|CREDIT TRANSFER|Virement
BG-18|0..1|PAYMENT CARD INFORMATION|Informations sur la carte de paiement
BG-19|0..1|DIRECT DEBIT|Prélèvement
BG-20|0..n|DOCUMENT LEVEL ALLOWANCES|Remises au niveau du document
BG-21|0..n|DOCUMENT LEVEL CHARGES|Charges au niveau du document
BG-22|1..1|DOCUMENT TOTALS|Totaux du document
BG-23|1..n|VAT BREAKDOWN|Ventilation de la TVA
BG-24|0..n|ADDITIONAL SUPPORTING DOCUMENTS|Pièces justificatives additionnelles
BG-25|1..n|INVOICE LINE|Ligne de facture
BG-26|0..1|INVOICE LINE PERIOD|Période de facturation de la ligne
BG-27|0..n|INVOICE LINE ALLOWANCES|Remises sur la ligne de facture
BG-28|0..n|INVOICE LINE CHARGES|Charges sur la ligne de facture
BG-29|1..1|PRICE DETAILS|Détails du prix
BG-30|1..1|LINE VAT INFORMATION|Informations sur la TVA de la ligne
BG-31|1..1|ITEM INFORMATION|Informations sur l'article
BG-32|0..n|ITEM ATTRIBUTES|Attributs de l'article
BT-1|1..1|Invoice number|Numéro de facture
BT-2|1..1|Invoice issue date|Date d'émission de la facture
BT-3|1..1|Invoice type code|Code de type de facture
BT-5|1..1|Invoice currency code|Code de devise de la facture
BT-6|0..1|VAT accounting currency code|Code de devise de comptabilisation de la TVA
BT-7|0..1|Value added tax point date|Date d'exigibilité de la TVA
BT-8|0..1|Value added tax point date code|Code de date d'exigibilité de la TVA
BT-9|0..1|Payment due date|Date d'échéance du paiement
BT-10|0..1|Buyer reference|Référence de l'acheteur (code service)
BT-11|0..1|Project reference|Référence du projet
BT-12|0..1|Contract reference|Référence du contrat (numéro de marché)
BT-13|0..1|Purchase order reference|Référence du bon de commande (numéro d'engagement)
BT-14|0..1|Sales order reference|Référence de la commande client
BT-15|0..1|Receiving advice reference|Référence de l'avis de réception
BT-16|0..1|Despatch advice reference|Référence de l'avis d'expédition
BT-17|0..1|Tender or lot reference|Référence de l'appel d'offres ou du lot
BT-18|0..1|Invoiced object identifier|Identifiant de l'objet facturé
BT-18-1|0..1|Invoiced object identifier scheme identifier|Identifiant du schéma de l'objet facturé
BT-19|0..1|Buyer accounting reference|Référence comptable de l'acheteur
BT-20|0..1|Payment terms|Conditions de paiement
BT-21|0..1|Invoice note subject code|Code du sujet de la note
BT-22|1..1|Invoice note|Note de facture
BT-23|0..1|Business process type|Type de processus métier (cadre de facturation)
BT-24|1..1|Specification identifier|Identifiant de spécification
BT-25|1..1|Preceding Invoice reference|Référence à une facture antérieure
BT-26|0..1|Preceding Invoice issue date|Date d'émission de la facture antérieure
BT-27|1..1|Seller name|Nom du vendeur
BT-28|0..1|Seller trading name|Nom commercial du vendeur
BT-29|0..n|Seller identifier|Identifiant du vendeur
BT-29-1|0..1|Seller identifier scheme ID|Identifiant du schéma de l'identifiant du vendeur
BT-30|0..1|Seller legal registration ID|Identifiant d'enregistrement légal du vendeur
BT-30-1|0..1|Seller legal registration ID scheme ID|Identifiant du schéma de l'enregistrement légal du vendeur
BT-31|0..1|Seller VAT identifier|Identifiant à la TVA du vendeur
BT-32|0..1|Seller tax registration ID|Identifiant fiscal du vendeur
BT-33|0..1|Seller additional legal info|Informations juridiques complémentaires du vendeur
BT-34|1..1|Seller electronic address|Adresse électronique du vendeur
BT-34-1|1..1|Seller electronic address scheme ID|Identifiant du schéma de l'adresse électronique du vendeur
BT-35|0..1|Seller address line 1|Ligne 1 de l'adresse du vendeur
BT-36|0..1|Seller address line 2|Ligne 2 de l'adresse du vendeur
BT-37|0..1|Seller city|Localité du vendeur
BT-38|0..1|Seller post code|Code postal du vendeur
BT-39|0..1|Seller country subdivision|Subdivision du pays du vendeur
BT-40|1..1|Seller country code|Code de pays du vendeur
BT-41|0..1|Seller contact point|Point de contact du vendeur
BT-42|0..1|Seller contact telephone|Numéro de téléphone du contact du vendeur
BT-43|0..1|Seller contact email|Adresse électronique du contact du vendeur
BT-44|1..1|Buyer name|Nom de l'acheteur
BT-45|0..1|Buyer trading name|Nom commercial de l'acheteur
BT-46|0..1|Buyer identifier|Identifiant de l'acheteur
BT-46-1|0..1|Buyer identifier scheme ID|Identifiant du schéma de l'identifiant de l'acheteur
BT-47|0..1|Buyer legal registration ID|Identifiant d'enregistrement légal de l'acheteur
BT-47-1|0..1|Buyer legal registration ID scheme ID|Identifiant du schéma de l'enregistrement légal de l'acheteur
BT-48|0..1|Buyer VAT identifier|Identifiant à la TVA de l'acheteur
BT-49|1..1|Buyer electronic address|Adresse électronique de l'acheteur
BT-49-1|1..1|Buyer electronic address scheme ID|Identifiant du schéma de l'adresse électronique de l'acheteur
BT-50|0..1|Buyer address line 1|Ligne 1 de l'adresse de l'acheteur
BT-51|0..1|Buyer address line 2|Ligne 2 de l'adresse de l'acheteur
BT-52|0..1|Buyer city|Localité de l'acheteur
BT-53|0..1|Buyer post code|Code postal de l'acheteur
BT-54|0..1|Buyer country subdivision|Subdivision du pays de l'acheteur
BT-55|1..1|Buyer country code|Code de pays de l'acheteur
BT-56|0..1|Buyer contact point|Point de contact de l'acheteur
BT-57|0..1|Buyer contact telephone|Numéro de téléphone du contact de l'acheteur
BT-58|0..1|Buyer contact email|Adresse électronique du contact de l'acheteur
BT-59|1..1|Payee name|Nom du bénéficiaire
BT-60|0..1|Payee identifier|Identifiant du bénéficiaire
BT-60-1|0..1|Payee identifier scheme ID|Identifiant du schéma de l'identifiant du bénéficiaire
BT-61|0..1|Payee legal registration ID|Identifiant d'enregistrement légal du bénéficiaire
BT-61-1|0..1|Payee legal registration ID scheme ID|Identifiant du schéma de l'enregistrement légal du bénéficiaire
BT-62|1..1|Seller tax rep name|Nom du représentant fiscal du vendeur
BT-63|1..1|Seller tax rep VAT ID|Identifiant à la TVA du représentant fiscal du vendeur
BT-64|0..1|Tax rep address line 1|Ligne 1 de l'adresse du représentant fiscal
BT-65|0..1|Tax rep address line 2|Ligne 2 de l'adresse du représentant fiscal
BT-66|0..1|Tax rep city|Localité du représentant fiscal
BT-67|0..1|Tax rep post code|Code postal du représentant fiscal
BT-68|0..1|Tax rep country subdivision|Subdivision du pays du représentant fiscal
BT-69|1..1|Tax rep country code|Code de pays du représentant fiscal
BT-70|0..1|Deliver to party name|Nom de la partie livrée
BT-71|0..1|Deliver to location ID|Identifiant du lieu de livraison
BT-71-1|0..1|Deliver to location ID scheme ID|Identifiant du schéma du lieu de livraison
BT-72|0..1|Actual delivery date|Date effective de livraison
BT-73|0..1|Invoicing period start date|Date de début de la période de facturation
BT-74|0..1|Invoicing period end date|Date de fin de la période de facturation
BT-75|0..1|Deliver to address line 1|Ligne 1 de l'adresse de livraison
BT-76|0..1|Deliver to address line 2|Ligne 2 de l'adresse de livraison
BT-77|0..1|Deliver to city|Localité de livraison
BT-78|0..1|Deliver to post code|Code postal de livraison
BT-79|0..1|Deliver to country subdivision|Subdivision du pays de livraison
BT-80|1..1|Deliver to country code|Code de pays de livraison
BT-81|1..1|Payment means type code|Code de type de moyen de paiement
BT-82|0..1|Payment means text|Libellé du moyen de paiement
BT-83|0..1|Remittance information|Avis de paiement
BT-84|1..1|Payment account identifier|Identifiant du compte de paiement
BT-85|0..1|Payment account name|Nom du compte de paiement
BT-86|0..1|Payment service provider ID|Identifiant du prestataire de services de paiement
BT-87|1..1|Payment card PAN|Numéro de la carte de paiement
BT-88|0..1|Payment card holder name|Nom du titulaire de la carte de paiement
BT-89|0..1|Mandate reference ID|Identifiant de référence du mandat
BT-90|0..1|Bank assigned creditor ID|Identifiant du créancier attribué par la banque
BT-91|0..1|Debited account ID|Identifiant du compte débité
BT-92|1..1|Document level allowance amount|Montant de la remise au niveau du document
BT-93|0..1|Document level allowance base amount|Montant de base de la remise au niveau du document
BT-94|0..1|Document level allowance percentage|Pourcentage de la remise au niveau du document
BT-95|1..1|Document level allowance VAT category code|Code de type de TVA de la remise au niveau du document
BT-96|0..1|Document level allowance VAT rate|Taux de TVA de la remise au niveau du document
BT-97|0..1|Document level allowance reason|Motif de la remise au niveau du document
BT-98|0..1|Document level allowance reason code|Code du motif de la remise au niveau du document
BT-99|1..1|Document level charge amount|Montant des charges au niveau du document
BT-100|0..1|Document level charge base amount|Montant de base des charges au niveau du document
BT-101|0..1|Document level charge percentage|Pourcentage des charges au niveau du document
BT-102|1..1|Document level charge VAT category code|Code de type de TVA des charges au niveau du document
BT-103|0..1|Document level charge VAT rate|Taux de TVA des charges au niveau du document
BT-104|0..1|Document level charge reason|Motif des charges au niveau du document
BT-105|0..1|Document level charge reason code|Code du motif des charges au niveau du document
BT-106|1..1|Sum of Invoice line net amount|Somme des montants nets des lignes de facture
BT-107|0..1|Sum of allowances on document level|Somme des remises au niveau du document
BT-108|0..1|Sum of charges on document level|Somme des charges au niveau du document
BT-109|1..1|Invoice total amount without VAT|Montant total de la facture hors TVA
BT-110|0..1|Invoice total VAT amount|Montant total de la TVA de la facture
BT-111|0..1|Invoice total VAT amount in accounting currency|Montant total de la TVA dans la devise de comptabilisation
BT-112|1..1|Invoice total amount with VAT|Montant total de la facture TVA comprise
BT-113|0..1|Paid amount|Montant payé
BT-114|0..1|Rounding amount|Montant de l'arrondi
BT-115|1..1|Amount due for payment|Montant à payer
BT-116|1..1|VAT category taxable amount|Base d'imposition par type de TVA
BT-117|1..1|VAT category tax amount|Montant de la TVA par type de TVA
BT-118|1..1|VAT category code|Code de type de TVA
BT-119|0..1|VAT category rate|Taux de TVA par type de TVA
BT-120|0..1|VAT exemption reason text|Motif d'exonération de TVA
BT-121|0..1|VAT exemption reason code|Code du motif d'exonération de TVA
BT-122|1..1|Supporting document reference|Référence de la pièce justificative
BT-123|0..1|Supporting document description|Description de la pièce justificative
BT-124|0..1|External document location|Emplacement du document externe
BT-125|0..1|Attached document|Document joint
BT-125-1|1..1|Attached document Mime code|Code MIME du document joint
BT-125-2|0..1|Attached document Filename|Nom du fichier du document joint
BT-126|1..1|Invoice line identifier|Identifiant de la ligne de facture
BT-127|0..1|Invoice line note|Note de la ligne de facture
BT-128|0..1|Invoice line object identifier|Identifiant d'objet de la ligne de facture
BT-128-1|0..1|Invoice line object identifier scheme ID|Identifiant du schéma de l'objet de la ligne
BT-129|1..1|Invoiced quantity|Quantité facturée
BT-130|1..1|Invoiced quantity unit of measure code|Code de l'unité de mesure de la quantité facturée
BT-131|1..1|Invoice line net amount|Montant net de la ligne de facture
BT-132|0..1|Referenced purchase order line reference|Référence de la ligne de commande
BT-133|0..1|Invoice line Buyer accounting reference|Référence comptable de l'acheteur pour la ligne
BT-134|0..1|Invoice line period start date|Date de début de la période de la ligne
BT-135|0..1|Invoice line period end date|Date de fin de la période de la ligne
BT-136|1..1|Invoice line allowance amount|Montant de la remise sur la ligne
BT-137|0..1|Invoice line allowance base amount|Montant de base de la remise sur la ligne
BT-138|0..1|Invoice line allowance percentage|Pourcentage de la remise sur la ligne
BT-139|0..1|Invoice line allowance reason|Motif de la remise sur la ligne
BT-140|0..1|Invoice line allowance reason code|Code du motif de la remise sur la ligne
BT-141|1..1|Invoice line charge amount|Montant des charges sur la ligne
BT-142|0..1|Invoice line charge base amount|Montant de base des charges sur la ligne
BT-143|0..1|Invoice line charge percentage|Pourcentage des charges sur la ligne
BT-144|0..1|Invoice line charge reason|Motif des charges sur la ligne
BT-145|0..1|Invoice line charge reason code|Code du motif des charges sur la ligne
BT-146|1..1|Item net price|Prix net de l'article
BT-147|0..1|Item price discount|Rabais sur le prix de l'article
BT-148|0..1|Item gross price|Prix brut de l'article
BT-149|0..1|Item price base quantity|Quantité de base du prix de l'article
BT-150|0..1|Item price base quantity unit of measure code|Code de l'unité de mesure de la quantité de base
BT-151|1..1|Invoiced item VAT category code|Code de type de TVA de l'article facturé
BT-152|0..1|Invoiced item VAT rate|Taux de TVA de l'article facturé
BT-153|1..1|Item name|Nom de l'article
BT-154|0..1|Item description|Description de l'article
BT-155|0..1|Item Seller's identifier|Identifiant vendeur de l'article
BT-156|0..1|Item Buyer's identifier|Identifiant acheteur de l'article
BT-157|0..1|Item standard identifier|Identifiant standard de l'article
BT-157-1|1..1|Item standard identifier scheme ID|Identifiant du schéma de l'identifiant standard
BT-158|0..n|Item classification identifier|Identifiant de classification de l'article
BT-158-1|1..1|Item classification identifier scheme ID|Identifiant du schéma de classification
BT-158-2|0..1|Item classification identifier scheme version ID|Version du schéma de classification
BT-159|0..1|Item country of origin|Pays d'origine de l'article
BT-160|1..1|Item attribute name|Nom de l'attribut de l'article
BT-161|1..1|Item attribute value|Valeur de l'attribut de l'article
BT-162|0..1|Seller address line 3|Ligne 3 de l'adresse du vendeur
BT-163|0..1|Buyer address line 3|Ligne 3 de l'adresse de l'acheteur
BT-164|0..1|Tax rep address line 3|Ligne 3 de l'adresse du représentant fiscal
BT-165|0..1|Deliver to address line 3|Ligne 3 de l'adresse de livraison
"""

TERMS: dict[str, Term] = {
    row.split("|")[0]: Term(*row.split("|")) for row in _TABLE.splitlines() if row
}


# ---------------------------------------------------------------- walking the model
# (imports below the table on purpose: the table is plain data, the walker needs pydantic)

import types  # noqa: E402
import typing  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402

from pydantic import BaseModel  # noqa: E402


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel class inside ``X | None`` or ``tuple[X, ...]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def _meta(field: Any) -> dict[str, Any]:
    extra = field.json_schema_extra
    return extra if isinstance(extra, dict) else {}


def _has_terms(cls: type[BaseModel]) -> bool:
    return any("bt" in _meta(f) for f in cls.model_fields.values())


def _leaf_ids(term: str, sub: dict[str, str], cls: type[BaseModel]) -> dict[str, str]:
    """Field name → term id for a composite leaf (identifier, address, contact)."""
    return {
        name: sub.get(name, term)
        for name in cls.model_fields
        if name in sub or (name == "value" and "value" not in sub)
    }


def model_terms(cls: type[BaseModel] | None = None) -> frozenset[str]:
    """Every BT/BG id recorded in the model's field metadata (the coverage test compares this
    with :data:`TERMS`).

    >>> ids = model_terms()
    >>> {"BT-1", "BT-46-1", "BG-25", "BT-165"} <= ids
    True
    """
    if cls is None:
        from .invoice import Invoice

        cls = Invoice
    found: set[str] = set()
    for field in cls.model_fields.values():
        meta = _meta(field)
        if "bt" not in meta:
            continue
        found.add(meta["bt"])
        inner = _inner_model(field.annotation)
        if inner is None:
            continue
        if _has_terms(inner):
            found |= model_terms(inner)
        else:
            found |= set(_leaf_ids(meta["bt"], meta.get("sub", {}), inner).values())
    return frozenset(found)


def term_values(model: BaseModel, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """Yield ``(term id, model path, value)`` for every scalar value present in ``model``.

    Used by the conversion loss report to compare a document before and after a conversion.

    >>> from chorus_core.model import Invoice
    >>> list(term_values(Invoice(invoice_number="F-1", buyer_reference="SERV")))
    [('BT-1', 'invoice_number', 'F-1'), ('BT-10', 'buyer_reference', 'SERV')]
    """
    for name, field in type(model).model_fields.items():
        meta = _meta(field)
        value = getattr(model, name)
        if "bt" not in meta or value is None or value == ():
            continue
        inner = _inner_model(field.annotation)
        items = value if isinstance(value, tuple) else (value,)
        for index, item in enumerate(items):
            here = f"{path}{name}" + (f"[{index}]" if isinstance(value, tuple) else "")
            if inner is None:
                yield meta["bt"], here, item
            elif _has_terms(inner):
                yield from term_values(item, here + ".")
            else:
                for sub_name, term in _leaf_ids(meta["bt"], meta.get("sub", {}), inner).items():
                    sub_value = getattr(item, sub_name)
                    if sub_value is not None:
                        yield term, f"{here}.{sub_name}", sub_value
