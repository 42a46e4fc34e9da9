"""The FranceConnect path end to end, against the real provider (tools/oidc-provider)."""

import html
import json
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.urls import reverse

from isoloir.audit.models import Evenement
from isoloir.core import horloge
from isoloir.franceconnect import services
from tests.franceconnect.conftest import BASE

pytestmark = pytest.mark.django_db


def _evenements(type_: str) -> list[Evenement]:
    return list(Evenement.objects.filter(type=type_).order_by("id"))


def _raison_journalisee() -> str:
    (erreur,) = _evenements("franceconnect.erreur")
    return erreur.details["raison"]


def _page(reponse) -> str:
    return html.unescape(reponse.content.decode())


def _parametres(url: str) -> dict[str, str]:
    return {cle: valeurs[0] for cle, valeurs in parse_qs(urlsplit(url).query).items()}


def test_demande_d_autorisation_comme_franceconnect_l_attend(parcours, fc) -> None:
    url = parcours.demarrer()
    assert url.startswith(f"{fc.issuer}/authorize?")
    parametres = _parametres(url)
    assert parametres["acr_values"] == "eidas1"
    assert parametres["scope"] == "openid identite_pivot preferred_username"
    assert parametres["response_type"] == "code"
    assert parametres["redirect_uri"] == f"{BASE}/portail/franceconnect/retour/"
    assert len(parametres["state"]) >= 32
    assert len(parametres["nonce"]) >= 32
    assert parametres["state"] != parametres["nonce"]
    assert not {"code_challenge", "code_challenge_method"} & parametres.keys()
    demande = parcours.client.session[services.DEMANDE]
    assert (demande["state"], demande["nonce"]) == (parametres["state"], parametres["nonce"])


def test_rapprochement_reussi(parcours, ouverture, electeur) -> None:
    reponse = parcours.complet()
    assert reponse.status_code == 302
    assert reponse["Location"] == "/portail/reassort/ouvert-par-le-test/"
    assert ouverture.electeurs == [electeur]
    (reussi,) = _evenements("franceconnect.rapprochement_reussi")
    assert reussi.compte_id == electeur.compte_id
    assert set(reussi.details) == {"sub", "civilite_concordante"}
    assert reussi.details["civilite_concordante"] is True
    # The journal ties events to FranceConnect's pairwise sub, never to the identity.
    journal = json.dumps([e.details for e in Evenement.objects.all()], ensure_ascii=False)
    for donnee in ("1977", "Guérec", "GUEREC", "Sophie", "SOPHIE", "29019"):
        assert donnee not in journal
    assert services.ID_TOKEN in parcours.client.session
    assert services.DEMANDE not in parcours.client.session


def test_rapprochement_ouvre_le_reassort(parcours, creer_campagne, creer_scrutin) -> None:
    from isoloir.elections.models import Inscription

    campagne = creer_campagne(ouverture=horloge.maintenant() + timedelta(days=3))
    Inscription.objects.create(electeur=parcours.electeur, scrutin=creer_scrutin(campagne))
    reponse = parcours.complet()
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("votecode:reassort_code_vote") + "?token=")
    assert _evenements("reassort.franceconnect")
    # The new code's page offers the FranceConnect logout, for shared computers (issue 12,
    # item 4), as the mismatch page does.
    lien = _parametres(reponse["Location"])
    nouveau = parcours.client.post(
        reverse("votecode:reassort_code_vote"),
        {"token": lien["token"], "electeurId": lien["electeurId"]},
    )
    assert nouveau.status_code == 200
    page = _page(nouveau)
    assert "Le nouveau code de vote" in page
    assert f'action="{reverse("franceconnect:deconnexion")}"' in page
    assert "Se déconnecter de FranceConnect" in page


def test_reassort_ferme(parcours, creer_campagne, creer_scrutin) -> None:
    from isoloir.elections.models import Inscription

    campagne = creer_campagne(ouverture=horloge.maintenant() + timedelta(days=60))
    Inscription.objects.create(electeur=parcours.electeur, scrutin=creer_scrutin(campagne))
    # Checked before the trip to FranceConnect, not only on the way back.
    reponse = parcours.client.get(reverse("franceconnect:connexion"))
    assert reponse.status_code == 200
    assert "Le réassort du code de vote est ouvert du" in _page(reponse)


def test_graphies_differentes(parcours, ouverture, electeur) -> None:
    reponse = parcours.complet(
        family_name="LE GUEREC",
        given_name="ANNE SOPHIE MARIE",
        given_name_array=["ANNE", "SOPHIE", "MARIE"],
    )
    assert reponse.status_code == 302
    assert ouverture.electeurs == [electeur]


def test_nom_d_usage(parcours, ouverture, electeur) -> None:
    reponse = parcours.complet(family_name="LEGUERRIC", preferred_username="SAINT ELOI")
    assert reponse.status_code == 302
    assert ouverture.electeurs == [electeur]


@pytest.mark.parametrize(
    ("surcharges", "ecart", "libelle"),
    [
        ({"birthdate": "1977-05-05"}, "date_naissance", "la date de naissance"),
        ({"family_name": "DURAND", "preferred_username": ""}, "nom", "le nom de naissance"),
        ({"given_name_array": ["Marie", "Anne-Sophie"]}, "prenom", "le premier prénom"),
    ],
)
def test_rapprochement_echoue(parcours, ouverture, surcharges, ecart, libelle) -> None:
    reponse = parcours.complet(**surcharges)
    assert reponse.status_code == 200
    page = _page(reponse)
    assert "Votre identité FranceConnect ne correspond pas à la liste électorale" in page
    assert libelle in page
    assert reverse("votecode:reassort_question") in page
    assert "Se déconnecter de FranceConnect" in page
    assert ouverture.electeurs == []
    (echec,) = _evenements("franceconnect.rapprochement_echoue")
    assert echec.details["ecarts"] == [ecart]
    assert "1977" not in json.dumps(echec.details)


def test_date_presumee_differente(parcours, ouverture) -> None:
    reponse = parcours.complet(birthdate="1977-01-01")
    page = _page(reponse)
    assert "date de naissance présumée" in page
    assert ouverture.electeurs == []


def test_date_presumee_identique(
    client, fc, creer_campagne, creer_scrutin, creer_electeur, ouverture
) -> None:
    from tests.franceconnect.conftest import Parcours

    scrutin = creer_scrutin(creer_campagne(ouverture=horloge.maintenant() + timedelta(days=3)))
    electeur = creer_electeur(scrutin, active=True, date_naissance=date(1958, 1, 1))
    client.force_login(electeur.compte)
    reponse = Parcours(client, fc, electeur).complet(birthdate="1958-01-01")
    assert reponse.status_code == 302
    assert ouverture.electeurs == [electeur]


def test_mauvais_state(parcours, ouverture) -> None:
    retour = parcours.chez_franceconnect(parcours.demarrer())
    state = _parametres(retour)["state"]
    reponse = parcours.revenir(retour.replace(f"state={state}", "state=" + "x" * 43))
    assert reponse.status_code == 400
    assert "La connexion avec FranceConnect n'a pas abouti" in _page(reponse)
    assert _raison_journalisee() == "state_invalide"
    assert ouverture.electeurs == []


def test_state_non_ascii(parcours) -> None:
    retour = parcours.chez_franceconnect(parcours.demarrer())
    state = _parametres(retour)["state"]
    reponse = parcours.revenir(retour.replace(f"state={state}", "state=%C3%A9t%C3%A9"))
    assert reponse.status_code == 400


def test_retour_sans_demande(parcours) -> None:
    reponse = parcours.client.get(reverse("franceconnect:retour"), {"code": "x", "state": "y"})
    assert reponse.status_code == 400
    assert "n'est pas, ou plus, en cours" in _page(reponse)
    assert _raison_journalisee() == "demande_absente"


def test_code_rejoue(parcours, ouverture) -> None:
    retour = parcours.chez_franceconnect(parcours.demarrer())
    demande = parcours.client.session[services.DEMANDE]
    assert parcours.revenir(retour).status_code == 302
    # The request is answered once: the same callback again finds nothing to complete...
    assert parcours.revenir(retour).status_code == 400
    # ...and were the request still there, FranceConnect would refuse the used code.
    session = parcours.client.session
    session[services.DEMANDE] = demande
    session.save()
    reponse = parcours.revenir(retour)
    assert reponse.status_code == 502
    raisons = [e.details["raison"] for e in _evenements("franceconnect.erreur")]
    assert raisons == ["demande_absente", "code_refuse"]
    assert len(ouverture.electeurs) == 1


def test_acr_absent(parcours, ouverture) -> None:
    reponse = parcours.complet(acr=None)
    assert reponse.status_code == 502
    assert "La réponse de FranceConnect n'a pas pu être vérifiée" in _page(reponse)
    assert _raison_journalisee() == "id_token_acr_absent"
    assert ouverture.electeurs == []


def test_nonce_different(parcours, ouverture) -> None:
    url = parcours.demarrer()
    session = parcours.client.session
    session[services.DEMANDE] = {**session[services.DEMANDE], "nonce": "n" * 43}
    session.save()
    reponse = parcours.revenir(parcours.chez_franceconnect(url))
    assert reponse.status_code == 502
    assert _raison_journalisee() == "id_token_nonce_invalide"
    assert ouverture.electeurs == []


def test_userinfo_d_un_autre_compte(parcours, ouverture) -> None:
    reponse = parcours.complet(sub_userinfo="quelqu-un-d-autre")
    assert reponse.status_code == 502
    assert _raison_journalisee() == "userinfo_sub_invalide"
    assert ouverture.electeurs == []


def test_iss_du_retour(parcours, ouverture) -> None:
    retour = parcours.chez_franceconnect(parcours.demarrer())
    iss = parse_qs(urlsplit(retour).query)["iss"][0]
    assert iss == parcours.pair.issuer
    demande = parcours.client.session[services.DEMANDE]
    reponse = parcours.revenir(retour.replace("iss=", "iss=https%3A%2F%2Fautre.example"))
    assert reponse.status_code == 400
    # The provider announces RFC 9207 in its metadata, so a response without iss is refused.
    session = parcours.client.session
    session[services.DEMANDE] = demande
    session.save()
    sans_iss = retour.split("&iss=")[0]
    assert parcours.revenir(sans_iss).status_code == 400
    raisons = [e.details["raison"] for e in _evenements("franceconnect.erreur")]
    assert raisons == ["iss_invalide", "iss_invalide"]
    assert ouverture.electeurs == []


def test_l_usager_annule(parcours, ouverture) -> None:
    reponse = parcours.complet(refuser=True)
    assert reponse.status_code == 200
    assert "La connexion avec FranceConnect a été interrompue" in _page(reponse)
    assert _raison_journalisee() == "refus_access_denied"


def test_demande_perimee(parcours) -> None:
    retour = parcours.chez_franceconnect(parcours.demarrer())
    with horloge.decalee_de(services.DUREE_DEMANDE):
        reponse = parcours.revenir(retour)
    assert reponse.status_code == 400
    assert _raison_journalisee() == "demande_expiree"


def test_jeton_d_identite_expire(parcours) -> None:
    retour = parcours.chez_franceconnect(parcours.demarrer())
    # FranceConnect's ID tokens live 60 seconds; the portal's clock runs 5 minutes ahead.
    with horloge.decalee_de(timedelta(minutes=5)):
        reponse = parcours.revenir(retour)
    assert reponse.status_code == 502
    assert _raison_journalisee() == "id_token_expire"


def test_deconnexion_de_franceconnect(parcours, ouverture) -> None:
    parcours.complet()
    id_token = parcours.client.session[services.ID_TOKEN]
    reponse = parcours.client.post(reverse("franceconnect:deconnexion"))
    # A page that moves on by itself (the CSP's form-action would block a redirect).
    assert reponse.status_code == 200
    url = html.unescape(_page(reponse).split('content="0;url=')[1].split('"')[0])
    assert url.startswith(f"{parcours.pair.issuer}/session/end?")
    parametres = _parametres(url)
    assert parametres["id_token_hint"] == id_token
    retour_attendu = f"{BASE}/portail/franceconnect/deconnexion/retour/"
    assert parametres["post_logout_redirect_uri"] == retour_attendu
    assert len(parametres["state"]) >= 32
    assert services.ID_TOKEN not in parcours.client.session

    # The provider logs the browser out and sends it back with the state.
    with httpx.Client() as navigateur:
        page = navigateur.get(url)
        formulaire = page.text
        action = formulaire.split('action="')[1].split('"')[0]
        xsrf = formulaire.split('name="xsrf" value="')[1].split('"')[0]
        fin = navigateur.post(action, data={"xsrf": xsrf, "logout": "yes"})
    assert fin.status_code in (302, 303)
    retour = fin.headers["location"]
    assert retour.startswith(retour_attendu)
    assert _parametres(retour)["state"] == parametres["state"]
    accueil = parcours.client.get(retour.removeprefix(BASE), follow=True)
    assert "Vous êtes déconnecté de FranceConnect." in _page(accueil)
    (deconnexion,) = _evenements("franceconnect.deconnexion")
    assert deconnexion.details == {"confirmee": True}


def test_retour_de_deconnexion_sans_demande(parcours) -> None:
    reponse = parcours.client.get(reverse("franceconnect:deconnexion_retour"), {"state": "x"})
    assert reponse.status_code == 302
    (deconnexion,) = _evenements("franceconnect.deconnexion")
    assert deconnexion.details == {"confirmee": False}


def test_deconnexion_sans_session_franceconnect(parcours) -> None:
    reponse = parcours.client.post(reverse("franceconnect:deconnexion"))
    assert reponse["Location"] == reverse("portail:accueil")


def test_non_configure(client, settings, electeur) -> None:
    settings.ISOLOIR_FC_ISSUER = ""
    assert client.get(reverse("franceconnect:connexion")).status_code == 404
    client.force_login(electeur.compte)
    assert client.get(reverse("franceconnect:connexion")).status_code == 404
    assert client.get(reverse("franceconnect:retour")).status_code == 404


def test_reserve_aux_electeurs_connectes(client, fc, django_user_model) -> None:
    reponse = client.get(reverse("franceconnect:connexion"))
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("accounts:connexion"))
    administrateur = django_user_model.objects.create_user("admin@exemple.fr", "x" * 20)
    client.force_login(administrateur)
    assert client.get(reverse("franceconnect:connexion")).status_code == 404


def test_franceconnect_injoignable(parcours, settings) -> None:
    from tests.franceconnect.pair import port_libre

    settings.ISOLOIR_FC_ISSUER = f"http://127.0.0.1:{port_libre()}/api/v2"
    reponse = parcours.client.get(reverse("franceconnect:connexion"))
    assert reponse.status_code == 502
    assert "FranceConnect ne répond pas pour le moment" in _page(reponse)
    assert _raison_journalisee() == "indisponible"


def test_le_pair_refuse_ce_que_franceconnect_refuse(fc) -> None:
    # The peer is as strict as FranceConnect's own parameter validation.
    parametres = {
        "client_id": "isoloir-tests",
        "response_type": "code",
        "redirect_uri": f"{BASE}/portail/franceconnect/retour/",
        "scope": "openid identite_pivot",
        "acr_values": "eidas1",
        "state": "s" * 43,
        "nonce": "n" * 43,
    }
    url = f"{fc.issuer}/authorize"
    assert httpx.get(url, params=parametres).status_code == 303
    for variante in (
        {"code_challenge": "c" * 43, "code_challenge_method": "S256"},
        {"acr_values": None},
        {"nonce": None},
        {"state": "court"},
        {"max_age": "60"},
    ):
        demande = {k: v for k, v in {**parametres, **variante}.items() if v is not None}
        reponse = httpx.get(url, params=demande)
        assert reponse.status_code == 400, variante
        assert reponse.json()["error"] == "invalid_request"


@pytest.mark.django_db
def test_hors_periode_de_reassort_on_ne_part_pas_vers_franceconnect(
    client, creer_campagne, creer_scrutin, creer_electeur, settings
):
    from datetime import timedelta

    from django.urls import reverse

    from isoloir.core import horloge

    settings.ISOLOIR_FC_ISSUER = "http://127.0.0.1:9/api/v2"  # never reached
    campagne = creer_campagne(ouverture=horloge.maintenant() + timedelta(days=30))
    electeur = creer_electeur(creer_scrutin(campagne), active=True)
    client.force_login(electeur.compte)
    reponse = client.get(reverse("franceconnect:connexion"))
    assert reponse.status_code == 200
    assert "Le réassort du code de vote est ouvert du" in reponse.content.decode()
