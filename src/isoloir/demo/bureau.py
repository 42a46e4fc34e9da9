"""The demo campaign's bureau de vote: the ministerial CSA counted by a bureau whose three
key holders (the président and two délégués de liste) run the whole life of the election
in their browsers: key ceremony, sealing, count. Its scrutin gets no development key:
its key can only come from that ceremony."""

import base64
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify
from faker import Faker

from isoloir.accounts.models import Compte
from isoloir.accounts.second_facteur import appareil_de_demonstration
from isoloir.booth.models import CleDeScrutin
from isoloir.counting.models import (
    BureauDeVote,
    CeremonieDesCles,
    Cloture,
    Depouillement,
    MembreDuBureau,
    RattachementAuBureau,
    Role,
    Scellement,
)
from isoloir.elections.models import Campagne, Scrutin

NOM_DU_BUREAU = "Bureau de vote du CSA ministériel (démonstration)"
DOMAINE = "bureau.demo.education.gouv.fr"


@dataclass(frozen=True)
class MembreDemo:
    nom: str
    email: str
    mot_de_passe: str
    role: str
    liste: str
    detenteur_de_cle: bool
    # Base32 secret of the member's TOTP application (the second factor), to type into
    # an authenticator app or compute with ``oathtool --totp -b``.
    secret_totp: str


def _secret_totp() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode()


def _oublier_le_bureau(bureau: BureauDeVote) -> None:
    """A reloaded demo starts its bureau's life again: no key, no seal, no count."""
    scrutins = list(bureau.rattachements.values_list("scrutin_id", flat=True))
    Depouillement.objects.filter(scrutin_id__in=scrutins).delete()
    Cloture.objects.filter(scrutin_id__in=scrutins).delete()
    Scellement.objects.filter(bureau=bureau).delete()
    CeremonieDesCles.objects.filter(bureau=bureau).delete()
    CleDeScrutin.objects.filter(scrutin_id__in=scrutins).delete()


@transaction.atomic
def charger_bureau_demo(campagne: Campagne, scrutin: Scrutin) -> list[MembreDemo]:
    """The bureau of ``scrutin``: président, secrétaire and a délégué per list, with
    fresh passwords and second factors; the président and the first two délégués hold a
    key, and the threshold is three."""
    bureau = BureauDeVote.objects.filter(campagne=campagne, nom=NOM_DU_BUREAU).first()
    if bureau is not None:
        _oublier_le_bureau(bureau)
        bureau.membres.all().delete()
        bureau.rattachements.all().delete()
    else:
        bureau = BureauDeVote.objects.create(campagne=campagne, nom=NOM_DU_BUREAU, seuil=3)
    RattachementAuBureau.objects.create(bureau=bureau, scrutin=scrutin)
    # A development key left by an earlier demo of this scrutin goes: its key is the
    # bureau's to make.
    CleDeScrutin.objects.filter(scrutin=scrutin).delete()
    listes = list(scrutin.listes.order_by("ordre"))
    sieges = [
        ("president", Role.PRESIDENT, None, True),
        ("secretaire", Role.SECRETAIRE, None, False),
        *[
            (f"delegue-{slugify(liste.sigle)}", Role.DELEGUE, liste, rang < 2)
            for rang, liste in enumerate(listes)
        ],
    ]
    noms = Faker("fr_FR")
    noms.seed_instance(2026)  # the same names from one demo to the next
    membres = []
    for identifiant, role, liste, detenteur in sieges:
        email = f"{identifiant}@{DOMAINE}"
        mot_de_passe = secrets.token_urlsafe(12)
        nom = f"{noms.first_name()} {noms.last_name().upper()}"
        compte = Compte.objects.filter(email=email).first()
        if compte is None:
            compte = Compte.objects.create_user(email, mot_de_passe, nom_affiche=nom)
        else:
            compte.set_password(mot_de_passe)
            compte.nom_affiche = nom
            compte.save(update_fields=["password", "nom_affiche"])
        secret = _secret_totp()
        appareil_de_demonstration(compte, secret)
        MembreDuBureau.objects.create(
            bureau=bureau, compte=compte, role=role, liste=liste, detenteur_de_cle=detenteur
        )
        membres.append(
            MembreDemo(
                nom=nom,
                email=email,
                mot_de_passe=mot_de_passe,
                role=role.label,
                liste=liste.sigle if liste else "",
                detenteur_de_cle=detenteur,
                secret_totp=secret,
            )
        )
    return membres
