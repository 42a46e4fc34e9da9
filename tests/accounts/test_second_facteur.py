"""The second factor of the bureau de vote's members: enrolment, confirmation, verification,
throttling, replay, recovery codes, the guard of the bureau's views, and a journal (and
logs) that never hold a code or the secret."""

import html
import json
import logging
import re
from base64 import b32decode
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from isoloir.accounts import second_facteur
from isoloir.accounts.models import AppareilTOTP, Compte
from isoloir.audit.models import Evenement
from tests.factories import MOT_DE_PASSE
from tests.second_facteur import code_actuel, verifier_second_facteur

pytestmark = pytest.mark.django_db

EMAIL = "president.bv@education.gouv.fr"
ENROLEMENT = reverse("accounts:second_facteur_enrolement")
VERIFICATION = reverse("accounts:second_facteur_verification")
SECOURS = reverse("accounts:second_facteur_secours")
CODES = reverse("accounts:second_facteur_codes")
PARTICIPATION = reverse("counting:participation")
CODE_DE_SECOURS = re.compile(r"<code class=\"fr-text--lead\">([a-z0-9]{5}-[a-z0-9]{5})</code>")


@pytest.fixture
def membre() -> Compte:
    """A bureau member allowed to see the participation (any page behind the guard)."""
    compte = Compte.objects.create_user(EMAIL, MOT_DE_PASSE)
    compte.user_permissions.add(Permission.objects.get(codename="voir_participation"))
    return compte


@pytest.fixture
def connecte(client, membre):
    client.force_login(membre)
    return client


def _appareil(compte: Compte) -> AppareilTOTP:
    return AppareilTOTP.objects.get(user=compte)


def _mauvais_code(appareil: AppareilTOTP) -> str:
    valides = {code_actuel(appareil, decalage=d) for d in range(-2, 3)}
    return next(c for c in (f"{n}" * 6 for n in range(10)) if c not in valides)


def _attendre(appareil: AppareilTOTP | StaticDevice) -> None:
    """Let the throttling wait pass (django-otp reads timezone.now(), not our clock)."""
    type(appareil).objects.filter(pk=appareil.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(days=1)
    )


def _enroler(client, compte: Compte, suivant: str = "") -> tuple[AppareilTOTP, list[str]]:
    """Enrol through the pages; returns the confirmed application and the recovery codes."""
    url = f"{ENROLEMENT}?{urlencode({'next': suivant})}" if suivant else ENROLEMENT
    assert client.get(url).status_code == 200
    appareil = _appareil(compte)
    reponse = client.post(url, {"code": code_actuel(appareil), "next": suivant})
    assert reponse.status_code == 200, reponse
    return appareil, CODE_DE_SECOURS.findall(reponse.content.decode())


def _nouvelle_session(client, compte: Compte) -> None:
    client.logout()
    client.force_login(compte)


def _messages_d_erreur(reponse) -> str:
    return html.unescape(reponse.content.decode())


# --- Enrolment and confirmation -----------------------------------------------------


def test_l_enrolement_donne_l_uri_et_le_secret_et_reprend_le_meme(membre) -> None:
    enrolement = second_facteur.enroler(membre, ip="192.0.2.1")
    appareil = enrolement.appareil
    assert not appareil.confirmed
    assert (appareil.step, appareil.digits, appareil.tolerance) == (30, 6, 1)
    assert b32decode(enrolement.secret) == appareil.bin_key
    assert len(enrolement.secret) == 32
    assert enrolement.secret_groupe.split() == re.findall("....", enrolement.secret)
    assert enrolement.uri == (
        f"otpauth://totp/Isoloir%3A{quote(EMAIL)}?secret={enrolement.secret}"
        "&issuer=Isoloir&algorithm=SHA1&digits=6&period=30"
    )
    # A reload shows the same secret: the QR code already scanned stays the right one.
    assert second_facteur.enroler(membre).secret == enrolement.secret
    assert AppareilTOTP.objects.filter(user=membre).count() == 1
    assert Evenement.objects.filter(type="second_facteur.enrolement").count() == 1


def test_la_page_d_enrolement_montre_le_qr_code_en_svg_et_la_cle(connecte, membre) -> None:
    page = connecte.get(ENROLEMENT).content.decode()
    secret = second_facteur.secret_base32(_appareil(membre))
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "aria-label=" in svg
    assert "style=" not in svg  # the CSP allows no inline style
    assert "<img" not in page[page.index("<main") : page.index("</main>")]
    cle = re.search(r'<code id="cle-secrete">([A-Z2-7 ]+)</code>', page)
    assert cle and cle.group(1).replace(" ", "") == secret
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", cle.group(1))
    champ = re.search(r"<input[^>]*name=\"code\"[^>]*>", page)
    assert champ
    for attribut in ('autocomplete="one-time-code"', 'inputmode="numeric"', 'id="id_code"'):
        assert attribut in champ.group(0)
    assert '<label class="fr-label" for="id_code">Code à 6 chiffres *' in page


def test_confirmer_active_l_application_et_montre_dix_codes_une_fois(connecte, membre) -> None:
    appareil, codes = _enroler(connecte, membre)
    appareil.refresh_from_db()
    assert appareil.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    # Stored as keyed hashes only: no code, in any form, is in the database.
    empreintes = set(StaticToken.objects.values_list("token", flat=True))
    assert len(empreintes) == 10
    for code in codes:
        assert code not in empreintes and code.replace("-", "") not in empreintes
    # The session is verified: the bureau's page opens.
    assert connecte.get(PARTICIPATION).status_code == 200
    # And the codes are never shown again: the page now sends to the verification.
    reponse = connecte.get(ENROLEMENT)
    assert reponse.status_code == 302
    types = list(Evenement.objects.order_by("id").values_list("type", flat=True))
    assert types == [
        "second_facteur.enrolement",
        "second_facteur.confirme",
        "second_facteur.codes_de_secours_generes",
    ]


def test_apres_confirmation_on_continue_vers_la_page_demandee(connecte, membre) -> None:
    connecte.get(f"{ENROLEMENT}?next={PARTICIPATION}")
    reponse = connecte.post(
        f"{ENROLEMENT}?next={PARTICIPATION}",
        {"code": code_actuel(_appareil(membre)), "next": PARTICIPATION},
    )
    page = reponse.content.decode()
    assert len(CODE_DE_SECOURS.findall(page)) == 10
    assert f'<a class="fr-btn" href="{PARTICIPATION}">J\'ai noté mes codes' in page
    assert connecte.get(PARTICIPATION).status_code == 200


def test_un_mauvais_code_est_refuse_a_cote_du_champ(connecte, membre) -> None:
    connecte.get(ENROLEMENT)
    appareil = _appareil(membre)
    reponse = connecte.post(ENROLEMENT, {"code": _mauvais_code(appareil)})
    page = _messages_d_erreur(reponse)
    assert "Ce code est incorrect ou a déjà servi." in page
    champ = re.search(r"<input[^>]*name=\"code\"[^>]*>", page)
    assert champ
    assert 'aria-describedby="id_code-aide id_code-erreur"' in champ.group(0)
    assert 'aria-invalid="true"' in champ.group(0)
    assert "autofocus" in champ.group(0)
    assert 'id="id_code-erreur"' in page
    appareil.refresh_from_db()
    assert not appareil.confirmed
    assert appareil.throttling_failure_count == 1
    assert Evenement.objects.filter(type="second_facteur.confirmation_echec").count() == 1


def test_un_code_mal_forme_est_refuse_sans_compter_d_echec(connecte, membre) -> None:
    connecte.get(ENROLEMENT)
    page = _messages_d_erreur(connecte.post(ENROLEMENT, {"code": "12a456"}))
    assert "Saisissez les 6 chiffres affichés par votre application" in page
    assert _appareil(membre).throttling_failure_count == 0


def test_un_code_avec_des_espaces_est_accepte(connecte, membre) -> None:
    connecte.get(ENROLEMENT)
    code = code_actuel(_appareil(membre))
    reponse = connecte.post(ENROLEMENT, {"code": f" {code[:3]} {code[3:]} "})
    assert len(CODE_DE_SECOURS.findall(reponse.content.decode())) == 10


# --- Verification -------------------------------------------------------------------


def test_verification_avec_le_code_de_l_application(client, membre) -> None:
    appareil = second_facteur.appareil_de_demonstration(membre, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.force_login(membre)
    url = f"{VERIFICATION}?next={PARTICIPATION}"
    assert client.get(url).status_code == 200
    avant = client.session.session_key
    reponse = client.post(url, {"code": code_actuel(appareil)})
    assert reponse.status_code == 302 and reponse["Location"] == PARTICIPATION
    # A new session key for the raised privilege.
    assert client.session.session_key != avant
    assert client.get(PARTICIPATION).status_code == 200
    assert Evenement.objects.filter(type="second_facteur.verifie").count() == 1


def test_le_code_d_a_cote_est_accepte_pas_celui_d_apres(client, membre) -> None:
    """±1 step of 30 s for a phone whose clock drifts; not two steps."""
    appareil = verifier_second_facteur(client, membre)
    _nouvelle_session(client, membre)
    reponse = client.post(VERIFICATION, {"code": code_actuel(appareil, decalage=2)})
    assert reponse.status_code == 200
    _attendre(appareil)
    reponse = client.post(VERIFICATION, {"code": code_actuel(appareil, decalage=1)})
    assert reponse.status_code == 302


def test_un_code_ne_sert_qu_une_fois(client, membre) -> None:
    appareil = verifier_second_facteur(client, membre)
    _nouvelle_session(client, membre)
    code = code_actuel(appareil)
    assert client.post(VERIFICATION, {"code": code}).status_code == 302
    # Someone who saw it typed replays it within its 30 seconds: refused.
    _nouvelle_session(client, membre)
    reponse = client.post(VERIFICATION, {"code": code})
    assert reponse.status_code == 200
    assert "Ce code est incorrect ou a déjà servi." in _messages_d_erreur(reponse)
    # The code of the previous step, still within the tolerance, is refused too.
    _attendre(appareil)
    reponse = client.post(VERIFICATION, {"code": code_actuel(appareil, decalage=-1)})
    assert reponse.status_code == 200
    assert client.get(PARTICIPATION).status_code == 302


def test_les_echecs_imposent_une_attente_annoncee_en_francais(client, membre) -> None:
    appareil = verifier_second_facteur(client, membre)
    _nouvelle_session(client, membre)
    mauvais = _mauvais_code(appareil)
    for _ in range(2):
        page = _messages_d_erreur(client.post(VERIFICATION, {"code": mauvais}))
        assert "Ce code est incorrect ou a déjà servi." in page
        assert "patientez" not in page  # 1 s, 2 s: not worth saying
        _attendre(appareil)
    page = _messages_d_erreur(client.post(VERIFICATION, {"code": mauvais}))
    assert "Par sécurité, patientez 4 secondes avant de réessayer." in page
    # Even the right code is refused while the wait runs, and is not spent.
    reponse = client.post(VERIFICATION, {"code": code_actuel(appareil)})
    page = _messages_d_erreur(reponse)
    assert re.search(
        r"Trop de codes erronés ont été saisis\. Par sécurité, patientez [1-4] "
        r"secondes? avant de réessayer\.",
        page,
    )
    appareil.refresh_from_db()
    assert appareil.last_t == -1 and appareil.throttling_failure_count == 3
    assert Evenement.objects.filter(type="second_facteur.bloque").count() == 1
    _attendre(appareil)
    assert client.post(VERIFICATION, {"code": code_actuel(appareil)}).status_code == 302
    appareil.refresh_from_db()
    assert appareil.throttling_failure_count == 0


def test_l_attente_double_a_chaque_echec(client, membre) -> None:
    appareil = verifier_second_facteur(client, membre)
    _nouvelle_session(client, membre)
    AppareilTOTP.objects.filter(pk=appareil.pk).update(throttling_failure_count=9)
    _attendre(appareil)
    page = _messages_d_erreur(client.post(VERIFICATION, {"code": _mauvais_code(appareil)}))
    assert "patientez 9 minutes avant de réessayer" in page  # 2^9 = 512 s


def test_duree_en_francais() -> None:
    assert second_facteur.duree_en_francais(1) == "1 seconde"
    assert second_facteur.duree_en_francais(45) == "45 secondes"
    assert second_facteur.duree_en_francais(61) == "2 minutes"
    assert second_facteur.duree_en_francais(4000) == "2 heures"


# --- Recovery codes -----------------------------------------------------------------


def test_un_code_de_secours_sert_une_fois(connecte, membre) -> None:
    _, codes = _enroler(connecte, membre)
    _nouvelle_session(connecte, membre)
    url = f"{SECOURS}?next={PARTICIPATION}"
    assert connecte.get(url).status_code == 200
    # Typed in capitals with a space instead of the hyphen: the same code.
    saisi = codes[3].upper().replace("-", " ")
    reponse = connecte.post(url, {"code": saisi})
    assert reponse.status_code == 302 and reponse["Location"] == PARTICIPATION
    assert connecte.get(PARTICIPATION).status_code == 200
    assert second_facteur.codes_de_secours_restants(membre) == 9
    _nouvelle_session(connecte, membre)
    reponse = connecte.post(SECOURS, {"code": codes[3]})
    assert reponse.status_code == 200
    assert "Ce code de secours est incorrect ou a déjà servi." in _messages_d_erreur(reponse)
    _attendre(StaticDevice.objects.get(user=membre))
    assert connecte.post(SECOURS, {"code": codes[4]}).status_code == 302
    assert second_facteur.codes_de_secours_restants(membre) == 8
    evenements = Evenement.objects.filter(type="second_facteur.code_de_secours")
    assert [e.details["restants"] for e in evenements.order_by("id")] == [9, 8]


def test_l_acceptation_d_un_code_de_secours_dit_combien_il_en_reste(connecte, membre) -> None:
    _, codes = _enroler(connecte, membre)
    _nouvelle_session(connecte, membre)
    page = html.unescape(connecte.post(SECOURS, {"code": codes[0]}, follow=True).content.decode())
    assert "Code de secours accepté ; il n'est plus utilisable. Il vous en reste 9." in page
    assert f'<a href="{CODES}">Générer une nouvelle série de codes de secours</a>' in page


def test_une_nouvelle_serie_de_codes_remplace_l_ancienne(connecte, membre) -> None:
    _, anciens = _enroler(connecte, membre)
    page = connecte.get(CODES).content.decode()
    assert "Il vous reste <strong>10</strong> codes de secours sur 10." in page
    nouveaux = CODE_DE_SECOURS.findall(connecte.post(CODES).content.decode())
    assert len(nouveaux) == 10 and not set(nouveaux) & set(anciens)
    _nouvelle_session(connecte, membre)
    assert connecte.post(SECOURS, {"code": anciens[0]}).status_code == 200
    _attendre(StaticDevice.objects.get(user=membre))
    assert connecte.post(SECOURS, {"code": nouveaux[0]}).status_code == 302


# --- The guard ----------------------------------------------------------------------


def test_le_garde_renvoie_selon_l_etat(client, membre) -> None:
    suivant = urlencode({"next": PARTICIPATION})
    # Not logged in: the login page, coming back here.
    reponse = client.get(PARTICIPATION)
    assert reponse.status_code == 302
    assert reponse["Location"] == f"{reverse('accounts:connexion')}?next={PARTICIPATION}"
    # Logged in, no application: the enrolment.
    client.force_login(membre)
    reponse = client.get(PARTICIPATION)
    assert reponse["Location"] == f"{ENROLEMENT}?{suivant}"
    # An application being enrolled but not confirmed: still the enrolment.
    second_facteur.enroler(membre)
    assert client.get(PARTICIPATION)["Location"] == f"{ENROLEMENT}?{suivant}"
    # A confirmed application, not proved in this session: the verification.
    AppareilTOTP.objects.filter(user=membre).update(confirmed=True)
    assert client.get(PARTICIPATION)["Location"] == f"{VERIFICATION}?{suivant}"
    # Proved: the page.
    verifier_second_facteur(client, membre)
    assert client.get(PARTICIPATION).status_code == 200
    # Logging out forgets it.
    _nouvelle_session(client, membre)
    assert client.get(PARTICIPATION)["Location"] == f"{VERIFICATION}?{suivant}"


def test_les_pages_du_second_facteur_renvoient_a_l_etape_qui_convient(client, membre) -> None:
    assert client.get(VERIFICATION)["Location"].startswith(reverse("accounts:connexion"))
    client.force_login(membre)
    assert client.get(VERIFICATION)["Location"] == ENROLEMENT
    assert client.get(SECOURS)["Location"] == ENROLEMENT
    assert client.get(CODES)["Location"].startswith(ENROLEMENT)
    verifier_second_facteur(client, membre)
    assert client.get(ENROLEMENT)["Location"] == reverse("portail:accueil")
    assert client.get(f"{VERIFICATION}?next={PARTICIPATION}")["Location"] == PARTICIPATION


def test_le_suivant_ne_mene_pas_hors_du_site(client, membre) -> None:
    appareil = second_facteur.appareil_de_demonstration(membre, "JBSWY3DPEHPK3PXP")
    client.force_login(membre)
    reponse = client.post(
        f"{VERIFICATION}?next=https://ailleurs.example/", {"code": code_actuel(appareil)}
    )
    assert reponse["Location"] == reverse("portail:accueil")


def test_la_participation_exige_le_second_facteur(client, membre) -> None:
    """The password alone no longer opens the bureau's participation page."""
    client.force_login(membre)
    assert client.get(PARTICIPATION).status_code == 302
    verifier_second_facteur(client, membre)
    page = client.get(PARTICIPATION)
    assert page.status_code == 200
    assert "Participation" in page.content.decode()


def test_l_appareil_de_demonstration_a_le_secret_donne(membre) -> None:
    second_facteur.enroler(membre)
    appareil = second_facteur.appareil_de_demonstration(membre, "jbsw y3dp ehpk 3pxp")
    assert appareil.confirmed
    assert second_facteur.secret_base32(appareil) == "JBSWY3DPEHPK3PXP"
    assert list(AppareilTOTP.objects.filter(user=membre)) == [appareil]


# --- Secrets stay out of the journal and the logs -----------------------------------


def test_ni_code_ni_secret_dans_le_journal_ni_les_logs(client, membre, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client.force_login(membre)
    client.get(ENROLEMENT)
    appareil = _appareil(membre)
    secret = second_facteur.secret_base32(appareil)
    cle_hex = appareil.bin_key.hex()
    mauvais = _mauvais_code(appareil)
    client.post(ENROLEMENT, {"code": mauvais})
    _attendre(appareil)
    code_enrolement = code_actuel(appareil)
    codes = CODE_DE_SECOURS.findall(
        client.post(ENROLEMENT, {"code": code_enrolement}).content.decode()
    )
    assert len(codes) == 10
    _nouvelle_session(client, membre)
    client.post(SECOURS, {"code": codes[0]})
    _nouvelle_session(client, membre)
    client.post(SECOURS, {"code": codes[0]})  # refused: already spent
    _nouvelle_session(client, membre)
    client.post(VERIFICATION, {"code": code_enrolement})  # refused: replay
    client.post(VERIFICATION, {"code": mauvais})  # refused: throttled
    client.post(CODES)

    evenements = list(Evenement.objects.values("type", "ip", "details"))
    assert {e["type"] for e in evenements} >= {
        "second_facteur.enrolement",
        "second_facteur.confirmation_echec",
        "second_facteur.confirme",
        "second_facteur.codes_de_secours_generes",
        "second_facteur.code_de_secours",
        "second_facteur.code_de_secours_echec",
        "second_facteur.echec",
        "second_facteur.bloque",
    }
    journal = json.dumps(evenements, ensure_ascii=False)
    journaux = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    secrets = [secret, secret.lower(), cle_hex, *codes, *(c.replace("-", "") for c in codes)]
    for texte in (journal, journaux):
        for valeur in secrets:
            assert valeur not in texte
        for code in (mauvais, code_enrolement):
            assert not re.search(rf"(?<!\d){code}(?!\d)", texte)
