"""The portal's services that gather what other applications hold about one voter."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from isoloir.accounts import question_defi
from isoloir.accounts.models import Compte, Electeur
from isoloir.audit.models import Evenement
from isoloir.audit.services import journaliser
from isoloir.booth.models import Emargement
from isoloir.core import horloge
from isoloir.elections.models import Inscription
from isoloir.notify.models import Courriel
from isoloir.votecode.models import CodeDeVote, RemiseDeNotice

# --- « Télécharger mes données » (RGPD art. 15 and 20) ----------------------------------


def _instant(valeur: datetime | None) -> str | None:
    return timezone.localtime(valeur).isoformat() if valeur else None


def donnees_personnelles(*, compte_id: int, ip: str = "") -> dict[str, Any]:
    """Everything the portal holds about one account, for the account's owner.

    Built from an explicit list of fields, never from whole rows, so that a field added
    later (a hash, a token) does not slip in: no password, NUMEN or answer hash, no code
    de vote, no link token, no ballot (the émargement says whether and when the voter
    voted, never how). Journaled.
    """
    compte = Compte.objects.get(pk=compte_id)
    electeur = Electeur.objects.filter(compte=compte).first()
    donnees: dict[str, Any] = {
        "export": {
            "genere_le": _instant(horloge.maintenant()),
            "service": "Isoloir — portail des élections professionnelles",
        },
        "compte": {
            "adresse_electronique_professionnelle": compte.email,
            "cree_le": _instant(compte.date_joined),
            "derniere_connexion": _instant(compte.last_login),
            "actif": compte.is_active,
        },
    }
    if electeur is not None:
        donnees["identite"] = {
            "civilite": electeur.get_civilite_display(),
            "nom_de_naissance": electeur.nom_naissance,
            "nom_d_usage": electeur.nom_usage,
            "prenoms": electeur.prenoms,
            "date_de_naissance": electeur.date_naissance.isoformat(),
            "commune_de_naissance_insee": electeur.commune_naissance,
            "pays_de_naissance_insee": electeur.pays_naissance,
            "etablissement_d_affectation": electeur.etablissement,
        }
        donnees["compte"]["active_le"] = _instant(electeur.active_le)
        donnees["compte"]["question_defi"] = question_defi.LIBELLES.get(electeur.question_defi, "")
        donnees["scrutins"] = _scrutins_et_emargements(electeur)
        code = CodeDeVote.objects.filter(electeur=electeur).first()
        donnees["code_de_vote"] = (
            {
                "numero": code.generation,
                "origine": code.get_origine_display(),
                "emis_le": _instant(code.emis_le),
            }
            if code
            else None
        )
        remise = RemiseDeNotice.objects.filter(electeur=electeur).first()
        donnees["notice"] = (
            {
                "etat": remise.get_etat_display(),
                "date": remise.date.isoformat() if remise.date else None,
                "etablissement": remise.etablissement,
            }
            if remise
            else None
        )
    donnees["courriels"] = [
        {
            "type": courriel.type,
            "cree_le": _instant(courriel.cree_le),
            "envoye_le": _instant(courriel.envoye_le),
            "etat": courriel.get_etat_display(),
        }
        for courriel in Courriel.objects.filter(compte=compte).order_by("cree_le", "pk")
    ]
    donnees["journal"] = [
        {"type": type_evenement, "horodatage": _instant(horodatage)}
        for type_evenement, horodatage in Evenement.objects.filter(compte_id=compte.pk)
        .order_by("id")
        .values_list("type", "horodatage")
    ]
    # Journaled after the read: the export does not list its own line.
    journaliser("compte.donnees_telechargees", compte_id=compte.pk, ip=ip)
    return donnees


def _scrutins_et_emargements(electeur: Electeur) -> list[dict[str, Any]]:
    inscriptions = (
        Inscription.objects.filter(electeur=electeur)
        .select_related("scrutin__campagne")
        .order_by("scrutin__campagne__ouverture", "scrutin__ordre", "scrutin__intitule")
    )
    emargements = dict(
        Emargement.objects.filter(inscription__electeur=electeur).values_list(
            "inscription_id", "emarge_le"
        )
    )
    return [
        {
            "campagne": inscription.scrutin.campagne.nom,
            "scrutin": inscription.scrutin.intitule,
            "type": inscription.scrutin.get_type_display(),
            "perimetre": inscription.scrutin.perimetre,
            "a_vote": inscription.pk in emargements,
            "a_vote_le": _instant(emargements.get(inscription.pk)),
        }
        for inscription in inscriptions
    ]
