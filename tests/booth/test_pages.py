"""The booth's pages: the voting space's states, the ballot page, the receipt and its PDF,
the public board, and the participation page kept to the bureau's members."""

import html
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from isoloir.accounts.models import Compte
from isoloir.ballotbox.models import Bulletin
from isoloir.booth import depot
from isoloir.booth.models import Emargement
from isoloir.core import horloge
from isoloir.core.dates import date_heure_fr
from tests.pdf import polices_du_pdf, texte_du_pdf
from tests.scrutin_de_vote import URNE_ET_DEFAUT, bulletin_pour
from tests.second_facteur import verifier_second_facteur

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)


def _isoloir(scrutin) -> str:
    return reverse("booth:isoloir", args=[scrutin.pk])


def test_sans_code_de_vote_l_isoloir_renvoie_a_la_saisie(client, electeur, scrutin) -> None:
    client.force_login(electeur.compte)
    reponse = client.get(_isoloir(scrutin))
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("votecode:saisie_code")


@pytest.mark.calendrier
def test_l_espace_de_vote_montre_l_etat_de_chaque_scrutin(
    dans_l_isoloir, electeur, scrutin
) -> None:
    page = dans_l_isoloir.get(reverse("booth:espace_de_vote")).content.decode()
    assert "À voter" in page
    assert _isoloir(scrutin) in page
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    page = dans_l_isoloir.get(reverse("booth:espace_de_vote")).content.decode()
    emargement = Emargement.objects.get(inscription__electeur=electeur)
    # The house's one form (core/dates.py), on Paris's clock, whatever the day: the 7th
    # once read "7/12/2026" where the test expected two digits.
    assert f"Voté le {date_heure_fr(emargement.emarge_le)}</span>" in page
    assert re.search(r"Voté le \d{1,2}(er)? [a-zéû]+ \d{4} à \d{1,2}h\d\d<", page)
    assert _isoloir(scrutin) not in page


def test_la_page_de_vote_presente_toutes_les_listes_et_le_vote_blanc(
    dans_l_isoloir, scrutin
) -> None:
    page = dans_l_isoloir.get(_isoloir(scrutin)).content.decode()
    for texte in ("FSU", "Fédération syndicale unitaire", "UNSA", "FO", "Vote blanc"):
        assert texte in page
    assert "Valider mon vote" in page
    assert "Modifier mon choix" in page
    assert 'id="manifeste"' in page
    # The choice is never a field of the form that is posted.
    formulaire = page[page.index('<form method="post" id="envoi-bulletin"') :]
    formulaire = formulaire[: formulaire.index("</form>")]
    assert "data-indice" not in formulaire
    assert re.findall(r'name="([^"]+)"', formulaire) == ["csrfmiddlewaretoken", "bulletin"]


@pytest.mark.calendrier
def test_valider_un_bulletin_donne_l_accuse_de_reception(dans_l_isoloir, scrutin) -> None:
    reponse = dans_l_isoloir.post(_isoloir(scrutin), {"bulletin": bulletin_pour(scrutin, 2)})
    assert reponse.status_code == 200
    page = reponse.content.decode()
    traceur = Bulletin.objects.get().traceur
    assert "Accusé de réception de votre vote" in page
    assert traceur in page
    assert "no-store" in reponse["Cache-Control"] or "no-cache" in reponse["Cache-Control"]
    # A second try on the same scrutin: refused, the first vote stands.
    reponse = dans_l_isoloir.post(_isoloir(scrutin), {"bulletin": bulletin_pour(scrutin, 1)})
    page = reponse.content.decode()
    assert "Vous avez déjà voté à ce scrutin" in page
    assert Bulletin.objects.count() == Emargement.objects.count() == 1


def test_un_bulletin_refuse_revient_avec_un_message_clair(dans_l_isoloir, scrutin) -> None:
    reponse = dans_l_isoloir.post(_isoloir(scrutin), {"bulletin": '{"version": 1}'})
    page = reponse.content.decode()
    assert "Vote non enregistré" in page
    assert "Le bulletin reçu est illisible." in page
    assert Bulletin.objects.count() == 0


@pytest.mark.calendrier
def test_le_pdf_de_l_accuse(dans_l_isoloir, electeur, scrutin, tmp_path) -> None:
    accuse = depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 0))
    reponse = dans_l_isoloir.post(
        reverse("booth:accuse_pdf", args=[scrutin.pk]), {"traceur": accuse.traceur}
    )
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    texte = texte_du_pdf(reponse.content, tmp_path)
    assert "Accusé de réception de vote" in texte
    assert "CSA ministériel" in texte
    assert accuse.traceur in texte
    assert "(heure de Paris)" in texte
    # The product's fonts (core/polices.py), embedded: the receipt reads the same anywhere.
    polices = polices_du_pdf(reponse.content, tmp_path)
    assert polices and all("DejaVu" in nom and incorporee for nom, incorporee in polices)
    # Only for a tracker that is in this scrutin's urne, and a voter who voted there.
    faux = dans_l_isoloir.post(
        reverse("booth:accuse_pdf", args=[scrutin.pk]), {"traceur": "A" * 43}
    )
    assert faux.status_code == 404


def test_le_tableau_retrouve_un_traceur_sans_montrer_le_compte_pendant_le_vote(
    client, electeur, scrutin
) -> None:
    accuse = depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    url = reverse("booth:tableau", args=[scrutin.campagne.slug, scrutin.code])
    page = client.post(url, {"traceur": accuse.traceur}).content.decode()
    assert "Ce bulletin est dans l'urne" in page
    assert "l'urne contient" not in page
    assert accuse.traceur in page  # echoed from the search, not listed
    page = client.post(url, {"traceur": "B" * 43}).content.decode()
    assert "Aucun bulletin n'a ce traceur" in page
    page = client.post(url, {"traceur": "trop court"}).content.decode()
    assert "Un traceur compte 43 caractères" in page


def test_un_traceur_cherche_sur_le_tableau_d_un_autre_scrutin(
    client, electeur, scrutin, creer_scrutin
) -> None:
    """Issue 12, item 7: the board of another scrutin of the campaign points to the right
    one instead of calling it an incident."""
    accuse = depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    autre = creer_scrutin(scrutin.campagne, intitule="CAP des certifiés")
    page = client.post(
        reverse("booth:tableau", args=[autre.campagne.slug, autre.code]),
        {"traceur": accuse.traceur},
    ).content.decode()
    assert "Ce bulletin est dans l'urne d'un autre scrutin" in page
    assert reverse("booth:tableau", args=[scrutin.campagne.slug, scrutin.code]) in page
    assert "incident" not in page


@pytest.mark.calendrier
def test_apres_la_cloture_le_tableau_liste_les_traceurs_tries(
    client, scrutin, creer_electeur
) -> None:
    traceurs = []
    for _ in range(3):
        electeur = creer_electeur(scrutin, active=True)
        traceurs.append(
            depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1)).traceur
        )
    url = reverse("booth:tableau", args=[scrutin.campagne.slug, scrutin.code])
    with horloge.decalee_de(timedelta(days=9)):
        page = client.get(url).content.decode()
    assert "l'urne contient <strong>3</strong> bulletins" in page
    positions = [page.index(t) for t in sorted(traceurs)]
    assert positions == sorted(positions)


def test_la_participation_est_reservee_aux_membres_du_bureau(client, electeur, scrutin) -> None:
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    url = reverse("counting:participation")
    # The password alone is not enough: the second factor is asked first.
    client.force_login(electeur.compte)
    assert client.get(url)["Location"].startswith(reverse("accounts:second_facteur_enrolement"))
    verifier_second_facteur(client, electeur.compte)
    assert client.get(url).status_code == 403
    membre = Compte.objects.create_user("president.bv@education.gouv.fr", "x" * 16)
    membre.user_permissions.add(Permission.objects.get(codename="voir_participation"))
    verifier_second_facteur(client, membre)
    page = client.get(url).content.decode()
    assert "CSA ministériel" in page
    assert "<td>1</td><td>1</td><td>100,0 %</td>" in page.replace("100.0", "100,0")


def test_un_bulletin_en_attente_n_est_pas_au_tableau(client, scrutin) -> None:
    """A ballot whose émargement is not yet written may still leave the urne: the board,
    which only ever grows, does not show it."""
    from isoloir.ballotbox import services as urne
    from isoloir.booth.cles import manifeste_du_scrutin
    from isoloir.crypto.bulletin import verifier_bulletin

    verifie = verifier_bulletin(bulletin_pour(scrutin, 1), manifeste_du_scrutin(scrutin))
    urne.deposer(scrutin_id=scrutin.pk, bulletin=verifie, empreinte_nonce="cd" * 32)
    assert not urne.contient(scrutin.pk, traceur=verifie.traceur)
    assert list(urne.traceurs(scrutin.pk)) == []


def test_les_releves_ne_datent_pas_les_bulletins(client, electeur, scrutin) -> None:
    from isoloir.ballotbox.models import Releve

    url = reverse("booth:tableau", args=[scrutin.campagne.slug, scrutin.code])
    client.get(url)
    client.get(url)
    assert Releve.objects.count() == 1  # at most one per ten minutes
    with horloge.decalee_de(timedelta(minutes=11)):
        client.get(url)
    # A new snapshot although no ballot arrived: numbers say nothing of the traffic.
    deux = list(Releve.objects.order_by("numero"))
    assert [r.numero for r in deux] == [1, 2]
    assert deux[1].precedent == deux[0].valeur
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    with horloge.decalee_de(timedelta(days=9)):
        client.get(url)
        client.get(url)
    final = Releve.objects.order_by("numero").last()
    assert final.numero == 3 and final.nombre == 1  # taken once after the closing


@pytest.mark.calendrier
def test_l_urne_est_publiee_a_la_cloture_et_pas_avant(client, electeur, scrutin) -> None:
    from isoloir.booth.cles import manifeste_du_scrutin
    from isoloir.crypto.bulletin import verifier_bulletin

    accuse = depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 2))
    url = reverse("booth:bulletins_publies", args=[scrutin.campagne.slug, scrutin.code])
    assert client.get(url).status_code == 404
    with horloge.decalee_de(timedelta(days=9)):
        reponse = client.get(url)
    lignes = b"".join(reponse.streaming_content).decode().splitlines()
    manifeste = manifeste_du_scrutin(scrutin)
    assert json.loads(lignes[0]) == {"manifeste": manifeste.texte}
    (bulletin,) = lignes[1:]
    assert verifier_bulletin(bulletin, manifeste).traceur == accuse.traceur


def test_rebrasser_range_l_urne_dans_l_ordre_des_traceurs(scrutin, creer_electeur) -> None:
    from django.db import connections

    from isoloir.ballotbox import services as urne

    for _ in range(6):
        electeur = creer_electeur(scrutin, active=True)
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    avant = sorted(Bulletin.objects.values_list("traceur", "contenu"))
    connexion = connections["urne"]
    # VACUUM cannot run inside the test's transaction: the rewrite only, here.
    assert urne.rebrasser(scrutin.pk, nettoyer=False) == 6
    assert sorted(Bulletin.objects.values_list("traceur", "contenu")) == avant
    if connexion.vendor == "postgresql":
        with connexion.cursor() as curseur:
            curseur.execute(
                "SELECT traceur FROM ballotbox_bulletin WHERE scrutin_id = %s ORDER BY ctid",
                [scrutin.pk],
            )
            physique = [ligne[0] for ligne in curseur.fetchall()]
            curseur.execute(
                "SELECT count(DISTINCT xmin::text) FROM ballotbox_bulletin WHERE scrutin_id = %s",
                [scrutin.pk],
            )
            assert curseur.fetchone()[0] == 1
        assert physique == sorted(physique)


def test_un_bulletin_envoye_apres_la_fermeture_de_l_espace_est_explique(
    dans_l_isoloir, scrutin, settings
) -> None:
    texte = bulletin_pour(scrutin, 1)
    with horloge.decalee_de(timedelta(seconds=settings.ISOLOIR_ESPACE_DE_VOTE_SECONDS + 1)):
        reponse = dans_l_isoloir.post(_isoloir(scrutin), {"bulletin": texte}, follow=True)
    page = html.unescape(reponse.content.decode())
    assert "Votre espace de vote s'est refermé avant l'envoi de votre bulletin" in page
    assert "Saisie du code de vote" in page
    assert Bulletin.objects.count() == 0


def test_le_bureau_voit_reassorts_et_incidents(client, electeur, scrutin, creer_electeur) -> None:
    from django.db import transaction

    from isoloir.votecode import services
    from isoloir.votecode.models import Origine

    with transaction.atomic():
        services.emettre(electeur=electeur, origine=Origine.INITIAL)
        services.emettre(electeur=electeur, origine=Origine.REASSORT)
        services.emettre(electeur=electeur, origine=Origine.REASSORT)
    texte = bulletin_pour(scrutin, 1)
    depot.voter(electeur=creer_electeur(scrutin, active=True), scrutin=scrutin, texte=texte)
    with pytest.raises(depot.BulletinRefuse):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=texte)
    membre = Compte.objects.create_user("president.bv@education.gouv.fr", "x" * 16)
    membre.user_permissions.add(Permission.objects.get(codename="voir_participation"))
    verifier_second_facteur(client, membre)
    page = html.unescape(client.get(reverse("counting:participation")).content.decode())
    assert "Codes de vote renouvelés par réassort : 2 (1 électeur)" in page
    assert "Bulletins recopiés refusés : 1" in page
