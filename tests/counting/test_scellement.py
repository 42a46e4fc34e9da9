"""The seal of a bureau de vote (issue 5 § 3, docs/scellement.md): proposed after the key
ceremony and before the opening, signed by the président and a délégué with their key
shares; afterwards every change to what is sealed is refused with nothing written, a
change that bypasses the refusal is found by the check, which stops the count; a ceremony
scrutin takes no ballot before its seal; the public board shows it."""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.core.cache import cache
from django.db import transaction
from django.forms import modelform_factory
from django.test import RequestFactory
from django.urls import reverse

from isoloir.audit.models import Evenement
from isoloir.ballotbox import services as urne
from isoloir.booth import cles, depot
from isoloir.booth.models import CleDeScrutin, Emargement, IntentionDeVote, OrigineCle
from isoloir.core import horloge
from isoloir.counting import ceremonie, contenu_scelle, depouillement, scellement
from isoloir.counting.models import (
    BureauDeVote,
    CeremonieDesCles,
    MembreDuBureau,
    RattachementAuBureau,
    Role,
    Scellement,
)
from isoloir.counting.signals import ScrutinScelle
from isoloir.crypto import seuil
from isoloir.crypto.bulletin import verifier_bulletin
from isoloir.crypto.groupe import AleaSysteme
from isoloir.elections.admin import FormulaireScelle
from isoloir.elections.import_liste.en_une_fois import importer_liste_electorale
from isoloir.elections.models import Campagne, Candidat, Inscription, ListeCandidats, Scrutin
from tests.counting.conftest import nouveau_compte
from tests.counting.detenteurs import (
    AVANT_L_OUVERTURE,
    Detenteur,
    ceremonie_complete,
    sceller,
    signature_de,
)
from tests.scrutin_de_vote import URNE_ET_DEFAUT, bulletin_pour

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)

INTITULE = "CSA ministériel"


@dataclass
class Bureau:
    bureau: BureauDeVote
    ceremonie: CeremonieDesCles
    detenteurs: dict[str, Detenteur]
    scrutin: Scrutin


@pytest.fixture
def avec_cle(bureau, scrutin, creer_electeur, creer_liste) -> Bureau:
    """Two voters on the roll, a fourth list (with no délégué), a candidate, the
    ceremony closed: ready to seal."""
    creer_liste(scrutin, ordre=4, sigle="SNALC", denomination="SNALC")
    for _ in range(2):
        creer_electeur(scrutin, active=True)
    Candidat.objects.create(
        liste=scrutin.listes.get(sigle="FSU"), rang=1, civilite="Mme", nom="Roux", prenoms="Anne"
    )
    c, detenteurs = ceremonie_complete(bureau)
    return Bureau(bureau, c, detenteurs, scrutin)


@pytest.fixture
def scelle(avec_cle: Bureau) -> Bureau:
    sceller(avec_cle.bureau, avec_cle.ceremonie, avec_cle.detenteurs)
    cache.clear()
    return avec_cle


def _proposer(bureau: BureauDeVote) -> Scellement:
    with horloge.decalee_de(AVANT_L_OUVERTURE):
        return scellement.proposer(bureau)


def _signer(b: Bureau, nom: str, donnees: dict | None = None) -> Scellement:
    s = Scellement.objects.get(bureau=b.bureau)
    h = b.detenteurs[nom]
    with horloge.decalee_de(AVANT_L_OUVERTURE):
        return scellement.signer(
            b.bureau, h.membre, donnees or signature_de(b.ceremonie, h, s.empreinte)
        )


# --- Proposal -----------------------------------------------------------------------------


def test_pas_de_scellement_avant_la_cle(bureau) -> None:
    with pytest.raises(scellement.ScellementRefuse, match="n'est pas close"):
        _proposer(bureau)
    ceremonie.ouvrir(bureau)
    with pytest.raises(scellement.ScellementRefuse, match="n'est pas close"):
        _proposer(bureau)
    assert not Scellement.objects.exists()


def test_pas_de_scellement_apres_l_ouverture(avec_cle: Bureau) -> None:
    with pytest.raises(scellement.ScellementRefuse, match="est déjà ouvert"):
        scellement.proposer(avec_cle.bureau)
    assert not Scellement.objects.exists()


def test_pas_de_scellement_apres_un_bulletin(avec_cle: Bureau) -> None:
    scrutin = avec_cle.scrutin
    manifeste = cles.manifeste_du_scrutin(scrutin)
    assert manifeste is not None and manifeste.origine_cle == OrigineCle.CEREMONIE
    # A ballot in the urne by another path than the vote (which refuses, unsealed).
    verifie = verifier_bulletin(bulletin_pour(scrutin, 1), manifeste)
    urne.deposer(scrutin_id=scrutin.pk, bulletin=verifie, empreinte_nonce="0" * 64)
    with pytest.raises(scellement.ScellementRefuse, match="Des bulletins sont déjà dans l'urne"):
        _proposer(avec_cle.bureau)
    assert not Scellement.objects.exists()


def test_ce_qui_est_scelle(avec_cle: Bureau) -> None:
    s = _proposer(avec_cle.bureau)
    contenu = s.contenu
    assert (
        s.empreinte
        == hashlib.sha256(
            json.dumps(contenu, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        ).hexdigest()
    )
    assert s.scelle_le is None and s.signatures == []
    assert contenu["cle"]["empreinte"] == avec_cle.ceremonie.empreinte
    assert contenu["logiciel"]["version"] == "0.1.0"
    assert len(contenu["logiciel"]["empreinte"]) == 64 and contenu["logiciel"]["fichiers"] > 100
    (sc,) = contenu["scrutins"]
    scrutin = avec_cle.scrutin
    assert sc["code"] == "csa-men" and sc["sieges_titulaires"] == 15
    assert sc["manifeste"] == cles.manifeste_du_scrutin(scrutin).empreinte_hex
    assert sc["cle_publique"] == CleDeScrutin.objects.get(scrutin=scrutin).cle_publique
    assert sc["liste_electorale"]["inscrits"] == 2
    # The roll's fingerprint: the sorted NUMEN fingerprints, no personal data in clear.
    numens = sorted(
        Inscription.objects.filter(scrutin=scrutin).values_list(
            "electeur__numen_empreinte", flat=True
        )
    )
    attendu = hashlib.sha256("".join(n + "\n" for n in numens).encode()).hexdigest()
    assert sc["liste_electorale"]["empreinte"] == attendu
    # The shape the vectors pin (tests/vecteurs/seuil-v1.json, section scellements).
    vecteur = json.loads(
        (Path(__file__).resolve().parents[1] / "vecteurs" / "seuil-v1.json").read_text()
    )["scellements"]["contenu"]
    assert set(vecteur) == set(contenu)
    assert set(vecteur["scrutins"][0]) == set(sc)
    texte = json.dumps(contenu)
    for electeur in Inscription.objects.filter(scrutin=scrutin).select_related("electeur__compte"):
        for donnee in (
            electeur.electeur.numen_empreinte,
            electeur.electeur.compte.email,
            electeur.electeur.nom_naissance,
        ):
            assert donnee not in texte


def test_l_empreinte_du_logiciel_suit_ses_fichiers(tmp_path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "vue.py").write_text("x = 1\n")
    (tmp_path / "app" / "page.html").write_text("<p>vote</p>")
    (tmp_path / "notes.txt").write_text("hors du logiciel")
    avant = contenu_scelle.empreinte_du_logiciel(tmp_path)
    assert avant["fichiers"] == 2
    (tmp_path / "notes.txt").write_text("changé")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "vue.py").write_text("cache")
    assert contenu_scelle.empreinte_du_logiciel(tmp_path) == avant
    (tmp_path / "app" / "vue.py").write_text("x = 2\n")
    assert contenu_scelle.empreinte_du_logiciel(tmp_path)["empreinte"] != avant["empreinte"]
    (tmp_path / "app" / "vue.py").write_text("x = 1\n")
    (tmp_path / "app" / "page.html").rename(tmp_path / "app" / "autre.html")
    assert contenu_scelle.empreinte_du_logiciel(tmp_path)["empreinte"] != avant["empreinte"]


# --- Signatures ---------------------------------------------------------------------------


def test_scelle_seulement_avec_le_president_et_un_delegue(avec_cle: Bureau) -> None:
    _proposer(avec_cle.bureau)
    assert _signer(avec_cle, "delegue-fsu").scelle_le is None
    assert _signer(avec_cle, "delegue-unsa").scelle_le is None
    assert not scellement.est_scelle(avec_cle.scrutin)
    assert not Evenement.objects.filter(type="bureau.scelle").exists()
    s = _signer(avec_cle, "presidente")
    assert s.scelle_le is not None
    assert scellement.est_scelle(avec_cle.scrutin)
    assert [d["detenteur"] for d in s.signatures] == [2, 3, 1]
    evenement = Evenement.objects.get(type="bureau.scelle")
    assert evenement.details["empreinte"] == s.empreinte
    assert scellement.verifier(avec_cle.scrutin) == []
    assert scellement.verifier(avec_cle.bureau) == []


def test_le_president_seul_ne_scelle_pas(avec_cle: Bureau) -> None:
    _proposer(avec_cle.bureau)
    assert _signer(avec_cle, "presidente").scelle_le is None
    assert scellement.verifier(avec_cle.scrutin) == [
        "Le bureau « BV du CSA ministériel » n'a pas été scellé."
    ]


def test_signatures_refusees(avec_cle: Bureau) -> None:
    b = avec_cle
    s = _proposer(b.bureau)
    cle = ceremonie.cle_du_bureau(b.ceremonie)
    fsu, unsa = b.detenteurs["delegue-fsu"], b.detenteurs["delegue-unsa"]
    j_fsu = ceremonie.indice(b.ceremonie, fsu.membre)
    j_unsa = ceremonie.indice(b.ceremonie, unsa.membre)
    message = bytes.fromhex(s.empreinte)

    secretaire = MembreDuBureau.objects.get(bureau=b.bureau, role=Role.SECRETAIRE)
    with (
        horloge.decalee_de(AVANT_L_OUVERTURE),
        pytest.raises(scellement.ScellementRefuse, match="ne détenez pas de clé"),
    ):
        scellement.signer(b.bureau, secretaire, signature_de(b.ceremonie, fsu, s.empreinte))

    # UNSA's signature, claimed as FSU's: x is not FSU's share.
    volee = seuil.signer_scellement(cle, j_unsa, unsa.x, message, AleaSysteme()).vers_dict()
    with pytest.raises(scellement.ScellementRefuse, match="celle d'un autre détenteur"):
        _signer(b, "delegue-fsu", volee)
    volee["detenteur"] = j_fsu
    with pytest.raises(scellement.ScellementRefuse, match="Signature refusée"):
        _signer(b, "delegue-fsu", volee)

    autre = hashlib.sha256(b"un autre contenu").digest()
    faux_message = seuil.signer_scellement(cle, j_fsu, fsu.x, autre, AleaSysteme())
    with pytest.raises(scellement.ScellementRefuse, match="Signature refusée"):
        _signer(b, "delegue-fsu", faux_message.vers_dict())
    with pytest.raises(scellement.ScellementRefuse, match="illisible"):
        _signer(b, "delegue-fsu", {"detenteur": j_fsu, "engagement": "00", "reponse": "00"})

    assert Scellement.objects.get().signatures == []
    _signer(b, "delegue-fsu")
    with pytest.raises(scellement.ScellementRefuse, match="déjà signé"):
        _signer(b, "delegue-fsu")
    assert len(Scellement.objects.get().signatures) == 1


def test_une_signature_sur_un_contenu_qui_a_change_est_refusee(
    avec_cle: Bureau, creer_electeur
) -> None:
    _proposer(avec_cle.bureau)
    _signer(avec_cle, "presidente")
    creer_electeur(avec_cle.scrutin)  # not sealed yet: allowed, but the proposal is stale
    with pytest.raises(
        scellement.ScellementRefuse,
        match=re.escape(
            "La liste électorale du scrutin « CSA ministériel » a changé depuis le scellement. "
            "Proposez de nouveau"
        ),
    ):
        _signer(avec_cle, "delegue-fsu")
    assert Scellement.objects.get().scelle_le is None
    # Proposed again, over the new roll: the old signatures go.
    assert _proposer(avec_cle.bureau).signatures == []
    _signer(avec_cle, "presidente")
    assert _signer(avec_cle, "delegue-fsu").scelle_le is not None


def test_un_bureau_scelle_ne_se_rescelle_pas(scelle: Bureau) -> None:
    with pytest.raises(scellement.ScellementRefuse, match="déjà scellé"):
        _proposer(scelle.bureau)


# --- Nothing sealed changes ---------------------------------------------------------------


def _refuse(action, quoi: str = "") -> None:
    # A refused delete breaks the enclosing transaction (Django sends pre_delete inside
    # its own atomic block): a savepoint keeps the test's transaction usable.
    with pytest.raises(ScrutinScelle, match=quoi or "est scellé"), transaction.atomic():
        action()


def test_listes_et_candidats_figes(scelle: Bureau) -> None:
    scrutin = scelle.scrutin
    fsu = scrutin.listes.get(sigle="FSU")
    avant = list(ListeCandidats.objects.order_by("pk").values())
    candidats = list(Candidat.objects.order_by("pk").values())

    _refuse(
        lambda: ListeCandidats.objects.create(
            scrutin=scrutin, ordre=9, sigle="SNALC", denomination="SNALC"
        ),
        "impossible de modifier ses listes de candidats. Rien n'a été enregistré.",
    )
    fsu.sigle = "FSU-SNES"
    _refuse(fsu.save, "Le scrutin « CSA ministériel » est scellé par le bureau de vote")
    _refuse(ListeCandidats.objects.get(sigle="SNALC").delete, "supprimer une de ses listes")
    _refuse(lambda: ListeCandidats.objects.filter(sigle="SNALC").delete())
    _refuse(
        lambda: Candidat.objects.create(
            liste=fsu, rang=2, civilite="M.", nom="Vidal", prenoms="Paul"
        ),
        "impossible de modifier ses candidats",
    )
    candidat = Candidat.objects.get()
    candidat.nom = "Rousse"
    _refuse(candidat.save, "impossible de modifier ses candidats")
    _refuse(candidat.delete, "impossible de supprimer un de ses candidats")

    assert list(ListeCandidats.objects.order_by("pk").values()) == avant
    assert list(Candidat.objects.order_by("pk").values()) == candidats
    # Saving without a change is not a change.
    ListeCandidats.objects.get(sigle="FSU").save()
    assert scellement.verifier(scrutin) == []


def test_liste_electorale_figee(scelle: Bureau, creer_electeur) -> None:
    scrutin = scelle.scrutin
    inscriptions = list(Inscription.objects.order_by("pk").values())
    _refuse(lambda: creer_electeur(scrutin), "impossible de modifier sa liste électorale")
    autre = creer_electeur()
    _refuse(lambda: Inscription.objects.create(electeur=autre, scrutin=scrutin), "liste électorale")
    premiere = Inscription.objects.filter(scrutin=scrutin).first()
    _refuse(
        premiere.delete, "supprimer une inscription de sa liste électorale. Rien n'a été supprimé"
    )
    _refuse(lambda: Inscription.objects.filter(scrutin=scrutin).delete())
    # Deleting a voter would delete their inscription: refused too.
    _refuse(lambda: premiere.electeur.delete())
    electeur = premiere.electeur
    electeur.numen_empreinte = "f" * 64
    _refuse(electeur.save, "l'identifiant de ses électeurs")
    assert list(Inscription.objects.order_by("pk").values()) == inscriptions
    # A voter's other details are not sealed.
    electeur.refresh_from_db()
    electeur.etablissement = "Lycée du Parc"
    electeur.save()
    assert scellement.verifier(scrutin) == []


def test_fenetre_sieges_et_cle_figes(scelle: Bureau) -> None:
    scrutin = Scrutin.objects.get(pk=scelle.scrutin.pk)
    ligne = Scrutin.objects.filter(pk=scrutin.pk).values().get()
    scrutin.ouverture = scrutin.campagne.ouverture
    scrutin.cloture = scrutin.campagne.cloture + timedelta(days=1)
    _refuse(scrutin.save, "impossible de modifier sa période de vote")
    scrutin.refresh_from_db()
    scrutin.sieges_titulaires = 10
    _refuse(scrutin.save, "son nombre de sièges")
    scrutin.refresh_from_db()
    scrutin.intitule = "Autre"
    _refuse(scrutin.save, "son intitulé")
    scrutin.refresh_from_db()
    assert Scrutin.objects.filter(pk=scrutin.pk).values().get() == ligne

    campagne = Campagne.objects.get(pk=scrutin.campagne_id)
    dates = (campagne.ouverture, campagne.cloture, campagne.slug)
    campagne.cloture += timedelta(hours=1)
    _refuse(campagne.save, "impossible de modifier ses dates de vote ou son identifiant")
    campagne.refresh_from_db()
    campagne.slug = "autre"
    _refuse(campagne.save, "ses dates de vote")
    campagne.refresh_from_db()
    assert (campagne.ouverture, campagne.cloture, campagne.slug) == dates
    campagne.edito = "Votez !"  # not sealed
    campagne.save()

    cle = CleDeScrutin.objects.get(scrutin=scrutin)
    publique = cle.cle_publique
    cle.cle_publique = "00" * 32
    _refuse(cle.save, "impossible de modifier sa clé de chiffrement")
    _refuse(cle.delete, "impossible de supprimer sa clé de chiffrement")
    assert CleDeScrutin.objects.get(scrutin=scrutin).cle_publique == publique

    rattachement = RattachementAuBureau.objects.get(scrutin=scrutin)
    _refuse(rattachement.delete, "supprimer son rattachement au bureau")
    with pytest.raises(ScrutinScelle, match="BV du CSA ministériel » est scellé"):
        RattachementAuBureau.objects.create(
            bureau=scelle.bureau,
            scrutin=Scrutin.objects.create(
                campagne=campagne,
                code="cap",
                intitule="CAP",
                type="CAP",
                perimetre="x",
                sieges_titulaires=1,
            ),
        )
    _refuse(Scellement.objects.get().delete, "Un scellement ne se supprime pas")
    assert scellement.verifier(scrutin) == []


# --- A change that bypasses the refusal is found, and stops the count --------------------


def test_changements_forces_detectes_et_depouillement_refuse(
    scelle: Bureau, creer_electeur
) -> None:
    scrutin = scelle.scrutin
    electeur = Inscription.objects.filter(scrutin=scrutin).first().electeur
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    assert scellement.verifier(scrutin) == []

    # Past the signals: a queryset update, a bulk insert.
    Scrutin.objects.filter(pk=scrutin.pk).update(sieges_titulaires=12)
    assert scellement.verifier(scrutin) == [
        f"Le nombre de sièges du scrutin « {INTITULE} » a changé depuis le scellement."
    ]
    Scrutin.objects.filter(pk=scrutin.pk).update(sieges_titulaires=15)
    assert scellement.verifier(scrutin) == []

    autre = creer_electeur()
    Inscription.objects.bulk_create([Inscription(electeur=autre, scrutin=scrutin)])
    Candidat.objects.filter(liste__scrutin=scrutin).update(nom="Dupont")
    attendu = [
        f"La liste électorale du scrutin « {INTITULE} » a changé depuis le scellement.",
        f"Les listes de candidats du scrutin « {INTITULE} » ont changé depuis le scellement.",
    ]
    assert scellement.verifier(scrutin) == attendu
    with horloge.decalee_de(timedelta(days=9)):
        with pytest.raises(depouillement.DepouillementRefuse) as refus:
            depouillement.ouvrir(scrutin)
        assert str(refus.value).startswith("Scellement rompu ou absent : " + " ".join(attendu))
        assert "consignez l'incident au procès-verbal" in str(refus.value)
    assert not depouillement.Depouillement.objects.exists()


def test_fenetre_et_cle_forcees_detectees(scelle: Bureau) -> None:
    scrutin = scelle.scrutin
    Scrutin.objects.filter(pk=scrutin.pk).update(
        ouverture=scrutin.campagne.ouverture, cloture=scrutin.campagne.cloture + timedelta(hours=1)
    )
    CleDeScrutin.objects.filter(scrutin=scrutin).update(origine=OrigineCle.DEVELOPPEMENT)
    assert scellement.verifier(scrutin) == [
        f"La période de vote du scrutin « {INTITULE} » a changé depuis le scellement.",
        f"La clé de chiffrement du scrutin « {INTITULE} » a changé depuis le scellement.",
    ]


def test_scellement_altere_detecte(scelle: Bureau) -> None:
    s = Scellement.objects.get()
    contenu = {**s.contenu, "campagne": "autre"}
    Scellement.objects.filter(pk=s.pk).update(contenu=contenu)
    ecarts = scellement.verifier(scelle.scrutin)
    assert ecarts[0] == (
        "Le contenu scellé a été altéré : son empreinte n'est plus celle qui a été signée."
    )
    assert "Le bureau ou sa campagne a changé depuis le scellement." in ecarts

    # A signature swapped for a forged one, the empreinte being right.
    Scellement.objects.filter(pk=s.pk).update(contenu=s.contenu)
    signatures = [dict(d) for d in s.signatures]
    signatures[1]["reponse"] = signatures[0]["reponse"]
    Scellement.objects.filter(pk=s.pk).update(signatures=signatures)
    j = signatures[1]["detenteur"]
    assert scellement.verifier(scelle.scrutin) == [
        f"La signature n° 2 (détenteur {j}) du scellement ne se vérifie pas.",
    ]
    # Without the délégué's signature, the président's alone does not seal.
    Scellement.objects.filter(pk=s.pk).update(signatures=s.signatures[:1])
    assert scellement.verifier(scelle.scrutin) == [
        "Le scellement n'est pas signé par le président et un délégué de liste."
    ]


def test_un_autre_logiciel_rompt_le_scellement(scelle: Bureau, monkeypatch) -> None:
    scelle_avant = Scellement.objects.get().contenu["logiciel"]
    autre = {**scelle_avant, "empreinte": "ab" * 32}
    monkeypatch.setattr(contenu_scelle, "logiciel", lambda: autre)
    (ecart,) = scellement.verifier(scelle.scrutin)
    assert ecart.startswith("Le logiciel a changé depuis le scellement (version scellée 0.1.0")


def test_pas_de_depouillement_sans_scellement(avec_cle: Bureau) -> None:
    with (
        horloge.decalee_de(timedelta(days=9)),
        pytest.raises(
            depouillement.DepouillementRefuse,
            match=re.escape("Le bureau « BV du CSA ministériel » n'a pas été scellé."),
        ),
    ):
        depouillement.ouvrir(avec_cle.scrutin)


# --- Voting -------------------------------------------------------------------------------


def test_pas_de_vote_sur_un_scrutin_de_ceremonie_non_scelle(avec_cle: Bureau) -> None:
    scrutin = avec_cle.scrutin
    electeur = Inscription.objects.filter(scrutin=scrutin).first().electeur
    with pytest.raises(depot.ScrutinNonPret) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    assert refus.value.message == depot.PAS_ENCORE_SCELLE
    assert not Emargement.objects.exists() and not IntentionDeVote.objects.exists()
    assert list(urne.traceurs(scrutin.pk)) == []


def test_l_espace_de_vote_dit_qu_un_scrutin_non_scelle_n_est_pas_ouvert(avec_cle: Bureau) -> None:
    """Issue 12, item 2: in its window but not sealed, a scrutin shows its real state and
    why, not "À voter" and a button that leads to a refusal."""
    from django.template.loader import render_to_string

    from isoloir.booth.selectors import Etat, scrutins_de_l_electeur

    scrutin = avec_cle.scrutin
    electeur = Inscription.objects.filter(scrutin=scrutin).first().electeur
    (ligne,) = scrutins_de_l_electeur(electeur, scrutin.campagne)
    assert ligne.etat is Etat.PAS_PRET and ligne.pas_pret == depot.PAS_ENCORE_SCELLE
    page = render_to_string("booth/_mes_scrutins.html", {"scrutins": [ligne]})
    assert "Pas encore ouvert" in page and "À voter" not in page
    assert "pas encore scellé ce scrutin" in page.replace("&#x27;", "'")
    assert reverse("booth:isoloir", args=[scrutin.pk]) not in page


def test_une_cle_de_developpement_vote_sans_scellement(scrutin, electeur) -> None:
    accuse = depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 2))
    assert accuse.traceur and not scellement.est_scelle(scrutin)


# --- Public board and admin ---------------------------------------------------------------


def test_le_tableau_montre_le_scellement(client, scelle: Bureau, creer_electeur) -> None:
    scrutin = scelle.scrutin
    adresse = reverse("booth:tableau", args=[scrutin.campagne.slug, scrutin.code])
    s = Scellement.objects.get()
    texte = client.get(adresse).content.decode()
    assert s.empreinte in texte
    assert "Scellement vérifié" in texte
    assert "président (détenteur de clé n° 1)" in texte
    assert "délégué de liste (détenteur de clé n° 2)" in texte
    assert "Scellement rompu" not in texte

    # A voter added past the signals (a bulk insert): the board says the seal is broken.
    Inscription.objects.bulk_create([Inscription(electeur=creer_electeur(), scrutin=scrutin)])
    cache.clear()
    texte = client.get(adresse).content.decode()
    assert "Scellement rompu" in texte
    assert "Scellement vérifié" not in texte
    assert f"La liste électorale du scrutin « {INTITULE} » a changé depuis le scellement." in (
        texte.replace("&#x27;", "'").replace("&laquo;", "«").replace("&raquo;", "»")
    )


def test_le_tableau_d_un_scrutin_non_scelle(client, avec_cle: Bureau) -> None:
    scrutin = avec_cle.scrutin
    texte = client.get(
        reverse("booth:tableau", args=[scrutin.campagne.slug, scrutin.code])
    ).content.decode()
    assert "pas encore scellé ce scrutin" in texte.replace("&#x27;", "'")
    assert "Le vote n'est pas ouvert tant qu'il ne l'a pas fait." in texte.replace("&#x27;", "'")


def test_l_admin_refuse_avec_le_message(scelle: Bureau) -> None:
    scrutin = Scrutin.objects.get(pk=scelle.scrutin.pk)
    Formulaire = modelform_factory(
        Scrutin,
        form=FormulaireScelle,
        fields=["campagne", "code", "intitule", "type", "perimetre", "sieges_titulaires"],
    )
    donnees = {
        "campagne": scrutin.campagne_id,
        "code": scrutin.code,
        "intitule": scrutin.intitule,
        "type": scrutin.type,
        "perimetre": scrutin.perimetre,
        "sieges_titulaires": 15,
    }
    assert Formulaire(donnees, instance=scrutin).is_valid()
    formulaire = Formulaire({**donnees, "sieges_titulaires": 9}, instance=scrutin)
    assert not formulaire.is_valid()
    (erreur,) = formulaire.non_field_errors()
    assert "impossible de modifier son nombre de sièges" in erreur
    assert Scrutin.objects.get(pk=scrutin.pk).sieges_titulaires == 15

    requete = RequestFactory().get("/")
    requete.user = type("Admin", (), {"has_perm": lambda *a: True, "is_active": True})()
    assert not site._registry[Scrutin].has_delete_permission(requete, scrutin)
    assert not site._registry[Inscription].has_delete_permission(
        requete, Inscription.objects.filter(scrutin=scrutin).first()
    )
    liste = scrutin.listes.first()
    assert not site._registry[ListeCandidats].has_delete_permission(requete, liste)
    hors = Scrutin.objects.create(
        campagne=scrutin.campagne,
        code="hors",
        intitule="Hors bureau",
        type="CAP",
        perimetre="x",
        sieges_titulaires=1,
    )
    assert site._registry[Scrutin].has_delete_permission(requete, hors)


def test_le_tableau_d_un_scrutin_a_cle_de_developpement_ne_parle_pas_de_scellement(
    client, scrutin
) -> None:
    page = client.get(reverse("booth:tableau", args=[scrutin.campagne.slug, scrutin.code]))
    assert page.status_code == 200
    assert "Scellement du bureau de vote" not in page.content.decode()


def test_import_dans_une_liste_scellee_refuse(scelle: Bureau) -> None:
    """The roll import writes in bulk, past the signals: it checks the seal itself, and
    refuses the whole file, in a dry run too, with nothing written."""
    from tests.elections.test_import_liste import csv, etat, ligne

    scrutin = scelle.scrutin
    avant = etat()
    for simulation in (True, False):
        rapport = importer_liste_electorale(
            campagne=scrutin.campagne,
            fichier=csv(ligne(scrutins=scrutin.code)),
            simulation=simulation,
        )
        assert rapport.refuse
        assert [e.raison for e in rapport.erreurs] == [
            f"La liste électorale de {scrutin.code} est scellée par le bureau de vote : elle ne "
            "peut plus changer. Rien n'a été enregistré."
        ]
    assert etat() == avant
    assert scellement.verifier(scrutin) == []


def test_bureau_et_composition_figes(scelle: Bureau) -> None:
    """The count checks the président and the délégués against who sits on the sealed
    bureau: its composition, name and threshold no longer change."""
    bureau = BureauDeVote.objects.get(pk=scelle.bureau.pk)
    bureau.nom = "Autre nom"
    _refuse(bureau.save, "composition, son nom ou son seuil")
    bureau.refresh_from_db()
    bureau.seuil = 4
    _refuse(bureau.save)
    secretaire = bureau.membres.get(role=Role.SECRETAIRE)
    secretaire.detenteur_de_cle = True
    _refuse(secretaire.save)
    secretaire.refresh_from_db()
    _refuse(secretaire.delete, "retirer un de ses membres")
    _refuse(
        lambda: MembreDuBureau.objects.create(
            bureau=bureau,
            compte=nouveau_compte("intrus"),
            role=Role.DELEGUE,
            liste=bureau.rattachements.get().scrutin.listes.filter(delegues__isnull=True).first(),
        )
    )
    secretaire.save()  # saving without a change is no change
    assert scellement.verifier(scelle.scrutin) == []
