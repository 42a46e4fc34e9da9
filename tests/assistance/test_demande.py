"""The portal's request form: anonymous and logged-in, refusals, no enumeration, one
request per form however often it is posted."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from isoloir.assistance import services
from isoloir.assistance.models import Categorie, DemandeAssistance
from isoloir.audit.models import Evenement
from isoloir.core import soumission
from isoloir.votecode import code
from tests.assistance.conftest import EMAIL_ELECTEUR
from tests.concurrence import en_meme_temps
from tests.smtp import texte

FORMULAIRE = reverse("assistance:demande")
CONFIRMATION = reverse("assistance:demande_envoyee")


def _cle(client: Client) -> str:
    page = client.get(FORMULAIRE).content.decode()
    return re.search(r'name="cle" value="([^"]+)"', page).group(1)


def _donnees(cle: str, **champs: str) -> dict[str, str]:
    donnees = {
        "cle": cle,
        "nom": "Marc Campodifiori",
        "email": EMAIL_ELECTEUR,
        "telephone": "04 72 00 00 00",
        "categorie": Categorie.ACTIVATION.value,
        "message": "Je n'ai jamais reçu le lien d'activation de mon compte.",
        "captcha_0": "cle",
        "captcha_1": "PASSED",
    }
    donnees.update(champs)
    return donnees


def _deposer(client: Client, **champs: str):
    return client.post(FORMULAIRE, _donnees(_cle(client), **champs), follow=True)


def _numero(reponse) -> str:
    return re.search(r'id="numero-demande">([A-Z0-9-]+)<', reponse.content.decode()).group(1)


@pytest.mark.django_db(transaction=True)
def test_demande_anonyme_avec_accuse_de_reception(client, electeur, boite, executer_taches):
    page = client.get(FORMULAIRE).content.decode()
    for attendu in (
        "Formulaire de demande d&#x27;assistance",
        "N'écrivez jamais vos secrets",
        "CAPTCHA",
        "Code de vote / réassort",
        "Listes électorales",
    ):
        assert attendu in page, attendu
    reponse = _deposer(client, email="  Marc.Campodifiori@AC-LYON.fr ")
    assert reponse.redirect_chain[-1][0] == CONFIRMATION
    numero = _numero(reponse)
    demande = DemandeAssistance.objects.get()
    assert demande.numero == numero and demande.email == EMAIL_ELECTEUR
    assert demande.compte is None and demande.statut == "nouvelle"
    # A reload of the confirmation shows it again, and posts nothing.
    assert numero in client.get(CONFIRMATION).content.decode()

    executer_taches()
    (accuse,) = boite.attendre(1)
    assert accuse["To"] == EMAIL_ELECTEUR
    assert accuse["Subject"] == f"Demande d'assistance n° {numero} reçue"
    corps = texte(accuse)
    assert "Bonjour Marc CAMPODIFIORI," in corps
    # Whoever typed this address may not be its owner: neither their name, phone nor message.
    assert "jamais reçu le lien" not in accuse.as_string()
    assert "04 72" not in accuse.as_string()
    evenement = Evenement.objects.get(type="assistance.demande")
    assert evenement.details == {"demande": numero, "categorie": "activation"}
    assert evenement.compte_id is None


@pytest.mark.django_db(transaction=True)
def test_pas_de_courriel_a_une_adresse_inconnue_et_meme_page(
    client, electeur, boite, executer_taches
):
    connue = _deposer(client).content.decode()
    inconnue = _deposer(client, email="quelquun@exemple.org").content.decode()
    executer_taches()
    assert [m["To"] for m in boite.messages] == [EMAIL_ELECTEUR]
    assert DemandeAssistance.objects.count() == 2

    # No enumeration: both pages say the same, their number apart.
    def sans_numero(page: str) -> str:
        principal = page.split("<main")[1].split("</main>")[0]
        return re.sub(r'id="numero-demande">[A-Z0-9-]+<', "", principal)

    assert sans_numero(connue) == sans_numero(inconnue)
    assert "Si l'adresse électronique indiquée est celle d'un compte" in inconnue


@pytest.mark.django_db
def test_captcha_exige_sans_connexion(client, electeur, settings, monkeypatch):
    from captcha.conf import settings as reglages_captcha

    monkeypatch.setattr(reglages_captcha, "CAPTCHA_TEST_MODE", False)
    reponse = _deposer(client, captcha_1="00000")
    assert "Les chiffres saisis ne correspondent pas au CAPTCHA" in reponse.content.decode()
    assert not DemandeAssistance.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_electeur_connecte_identite_preremplie_sans_captcha(client, electeur, boite):
    client.force_login(electeur.compte)
    page = client.get(FORMULAIRE).content.decode()
    assert f'value="{EMAIL_ELECTEUR}"' in page
    assert 'value="Marc Campodifiori"' in page
    assert "captcha_1" not in page
    cle = re.search(r'name="cle" value="([^"]+)"', page).group(1)
    donnees = _donnees(cle)
    del donnees["captcha_0"], donnees["captcha_1"]
    reponse = client.post(FORMULAIRE, donnees, follow=True)
    assert reponse.redirect_chain[-1][0] == CONFIRMATION
    assert DemandeAssistance.objects.get().compte == electeur.compte
    assert Evenement.objects.get(type="assistance.demande").compte_id == electeur.compte_id


@pytest.mark.django_db
def test_electeur_connecte_ne_peut_pas_saisir_l_adresse_d_un_autre(
    client, electeur, creer_electeur
):
    """Logged in, the request is the account's: a colleague's address typed in (or posted
    by hand past the read-only field) is ignored."""
    collegue = creer_electeur(email="julie.martin@ac-lyon.fr", nom_naissance="Martin")
    client.force_login(electeur.compte)
    page = client.get(FORMULAIRE).content.decode()
    champ = re.search(r'<input[^>]*name="email"[^>]*>', page)
    assert champ and "disabled" in champ.group(0)
    cle = re.search(r'name="cle" value="([^"]+)"', page).group(1)
    donnees = _donnees(cle, email=collegue.compte.email)
    del donnees["captcha_0"], donnees["captcha_1"]
    reponse = client.post(FORMULAIRE, donnees, follow=True)
    assert reponse.redirect_chain[-1][0] == CONFIRMATION
    demande = DemandeAssistance.objects.get()
    assert (demande.compte, demande.email) == (electeur.compte, EMAIL_ELECTEUR)


@pytest.mark.django_db
def test_le_service_impose_l_adresse_du_compte(electeur):
    depot = services.deposer(
        cle=soumission.nouvelle_cle(),
        nom="Marc Campodifiori",
        email="quelqu.un@ac-lyon.fr",
        telephone="",
        categorie=Categorie.AUTRE,
        message="Question.",
        compte=electeur.compte,
        ip="192.0.2.1",
    )
    assert depot.demande.email == EMAIL_ELECTEUR


@pytest.mark.django_db
@pytest.mark.parametrize(
    "message",
    [
        "{code}",
        "Mon code est {code}, il ne marche pas.",
        "code:{code}",
        "{espace}",
        "{groupes}",
    ],
)
def test_message_qui_contient_un_code_refuse(client, electeur, message):
    secret = code.tirer()
    texte_du_message = message.format(
        code=secret,
        espace=" ".join(secret),
        groupes=" ".join(secret[i : i + 4] for i in range(0, 16, 4)),
    )
    reponse = _deposer(client, message=texte_du_message)
    contenu = reponse.content.decode()
    assert "Votre message semble contenir un code de vote" in contenu
    assert "personne, pas même l&#x27;assistance, ne doit le connaître" in contenu
    assert not DemandeAssistance.objects.exists()
    # The form comes back filled, but the refused message is not sent back to the page.
    assert 'value="Marc Campodifiori"' in contenu
    assert secret not in contenu and html.escape(secret) not in contenu


@pytest.mark.django_db
def test_message_qui_contient_un_numen_refuse(client, electeur):
    reponse = _deposer(client, message="Mon NUMEN : 69 E 95 01234 ABC, merci")
    assert "Votre message semble contenir un NUMEN" in reponse.content.decode()
    assert not DemandeAssistance.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("champs", "erreur"),
    [
        ({"nom": ""}, "Ce champ est obligatoire"),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide"),
        ({"telephone": "appelez-moi"}, "Saisissez un numéro de téléphone"),
        ({"categorie": "politique"}, "Sélectionnez un choix valide"),
        ({"message": "   "}, "Ce champ est obligatoire"),
        ({"message": "x" * 3001}, "3000 caractères"),
    ],
)
def test_saisies_refusees(client, electeur, champs, erreur):
    reponse = _deposer(client, **champs)
    assert erreur in reponse.content.decode()
    assert not DemandeAssistance.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_double_envoi_une_seule_demande(client, electeur, boite, executer_taches):
    cle = _cle(client)
    premiere = client.post(FORMULAIRE, _donnees(cle), follow=True)
    # The browser posts the same form again (double click, reload): its CAPTCHA is used
    # up, yet the person lands on the same confirmation.
    seconde = client.post(FORMULAIRE, _donnees(cle, captcha_1="faux"), follow=True)
    assert _numero(premiere) == _numero(seconde)
    assert DemandeAssistance.objects.count() == 1
    executer_taches()
    assert len(boite.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_envois_simultanes_du_meme_formulaire(electeur):
    cle = soumission.nouvelle_cle()

    def deposer(_: int) -> services.Depot:
        return services.deposer(
            cle=cle,
            nom="Marc Campodifiori",
            email=EMAIL_ELECTEUR,
            telephone="",
            categorie=Categorie.AUTRE,
            message="Bonjour",
            compte=None,
            ip="192.0.2.1",
        )

    resultats = en_meme_temps(deposer, range(4))
    assert all(isinstance(r, services.Depot) for r in resultats), resultats
    assert len({r.demande.pk for r in resultats}) == 1
    assert sum(not r.deja_envoyee for r in resultats) == 1
    assert DemandeAssistance.objects.count() == 1
    assert Evenement.objects.filter(type="assistance.demande").count() == 1


@pytest.mark.django_db
def test_trop_de_demandes_depuis_une_adresse(client, electeur):
    for _ in range(services.DEMANDES_PAR_IP.plafond):
        assert _deposer(client).redirect_chain
    reponse = _deposer(client)
    assert "plusieurs demandes" in reponse.content.decode()
    assert DemandeAssistance.objects.count() == services.DEMANDES_PAR_IP.plafond
    assert Evenement.objects.filter(type="assistance.demande_refusee").count() == 1


@pytest.mark.django_db(transaction=True)
def test_accuses_limites_par_adresse(client, electeur, boite, executer_taches):
    for _ in range(services.ACCUSES_PAR_ADRESSE.plafond + 2):
        _deposer(client)
    executer_taches()
    assert DemandeAssistance.objects.count() == services.ACCUSES_PAR_ADRESSE.plafond + 2
    assert len(boite.messages) == services.ACCUSES_PAR_ADRESSE.plafond


@pytest.mark.django_db
def test_confirmation_sans_demande_renvoie_au_formulaire(client):
    assert client.get(CONFIRMATION).url == FORMULAIRE


@pytest.mark.django_db
def test_pages_d_assistance_menent_au_formulaire(client, electeur):
    assert FORMULAIRE in client.get(reverse("portail:assistance_telephonique")).content.decode()
    telephone = client.get(reverse("portail:assistance_telephonique")).content.decode()
    for attendu in ("Avant d'appeler", "date de naissance", "ne vous demandera jamais"):
        assert attendu in telephone, attendu
    client.force_login(electeur.compte)
    assert FORMULAIRE in client.get(reverse("portail:assistance")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("cle", ["", "x", "y" * 500])
def test_cle_absente_ou_alteree_la_demande_passe(client, electeur, cle):
    """The hidden key is nobody's to correct: without it, the request still goes."""
    reponse = client.post(FORMULAIRE, _donnees(cle), follow=True)
    assert reponse.redirect_chain[-1][0] == CONFIRMATION
    assert DemandeAssistance.objects.count() == 1
