"""Réassort by question défi, through a real SMTP server: request, mails, link, new code."""

import html
import logging
from datetime import timedelta

import pytest
from django.urls import reverse

from isoloir.audit.models import Evenement
from isoloir.core import horloge
from isoloir.links.models import LienUsageUnique
from isoloir.votecode import code, reassort
from isoloir.votecode.models import CodeDeVote
from tests.concurrence import en_meme_temps
from tests.factories import REPONSE
from tests.smtp import lien, texte

NUMEN = "69E9501234ABC"
PERSO = "marc.perso@exemple.org"
REFUS = "La réponse secrète ou le NUMEN est incorrect."


def _demander(client, **champs):
    donnees = {
        "reponse_defi": REPONSE,
        "numen": NUMEN,
        "canal": "email",
        "email_personnel": PERSO,
        "mobile": "",
    }
    donnees.update(champs)
    return client.post(reverse("votecode:reassort_question"), donnees)


def _messages_pour(boite, adresse):
    return [m for m in boite.messages if m["To"] == adresse]


@pytest.mark.django_db(transaction=True)
@pytest.mark.calendrier
def test_parcours_complet_par_e_mail(
    connecte, electeur, code_actuel, boite, executer_taches, caplog
):
    caplog.set_level(logging.DEBUG)
    page = connecte.get(reverse("votecode:reassort_question")).content.decode()
    assert "Quel était le nom de votre premier animal de compagnie ?" in page
    for texte_attendu in (
        "Saisissez votre réponse secrète *",
        "Saisissez votre NUMEN *",
        "ATTENTION :",
        "INFO :",
        "n'est pas enregistré en base",
        # Where a NUMEN is found, and the "Afficher" box of each secret (issue 12, item 3).
        "arrêté de nomination ou d&#x27;affectation et dans votre dossier I-Prof",
        'for="id_numen-afficher">Afficher</label>',
        'for="id_reponse_defi-afficher">Afficher</label>',
    ):
        assert texte_attendu in page, texte_attendu

    reponse = _demander(connecte, numen="69 e 95 01234 abc", reponse_defi="  médor le CHIEN ")
    contenu = reponse.content.decode()
    assert "Lien envoyé" in contenu
    assert "m***@exemple.org" in contenu
    (message_perso,) = boite.attendre(1)
    assert message_perso["To"] == PERSO
    assert message_perso["Subject"] == "Procéder au réassort de votre code de vote"
    assert "Bonjour Marc CAMPODIFIORI," in texte(message_perso)
    url = lien(message_perso, "/portail/reassort/code-vote")
    assert f"electeurId={reassort.identifiant_public(electeur)}" in url
    assert f"electeurId={electeur.pk}&" not in url

    executer_taches()
    (info,) = _messages_pour(boite, "marc.campodifiori@ac-lyon.fr")
    assert info["Subject"] == "Demande de réassort de votre code de vote"
    assert "m***@exemple.org" in texte(info)
    assert PERSO not in info.as_string()
    assert "token=" not in info.as_string()

    # The link page, then the new code.
    chemin = url.removeprefix("http://testserver")
    page = connecte.get(chemin)
    assert "REGENERER MON CODE DE VOTE" in page.content.decode()
    jeton = url.split("token=")[1].split("&")[0]
    electeur_id = url.split("electeurId=")[1]
    reponse = connecte.post(
        reverse("votecode:reassort_code_vote"), {"token": jeton, "electeurId": electeur_id}
    )
    assert "no-store" in reponse["Cache-Control"]
    contenu = reponse.content.decode()
    assert "Vous avez 120 secondes<br>pour copier ou noter le code." in contenu
    nouveau = html.unescape(contenu.split('<span translate="no">')[1].split("</span>")[0])
    assert len(nouveau) == 16 and nouveau != code_actuel
    actuel = CodeDeVote.objects.get(electeur=electeur)
    assert code.verifier(nouveau, actuel.empreinte)
    assert not code.verifier(code_actuel, actuel.empreinte)
    assert actuel.generation == 2

    # Reload (a second POST), second tab (GET): nothing shows the code again.
    encore = connecte.post(
        reverse("votecode:reassort_code_vote"), {"token": jeton, "electeurId": electeur_id}
    )
    assert "Ce lien a déjà été utilisé" in encore.content.decode()
    assert nouveau not in encore.content.decode()
    assert "Ce lien a déjà été utilisé" in connecte.get(chemin).content.decode()

    executer_taches()
    confirmation = _messages_pour(boite, "marc.campodifiori@ac-lyon.fr")[-1]
    assert confirmation["Subject"] == "Votre code de vote a été renouvelé"

    # Nothing secret anywhere: logs, journal, mails, database rows.
    from django.core import serializers

    from isoloir.accounts.models import Electeur
    from isoloir.notify.models import Courriel

    depot = serializers.serialize(
        "json",
        [
            *Evenement.objects.all(),
            *Courriel.objects.all(),
            *LienUsageUnique.objects.all(),
            *CodeDeVote.objects.all(),
            *Electeur.objects.all(),
        ],
    )
    # Our logs, not those of the test's own SMTP server (logger "mail.log"), which of
    # course sees the address it delivers to.
    journaux = "\n".join(
        f"{r.getMessage()} {r.args}" for r in caplog.records if not r.name.startswith("mail.log")
    )
    courriels_pro = "".join(m.as_string() for m in _messages_pour(boite, electeur.compte.email))
    for secret in (nouveau, code_actuel, NUMEN, "Médor", "medorlechien", jeton, PERSO):
        assert secret not in journaux, secret
        assert secret not in depot, secret
        assert secret not in courriels_pro, secret
    types = set(Evenement.objects.values_list("type", flat=True))
    assert {"reassort.lien_envoye", "reassort.code_regenere", "reassort.lien_refuse"} <= types


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("faute", [{"reponse_defi": "Rex"}, {"numen": "69E9501234ABD"}])
def test_mauvaise_reponse_ou_mauvais_numen_meme_message(connecte, code_actuel, boite, faute):
    reponse = _demander(connecte, **faute)
    assert reponse.status_code == 200
    assert REFUS in reponse.content.decode()
    assert not boite.messages


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "faute",
    [{}, {"reponse_defi": "Rex"}, {"numen": "69E9501234ABD"}],
    ids=["juste", "reponse", "numen"],
)
def test_les_deux_secrets_sont_toujours_verifies(connecte, code_actuel, boite, faute, monkeypatch):
    """Whichever secret is wrong, both checks run (the answer's Argon2 hash, the NUMEN's
    keyed hash): the time of a refusal says nothing of which one failed. A spy on both
    checks, not a stopwatch (docs/tests.md: no test depends on the machine's speed)."""
    appels: list[str] = []
    verifier, correspond = reassort.question_defi.verifier, reassort.numen.correspond

    def espion_reponse(*args, **kwargs):
        appels.append("réponse")
        return verifier(*args, **kwargs)

    def espion_numen(*args, **kwargs):
        appels.append("NUMEN")
        return correspond(*args, **kwargs)

    monkeypatch.setattr(reassort.question_defi, "verifier", espion_reponse)
    monkeypatch.setattr(reassort.numen, "correspond", espion_numen)
    _demander(connecte, **faute)
    assert sorted(appels) == ["NUMEN", "réponse"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.calendrier
def test_blocage_apres_trop_d_essais(
    connecte, electeur, code_actuel, boite, executer_taches, settings
):
    for _ in range(settings.ISOLOIR_REASSORT_MAX_ESSAIS_PAR_JOUR):
        derniere = _demander(connecte, reponse_defi="Rex")
    assert "bloqué pour 24 heures" in derniere.content.decode()
    assert "bloqué pour 24 heures" in _demander(connecte).content.decode()  # even right
    executer_taches()
    (info,) = boite.attendre(1)
    assert info["Subject"] == "Réassort de votre code de vote bloqué"
    assert Evenement.objects.filter(type="reassort.verrouille").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("champs", "erreur"),
    [
        ({"email_personnel": "marc.campodifiori@ac-lyon.fr"}, "différente de votre adresse"),
        ({"email_personnel": "marc@ac-bordeaux.fr"}, "adresse académique"),
        ({"email_personnel": "marc@education.gouv.fr"}, "adresse académique"),
        ({"email_personnel": "marc@mail.education.gouv.fr"}, "adresse académique"),
        # Other work addresses are read by an employer too (issue 12, item 25).
        ({"email_personnel": "marc@univ-lyon1.fr"}, "adresse académique"),
        ({"email_personnel": "marc@etu.univ-lyon1.fr"}, "adresse académique"),
        ({"email_personnel": "marc@region-academique-auvergne-rhone-alpes.fr"}, "académique"),
        ({"email_personnel": "marc@interieur.gouv.fr"}, "adresse académique"),
        ({"email_personnel": "marc@education.fr"}, "adresse académique"),
        ({"email_personnel": "marc@[127.0.0.1]"}, "adresse IP"),
        ({"email_personnel": "marc.campodifiori+perso@ac-lyon.fr"}, "différente de votre adresse"),
        ({"email_personnel": ""}, "Saisissez l&#x27;adresse personnelle"),
        ({"email_personnel": "pas-une-adresse"}, "Saisissez une adresse de courriel valide"),
        ({"canal": "sms", "mobile": ""}, "Saisissez le numéro du mobile"),
        ({"canal": "pigeon"}, "Sélectionnez un choix valide"),
    ],
)
def test_canal_refuse_avant_toute_verification(connecte, code_actuel, champs, erreur):
    reponse = _demander(connecte, **champs)
    assert erreur in reponse.content.decode()
    assert not Evenement.objects.filter(type__startswith="reassort.").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.calendrier
def test_un_nouveau_lien_annule_le_precedent_et_expire(connecte, code_actuel, boite):
    _demander(connecte)
    _demander(connecte)
    premier, second = boite.attendre(2)
    ancien = lien(premier, "/portail/reassort/code-vote").removeprefix("http://testserver")
    recent = lien(second, "/portail/reassort/code-vote").removeprefix("http://testserver")
    assert "remplacé par un lien plus récent" in connecte.get(ancien).content.decode()
    with horloge.decalee_de(timedelta(minutes=10, seconds=1)):
        assert "Ce lien a expiré" in connecte.get(recent).content.decode()


@pytest.mark.django_db(transaction=True)
def test_identifiant_d_electeur_falsifie(connecte, code_actuel, boite):
    _demander(connecte)
    url = lien(boite.attendre(1)[0], "/portail/reassort/code-vote")
    falsifie = url.split("electeurId=")[0] + "electeurId=000000000000000000000000"
    page = connecte.get(falsifie.removeprefix("http://testserver")).content.decode()
    assert "REGENERER" not in page
    assert "pas valide" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.calendrier
def test_hors_periode_de_reassort(connecte, electeur, code_actuel, boite):
    campagne = electeur.inscriptions.first().scrutin.campagne
    campagne.reassort_cloture = horloge.maintenant() - timedelta(minutes=1)
    campagne.save()
    reponse = _demander(connecte)
    assert "Le réassort du code de vote est ouvert du" in reponse.content.decode()
    assert not boite.messages


@pytest.mark.django_db
def test_csrf_sur_chaque_post(electeur, code_actuel):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(electeur.compte)
    for route in (
        "votecode:saisie_code",
        "votecode:reassort_question",
        "votecode:reassort_code_vote",
        "votecode:fermer_espace",
    ):
        assert client.post(reverse(route), {}).status_code == 403, route


@pytest.mark.django_db(transaction=True)
def test_parcours_par_sms(connecte, electeur, code_actuel, sms, boite, executer_taches):
    reponse = _demander(connecte, canal="sms", mobile="06 12 34 56 78", email_personnel="")
    assert "par SMS au 06 •• •• •• 78" in reponse.content.decode()
    (envoye,) = sms
    assert envoye.numero == "+33612345678"
    url = envoye.texte.split(" : ")[-1]
    assert "/portail/reassort/code-vote?token=" in url
    executer_taches()
    (info,) = boite.attendre(1)
    assert "06 •• •• •• 78" in texte(info)
    assert "0612345678" not in info.as_string() and "+33612345678" not in info.as_string()
    page = connecte.get(url.removeprefix("http://testserver"))
    assert "REGENERER MON CODE DE VOTE" in page.content.decode()
    assert not Evenement.objects.filter(details__icontains="12345678").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("panne", "message"),
    [("definitive", "SMS"), ("transitoire", "ne répond pas")],
)
def test_echec_d_envoi_du_sms_montre_au_votant(
    connecte, code_actuel, sms, settings, panne, message
):
    settings.ISOLOIR_SMS_URL = f"memoire://?panne={panne}"
    reponse = _demander(connecte, canal="sms", mobile="0612345678", email_personnel="")
    contenu = reponse.content.decode()
    assert "Demande refusée" in contenu and message in contenu
    assert not LienUsageUnique.objects.filter(
        utilise_le__isnull=True, revoque_le__isnull=True
    ).exists()
    assert Evenement.objects.filter(type="reassort.envoi_echoue").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("mobile", ["01 42 68 53 00", "+44 7700 900123", "06 12", "abc"])
def test_mobile_refuse(connecte, code_actuel, mobile):
    reponse = _demander(connecte, canal="sms", mobile=mobile, email_personnel="")
    assert "numéro de téléphone mobile français" in reponse.content.decode()


@pytest.mark.django_db(transaction=True)
def test_des_demandes_simultanees_ne_depassent_pas_la_limite(
    electeur, code_actuel, boite, settings
):
    def demander(n: int) -> None:
        reassort.demander_par_question(
            electeur=electeur,
            reponse=f"Mauvaise {n}",
            numen_saisi=NUMEN,
            canal=reassort.Canal.EMAIL,
            destination=PERSO,
            ip=f"198.51.100.{n}",
        )

    resultats = en_meme_temps(demander, range(10))
    assert all(isinstance(r, reassort.ReassortRefuse) for r in resultats), resultats
    limite = settings.ISOLOIR_REASSORT_MAX_ESSAIS_PAR_JOUR
    assert Evenement.objects.filter(type="reassort.echec").count() == limite
    with pytest.raises(reassort.ReassortBloque):
        reassort.demander_par_question(
            electeur=electeur,
            reponse=REPONSE,
            numen_saisi=NUMEN,
            canal=reassort.Canal.EMAIL,
            destination=PERSO,
            ip="192.0.2.1",
        )


@pytest.mark.django_db(transaction=True)
def test_nombre_de_liens_par_jour_limite(connecte, code_actuel, boite):
    for _ in range(reassort.LIENS_PAR_ELECTEUR.plafond):
        assert "Lien envoyé" in _demander(connecte).content.decode()
    assert "plusieurs liens aujourd" in _demander(connecte).content.decode()
    assert (
        len(boite.attendre(reassort.LIENS_PAR_ELECTEUR.plafond))
        == reassort.LIENS_PAR_ELECTEUR.plafond
    )


@pytest.mark.django_db(transaction=True)
def test_un_lien_ne_sert_pas_depuis_la_session_d_un_autre_electeur(
    client, connecte, code_actuel, boite, creer_electeur, creer_scrutin
):
    _demander(connecte)
    url = lien(boite.attendre(1)[0], "/portail/reassort/code-vote")
    jeton = url.split("token=")[1].split("&")[0]
    electeur_id = url.split("electeurId=")[1]
    autre = client.__class__()
    autre.force_login(creer_electeur(creer_scrutin(), active=True).compte)
    reponse = autre.post(
        reverse("votecode:reassort_code_vote"), {"token": jeton, "electeurId": electeur_id}
    )
    assert "REGENERER" not in reponse.content.decode()
    assert "Vous avez 120 secondes" not in reponse.content.decode()
    # The link is not spent: its owner can still use it.
    assert (
        "Vous avez 120 secondes"
        in connecte.post(
            reverse("votecode:reassort_code_vote"), {"token": jeton, "electeurId": electeur_id}
        ).content.decode()
    )


@pytest.mark.django_db
def test_budget_sms_du_service(connecte, code_actuel, sms, settings):
    settings.ISOLOIR_SMS_MAX_PAR_HEURE = 1
    assert (
        "Lien envoyé"
        in _demander(
            connecte, canal="sms", mobile="0612345678", email_personnel=""
        ).content.decode()
    )
    refus = _demander(connecte, canal="sms", mobile="0612345678", email_personnel="")
    assert "L&#x27;envoi par SMS est momentanément indisponible" in refus.content.decode()
    assert len(sms) == 1
