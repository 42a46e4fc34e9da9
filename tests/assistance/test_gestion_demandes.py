"""The helpdesk's work on requests: who may reach it, list and filters, take, answer,
close; two members taking one request at once."""

import html
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from isoloir.assistance import services
from isoloir.assistance.models import Categorie, DemandeAssistance, ReponseAssistance, Statut
from isoloir.audit.models import Evenement
from isoloir.core import soumission
from isoloir.votecode import code
from tests.assistance.conftest import EMAIL_ELECTEUR
from tests.concurrence import en_meme_temps
from tests.second_facteur import verifier_second_facteur
from tests.smtp import texte

LISTE = reverse("gestion_assistance:demandes")


def _demande(email: str = EMAIL_ELECTEUR, **champs) -> DemandeAssistance:
    valeurs = {
        "nom": "Marc Campodifiori",
        "email": email,
        "telephone": "04 72 00 00 00",
        "categorie": Categorie.CODE_DE_VOTE,
        "message": "Mon réassort est bloqué.",
        "compte": None,
        "ip": "192.0.2.1",
    }
    valeurs.update(champs)
    return services.deposer(cle=soumission.nouvelle_cle(), **valeurs).demande


def _url(nom: str, demande: DemandeAssistance) -> str:
    return reverse(f"gestion_assistance:{nom}", kwargs={"pk": demande.pk})


def _cle(page: str) -> str:
    return re.search(r'name="cle" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
def test_roles(client, electeur, agent):
    pages = [LISTE, reverse("gestion_assistance:electeurs")]
    # Anonymous: to the login page.
    for page in pages:
        assert "/portail/connexion/" in client.get(page).url
    # A voter, even with a second factor: refused.
    verifier_second_facteur(client, electeur.compte)
    for page in pages:
        assert client.get(page).status_code == 403
    # A helpdesk member without the second factor proved: sent to prove it.
    client.logout()
    client.force_login(agent)
    assert "/portail/second-facteur/" in client.get(LISTE).url
    # With it: in; but never in Django's admin.
    verifier_second_facteur(client, agent)
    for page in pages:
        assert client.get(page).status_code == 200
    # « Accès refusé », not the admin's login form (issue 12, item 11).
    refus = client.get("/back-office/")
    assert refus.status_code == 403
    assert "Accès refusé" in refus.content.decode()


@pytest.mark.django_db
def test_compte_non_verifie_n_entre_pas(client):
    """An account of the helpdesk group that is not active never reaches the pages."""
    from isoloir.accounts.models import Compte

    compte = Compte.objects.create_user("inactif@education.gouv.fr", None)
    compte.groups.add(Group.objects.get(name="Assistance"))
    compte.is_active = False
    compte.save()
    verifier_second_facteur(client, compte)
    reponse = client.get(LISTE)
    assert reponse.status_code in (302, 403)
    assert b"Demandes d'assistance" not in reponse.content


@pytest.mark.django_db
def test_administration_entre_aussi(client):
    from isoloir.accounts.models import Compte

    compte = Compte.objects.create_user("admin@education.gouv.fr", None)
    compte.groups.add(Group.objects.get(name="Administration des élections"))
    verifier_second_facteur(client, compte)
    assert client.get(LISTE).status_code == 200


@pytest.mark.django_db
def test_liste_filtres_et_recherche(assistance, electeur, agent):
    activation = _demande(categorie=Categorie.ACTIVATION, nom="Alice Martin", email="a@x.fr")
    vote = _demande(categorie=Categorie.VOTE)
    services.prendre(demande_id=vote.pk, agent=agent, ip="")
    page = assistance.get(LISTE).content.decode()
    assert activation.numero in page and vote.numero in page
    assert "2 demandes" in page

    def numeros(**filtres) -> set[str]:
        contenu = assistance.get(LISTE, filtres).content.decode()
        return set(re.findall(r">([A-Z0-9]{4}-[A-Z0-9]{4})</a>", contenu))

    assert numeros(statut="nouvelle") == {activation.numero}
    assert numeros(statut="en_cours") == {vote.numero}
    assert numeros(statut="resolue") == set()
    assert numeros(categorie="vote") == {vote.numero}
    assert numeros(q=activation.numero.lower().replace("-", "")) == {activation.numero}
    assert numeros(q="a@x") == {activation.numero}
    assert numeros(q="martin") == {activation.numero}
    assert numeros(statut="n'importe quoi") == {activation.numero, vote.numero}


@pytest.mark.django_db(transaction=True)
def test_prendre_repondre_par_courriel_et_clore(
    assistance, electeur, agent, boite, executer_taches
):
    demande = _demande()
    page = assistance.get(_url("demande", demande)).content.decode()
    assert "Mon réassort est bloqué." in page
    assert "voir l'électeur de ce compte" in page
    assert "Prendre en charge" in page

    assistance.post(_url("prendre", demande))
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_COURS and demande.prise_par == agent
    page = assistance.get(_url("demande", demande)).content.decode()
    assert "la réponse y sera envoyée par courriel" in page

    cle = _cle(page)
    reponse_texte = "Le verrou est levé : vous pouvez refaire le réassort."
    assistance.post(_url("repondre", demande), {"texte": reponse_texte, "cle": cle})
    # The same form posted again: still one reply, one mail.
    assistance.post(_url("repondre", demande), {"texte": reponse_texte, "cle": cle})
    (reponse,) = ReponseAssistance.objects.all()
    assert reponse.canal == "courriel" and reponse.auteur == agent
    executer_taches()
    mails = [m for m in boite.messages if "Réponse" in m["Subject"]]
    assert len(mails) == 1
    assert mails[0]["To"] == EMAIL_ELECTEUR
    assert mails[0]["Subject"] == f"Réponse à votre demande d'assistance n° {demande.numero}"
    assert reponse_texte in texte(mails[0])

    assistance.post(_url("clore", demande))
    demande.refresh_from_db()
    assert demande.statut == Statut.RESOLUE and demande.resolue_le
    types = list(
        Evenement.objects.filter(type__startswith="assistance.")
        .order_by("id")
        .values_list("type", flat=True)
    )
    assert types == [
        "assistance.demande",
        "assistance.prise",
        "assistance.reponse",
        "assistance.cloture",
    ]
    for evenement in Evenement.objects.filter(type__in=types[1:]):
        assert evenement.compte_id == agent.pk
        assert evenement.details["demande"] == demande.numero
        assert reponse_texte not in str(evenement.details)


@pytest.mark.django_db(transaction=True)
def test_adresse_sans_compte_repondu_par_telephone(
    assistance, electeur, agent, boite, executer_taches
):
    demande = _demande(email="inconnu@exemple.org")
    assistance.post(_url("prendre", demande))
    page = assistance.get(_url("demande", demande)).content.decode()
    assert "Aucun compte n'a cette adresse : rien n'y sera envoyé" in page
    assistance.post(
        _url("repondre", demande), {"texte": "Rappelé, lien renvoyé.", "cle": _cle(page)}
    )
    executer_taches()
    assert not boite.messages
    assert ReponseAssistance.objects.get().canal == "telephone"
    assert "Répondu par téléphone" in assistance.get(_url("demande", demande)).content.decode()


@pytest.mark.django_db(transaction=True)
def test_demande_d_un_compte_connecte_identifiee_par_le_compte(
    assistance, electeur, agent, creer_electeur, boite, executer_taches
):
    """A request filed from an account (here one stored before the address was forced,
    with a colleague's address typed in) is the account's: the helpdesk sees that voter
    and answers that account, never the typed address."""
    collegue = creer_electeur(email="julie.martin@ac-lyon.fr", nom_naissance="Martin")
    demande = _demande(compte=electeur.compte)
    DemandeAssistance.objects.filter(pk=demande.pk).update(email=collegue.compte.email)
    page = assistance.get(_url("demande", demande)).content.decode()
    assert f"/gestion/assistance/electeurs/{electeur.pk}/" in page
    assert f"/gestion/assistance/electeurs/{collegue.pk}/" not in page
    assert "adresse saisie, non vérifiée" not in page
    assistance.post(_url("prendre", demande))
    page = assistance.get(_url("demande", demande)).content.decode()
    assistance.post(_url("repondre", demande), {"texte": "Voici la réponse.", "cle": _cle(page)})
    executer_taches()
    reponses = [m for m in boite.messages if "Réponse" in m["Subject"]]
    assert [m["To"] for m in reponses] == [EMAIL_ELECTEUR]
    # Nor does the colleague's page list it among their requests.
    fiche = assistance.get(
        reverse("gestion_assistance:electeur", kwargs={"pk": collegue.pk})
    ).content.decode()
    assert demande.numero not in fiche


@pytest.mark.django_db
def test_demande_anonyme_adresse_saisie_non_verifiee(assistance, electeur):
    demande = _demande()
    page = assistance.get(_url("demande", demande)).content.decode()
    assert "adresse saisie, non vérifiée" in page
    assert f"/gestion/assistance/electeurs/{electeur.pk}/" in page


@pytest.mark.django_db
def test_reponse_avec_un_code_refusee(assistance, electeur, agent):
    demande = _demande()
    services.prendre(demande_id=demande.pk, agent=agent, ip="")
    page = assistance.get(_url("demande", demande)).content.decode()
    secret = code.tirer()
    reponse = assistance.post(
        _url("repondre", demande), {"texte": f"Votre code : {secret}", "cle": _cle(page)}
    )
    assert "semble contenir un code de vote" in reponse.content.decode()
    assert html.escape(secret) not in reponse.content.decode()
    assert not ReponseAssistance.objects.exists()


@pytest.mark.django_db
def test_seul_celui_qui_a_pris_la_demande_repond_et_clot(
    client, assistance, electeur, agent, autre_agent
):
    demande = _demande()
    refus = client.post(_url("repondre", demande), {"texte": "x", "cle": "abc"})
    assert "Prenez d&#x27;abord la demande en charge" in refus.content.decode()
    services.prendre(demande_id=demande.pk, agent=agent, ip="")
    collegue = Client()
    verifier_second_facteur(collegue, autre_agent)
    page = collegue.get(_url("demande", demande)).content.decode()
    assert "Envoyer la réponse" not in page and "Prendre en charge" not in page
    reponse = collegue.post(_url("repondre", demande), {"texte": "x", "cle": "abc"})
    assert "prise en charge par un autre membre" in reponse.content.decode()
    reponse = collegue.post(_url("clore", demande), follow=True)
    assert "prise en charge par un autre membre" in reponse.content.decode()
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_COURS
    # Taking it again: told who has it.
    reponse = collegue.post(_url("prendre", demande), follow=True)
    assert "déjà été prise en charge par agent.assistance" in reponse.content.decode()


@pytest.mark.django_db(transaction=True)
def test_prises_simultanees_une_seule_gagne(electeur, agent, autre_agent):
    demande = _demande()
    resultats = en_meme_temps(
        lambda qui: services.prendre(demande_id=demande.pk, agent=qui, ip=""),
        [agent, autre_agent, agent, autre_agent],
    )
    gagnants = [r for r in resultats if isinstance(r, DemandeAssistance)]
    perdants = [r for r in resultats if isinstance(r, services.ActionImpossible)]
    assert len(gagnants) == 1 and len(perdants) == 3, resultats
    demande.refresh_from_db()
    assert demande.prise_par == gagnants[0].prise_par
    assert Evenement.objects.filter(type="assistance.prise").count() == 1


@pytest.mark.django_db
def test_get_sur_une_action_refuse(assistance, electeur):
    demande = _demande()
    assert assistance.get(_url("prendre", demande)).status_code == 405
    demande.refresh_from_db()
    assert demande.statut == Statut.NOUVELLE


@pytest.mark.django_db
def test_admin_technique_liste_en_lecture_seule(client, electeur):
    from isoloir.accounts.models import Compte

    demande = _demande()
    admin = Compte.objects.create_superuser("super@education.gouv.fr", None)
    verifier_second_facteur(client, admin)
    liste = client.get("/back-office/assistance/demandeassistance/")
    assert liste.status_code == 200 and demande.numero in liste.content.decode()
    assert client.get("/back-office/assistance/demandeassistance/add/").status_code == 403
    fiche = client.get(f"/back-office/assistance/demandeassistance/{demande.pk}/change/")
    assert fiche.status_code == 200
    assert 'name="statut"' not in fiche.content.decode()
