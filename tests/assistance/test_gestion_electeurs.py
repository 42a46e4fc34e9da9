"""The helpdesk's view of a voter and the réassort lock: search, state page (journaled,
free of secrets), identity check right / wrong / throttled, and an unlock that lets the
voter's réassort go through again."""

import re
from datetime import timedelta

import pytest
from django.core import serializers
from django.test import Client
from django.urls import reverse

from isoloir.assistance import electeurs as selection
from isoloir.audit.models import Evenement
from isoloir.booth.models import Emargement
from isoloir.core import horloge
from isoloir.votecode import reassort
from tests.assistance.conftest import EMAIL_ELECTEUR, NUMEN
from tests.factories import REPONSE
from tests.second_facteur import verifier_second_facteur
from tests.smtp import texte

RECHERCHE = reverse("gestion_assistance:electeurs")
PERSO = "marc.perso@exemple.org"
BONNE_IDENTITE = {"date_naissance": "04/05/1977", "lieu_naissance": "13055"}


def _fiche(electeur) -> str:
    return reverse("gestion_assistance:electeur", kwargs={"pk": electeur.pk})


def _lever(electeur) -> str:
    return reverse("gestion_assistance:deverrouiller", kwargs={"pk": electeur.pk})


def _verrouiller(electeur, settings) -> None:
    """The voter (or someone in their session) fails the question défi until the lock."""
    for _ in range(settings.ISOLOIR_REASSORT_MAX_ESSAIS_PAR_JOUR):
        with pytest.raises(reassort.ReassortRefuse):
            reassort.demander_par_question(
                electeur=electeur,
                reponse="Rex",
                numen_saisi=NUMEN,
                canal=reassort.Canal.EMAIL,
                destination=PERSO,
                ip="192.0.2.9",
            )
    assert reassort.est_verrouille(electeur)


def _verrouiller_vite(electeur, settings) -> None:
    """The same lock, without hashing five wrong answers."""
    for _ in range(settings.ISOLOIR_REASSORT_MAX_ESSAIS_PAR_JOUR):
        reassort.limites.compter(reassort._limite_par_electeur(), str(electeur.pk))
    assert reassort.est_verrouille(electeur)


def _demander_le_reassort(electeur):
    return reassort.demander_par_question(
        electeur=electeur,
        reponse=REPONSE,
        numen_saisi=NUMEN,
        canal=reassort.Canal.EMAIL,
        destination=PERSO,
        ip="192.0.2.9",
    )


@pytest.mark.django_db
def test_recherche_par_nom_adresse_etablissement(
    assistance, electeur, creer_electeur, creer_scrutin
):
    autre = creer_electeur(
        nom_naissance="Martin",
        nom_usage="Campos",
        prenoms="Julie",
        etablissement="Collège Jean Moulin",
    )

    def trouves(q: str, **autres) -> list[str]:
        page = assistance.get(RECHERCHE, {"q": q, **autres}).content.decode()
        return re.findall(r"/gestion/assistance/electeurs/(\d+)/", page)

    assert trouves("campo") == [str(electeur.pk), str(autre.pk)]  # usage name too
    assert trouves("CAMPODIFIORI marc") == [str(electeur.pk)]
    assert trouves("campodifiori julie") == []
    assert trouves("marc.campo@") == []  # an address is matched from its start
    assert trouves("marc.campodifiori@") == [str(electeur.pk)]
    assert trouves("lycée victor") == [str(electeur.pk)]
    assert trouves("jean moulin") == []  # a prefix, not a word inside
    page = assistance.get(RECHERCHE, {"q": "c"}).content.decode()
    assert "Saisissez au moins 2 caractères." in page
    assert "Aucun électeur ne correspond" in assistance.get(RECHERCHE, {"q": "zz"}).content.decode()
    # The list shows no hash, no NUMEN.
    page = assistance.get(RECHERCHE, {"q": "campo"}).content.decode()
    assert electeur.numen_empreinte not in page and NUMEN not in page


@pytest.mark.django_db
def test_chaque_recherche_est_journalisee_sans_le_terme(assistance, electeur, agent):
    assistance.get(RECHERCHE, {"q": "Campodifiori marc"})
    assistance.get(RECHERCHE, {"q": "marc.campodifiori@"})
    assistance.get(RECHERCHE, {"q": "zz"})
    assistance.get(RECHERCHE)  # the empty form: no search, nothing journaled
    evenements = list(Evenement.objects.filter(type="assistance.recherche").order_by("pk"))
    assert [(e.details["critere"], e.details["resultats"]) for e in evenements] == [
        ("nom_ou_etablissement", 1),
        ("adresse", 1),
        ("nom_ou_etablissement", 0),
    ]
    for evenement in evenements:
        assert evenement.compte_id == agent.pk and evenement.ip
        details = str(evenement.details).lower()
        for terme in ("campodifiori", "marc", "zz"):
            assert terme not in details
    # The same term, differently typed, gives the same keyed hash; another term another.
    assistance.get(RECHERCHE, {"q": "  CAMPODIFIORI   Marc "})
    derniere = Evenement.objects.filter(type="assistance.recherche").latest("pk")
    assert derniere.details["empreinte_terme"] == evenements[0].details["empreinte_terme"]
    assert evenements[1].details["empreinte_terme"] != evenements[0].details["empreinte_terme"]


@pytest.mark.django_db
def test_recherche_paginee_et_bornee(creer_electeur, monkeypatch):
    monkeypatch.setattr(selection, "TAILLE_PAGE", 2)
    monkeypatch.setattr(selection, "PAGES_MAX", 3)
    for n in range(7):
        creer_electeur(nom_naissance=f"Durand{n}", prenoms="Paul")
    premiere = selection.rechercher("durand")
    assert [e.nom_naissance for e in premiere.electeurs] == ["Durand0", "Durand1"]
    assert premiere.suivante and not premiere.precedente
    deuxieme = selection.rechercher("durand", 2)
    assert [e.nom_naissance for e in deuxieme.electeurs] == ["Durand2", "Durand3"]
    derniere = selection.rechercher("durand", 99)  # clamped to the last allowed page
    assert derniere.page == 3 and not derniere.suivante
    assert "Trop de résultats" in derniere.message


@pytest.mark.django_db
def test_recherche_ne_lit_aucune_empreinte(creer_electeur, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    creer_electeur(nom_naissance="Durand")
    with CaptureQueriesContext(connection) as requetes:
        assert selection.rechercher("dur").electeurs
    sql = " ".join(q["sql"] for q in requetes.captured_queries)
    assert "LIMIT 26" in sql
    for colonne in ("numen_empreinte", "reponse_defi_empreinte", "password", "date_naissance"):
        assert colonne not in sql, colonne


@pytest.mark.django_db
def test_fiche_de_l_electeur(assistance, electeur, code_actuel, agent, creer_scrutin):
    from isoloir.elections.models import Inscription

    autre_scrutin = creer_scrutin(
        electeur.inscriptions.first().scrutin.campagne, intitule="CAP des certifiés"
    )
    Inscription.objects.create(electeur=electeur, scrutin=autre_scrutin)
    Emargement.objects.create(
        inscription=electeur.inscriptions.get(scrutin=autre_scrutin), emarge_le=horloge.maintenant()
    )
    page = assistance.get(_fiche(electeur)).content.decode()
    for attendu in (
        EMAIL_ELECTEUR,
        "Lycée Victor Hugo",
        "Activé le",
        "Notice initiale, émis le",
        "(code n° 1)",
        "Non verrouillé",
        "CSA ministériel</th><td>",
        "CAP des certifiés",
    ):
        assert attendu in page, attendu
    assert re.search(r"CAP des certifiés</th><td>[^<]*</td><td>Oui", page)
    assert re.search(r"CSA ministériel</th><td>[^<]*</td><td>Non", page)
    # No secret, no hash, no way to set one.
    from isoloir.votecode.models import CodeDeVote

    empreinte_code = CodeDeVote.objects.get(electeur=electeur).empreinte
    for secret in (NUMEN, code_actuel, electeur.numen_empreinte, empreinte_code, REPONSE):
        assert secret not in page, secret
    assert electeur.reponse_defi_empreinte not in page
    assert "Lever le verrou" not in page  # not locked: nothing to lift
    assert 'type="password"' not in page
    consultation = Evenement.objects.get(type="assistance.consultation")
    assert consultation.compte_id == agent.pk
    assert consultation.details == {"electeur": electeur.pk}


@pytest.mark.django_db(transaction=True)
def test_verifier_et_lever_le_verrou(
    assistance, electeur, code_actuel, agent, boite, executer_taches, settings
):
    _verrouiller(electeur, settings)
    with pytest.raises(reassort.ReassortBloque):
        _demander_le_reassort(electeur)
    page = assistance.get(_fiche(electeur)).content.decode()
    assert "Verrouillé" in page and "Lever le verrou du réassort" in page

    # Wrong date, then wrong place: refused, and never which one.
    for faux in (
        {"date_naissance": "05/04/1977", "lieu_naissance": "13055"},
        {"date_naissance": "04/05/1977", "lieu_naissance": "75056"},
    ):
        reponse = assistance.post(_lever(electeur), faux)
        contenu = reponse.content.decode()
        assert "ne correspondent pas à celles de la liste électorale" in contenu
        assert "1977-05-04" not in contenu and "04/05/1977" not in contenu
        assert "13055" not in contenu  # the stored place is never shown back
        assert reassort.est_verrouille(electeur)

    boite.vider()
    reponse = assistance.post(_lever(electeur), BONNE_IDENTITE, follow=True)
    assert "le verrou du réassort est levé" in reponse.content.decode()
    assert not reassort.est_verrouille(electeur)
    assert "Non verrouillé" in reponse.content.decode()

    executer_taches()
    (info,) = [m for m in boite.messages if "débloqué" in m["Subject"]]
    assert info["To"] == EMAIL_ELECTEUR
    assert "l'assistance a vérifié votre identité" in texte(info)

    # The réassort goes through again.
    lien = _demander_le_reassort(electeur)
    assert lien.destination_masquee == "m***@exemple.org"

    verifications = list(
        Evenement.objects.filter(type="assistance.verification_identite").order_by("id")
    )
    assert [v.details["resultat"] for v in verifications] == [
        "discordante",
        "discordante",
        "concordante",
    ]
    assert all(v.compte_id == agent.pk for v in verifications)
    deverrouillage = Evenement.objects.get(type="assistance.deverrouillage")
    assert deverrouillage.compte_id == agent.pk
    assert deverrouillage.details["electeur"] == electeur.pk

    # Nothing secret in the journal nor the mails: not the NUMEN, the code, the answer,
    # the hashes, nor the birth data typed.
    journal = serializers.serialize("json", Evenement.objects.all())
    courriels = "".join(m.as_string() for m in boite.messages if m["To"] == EMAIL_ELECTEUR)
    for secret in (
        NUMEN,
        code_actuel,
        REPONSE,
        electeur.numen_empreinte,
        "1977-05-04",
        "04/05/1977",
        "13055",
        "75056",
    ):
        assert secret not in journal, secret
        assert secret not in courriels, secret


@pytest.mark.django_db
def test_verifications_limitees_par_electeur(assistance, electeur, agent, autre_agent, settings):
    _verrouiller_vite(electeur, settings)
    faux = {"date_naissance": "01/01/1980", "lieu_naissance": "13055"}
    for _ in range(selection.VERIFICATIONS_PAR_ELECTEUR.plafond):
        assert "ne correspondent pas" in assistance.post(_lever(electeur), faux).content.decode()
    # Beyond the day's checks, even the right answer is refused, from any member.
    collegue = Client()
    verifier_second_facteur(collegue, autre_agent)
    for client in (assistance, collegue):
        contenu = client.post(_lever(electeur), BONNE_IDENTITE).content.decode()
        assert "nombre de vérifications d&#x27;identité autorisé est atteint" in contenu
    assert reassort.est_verrouille(electeur)
    resultats = list(
        Evenement.objects.filter(type="assistance.verification_identite")
        .order_by("id")
        .values_list("details__resultat", flat=True)
    )
    assert resultats == ["discordante"] * 3 + ["refusee_limite"] * 2
    assert not Evenement.objects.filter(type="assistance.deverrouillage").exists()


@pytest.mark.django_db
def test_verifications_limitees_par_membre(
    assistance, agent, creer_electeur, creer_campagne, creer_scrutin, settings, monkeypatch
):
    monkeypatch.setattr(
        selection, "VERIFICATIONS_PAR_AGENT", selection.limites.Limite("t-agent", 2, 3600)
    )
    scrutin = creer_scrutin(creer_campagne(ouverture=horloge.maintenant() - timedelta(hours=1)))
    electeurs = [creer_electeur(scrutin) for _ in range(3)]
    for e in electeurs:
        _verrouiller_vite(e, settings)
    faux = {"date_naissance": "01/01/1980", "lieu_naissance": "13055"}
    assert "ne correspondent pas" in assistance.post(_lever(electeurs[0]), faux).content.decode()
    assert "ne correspondent pas" in assistance.post(_lever(electeurs[1]), faux).content.decode()
    contenu = assistance.post(_lever(electeurs[2]), faux).content.decode()
    assert "nombre de vérifications" in contenu


@pytest.mark.django_db
def test_pas_de_verification_sans_verrou(assistance, electeur):
    contenu = assistance.post(_lever(electeur), BONNE_IDENTITE).content.decode()
    assert "n&#x27;est pas verrouillé : rien à lever" in contenu
    assert not Evenement.objects.filter(type="assistance.verification_identite").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("saisie", "erreur"),
    [
        ({"date_naissance": "4 mai 1977"}, "au format JJ/MM/AAAA"),
        ({"date_naissance": "31/02/1977"}, "au format JJ/MM/AAAA"),
        ({"lieu_naissance": "Lyon"}, "Un code INSEE a 5 caractères"),
        ({"lieu_naissance": ""}, "Saisissez le code du lieu de naissance"),
    ],
)
def test_saisie_de_l_identite_invalide(assistance, electeur, settings, saisie, erreur):
    _verrouiller_vite(electeur, settings)
    contenu = assistance.post(_lever(electeur), {**BONNE_IDENTITE, **saisie}).content.decode()
    assert erreur in contenu
    assert reassort.est_verrouille(electeur)
    assert not Evenement.objects.filter(type="assistance.verification_identite").exists()


@pytest.mark.django_db
def test_ne_a_l_etranger_par_le_code_du_pays(
    assistance, creer_electeur, creer_campagne, creer_scrutin, settings
):
    scrutin = creer_scrutin(creer_campagne(ouverture=horloge.maintenant() - timedelta(hours=1)))
    electeur = creer_electeur(scrutin, active=True, commune_naissance="", pays_naissance="99352")
    _verrouiller_vite(electeur, settings)
    assistance.post(_lever(electeur), {"date_naissance": "04/05/1977", "lieu_naissance": "99 352"})
    assert not reassort.est_verrouille(electeur)


@pytest.mark.django_db
def test_un_electeur_n_atteint_pas_la_fiche(client, electeur):
    verifier_second_facteur(client, electeur.compte)
    assert client.get(_fiche(electeur)).status_code == 403
    assert client.post(_lever(electeur), BONNE_IDENTITE).status_code == 403
    assert not Evenement.objects.filter(type="assistance.consultation").exists()
