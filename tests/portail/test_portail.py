"""The portal pages: home with its countdown, scrutins, lists and their PDFs."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from isoloir.core import horloge
from isoloir.elections.models import Candidat

# Dates matter here: run at today's date and at each edge of the calendar.
pytestmark = pytest.mark.calendrier

PARIS = ZoneInfo("Europe/Paris")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def scrutin(creer_campagne, creer_scrutin):
    campagne = creer_campagne(
        nom="Élections professionnelles 2026",
        ouverture=datetime(2026, 12, 6, 16, 0, tzinfo=PARIS),
    )
    return creer_scrutin(campagne, intitule="CSA ministériel de l'Éducation nationale")


@pytest.fixture
def connecte(client, scrutin, creer_electeur):
    electeur = creer_electeur(
        scrutin, active=True, civilite="Mme", prenoms="Sophie", nom_naissance="Martin"
    )
    client.force_login(electeur.compte)
    client.electeur = electeur
    return client


@pytest.mark.django_db
def test_accueil_avant_l_ouverture(connecte) -> None:
    with horloge.figee_a(datetime(2026, 12, 1, 17, 2, tzinfo=PARIS)):
        page = connecte.get(reverse("portail:accueil")).content.decode()
    for rubrique in (
        "Mes informations pratiques",
        "Mes scrutins",
        "Mon compte",
        "Je vote",
        "Consulter les scrutins, les candidatures et voter",
        "Mme Sophie Martin",
    ):
        assert rubrique in page
    assert "Ouverture du vote dans" in page
    # 4 days 22 h 58 min before Sunday 6 December 16:00, as in the reference screen.
    assert 'data-unite="jours">04<' in page
    assert 'data-unite="heures">22<' in page
    assert 'data-unite="minutes">58<' in page
    assert "Le vote ouvre dans 4 jours, 22 heures et 58 minutes." in page
    assert (
        "Ouvert du dimanche 6 décembre 2026 à 16h00 au lundi 14 décembre 2026 à 16h00 "
        "(Heure de Paris)"
    ) in page


@pytest.mark.django_db
def test_le_lien_du_formulaire_d_assistance_ouvre_le_formulaire(connecte) -> None:
    """Issue 12, item 5: the home page's link leads to the form, not to the page about
    assistance."""
    page = connecte.get(reverse("portail:accueil")).content.decode()
    lien = re.search(r"href=\"([^\"]+)\">Formulaire de demande d'assistance</a>", page)
    assert lien is not None, page
    assert lien.group(1) == reverse("assistance:demande")


@pytest.mark.django_db
def test_accueil_pendant_et_apres_le_vote(connecte) -> None:
    with horloge.figee_a(datetime(2026, 12, 14, 15, 0, tzinfo=PARIS)):
        page = connecte.get(reverse("portail:accueil")).content.decode()
    assert "Clôture du vote dans" in page
    assert 'data-unite="heures">01<' in page
    with horloge.figee_a(datetime(2026, 12, 14, 16, 0, tzinfo=PARIS)):
        page = connecte.get(reverse("portail:accueil")).content.decode()
    assert "Le vote est clos" in page


@pytest.mark.django_db
def test_mes_scrutins_listes_et_profession_de_foi(connecte, scrutin, creer_liste) -> None:
    liste = creer_liste(scrutin, sigle="FSU", denomination="Fédération syndicale unitaire")
    liste.profession_de_foi.save("pdf.pdf", ContentFile(PDF))
    Candidat.objects.create(liste=liste, rang=1, civilite="Mme", nom="Durand", prenoms="Alice")
    page = connecte.get(reverse("elections:mes_scrutins")).content.decode()
    assert "CSA ministériel de l&#x27;Éducation nationale" in page
    assert "FSU — Fédération syndicale unitaire" in page
    assert "Mme Alice Durand" in page
    url = reverse("elections:profession_de_foi", args=[liste.pk])
    assert url in page
    reponse = connecte.get(url)
    assert reponse["Content-Type"] == "application/pdf"
    assert b"".join(reponse.streaming_content) == PDF


@pytest.mark.django_db
def test_profession_de_foi_d_un_scrutin_ou_l_on_n_est_pas_inscrit(
    connecte, creer_scrutin, creer_liste
) -> None:
    ailleurs = creer_liste(creer_scrutin())
    ailleurs.profession_de_foi.save("pdf.pdf", ContentFile(PDF))
    assert (
        connecte.get(reverse("elections:profession_de_foi", args=[ailleurs.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_listes_electorales_compte_les_inscrits(connecte, scrutin, creer_electeur) -> None:
    for _ in range(3):
        creer_electeur(scrutin)
    page = connecte.get(reverse("elections:listes_electorales")).content.decode()
    assert '<td data-colonne="Électeurs inscrits">4</td>' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [
        "portail:accueil",
        "portail:mes_informations",
        "portail:edito",
        "portail:assistance",
        "portail:assistance_telephonique",
        "elections:mes_scrutins",
        "elections:listes_electorales",
        "elections:je_vote",
        "reclamations:deposer",
        "reclamations:mes_reclamations",
        "portail:accessibilite",
        "portail:donnees_personnelles",
    ],
)
def test_chaque_page_du_portail_repond(connecte, route: str) -> None:
    reponse = connecte.get(reverse(route))
    assert reponse.status_code == 200
    assert "<h1>" in reponse.content.decode()
    assert "Content-Security-Policy" in reponse


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [
        "portail:accueil",
        "portail:mes_informations",
        "elections:mes_scrutins",
        "elections:je_vote",
    ],
)
def test_les_pages_personnelles_demandent_une_connexion(client, route: str) -> None:
    reponse = client.get(reverse(route))
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("accounts:connexion"))


@pytest.mark.django_db
def test_je_vote_montre_l_etat_de_chaque_scrutin(connecte, scrutin, creer_scrutin) -> None:
    propre = creer_scrutin(
        scrutin.campagne,
        intitule="CAP des certifiés",
        ouverture=datetime(2026, 12, 7, 9, 0, tzinfo=PARIS),
        cloture=datetime(2026, 12, 8, 18, 0, tzinfo=PARIS),
    )
    from isoloir.elections.models import Inscription

    Inscription.objects.create(electeur=connecte.electeur, scrutin=propre)
    with horloge.figee_a(datetime(2026, 12, 7, 8, 0, tzinfo=PARIS)):
        page = connecte.get(reverse("elections:je_vote")).content.decode()
    assert page.count("Ouvert</span>") == 1
    assert page.count("À venir</span>") == 1
    assert "du lundi 7 décembre 2026 à 9h00 au mardi 8 décembre 2026 à 18h00" in page
    with horloge.figee_a(datetime(2026, 12, 9, 8, 0, tzinfo=PARIS)):
        page = connecte.get(reverse("elections:je_vote")).content.decode()
    assert page.count("Fermé</span>") == 1
