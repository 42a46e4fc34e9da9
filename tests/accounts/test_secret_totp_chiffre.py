"""The TOTP secrets of the second factor are encrypted at rest (issue 12, point 26): the
``key`` column holds neither the secret nor its base32 form, codes computed from the
secret still verify, the migration encrypts the rows written in clear before it (and its
reverse decrypts them), a wrong server key refuses the login with a French message, and
an old key still decrypts until ``rechiffrer_second_facteur`` moves every row to the new
one."""

import html
import importlib
import logging
import re
from base64 import b32decode
from binascii import hexlify
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from isoloir.accounts import chiffrement_totp, second_facteur
from isoloir.accounts.models import AppareilTOTP, Compte
from isoloir.audit.models import Evenement
from tests.factories import MOT_DE_PASSE

pytestmark = pytest.mark.django_db

ENROLEMENT = reverse("accounts:second_facteur_enrolement")
VERIFICATION = reverse("accounts:second_facteur_verification")
PARTICIPATION = reverse("counting:participation")
SECRET_DEMO = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CLE_A = "cle-a-du-second-facteur-" + "a" * 40
CLE_B = "cle-b-du-second-facteur-" + "b" * 40

migration = importlib.import_module("isoloir.accounts.migrations.0004_secrets_totp_chiffres")


@pytest.fixture
def membre() -> Compte:
    compte = Compte.objects.create_user("president.bv@education.gouv.fr", MOT_DE_PASSE)
    compte.user_permissions.add(Permission.objects.get(codename="voir_participation"))
    return compte


def _colonne(compte: Compte) -> str:
    """What the database holds in ``otp_totp_totpdevice.key``, read in SQL."""
    with connection.cursor() as curseur:
        curseur.execute('SELECT "key" FROM otp_totp_totpdevice WHERE user_id = %s', [compte.pk])
        (valeur,) = curseur.fetchone()
    return str(valeur)


def _code(secret_base32: str) -> str:
    cle = b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    return f"{totp(cle, step=30, digits=6):06d}"


def _sans_le_secret(colonne: str, cle: bytes) -> None:
    from base64 import b32encode

    formes = {
        hexlify(cle).decode(),
        b32encode(cle).decode().rstrip("="),
    }
    for forme in formes:
        assert forme.lower() not in colonne.lower()
    assert colonne.startswith(chiffrement_totp.PREFIXE)


def test_apres_l_enrolement_la_colonne_ne_contient_pas_le_secret(client, membre) -> None:
    client.force_login(membre)
    page = client.get(ENROLEMENT).content.decode()
    affiche = re.search(r'<code id="cle-secrete">([A-Z2-7 ]+)</code>', page)
    assert affiche
    secret = affiche.group(1).replace(" ", "")
    _sans_le_secret(_colonne(membre), b32decode(secret))
    # The code the phone computes from the secret shown still confirms the application.
    reponse = client.post(ENROLEMENT, {"code": _code(secret)})
    assert reponse.status_code == 200 and "Vos codes de secours" in reponse.content.decode()
    assert client.get(PARTICIPATION).status_code == 200
    _sans_le_secret(_colonne(membre), b32decode(secret))


def test_le_secret_connu_de_la_demonstration_est_chiffre_et_verifie(client, membre) -> None:
    second_facteur.appareil_de_demonstration(membre, SECRET_DEMO)
    _sans_le_secret(_colonne(membre), b32decode(SECRET_DEMO))
    # The otp middleware reloads the application by its persistent id, on every request.
    client.force_login(membre)
    reponse = client.post(f"{VERIFICATION}?next={PARTICIPATION}", {"code": _code(SECRET_DEMO)})
    assert reponse.status_code == 302 and reponse["Location"] == PARTICIPATION
    assert client.get(PARTICIPATION).status_code == 200
    assert second_facteur.secret_base32(AppareilTOTP.objects.get(user=membre)) == SECRET_DEMO


def test_le_chiffre_est_lie_au_compte(membre) -> None:
    """A ciphertext copied onto another member's row does not decrypt there: whoever can
    write the table cannot give a victim the secret of their own phone."""
    autre = Compte.objects.create_user("secretaire.bv@education.gouv.fr", MOT_DE_PASSE)
    chiffre = chiffrement_totp.chiffrer(b"\x01" * 20, compte_id=membre.pk)
    assert chiffrement_totp.dechiffrer(chiffre, compte_id=membre.pk) == b"\x01" * 20
    with pytest.raises(chiffrement_totp.SecretTOTPIllisible):
        chiffrement_totp.dechiffrer(chiffre, compte_id=autre.pk)


def test_la_migration_chiffre_les_secrets_en_clair_et_son_retour_les_dechiffre(
    client, membre
) -> None:
    cle = b32decode(SECRET_DEMO)
    TOTPDevice.objects.create(
        user=membre, name="Application", confirmed=True, key=hexlify(cle).decode()
    )
    assert _colonne(membre) == hexlify(cle).decode()  # written in clear, as before

    migration.chiffrer_les_secrets(apps, connection.schema_editor())
    chiffre = _colonne(membre)
    _sans_le_secret(chiffre, cle)
    # Idempotent: a second run leaves the encrypted row alone.
    migration.chiffrer_les_secrets(apps, connection.schema_editor())
    assert _colonne(membre) == chiffre

    client.force_login(membre)
    reponse = client.post(VERIFICATION, {"code": _code(SECRET_DEMO)})
    assert reponse.status_code == 302

    migration.dechiffrer_les_secrets(apps, connection.schema_editor())
    assert _colonne(membre) == hexlify(cle).decode()
    migration.dechiffrer_les_secrets(apps, connection.schema_editor())
    assert _colonne(membre) == hexlify(cle).decode()


def test_une_mauvaise_cle_refuse_la_connexion_avec_un_message_clair(
    client, membre, settings, caplog
) -> None:
    settings.ISOLOIR_CLE_SECOND_FACTEUR = CLE_A
    second_facteur.appareil_de_demonstration(membre, SECRET_DEMO)
    settings.ISOLOIR_CLE_SECOND_FACTEUR = CLE_B  # the key was changed, the old one lost
    caplog.set_level(logging.DEBUG)
    client.force_login(membre)

    reponse = client.post(f"{VERIFICATION}?next={PARTICIPATION}", {"code": _code(SECRET_DEMO)})

    assert reponse.status_code == 200
    page = html.unescape(reponse.content.decode())
    assert "le serveur ne parvient pas à lire la clé de votre application" in page
    assert "code de secours" in page
    assert client.get(PARTICIPATION).status_code == 302  # not verified
    assert Evenement.objects.filter(type="second_facteur.secret_illisible").count() == 1
    assert not Evenement.objects.filter(type="second_facteur.verifie").exists()
    assert "ISOLOIR_CLE_SECOND_FACTEUR" in caplog.text
    assert SECRET_DEMO not in caplog.text and CLE_A not in caplog.text


def test_une_activation_en_cours_sous_une_cle_perdue_repart_d_un_nouveau_secret(
    client, membre, settings
) -> None:
    settings.ISOLOIR_CLE_SECOND_FACTEUR = CLE_A
    ancien = second_facteur.enroler(membre).secret
    settings.ISOLOIR_CLE_SECOND_FACTEUR = CLE_B
    client.force_login(membre)
    reponse = client.get(ENROLEMENT)
    assert reponse.status_code == 200
    nouveau = second_facteur.enroler(membre).secret
    assert nouveau != ancien and nouveau in reponse.content.decode().replace(" ", "")
    assert AppareilTOTP.objects.filter(user=membre).count() == 1


def test_une_ancienne_cle_dechiffre_jusqu_au_rechiffrement(client, membre, settings) -> None:
    settings.ISOLOIR_CLE_SECOND_FACTEUR = CLE_A
    second_facteur.appareil_de_demonstration(membre, SECRET_DEMO)
    sous_a = _colonne(membre)
    settings.ISOLOIR_CLE_SECOND_FACTEUR = CLE_B
    settings.ISOLOIR_CLES_SECOND_FACTEUR_ANCIENNES = [CLE_A]
    client.force_login(membre)
    assert client.post(VERIFICATION, {"code": _code(SECRET_DEMO)}).status_code == 302

    sortie = StringIO()
    call_command("rechiffrer_second_facteur", stdout=sortie)
    assert "1 secret rechiffré" in sortie.getvalue()
    sous_b = _colonne(membre)
    assert sous_b != sous_a
    _sans_le_secret(sous_b, b32decode(SECRET_DEMO))
    settings.ISOLOIR_CLES_SECOND_FACTEUR_ANCIENNES = []
    assert second_facteur.secret_base32(AppareilTOTP.objects.get(user=membre)) == SECRET_DEMO
    # Idempotent: nothing left to do.
    sortie = StringIO()
    call_command("rechiffrer_second_facteur", stdout=sortie)
    assert "0 secret rechiffré" in sortie.getvalue()
    assert _colonne(membre) == sous_b


def test_le_rechiffrement_signale_les_secrets_illisibles(membre, settings) -> None:
    settings.ISOLOIR_CLE_SECOND_FACTEUR = CLE_A
    second_facteur.appareil_de_demonstration(membre, SECRET_DEMO)
    settings.ISOLOIR_CLE_SECOND_FACTEUR = CLE_B
    avant = _colonne(membre)
    with pytest.raises(CommandError, match="1 secret illisible"):
        call_command("rechiffrer_second_facteur", stdout=StringIO())
    assert _colonne(membre) == avant  # left as it was, for the right key to read later
