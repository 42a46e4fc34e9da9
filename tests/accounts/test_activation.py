"""Account activation, from the back-office's mail to the first login, on real SMTP."""

import logging

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.urls import reverse

from isoloir.accounts import question_defi, services
from isoloir.accounts.models import Electeur
from isoloir.audit.models import Evenement
from isoloir.links import services as liens
from isoloir.links.models import LienUsageUnique
from tests.concurrence import en_meme_temps
from tests.smtp import html, lien, texte

MOT_DE_PASSE = "Une phrase assez longue pour voter 2026"


@pytest.fixture
def electeur(creer_scrutin, creer_electeur, settings):
    settings.ISOLOIR_BASE_URL = "http://testserver"
    return creer_electeur(
        creer_scrutin(),
        email="marc.campodifiori@ac-lyon.fr",
        nom_naissance="Campodifiori",
        prenoms="Marc Antoine",
        civilite="M.",
    )


def _recevoir_lien_activation(electeur, boite, executer_taches) -> str:
    with transaction.atomic():
        assert services.envoyer_activation(electeur=electeur)
    executer_taches()
    (message,) = boite.attendre(1)
    return lien(message, "/portail/activation")


@pytest.mark.django_db(transaction=True)
def test_le_courriel_d_activation(electeur, boite, executer_taches) -> None:
    url = _recevoir_lien_activation(electeur, boite, executer_taches)
    (message,) = boite.messages
    assert message["To"] == "marc.campodifiori@ac-lyon.fr"
    assert message["Subject"].startswith("Activez votre compte électeur")
    assert message["Auto-Submitted"] == "auto-generated"
    assert "Bonjour Marc CAMPODIFIORI" in texte(message)
    assert url in html(message)
    # The voter asked for nothing: the mail says who sent it and whom to tell if it is a
    # mistake (issue 12, item 19).
    for corps in (texte(message), html(message)):
        assert "à l'origine de cette demande" not in corps
        assert "votre administration vous a inscrit(e) sur la liste électorale" in corps
        assert "/portail/assistance/demande/" in corps
    # The token exists only in the mail: neither the link row nor the task queue holds it.
    jeton = url.split("token=")[1]
    assert LienUsageUnique.objects.filter(empreinte_jeton=liens.empreinte(jeton)).exists()
    from django_tasks_db.models import DBTaskResult

    assert all(jeton not in str(t.args_kwargs) for t in DBTaskResult.objects.all())


@pytest.mark.django_db(transaction=True)
def test_activation_puis_connexion(client, electeur, boite, executer_taches) -> None:
    url = _recevoir_lien_activation(electeur, boite, executer_taches)
    page = client.get(url)
    assert page.status_code == 200
    assert "Activation de votre compte électeur" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")

    jeton = url.split("token=")[1]
    reponse = client.post(
        reverse("accounts:activation"),
        {
            "token": jeton,
            "mot_de_passe": MOT_DE_PASSE,
            "confirmation": MOT_DE_PASSE,
            "question_defi": "animal",
            "reponse_defi": "  Médor ",
        },
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("accounts:connexion")

    electeur.refresh_from_db()
    assert electeur.est_active
    assert electeur.compte.password.startswith("argon2$argon2id$")
    assert electeur.reponse_defi_empreinte.startswith("argon2$argon2id$")
    assert question_defi.verifier("MEDOR", electeur.reponse_defi_empreinte)
    assert authenticate(username="marc.campodifiori@ac-lyon.fr", password=MOT_DE_PASSE)
    assert Evenement.objects.filter(type="compte.active", compte_id=electeur.compte_id).exists()

    # The same link a second time: a clear message, nothing changes.
    encore = client.post(
        reverse("accounts:activation"),
        {
            "token": jeton,
            "mot_de_passe": "Autre phrase de passe 2026!",
            "confirmation": "Autre phrase de passe 2026!",
            "question_defi": "livre",
            "reponse_defi": "Candide",
        },
    )
    assert "Ce lien a déjà été utilisé" in encore.content.decode()
    assert authenticate(username="marc.campodifiori@ac-lyon.fr", password=MOT_DE_PASSE)

    connexion = client.post(
        reverse("accounts:connexion"),
        {"email": "Marc.Campodifiori@ac-lyon.fr", "mot_de_passe": MOT_DE_PASSE},
    )
    assert connexion.status_code == 302
    accueil = client.get(reverse("portail:accueil"))
    assert "Bienvenue sur votre portail Élections" in accueil.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mot_de_passe", "confirmation", "message"),
    [
        ("court", "court", "trop court"),
        ("Campodifiori-2026-vote", "Campodifiori-2026-vote", "ni votre nom ni votre prénom"),
        ("marcantoine-vote-2026", "marcantoine-vote-2026", "ni votre nom ni votre prénom"),
        ("123456789012345", "123456789012345", "entièrement numérique"),
        ("qwerty123456", "qwerty123456", "trop courant"),
        (MOT_DE_PASSE, MOT_DE_PASSE + "x", "La confirmation ne correspond pas"),
    ],
)
def test_mots_de_passe_refuses(client, electeur, mot_de_passe, confirmation, message) -> None:
    from datetime import timedelta

    from isoloir.links.models import Usage

    _, jeton = liens.emettre(
        usage=Usage.ACTIVATION, compte_id=electeur.compte_id, duree=timedelta(hours=1)
    )
    reponse = client.post(
        reverse("accounts:activation"),
        {
            "token": jeton,
            "mot_de_passe": mot_de_passe,
            "confirmation": confirmation,
            "question_defi": "animal",
            "reponse_defi": "Médor",
        },
    )
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    electeur.refresh_from_db()
    assert not electeur.est_active
    # A refused form does not burn the link: the voter can correct and retry.
    assert liens.consulter(usage=Usage.ACTIVATION, jeton=jeton)
    # The form comes back filled, secrets excepted.
    assert f'value="{mot_de_passe}"' not in reponse.content.decode()


@pytest.mark.django_db
def test_question_et_reponse_obligatoires(client, electeur) -> None:
    from datetime import timedelta

    from isoloir.links.models import Usage

    _, jeton = liens.emettre(
        usage=Usage.ACTIVATION, compte_id=electeur.compte_id, duree=timedelta(hours=1)
    )
    reponse = client.post(
        reverse("accounts:activation"),
        {
            "token": jeton,
            "mot_de_passe": MOT_DE_PASSE,
            "confirmation": MOT_DE_PASSE,
            "question_defi": "inventee",
            "reponse_defi": " a ",
        },
    )
    contenu = reponse.content.decode()
    assert "Sélectionnez un choix valide" in contenu
    assert "au moins 3 caractères" in contenu


@pytest.mark.django_db
def test_lien_inconnu_ou_expire(client, electeur) -> None:
    reponse = client.get(reverse("accounts:activation") + "?token=nimportequoi")
    assert "Ce lien n&#x27;est pas valide" in reponse.content.decode()
    assert "Demander un nouveau lien" in reponse.content.decode()


@pytest.mark.django_db
def test_un_compte_deja_active_ne_recoit_pas_de_lien(creer_electeur, creer_scrutin) -> None:
    deja = creer_electeur(creer_scrutin(), active=True)
    assert services.envoyer_activation(electeur=deja) is False


@pytest.mark.django_db(transaction=True)
def test_deux_activations_simultanees_une_seule_reussit(electeur) -> None:
    from datetime import timedelta

    from isoloir.links.models import Usage

    _, jeton = liens.emettre(
        usage=Usage.ACTIVATION, compte_id=electeur.compte_id, duree=timedelta(hours=1)
    )

    def activer(mot_de_passe: str) -> str:
        services.activer_compte(
            jeton=jeton, mot_de_passe=mot_de_passe, question="animal", reponse="Médor"
        )
        return mot_de_passe

    resultats = en_meme_temps(activer, [f"{MOT_DE_PASSE} n°{i}" for i in (1, 2)])
    assert sum(isinstance(r, liens.LienDejaUtilise) for r in resultats) == 1
    gagnant = next(r for r in resultats if isinstance(r, str))
    electeur = Electeur.objects.get(pk=electeur.pk)
    assert electeur.compte.check_password(gagnant)


@pytest.mark.django_db(transaction=True)
def test_aucun_secret_dans_les_journaux_ni_les_courriels(
    client, electeur, boite, executer_taches, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    url = _recevoir_lien_activation(electeur, boite, executer_taches)
    jeton = url.split("token=")[1]
    client.get(url)
    client.post(
        reverse("accounts:activation"),
        {
            "token": jeton,
            "mot_de_passe": MOT_DE_PASSE,
            "confirmation": MOT_DE_PASSE,
            "question_defi": "animal",
            "reponse_defi": "Médor le chien",
        },
    )
    client.post(
        reverse("accounts:connexion"),
        {"email": electeur.compte.email, "mot_de_passe": MOT_DE_PASSE},
    )
    client.post(
        reverse("accounts:connexion"),
        {"email": electeur.compte.email, "mot_de_passe": "mauvais " + MOT_DE_PASSE},
    )
    journaux = caplog.text + str(list(Evenement.objects.values()))
    for secret in (MOT_DE_PASSE, "Médor le chien", "medorlechien", jeton):
        assert secret not in journaux
    courriels = "".join(m.as_string() for m in boite.messages)
    for secret in (MOT_DE_PASSE, "Médor", "medorlechien"):
        assert secret not in courriels


@pytest.mark.django_db
def test_un_lien_d_activation_ne_sert_plus_une_fois_le_compte_active(client, electeur) -> None:
    from datetime import timedelta

    from isoloir.links.models import Usage

    _, premier = liens.emettre(
        usage=Usage.ACTIVATION, compte_id=electeur.compte_id, duree=timedelta(hours=1)
    )
    services.activer_compte(
        jeton=premier, mot_de_passe=MOT_DE_PASSE, question="animal", reponse="Médor"
    )
    # A second link, e.g. from a mail queued before the activation.
    from isoloir.links.models import LienUsageUnique

    _, second = liens.emettre(
        usage=Usage.ACTIVATION, compte_id=electeur.compte_id, duree=timedelta(hours=1)
    )
    assert (
        "Ce compte est déjà activé"
        in client.get(reverse("accounts:activation") + f"?token={second}").content.decode()
    )
    with pytest.raises(services.CompteDejaActive):
        services.activer_compte(
            jeton=second,
            mot_de_passe="Une autre phrase de passe 2026",
            question="livre",
            reponse="Candide",
        )
    electeur.refresh_from_db()
    assert electeur.compte.check_password(MOT_DE_PASSE)
    assert question_defi.verifier("Médor", electeur.reponse_defi_empreinte)
    assert LienUsageUnique.objects.filter(utilise_le__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_un_courriel_d_activation_en_file_devient_sans_objet(
    electeur, boite, executer_taches
) -> None:
    from isoloir.accounts.models import Electeur
    from isoloir.core import horloge
    from isoloir.notify.models import Courriel, EtatCourriel

    with transaction.atomic():
        services.envoyer_activation(electeur=electeur)
    Electeur.objects.filter(pk=electeur.pk).update(active_le=horloge.maintenant())
    executer_taches()
    assert Courriel.objects.get().etat == EtatCourriel.SANS_OBJET
    assert not boite.messages
    assert not LienUsageUnique.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_l_expiration_du_lien_est_en_heure_de_paris(electeur, boite, executer_taches) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from isoloir.core import horloge

    with horloge.figee_a(datetime(2026, 11, 20, 9, 30, tzinfo=ZoneInfo("UTC"))):
        _recevoir_lien_activation(electeur, boite, executer_taches)
    # 7 days later, 09:30 UTC = 10h30 in Paris (winter time).
    assert "valable jusqu'au vendredi 27 novembre 2026 à 10h30 (heure de Paris)" in texte(
        boite.messages[0]
    )
