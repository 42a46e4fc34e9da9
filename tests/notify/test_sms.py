"""SMS sending: each backend, the HTTP ones against a real loopback server standing in
for the gateway, and the retries of :func:`envoyer_sms`.

Every test also checks that neither the number nor the text (which holds a secret link)
reaches a log record or an error.
"""

import hashlib
import json
import logging
import socket
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.core.exceptions import ImproperlyConfigured

from isoloir.notify.sms import (
    ErreurSms,
    ErreurSmsDefinitive,
    ErreurSmsTransitoire,
    boite_envoi,
    envoyer_sms,
    expediteur_depuis_url,
)
from isoloir.notify.sms.base import (
    MESSAGE_NUMERO_REFUSE,
    MESSAGE_SERVICE_REFUSE,
    MESSAGE_TRANSITOIRE,
    tient_en_gsm7,
)

NUMERO = "+33612345678"
# Every way the number could leak into a log line.
FORMES_DU_NUMERO = ("+33612345678", "33612345678", "0612345678", "06 12 34 56 78", "612345678")
JETON = "Zq8wK3xJt9RmV2pL"
TEXTE = f"Élections pro : pour un nouveau code de vote, https://isoloir.test/r/{JETON} (10 min)"
REFERENCE = "reassort-42"

AK, AS, CK = "cle-appli", "secret-appli/+=", "cle-consommateur"
# The secret holds "/", "+" and "=": percent-encoded, as a URL requires.
AS_DANS_L_URL = quote(AS, safe="")
SERVICE = "sms-ab12345-1"
HEURE_OVH = 1_700_000_000
CLE_BREVO = "xkeysib-0123456789abcdef"


# ── A loopback gateway ────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Requete:
    methode: str
    chemin: str
    entetes: dict[str, str]
    corps: bytes

    def json(self) -> Any:
        return json.loads(self.corps)


@dataclass(frozen=True)
class Reponse:
    statut: int = 200
    corps: Any = None
    delai: float = 0.0


class Passerelle:
    """Records each request and answers from a script per path; the last scripted
    reply of a path is repeated."""

    def __init__(self) -> None:
        self.requetes: list[Requete] = []
        self._script: dict[str, deque[Reponse]] = {}
        passerelle = self

        class Gestionnaire(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                passerelle._servir(self)

            def do_POST(self) -> None:
                passerelle._servir(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Serveur(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                # The client hung up on a slow reply: that is the timeout scenario.
                pass

        self._serveur = Serveur(("127.0.0.1", 0), Gestionnaire)
        self.url = f"http://127.0.0.1:{self._serveur.server_address[1]}"
        self._fil = threading.Thread(
            target=self._serveur.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._fil.start()

    def repondre(self, chemin: str, *reponses: Reponse) -> None:
        self._script[chemin] = deque(reponses)

    def appels(self, chemin: str) -> list[Requete]:
        return [requete for requete in self.requetes if requete.chemin == chemin]

    def arreter(self) -> None:
        self._serveur.shutdown()
        self._serveur.server_close()

    def _servir(self, gestionnaire: BaseHTTPRequestHandler) -> None:
        longueur = int(gestionnaire.headers.get("Content-Length") or 0)
        self.requetes.append(
            Requete(
                methode=gestionnaire.command,
                chemin=gestionnaire.path,
                entetes={cle.lower(): valeur for cle, valeur in gestionnaire.headers.items()},
                corps=gestionnaire.rfile.read(longueur),
            )
        )
        file = self._script.get(gestionnaire.path)
        reponse = (file.popleft() if len(file) > 1 else file[0]) if file else Reponse(404)
        time.sleep(reponse.delai)
        corps = reponse.corps if isinstance(reponse.corps, bytes) else json.dumps(reponse.corps)
        contenu = corps.encode() if isinstance(corps, str) else corps
        gestionnaire.send_response(reponse.statut)
        gestionnaire.send_header("Content-Type", "application/json")
        gestionnaire.send_header("Content-Length", str(len(contenu)))
        gestionnaire.end_headers()
        gestionnaire.wfile.write(contenu)


@pytest.fixture
def passerelle() -> Iterator[Passerelle]:
    serveur = Passerelle()
    yield serveur
    serveur.arreter()


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record, httpx's and httpcore's included; none may hold the number or text."""
    caplog.set_level(logging.DEBUG)
    yield caplog
    # In teardown, ``caplog.records`` would be the teardown's own.
    for record in caplog.get_records("setup") + caplog.get_records("call"):
        ligne = record.getMessage()
        assert not any(forme in ligne for forme in FORMES_DU_NUMERO), ligne
        assert JETON not in ligne, ligne


@pytest.fixture
def attentes() -> list[float]:
    return []


def _envoyer(attentes: list[float]):
    return envoyer_sms(numero=NUMERO, texte=TEXTE, reference=REFERENCE, attendre=attentes.append)


def _verifier_erreur_muette(erreur: ErreurSms) -> None:
    """Neither the message, the detail nor the whole traceback (chained errors
    included) quotes the number or the text."""
    trace = "".join(traceback.format_exception(erreur)) + erreur.detail
    assert not any(forme in trace for forme in FORMES_DU_NUMERO)
    assert JETON not in trace


# ── OVHcloud ──────────────────────────────────────────────────────────────────────

CHEMIN_OVH = f"/1.0/sms/{SERVICE}/jobs"
SUCCES_OVH = Reponse(
    200,
    {"totalCreditsRemoved": 1, "invalidReceivers": [], "ids": [987654], "validReceivers": [NUMERO]},
)


@pytest.fixture
def ovh(passerelle: Passerelle, settings) -> Passerelle:
    options = {
        "consumer_key": CK,
        "service_name": SERVICE,
        "sender": "ELECTIONS",
        "endpoint": f"{passerelle.url}/1.0",
        "timeout": "0.3",
    }
    settings.ISOLOIR_SMS_URL = f"ovh://{AK}:{AS_DANS_L_URL}@eu?{urlencode(options)}"
    settings.ISOLOIR_REASSORT_LINK_SECONDS = 600
    passerelle.repondre("/1.0/auth/time", Reponse(200, HEURE_OVH))
    return passerelle


def _verifier_requete_ovh(passerelle: Passerelle, requete: Requete) -> None:
    assert requete.methode == "POST"
    assert requete.entetes["content-type"] == "application/json"
    assert requete.entetes["x-ovh-application"] == AK
    assert requete.entetes["x-ovh-consumer"] == CK
    assert requete.entetes["x-ovh-timestamp"] == str(HEURE_OVH)
    url = f"{passerelle.url}{requete.chemin}"
    attendue = hashlib.sha1(  # noqa: S324 - the signature OVHcloud defines
        f"{AS}+{CK}+POST+{url}+{requete.corps.decode()}+{HEURE_OVH}".encode()
    ).hexdigest()
    assert requete.entetes["x-ovh-signature"] == f"$1${attendue}"
    assert requete.json() == {
        "message": TEXTE,
        "receivers": [NUMERO],
        "sender": "ELECTIONS",
        "senderForResponse": False,
        "noStopClause": True,
        "priority": "high",
        "charset": "UTF-8",
        "coding": "7bit",
        "class": "phoneDisplay",
        "validityPeriod": 10,
    }


def test_ovh_envoi(ovh: Passerelle, log, attentes) -> None:
    ovh.repondre(CHEMIN_OVH, SUCCES_OVH)
    resultat = _envoyer(attentes)
    assert resultat.identifiant_fournisseur == "987654"
    (heure,) = ovh.appels("/1.0/auth/time")
    assert heure.methode == "GET"
    (envoi,) = ovh.appels(CHEMIN_OVH)
    _verifier_requete_ovh(ovh, envoi)
    assert attentes == []
    assert any(
        "envoyé par ovh à 06 •• •• •• 78" in r.getMessage() and REFERENCE in r.getMessage()
        for r in log.records
    )


def test_ovh_numero_refuse_dans_le_rapport(ovh: Passerelle, log, attentes) -> None:
    ovh.repondre(
        CHEMIN_OVH,
        Reponse(
            200,
            {
                "totalCreditsRemoved": 0,
                "invalidReceivers": [NUMERO],
                "ids": [],
                "validReceivers": [],
            },
        ),
    )
    with pytest.raises(ErreurSmsDefinitive) as erreur:
        _envoyer(attentes)
    assert erreur.value.numero_refuse
    assert erreur.value.message == MESSAGE_NUMERO_REFUSE
    assert len(ovh.appels(CHEMIN_OVH)) == 1
    _verifier_erreur_muette(erreur.value)


def test_ovh_400_sur_le_destinataire(ovh: Passerelle, log, attentes) -> None:
    ovh.repondre(
        CHEMIN_OVH,
        Reponse(400, {"class": "Client::BadRequest", "message": f"Invalid receiver {NUMERO}"}),
    )
    with pytest.raises(ErreurSmsDefinitive) as erreur:
        _envoyer(attentes)
    assert erreur.value.numero_refuse
    assert erreur.value.detail == "ovh : HTTP 400"
    assert len(ovh.appels(CHEMIN_OVH)) == 1
    assert attentes == []
    _verifier_erreur_muette(erreur.value)


def test_ovh_identifiants_refuses(ovh: Passerelle, log, attentes) -> None:
    ovh.repondre(
        CHEMIN_OVH,
        Reponse(403, {"class": "Client::Forbidden", "message": "This call has not been granted"}),
    )
    with pytest.raises(ErreurSmsDefinitive) as erreur:
        _envoyer(attentes)
    assert not erreur.value.numero_refuse
    assert erreur.value.message == MESSAGE_SERVICE_REFUSE
    assert len(ovh.appels(CHEMIN_OVH)) == 1


@pytest.mark.parametrize("statut", [500, 503, 429])
def test_ovh_erreur_passagere_puis_succes(ovh: Passerelle, log, attentes, statut) -> None:
    ovh.repondre(CHEMIN_OVH, Reponse(statut, {"message": "plus tard"}), SUCCES_OVH)
    assert _envoyer(attentes).identifiant_fournisseur == "987654"
    assert len(ovh.appels(CHEMIN_OVH)) == 2
    assert attentes == [0.2]
    # A fresh timestamp, hence a fresh signature, for each attempt.
    assert len(ovh.appels("/1.0/auth/time")) == 2
    _verifier_requete_ovh(ovh, ovh.appels(CHEMIN_OVH)[1])


def test_ovh_panne_durable(ovh: Passerelle, log, attentes) -> None:
    ovh.repondre(CHEMIN_OVH, Reponse(500, {"message": "Internal Server Error"}))
    with pytest.raises(ErreurSmsTransitoire) as erreur:
        _envoyer(attentes)
    assert erreur.value.message == MESSAGE_TRANSITOIRE
    assert erreur.value.detail == "ovh : HTTP 500"
    assert len(ovh.appels(CHEMIN_OVH)) == 3
    assert attentes == [0.2, 0.5]
    assert sum("non envoyé à 06 •• •• •• 78" in r.getMessage() for r in log.records) == 3
    _verifier_erreur_muette(erreur.value)


def test_ovh_heure_indisponible(ovh: Passerelle, log, attentes) -> None:
    ovh.repondre("/1.0/auth/time", Reponse(502, {"message": "Bad Gateway"}))
    with pytest.raises(ErreurSmsTransitoire):
        _envoyer(attentes)
    assert len(ovh.appels("/1.0/auth/time")) == 3
    assert ovh.appels(CHEMIN_OVH) == []


def test_ovh_delai_depasse(ovh: Passerelle, log, attentes) -> None:
    ovh.repondre(CHEMIN_OVH, Reponse(200, SUCCES_OVH.corps, delai=1.0))
    with pytest.raises(ErreurSmsTransitoire) as erreur:
        _envoyer(attentes)
    assert erreur.value.detail == "ovh : délai dépassé"
    assert len(ovh.appels(CHEMIN_OVH)) == 3
    assert attentes == [0.2, 0.5]
    _verifier_erreur_muette(erreur.value)


def test_ovh_reponse_illisible(ovh: Passerelle, log, attentes) -> None:
    ovh.repondre(CHEMIN_OVH, Reponse(200, f"<html>{NUMERO}".encode()))
    with pytest.raises(ErreurSmsDefinitive) as erreur:
        _envoyer(attentes)
    assert not erreur.value.numero_refuse
    assert len(ovh.appels(CHEMIN_OVH)) == 1
    _verifier_erreur_muette(erreur.value)


def test_ovh_texte_hors_gsm7(ovh: Passerelle, log, attentes) -> None:
    ovh.repondre(CHEMIN_OVH, SUCCES_OVH)
    envoyer_sms(numero=NUMERO, texte="Votre lien : fenêtre", reference=REFERENCE)
    (envoi,) = ovh.appels(CHEMIN_OVH)
    assert envoi.json()["coding"] == "8bit"


def test_passerelle_injoignable(settings, log, attentes) -> None:
    with socket.socket() as ferme:
        ferme.bind(("127.0.0.1", 0))
        port = ferme.getsockname()[1]
    settings.ISOLOIR_SMS_URL = (
        f"brevo://{CLE_BREVO}@?sender=ELECTIONS&endpoint=http://127.0.0.1:{port}/v3"
    )
    with pytest.raises(ErreurSmsTransitoire) as erreur:
        _envoyer(attentes)
    assert erreur.value.detail == "brevo : ConnectError"
    assert attentes == [0.2, 0.5]
    _verifier_erreur_muette(erreur.value)


# ── Brevo ─────────────────────────────────────────────────────────────────────────

CHEMIN_BREVO = "/v3/transactionalSMS/send"
SUCCES_BREVO = Reponse(201, {"reference": "ab1cde2fgh3i4jklmno", "messageId": 1511882900176220})


@pytest.fixture
def brevo(passerelle: Passerelle, settings) -> Passerelle:
    options = {"sender": "ELECTIONS", "endpoint": f"{passerelle.url}/v3", "timeout": "0.3"}
    settings.ISOLOIR_SMS_URL = f"brevo://{CLE_BREVO}@?{urlencode(options)}"
    return passerelle


def _verifier_requete_brevo(requete: Requete, *, unicode: bool = False) -> None:
    assert requete.methode == "POST"
    assert requete.entetes["api-key"] == CLE_BREVO
    assert requete.entetes["content-type"] == "application/json"
    assert requete.entetes["accept"] == "application/json"
    assert requete.json() == {
        "sender": "ELECTIONS",
        "recipient": "33612345678",
        "content": TEXTE,
        "type": "transactional",
        "tag": REFERENCE,
        "unicodeEnabled": unicode,
    }


def test_brevo_envoi(brevo: Passerelle, log, attentes) -> None:
    brevo.repondre(CHEMIN_BREVO, SUCCES_BREVO)
    assert _envoyer(attentes).identifiant_fournisseur == "1511882900176220"
    (envoi,) = brevo.appels(CHEMIN_BREVO)
    _verifier_requete_brevo(envoi)
    assert brevo.requetes == [envoi]


def test_brevo_numero_invalide(brevo: Passerelle, log, attentes) -> None:
    brevo.repondre(
        CHEMIN_BREVO,
        Reponse(400, {"code": "invalid_parameter", "message": "Invalid recipient 33612345678"}),
    )
    with pytest.raises(ErreurSmsDefinitive) as erreur:
        _envoyer(attentes)
    assert erreur.value.numero_refuse
    assert erreur.value.message == MESSAGE_NUMERO_REFUSE
    assert erreur.value.detail == "brevo : HTTP 400"
    assert len(brevo.appels(CHEMIN_BREVO)) == 1
    assert attentes == []
    _verifier_erreur_muette(erreur.value)


@pytest.mark.parametrize(
    ("statut", "corps"),
    [
        (400, {"code": "invalid_parameter", "message": "sender is invalid"}),
        (401, {"code": "unauthorized", "message": "Key not found"}),
        (402, {"code": "not_enough_credits", "message": "Not enough credits"}),
    ],
)
def test_brevo_refus_du_service(brevo: Passerelle, log, attentes, statut, corps) -> None:
    brevo.repondre(CHEMIN_BREVO, Reponse(statut, corps))
    with pytest.raises(ErreurSmsDefinitive) as erreur:
        _envoyer(attentes)
    assert not erreur.value.numero_refuse
    assert erreur.value.message == MESSAGE_SERVICE_REFUSE
    assert len(brevo.appels(CHEMIN_BREVO)) == 1


def test_brevo_trop_de_requetes_puis_succes(brevo: Passerelle, log, attentes) -> None:
    brevo.repondre(
        CHEMIN_BREVO,
        Reponse(429, {"code": "too_many_requests"}),
        Reponse(500, {"code": "internal_error"}),
        SUCCES_BREVO,
    )
    assert _envoyer(attentes).identifiant_fournisseur == "1511882900176220"
    assert len(brevo.appels(CHEMIN_BREVO)) == 3
    assert attentes == [0.2, 0.5]
    for envoi in brevo.appels(CHEMIN_BREVO):
        _verifier_requete_brevo(envoi)


def test_brevo_panne_durable(brevo: Passerelle, log, attentes) -> None:
    brevo.repondre(CHEMIN_BREVO, Reponse(429, {"code": "too_many_requests"}))
    with pytest.raises(ErreurSmsTransitoire) as erreur:
        _envoyer(attentes)
    assert erreur.value.message == MESSAGE_TRANSITOIRE
    assert str(erreur.value) == MESSAGE_TRANSITOIRE
    assert len(brevo.appels(CHEMIN_BREVO)) == 3
    _verifier_erreur_muette(erreur.value)


def test_brevo_delai_depasse(brevo: Passerelle, log, attentes) -> None:
    brevo.repondre(CHEMIN_BREVO, Reponse(201, SUCCES_BREVO.corps, delai=1.0))
    with pytest.raises(ErreurSmsTransitoire) as erreur:
        _envoyer(attentes)
    assert erreur.value.detail == "brevo : délai dépassé"
    assert len(brevo.appels(CHEMIN_BREVO)) == 3


def test_brevo_texte_hors_gsm7(brevo: Passerelle, log) -> None:
    brevo.repondre(CHEMIN_BREVO, SUCCES_BREVO)
    envoyer_sms(numero=NUMERO, texte="Votre lien : fenêtre", reference=REFERENCE)
    (envoi,) = brevo.appels(CHEMIN_BREVO)
    assert envoi.json()["unicodeEnabled"] is True


# ── Local backends ────────────────────────────────────────────────────────────────


@pytest.fixture
def memoire(settings) -> Iterator[None]:
    settings.ISOLOIR_SMS_URL = "memoire://"
    boite_envoi.clear()
    yield
    boite_envoi.clear()


def test_memoire_garde_le_message(memoire, log) -> None:
    resultat = envoyer_sms(numero=NUMERO, texte=TEXTE, reference=REFERENCE)
    (envoi,) = boite_envoi
    assert (envoi.numero, envoi.texte, envoi.reference) == (NUMERO, TEXTE, REFERENCE)
    assert envoi.identifiant_fournisseur == resultat.identifiant_fournisseur


@pytest.mark.parametrize(
    ("panne", "classe", "message", "essais"),
    [
        ("transitoire", ErreurSmsTransitoire, MESSAGE_TRANSITOIRE, [0.2, 0.5]),
        ("definitive", ErreurSmsDefinitive, MESSAGE_SERVICE_REFUSE, []),
        ("numero", ErreurSmsDefinitive, MESSAGE_NUMERO_REFUSE, []),
    ],
)
def test_memoire_simule_les_pannes(
    memoire, settings, log, attentes, panne, classe, message, essais
) -> None:
    settings.ISOLOIR_SMS_URL = f"memoire://?panne={panne}"
    with pytest.raises(classe) as erreur:
        _envoyer(attentes)
    assert erreur.value.message == message
    assert attentes == essais
    assert boite_envoi == []


def test_console_par_defaut(settings, capsys, log) -> None:
    settings.ISOLOIR_SMS_URL = ""
    envoyer_sms(numero=NUMERO, texte=TEXTE, reference=REFERENCE)
    sortie = capsys.readouterr().out
    assert "06 •• •• •• 78" in sortie
    assert TEXTE in sortie  # the demo needs the link
    assert not any(forme in sortie for forme in FORMES_DU_NUMERO)


def test_fichier_dans_le_dossier_de_donnees(settings, tmp_path: Path, log) -> None:
    settings.DATA_DIR = tmp_path
    settings.ISOLOIR_SMS_URL = "file://"
    resultat = envoyer_sms(numero=NUMERO, texte=TEXTE, reference=REFERENCE)
    (fichier,) = (tmp_path / "sms").iterdir()
    contenu = fichier.read_text(encoding="utf-8")
    assert REFERENCE in fichier.name
    assert "06 •• •• •• 78" in contenu
    assert TEXTE in contenu
    assert resultat.identifiant_fournisseur in contenu
    assert not any(forme in contenu for forme in FORMES_DU_NUMERO)


def test_fichier_dans_un_dossier_choisi(settings, tmp_path: Path, log) -> None:
    settings.ISOLOIR_SMS_URL = f"file://{tmp_path}/boite"
    envoyer_sms(numero=NUMERO, texte=TEXTE, reference="../../etc/passwd")
    (fichier,) = (tmp_path / "boite").iterdir()
    assert "/" not in fichier.name and ".." not in fichier.name.removesuffix(".txt")


def test_numero_hors_e164_refuse(memoire, log) -> None:
    with pytest.raises(ValueError) as erreur:
        envoyer_sms(numero="06 12 34 56 78", texte=TEXTE, reference=REFERENCE)
    assert "06" not in str(erreur.value)
    assert boite_envoi == []


# ── Configuration ─────────────────────────────────────────────────────────────────


def test_url_ovh_complete() -> None:
    expediteur = expediteur_depuis_url(
        f"ovh://{AK}:{AS_DANS_L_URL}@ca"
        f"?consumer_key={CK}&service_name={SERVICE}&sender=ELECTIONS&validity_period=15"
    )
    assert expediteur.nom == "ovh"
    assert vars(expediteur) == {
        "cle_application": AK,
        "secret_application": AS,
        "cle_consommateur": CK,
        "service": SERVICE,
        "expediteur": "ELECTIONS",
        "base": "https://ca.api.ovh.com/1.0",
        "validite_minutes": 15,
        "delai": 4.0,
    }
    assert AS not in repr(expediteur) and CK not in repr(expediteur)


def test_url_brevo_par_defaut() -> None:
    expediteur = expediteur_depuis_url(f"brevo://{CLE_BREVO}@?sender=ELECTIONS")
    assert expediteur.nom == "brevo"
    assert vars(expediteur) == {
        "cle_api": CLE_BREVO,
        "expediteur": "ELECTIONS",
        "base": "https://api.brevo.com/v3",
        "delai": 4.0,
    }
    assert CLE_BREVO not in repr(expediteur)


@pytest.mark.parametrize(
    "url",
    [
        "sms://x",
        "https://api.brevo.com",
        "console://?bavard=1",
        "file://dossier/relatif",
        "memoire://?panne=parfois",
        f"ovh://{AK}:{AS}@eu?service_name={SERVICE}&sender=ELECTIONS",
        f"ovh://{AK}:{AS}@eu?consumer_key={CK}&sender=ELECTIONS",
        f"ovh://{AK}:{AS}@eu?consumer_key={CK}&service_name={SERVICE}",
        f"ovh://{AK}:{AS}@mars?consumer_key={CK}&service_name={SERVICE}&sender=ELECTIONS",
        f"ovh://{AK}@eu?consumer_key={CK}&service_name={SERVICE}&sender=ELECTIONS",
        f"ovh://{AK}:{AS}@eu?consumer_key={CK}&service-name={SERVICE}&sender=ELECTIONS",
        f"ovh://{AK}:{AS}@eu?consumer_key={CK}&service_name={SERVICE}&sender=E&validity_period=0",
        "brevo://@?sender=ELECTIONS",
        f"brevo://{CLE_BREVO}@?sender=ÉLECTIONS-PRO-2026",
        f"brevo://{CLE_BREVO}@?sender=ELECTIONS&timeout=lent",
        f"brevo://{CLE_BREVO}@?sender=ELECTIONS&timeout=0",
        f"brevo://{CLE_BREVO}@?sender=ELECTIONS&endpoint=ftp://x",
    ],
)
def test_url_invalide(url: str) -> None:
    with pytest.raises(ImproperlyConfigured) as erreur:
        expediteur_depuis_url(url)
    for secret in (AS, CK, CLE_BREVO):
        assert secret not in str(erreur.value)


@pytest.mark.parametrize(
    ("texte", "gsm7"),
    [(TEXTE, True), ("à é è ù ì ò Ç É €", True), ("fenêtre", False), ("ça", False), ("🗳", False)],
)
def test_alphabet_gsm7(texte: str, gsm7: bool) -> None:
    assert tient_en_gsm7(texte) is gsm7
