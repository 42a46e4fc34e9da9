"""The claimant's mails, through the loopback SMTP server: the receipt, then the decision."""

import uuid
from datetime import date

import pytest

from isoloir.reclamations import services
from tests.reclamations.conftest import NUMEN_NOUVEAU, Situation
from tests.smtp import html, lien, texte

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _adresse(settings) -> None:
    settings.ISOLOIR_BASE_URL = "http://testserver"


def test_accuse_puis_decision_a_l_electeur(situation: Situation, boite, executer_taches) -> None:
    reclamation = services.deposer(
        electeur=situation.electeur,
        campagne=situation.campagne,
        type="omission",
        scrutin=situation.b,
        explication="Oubli.",
        jeton=uuid.uuid4(),
    ).reclamation
    executer_taches()
    (accuse,) = boite.attendre(1)
    assert accuse["To"] == "sophie.campodifiori@ac-lyon.fr"
    assert accuse["Subject"] == (
        f"Réclamation {reclamation.reference} enregistrée — Élections professionnelles 2026"
    )
    corps = texte(accuse)
    assert "Bonjour Sophie CAMPODIFIROI" in corps
    assert f"Numéro de récépissé : {reclamation.reference}" in corps
    assert "CAP des professeurs certifiés" in corps
    assert lien(accuse, "/portail/reclamations/") == "http://testserver/portail/reclamations/"
    assert reclamation.reference in html(accuse)

    services.rejeter(
        reclamation_id=reclamation.pk,
        compte=situation.administrateur,
        motif="Vous relevez de la CAP des agrégés.",
    )
    executer_taches()
    decision = boite.attendre(2)[1]
    assert decision["Subject"] == f"Réclamation {reclamation.reference} rejetée"
    corps = texte(decision)
    assert "a rejeté votre réclamation" in corps
    assert "Motif du rejet : Vous relevez de la CAP des agrégés." in corps
    assert "http://testserver/portail/reclamations/" in corps


def test_sans_compte_accuse_direct_puis_acceptation(
    situation: Situation, boite, executer_taches
) -> None:
    reclamation = services.deposer_sans_compte(
        scrutin=situation.c,
        explication="Recruté au 1er septembre.",
        identite={
            "civilite": "M.",
            "nom_naissance": "Oubli",
            "prenoms": "Jean Paul",
            "date_naissance": date(1985, 3, 2),
            "etablissement": "Collège Jean Moulin",
        },
        email="jean.oubli@ac-lyon.fr",
        jeton=uuid.uuid4(),
    ).reclamation
    # No account to queue it for: sent at once, after the commit.
    (accuse,) = boite.attendre(1)
    assert accuse["To"] == "jean.oubli@ac-lyon.fr"
    corps = texte(accuse)
    assert "Bonjour Jean OUBLI" in corps
    assert reclamation.reference in corps
    assert "/portail/reclamations/" not in corps  # no page to follow it without an account

    services.accepter(
        reclamation_id=reclamation.pk,
        compte=situation.administrateur,
        decision=services.Decision(numen=NUMEN_NOUVEAU),
    )
    executer_taches()
    messages = boite.attendre(3)[1:]
    sujets = sorted(m["Subject"] for m in messages)
    assert sujets[0].startswith("Activez votre compte électeur")
    assert sujets[1] == f"Réclamation {reclamation.reference} acceptée"
    decision = next(m for m in messages if m["Subject"] == sujets[1])
    corps = texte(decision)
    assert "a accepté votre réclamation" in corps
    assert "lien d'activation de votre compte électeur" in corps
    for message in boite.messages:
        assert NUMEN_NOUVEAU not in texte(message) and NUMEN_NOUVEAU not in html(message)


def test_sans_compte_rejet_direct(situation: Situation, boite) -> None:
    reclamation = services.deposer_sans_compte(
        scrutin=situation.c,
        explication="Je devrais voter.",
        identite={
            "civilite": "Mme",
            "nom_naissance": "Durand",
            "prenoms": "Léa",
            "date_naissance": date(1990, 1, 1),
            "etablissement": "Lycée",
        },
        email="lea.durand@ac-lyon.fr",
        jeton=uuid.uuid4(),
    ).reclamation
    services.rejeter(
        reclamation_id=reclamation.pk,
        compte=situation.administrateur,
        motif="Les contractuels de moins de 6 mois ne sont pas électeurs.",
    )
    decision = boite.attendre(2)[1]
    assert decision["To"] == "lea.durand@ac-lyon.fr"
    assert "Motif du rejet : Les contractuels de moins de 6 mois" in texte(decision)
