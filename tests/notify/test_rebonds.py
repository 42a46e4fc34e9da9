"""Bounces: each mail's VERP return path, RFC 3464 notifications parsed from real-looking
samples (Postfix, Exchange), received over SMTP or read from an mbox file."""

import mailbox
import re
import smtplib
import socket
from email import message_from_string
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import transaction
from hypothesis import given
from hypothesis import settings as hypothese
from hypothesis import strategies as st

from isoloir.core import horloge
from isoloir.envois import selectors, tasks
from isoloir.envois import services as envois
from isoloir.envois.models import NatureEnvoi
from isoloir.notify import livraison, rebonds, services
from isoloir.notify.composition import composer
from isoloir.notify.models import AdresseRejetee, Courriel, EtatCourriel, Rebond
from isoloir.notify.recepteur import lancer_recepteur

EMAIL = "lea.petit@ac-lyon.fr"

PERMANENT = """\
Return-Path: <>
Delivered-To: {verp}
Received: by mx.isoloir.localhost (Postfix) id 4F1A2B3C4D; Sun, 29 Nov 2026 10:00:02 +0100
Date: Sun, 29 Nov 2026 10:00:02 +0100 (CET)
From: MAILER-DAEMON@mx.ac-lyon.fr (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {verp}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="4F1A2B3C4D.1764406802/mx.ac-lyon.fr"
Message-Id: <20261129090002.4F1A2B3C4D@mx.ac-lyon.fr>

This is a MIME-encapsulated message.

--4F1A2B3C4D.1764406802/mx.ac-lyon.fr
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.ac-lyon.fr.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{email}>: host mbox.ac-lyon.fr[192.0.2.25] said: 550 5.1.1
    <{email}>: Recipient address rejected: User unknown in local
    recipient table (in reply to RCPT TO command)

--4F1A2B3C4D.1764406802/mx.ac-lyon.fr
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.ac-lyon.fr
X-Postfix-Queue-ID: 4F1A2B3C4D
X-Postfix-Sender: rfc822; {verp}
Arrival-Date: Sun, 29 Nov 2026 10:00:01 +0100 (CET)

Final-Recipient: rfc822; {email}
Original-Recipient: rfc822;{email}
Action: failed
Status: 5.1.1
Remote-MTA: dns; mbox.ac-lyon.fr
Diagnostic-Code: smtp; 550 5.1.1 <{email}>: Recipient address rejected: User
    unknown in local recipient table

--4F1A2B3C4D.1764406802/mx.ac-lyon.fr
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <{verp}>
From: =?utf-8?q?=C3=89lections_professionnelles?= <ne-pas-repondre@isoloir.localhost>
To: {email}
Subject: =?utf-8?q?Activez_votre_compte_=C3=A9lecteur?=
Auto-Submitted: auto-generated

--4F1A2B3C4D.1764406802/mx.ac-lyon.fr--
"""

TRANSITOIRE = """\
Delivered-To: {verp}
From: postmaster@ac-lyon.fr
To: {verp}
Date: Sun, 29 Nov 2026 14:00:00 +0000
Subject: Delivery delayed: Activez votre compte =?utf-8?q?=C3=A9lecteur?=
Auto-Submitted: auto-replied
Content-Language: fr-FR
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="_000_DELAI_"
MIME-Version: 1.0

--_000_DELAI_
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

La remise n'est pas encore effectu=C3=A9e. Le serveur continue d'essayer.

--_000_DELAI_
Content-Type: message/delivery-status

Reporting-MTA: dns;EX01.ac-lyon.fr
Received-From-MTA: dns;mx.isoloir.localhost
Arrival-Date: Sun, 29 Nov 2026 10:00:01 +0000

Final-Recipient: rfc822;{email}
Action: delayed
Status: 4.4.7
Diagnostic-Code: smtp;450 4.4.7 Message delayed
Will-Retry-Until: Mon, 30 Nov 2026 10:00:01 +0000
X-Display-Name: Lea Petit

--_000_DELAI_--
"""

REPONSE_AUTOMATIQUE = """\
Delivered-To: {verp}
From: {email}
To: {verp}
Subject: Absence du bureau
Auto-Submitted: auto-replied
Content-Type: text/plain; charset=utf-8

Je suis absente jusqu'au 4 décembre.
"""


def _dsn(modele: str, courriel: Courriel, verp: str | None = None) -> bytes:
    verp = verp or rebonds.adresse_de_retour(courriel.pk)
    return modele.format(verp=verp, email=courriel.destinataire).encode()


@pytest.fixture
def envoye(creer_electeur, creer_scrutin) -> Courriel:
    electeur = creer_electeur(creer_scrutin(), email=EMAIL)
    return Courriel.objects.create(
        type="activation",
        compte=electeur.compte,
        destinataire=EMAIL,
        etat=EtatCourriel.ENVOYE,
        tentatives=1,
        cree_le=horloge.maintenant(),
        envoye_le=horloge.maintenant(),
    )


def test_adresse_de_retour_signee() -> None:
    adresse = rebonds.adresse_de_retour(42)
    assert adresse.startswith("rebond+42.") and adresse.endswith("@isoloir.localhost")
    assert rebonds.courriel_de_l_adresse(adresse) == 42
    assert rebonds.courriel_de_l_adresse(f"<{adresse.upper()}>") == 42
    signature = adresse.split(".", 1)[1].split("@")[0]
    # Another mail's number with this signature, a tampered signature, a foreign address.
    assert rebonds.courriel_de_l_adresse(adresse.replace("+42.", "+43.")) is None
    falsifiee = adresse.replace(signature, "0" * 16)
    assert rebonds.courriel_de_l_adresse(falsifiee) is None
    assert rebonds.courriel_de_l_adresse("ne-pas-repondre@isoloir.localhost") is None


def test_domaine_des_rebonds_reglable(settings) -> None:
    settings.ISOLOIR_DOMAINE_REBONDS = "rebonds.education.gouv.fr"
    assert rebonds.adresse_de_retour(7).endswith("@rebonds.education.gouv.fr")


@pytest.mark.django_db
def test_chaque_courriel_part_avec_son_adresse_de_retour(envoye, settings) -> None:
    settings.ISOLOIR_BASE_URL = "http://testserver"
    envoye.etat = EtatCourriel.EN_ATTENTE
    message = composer(envoye)
    assert message.from_email == rebonds.adresse_de_retour(envoye.pk)
    assert message.message()["From"] == settings.DEFAULT_FROM_EMAIL


class _Enveloppes:
    def __init__(self) -> None:
        self.expediteurs: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.expediteurs.append(envelope.mail_from)
        return "250 OK"


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_l_enveloppe_smtp_porte_l_adresse_de_retour(creer_electeur, creer_scrutin, settings):
    settings.ISOLOIR_BASE_URL = "http://testserver"
    enveloppes = _Enveloppes()
    port = _port_libre()
    serveur = Controller(enveloppes, hostname="127.0.0.1", port=port)
    serveur.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
            }
        }
        electeur = creer_electeur(creer_scrutin(), email=EMAIL)
        with transaction.atomic():
            courriel = services.programmer(
                type_courriel="activation", compte_id=electeur.compte_id, destinataire=EMAIL
            )
        assert livraison.livrer(courriel.pk).etat == EtatCourriel.ENVOYE
    finally:
        serveur.stop()
    assert enveloppes.expediteurs == [rebonds.adresse_de_retour(courriel.pk)]


@pytest.mark.django_db
def test_echec_definitif_rejette_le_courriel_et_l_adresse(envoye) -> None:
    resultat = rebonds.traiter(
        _dsn(PERMANENT, envoye), destinataires=[rebonds.adresse_de_retour(envoye.pk)]
    )
    assert resultat == rebonds.Resultat.REJETE
    envoye.refresh_from_db()
    assert envoye.etat == EtatCourriel.REJETE
    assert envoye.derniere_erreur == "Rebond 5.1.1"
    rebond = Rebond.objects.get()
    assert (rebond.action, rebond.statut, rebond.permanent) == ("failed", "5.1.1", True)
    assert rebond.diagnostic.startswith("smtp; 550 5.1.1 <lea.petit@ac-lyon.fr>: Recipient")
    assert rebond.diagnostic.endswith("User unknown in local recipient table")
    adresse = AdresseRejetee.objects.get()
    assert (adresse.adresse, adresse.statut, adresse.courriel) == (EMAIL, "5.1.1", envoye)
    # The same notification again (a relay that delivers twice): recorded once.
    rebonds.traiter(_dsn(PERMANENT, envoye), destinataires=[rebonds.adresse_de_retour(envoye.pk)])
    assert Rebond.objects.count() == 1 and AdresseRejetee.objects.count() == 1


@pytest.mark.django_db
def test_echec_temporaire_seulement_enregistre(envoye) -> None:
    resultat = rebonds.traiter(
        _dsn(TRANSITOIRE, envoye), destinataires=[rebonds.adresse_de_retour(envoye.pk)]
    )
    assert resultat == rebonds.Resultat.TRANSITOIRE
    envoye.refresh_from_db()
    assert envoye.etat == EtatCourriel.ENVOYE
    rebond = Rebond.objects.get()
    assert (rebond.action, rebond.statut, rebond.permanent) == ("delayed", "4.4.7", False)
    assert rebond.diagnostic == "smtp;450 4.4.7 Message delayed"
    assert not AdresseRejetee.objects.exists()


@pytest.mark.django_db
def test_rebond_falsifie_ou_sans_rapport_ignore(envoye) -> None:
    falsifiee = rebonds.adresse_de_retour(envoye.pk).replace("rebond+", "rebond+9")
    signature_d_un_autre = rebonds.adresse_de_retour(envoye.pk + 1).replace(
        f"+{envoye.pk + 1}.", f"+{envoye.pk}."
    )
    for adresse in (falsifiee, signature_d_un_autre, "postmaster@isoloir.localhost"):
        assert (
            rebonds.traiter(_dsn(PERMANENT, envoye, adresse), destinataires=[adresse])
            == rebonds.Resultat.IGNORE
        )
    verp = rebonds.adresse_de_retour(envoye.pk)
    # An out-of-office reply is no delivery report.
    assert (
        rebonds.traiter(_dsn(REPONSE_AUTOMATIQUE, envoye), destinataires=[verp])
        == rebonds.Resultat.IGNORE
    )
    envoye.refresh_from_db()
    assert envoye.etat == EtatCourriel.ENVOYE
    assert not Rebond.objects.exists() and not AdresseRejetee.objects.exists()


@pytest.mark.django_db
def test_lecture_d_une_boite_mbox(envoye, tmp_path: Path) -> None:
    autre = Courriel.objects.create(
        type="activation",
        compte=envoye.compte,
        destinataire=EMAIL,
        etat=EtatCourriel.ENVOYE,
        cree_le=horloge.maintenant(),
    )
    chemin = tmp_path / "rebonds.mbox"
    boite = mailbox.mbox(chemin)
    boite.add(_dsn(TRANSITOIRE, autre))
    boite.add(_dsn(PERMANENT, envoye))
    boite.add(_dsn(PERMANENT, envoye, "rebond+1.0000000000000000@isoloir.localhost"))
    boite.add(_dsn(REPONSE_AUTOMATIQUE, envoye))
    boite.close()
    sortie = _commande(chemin)
    assert sortie == (
        "4 message(s) lu(s) : 1 rejet(s) définitif(s), 1 avertissement(s) temporaire(s), "
        "2 ignoré(s).\n"
    )
    envoye.refresh_from_db()
    autre.refresh_from_db()
    assert (envoye.etat, autre.etat) == (EtatCourriel.REJETE, EtatCourriel.ENVOYE)
    # Read again: nothing new.
    _commande(chemin)
    assert Rebond.objects.count() == 2


def _commande(chemin: Path) -> str:
    from io import StringIO

    sortie = StringIO()
    call_command("rebonds", str(chemin), stdout=sortie)
    return sortie.getvalue()


@pytest.mark.django_db(transaction=True)
def test_le_recepteur_smtp_enregistre_et_refuse_les_inconnus(envoye) -> None:
    port = _port_libre()
    recepteur = lancer_recepteur("127.0.0.1", port)
    verp = rebonds.adresse_de_retour(envoye.pk)
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            # On the wire, lines end with CRLF.
            smtp.sendmail("", [verp], _dsn(PERMANENT, envoye).replace(b"\n", b"\r\n"))
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                smtp.sendmail("", ["postmaster@isoloir.localhost"], b"Subject: x\r\n\r\nx")
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                forge = verp.replace(verp.split(".")[1][:16], "f" * 16)
                smtp.sendmail("", [forge], _dsn(PERMANENT, envoye, forge))
    finally:
        recepteur.stop()
    envoye.refresh_from_db()
    assert envoye.etat == EtatCourriel.REJETE
    assert AdresseRejetee.objects.get().adresse == EMAIL


@pytest.mark.django_db
def test_un_envoi_suivant_ecarte_l_adresse_rejetee(
    envoye, creer_electeur, django_capture_on_commit_callbacks
) -> None:
    from django.contrib.auth.models import Group

    from isoloir.accounts.models import Compte
    from isoloir.elections.models import Campagne

    rebonds.traiter(_dsn(PERMANENT, envoye), destinataires=[rebonds.adresse_de_retour(envoye.pk)])
    campagne = Campagne.objects.get()
    autre = creer_electeur(*campagne.scrutins.all())
    admin = Compte.objects.create_user("admin@education.gouv.fr")
    admin.groups.add(Group.objects.get(name="Administration des élections"))
    envoi, _ = envois.lancer(
        campagne=campagne, nature=NatureEnvoi.RELANCE_ACTIVATION, jeton="j", compte=admin
    )
    tasks.planifier(envoi.pk)
    for lot in envoi.lots.all():
        tasks.programmer_lot(lot.pk)
    etats = dict(Courriel.objects.filter(envoi=envoi).values_list("destinataire", "etat"))
    assert etats == {EMAIL: EtatCourriel.ADRESSE_ECARTEE, autre.compte.email: "en_attente"}
    assert selectors.suivi_de_la_campagne(campagne)[0].colonnes["ecartes"] == 1


_valeur = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80).map(
    str.strip
)


@given(action=_valeur, statut=_valeur, diagnostic=_valeur)
@hypothese(max_examples=200, deadline=None)
def test_un_rapport_quelconque_ne_fait_jamais_planter_la_lecture(
    action: str, statut: str, diagnostic: str
) -> None:
    rapport = (
        "Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n"
        "--B\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example\n\n"
        f"Final-Recipient: rfc822; x@example.org\nAction: {action}\nStatus: {statut}\n"
        f"Diagnostic-Code: {diagnostic}\n\n--B--\n"
    )
    for notification in rebonds.lire_notifications(message_from_string(rapport)):
        assert re.fullmatch(r"[45]\.\d{1,3}\.\d{1,3}", notification.statut)
        assert notification.permanente != notification.transitoire
        assert len(notification.diagnostic) <= 500 and len(notification.action) <= 16
