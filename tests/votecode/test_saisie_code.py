"""Saisie du code de vote: the voting space opens with the right code, for this session."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from isoloir.audit.models import Evenement
from isoloir.core import horloge
from isoloir.votecode import services
from tests.concurrence import en_meme_temps

REFUS = "Le code de vote ou le CAPTCHA est incorrect."


def _saisir(client, code: str, captcha: str = "PASSED"):
    page = client.get(reverse("votecode:saisie_code"))
    return client.post(
        reverse("votecode:saisie_code"),
        {"code_de_vote": code, "captcha_0": _cle_captcha(page), "captcha_1": captcha},
    )


def _cle_captcha(page) -> str:
    import re

    trouve = re.search(r'name="captcha_0" value="([^"]+)"', page.content.decode())
    assert trouve, "pas de clé de CAPTCHA dans la page"
    return trouve.group(1)


@pytest.mark.django_db
def test_la_page_suit_l_ecran_de_reference(connecte) -> None:
    page = connecte.get(reverse("votecode:saisie_code")).content.decode()
    for texte in (
        "Saisie du code de vote",
        "veuillez renseigner votre code de vote (votre code de vote vous a été remis en main "
        "propre avec la notice de vote)",
        "puis recopiez le CAPTCHA visible sur cet écran.",
        "* : champ obligatoire",
        "Code de vote *",
        "Cliquez ici pour obtenir un réassort de votre code de vote",
        "Veuillez saisir le CAPTCHA ci-dessous :",
        "CAPTCHA *",
        "Retour",
        "Connexion",
    ):
        assert texte in page, texte


@pytest.mark.django_db
def test_le_bon_code_ouvre_l_espace_de_vote(connecte, code_actuel) -> None:
    avant = connecte.session.session_key
    reponse = _saisir(connecte, code_actuel)
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("booth:espace_de_vote")
    assert connecte.session.session_key != avant
    page = connecte.get(reverse("booth:espace_de_vote"))
    assert "Mon espace de vote" in page.content.decode()
    assert Evenement.objects.filter(type="code.accepte").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("cas", ["mauvais_code", "mauvais_captcha", "sans_code"])
def test_un_seul_message_d_echec_et_un_nouveau_captcha(
    connecte, electeur, code_actuel, cas
) -> None:
    page = connecte.get(reverse("votecode:saisie_code"))
    ancienne_cle = _cle_captcha(page)
    donnees = {
        "mauvais_code": (_autre_code(code_actuel), "PASSED"),
        "mauvais_captcha": (code_actuel, "FAUX"),
        "sans_code": ("", "PASSED"),
    }[cas]
    reponse = connecte.post(
        reverse("votecode:saisie_code"),
        {"code_de_vote": donnees[0], "captcha_0": ancienne_cle, "captcha_1": donnees[1]},
    )
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert REFUS in contenu
    assert _cle_captcha(reponse) != ancienne_cle
    assert code_actuel not in contenu
    assert services.espace_ouvert(session=connecte.session, electeur=electeur) is None


@pytest.mark.django_db
def test_blocage_par_electeur(connecte, code_actuel) -> None:
    for _ in range(services.PAR_ELECTEUR.plafond):
        _saisir(connecte, "Faux-code-1234ab")
    reponse = _saisir(connecte, code_actuel)
    assert "Trop d&#x27;essais infructueux" in reponse.content.decode()
    assert reponse.status_code == 200


@pytest.mark.django_db
def test_frein_global(connecte, code_actuel, monkeypatch) -> None:
    from isoloir.core import limites

    monkeypatch.setattr(services, "GLOBAL", limites.Limite("code-global", 3, 60))
    for _ in range(3):
        limites.compter(services.GLOBAL, "*")
    reponse = _saisir(connecte, code_actuel)
    assert "trop de codes erronés" in reponse.content.decode()


@pytest.mark.django_db
@pytest.mark.calendrier
def test_l_espace_expire_et_suit_le_code(connecte, electeur, code_actuel, settings) -> None:
    _saisir(connecte, code_actuel)
    assert connecte.get(reverse("booth:espace_de_vote")).status_code == 200
    with horloge.decalee_de(timedelta(seconds=settings.ISOLOIR_ESPACE_DE_VOTE_SECONDS + 1)):
        assert connecte.get(reverse("booth:espace_de_vote")).status_code == 302
    _saisir(connecte, code_actuel)
    with transaction.atomic():
        services.emettre_code_initial(electeur=electeur)  # a réassort elsewhere
    reponse = connecte.get(reverse("booth:espace_de_vote"))
    assert reponse.status_code == 302
    assert _saisir(connecte, code_actuel).status_code == 200  # the old code is dead


@pytest.mark.django_db
def test_l_espace_n_appartient_qu_a_sa_session(client, connecte, electeur, code_actuel) -> None:
    _saisir(connecte, code_actuel)
    autre = client.__class__()
    autre.force_login(electeur.compte)
    assert autre.get(reverse("booth:espace_de_vote")).status_code == 302


@pytest.mark.django_db
def test_le_code_n_est_jamais_journalise(connecte, code_actuel, caplog) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    _saisir(connecte, _autre_code(code_actuel))
    _saisir(connecte, code_actuel)
    assert code_actuel not in caplog.text
    assert code_actuel[:-1] not in str(list(Evenement.objects.values()))


def _autre_code(code: str) -> str:
    """The same code but its last character: a near miss, never the code itself."""
    return code[:-1] + ("x" if code[-1] != "x" else "y")


@pytest.mark.django_db(transaction=True)
def test_des_essais_simultanes_ne_depassent_pas_la_limite(electeur, code_actuel, compteurs):
    from django.contrib.sessions.backends.db import SessionStore

    def essayer(n: int) -> None:
        services.verifier_et_ouvrir(
            session=SessionStore(),
            electeur=electeur,
            saisie=f"Faux-code-{n:06d}",
            ip=f"198.51.100.{n}",
        )

    resultats = en_meme_temps(essayer, range(40))  # the database cache let 6 through
    assert all(isinstance(r, services.CodeRefuse) for r in resultats), resultats
    # Only as many codes as the limit were checked; the others were refused unchecked.
    assert Evenement.objects.filter(type="code.echec").count() == services.PAR_ELECTEUR.plafond
    with pytest.raises(services.CodeBloque):
        services.verifier_et_ouvrir(
            session=SessionStore(), electeur=electeur, saisie=code_actuel, ip="192.0.2.1"
        )


@pytest.mark.django_db
def test_blocage_par_adresse_ip(connecte, code_actuel, monkeypatch):
    from isoloir.core import limites

    monkeypatch.setattr(services, "PAR_IP", limites.Limite("code-ip", 3, 3600))
    for _ in range(3):
        _saisir(
            connecte,
            "Faux-code-1234ab",
        )
    assert "Trop d&#x27;essais infructueux" in _saisir(connecte, code_actuel).content.decode()
