"""Mails per second through the real path of a campaign mailing, against raw smtplib.

    .venv/bin/python -m bench.courriels [--courriels 500] [--debit 100000]

Real path: an activation mailing launched as the back-office does (``envois.lancer``),
then the task worker (``db_worker``, one process, tasks in the SQLite database) runs the
planning, the lots (bulk-created ``Courriel`` rows) and one delivery task per mail, each
composed from its templates with a fresh single-use link and sent by Django's SMTP
backend to an aiosmtpd server on loopback that counts what it receives.

Baseline, same run, same server: the same number of messages of the same size sent by
``smtplib`` on one connection, nothing else. The ratio is what the product's work per mail
(queue, row lock, link, templates, one SMTP session per mail) costs over bare SMTP.

The service-wide rate limit (``ISOLOIR_COURRIELS_PAR_SECONDE``, 50 in service) is lifted
to ``--debit`` so that the pipeline itself is measured; pass ``--debit 50`` to see the
limit hold. The default size runs in one to two minutes on a small machine.
"""

import argparse
import os
import smtplib
import socket
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller


class Compteur:
    """An SMTP server that counts messages and bytes, and keeps one message as a sample."""

    def __init__(self) -> None:
        self.verrou = threading.Lock()
        self.messages = 0
        self.octets = 0
        self.exemple = b""

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        with self.verrou:
            self.messages += 1
            self.octets += len(envelope.content)
            if not self.exemple:
                self.exemple = envelope.content
        return "250 OK"

    def attendre(self, nombre: int, delai: float = 60.0) -> None:
        fin = time.monotonic() + delai
        while time.monotonic() < fin:
            with self.verrou:
                if self.messages >= nombre:
                    return
            time.sleep(0.01)
        raise RuntimeError(f"{nombre} messages attendus, {self.messages} reçus")


def demarrer_serveur() -> tuple[Controller, Compteur, int]:
    with socket.socket() as s:  # aiosmtpd cannot bind port 0 itself
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    compteur = Compteur()
    controleur = Controller(compteur, hostname="127.0.0.1", port=port)
    controleur.start()
    return controleur, compteur, port


@dataclass(frozen=True)
class Resultat:
    courriels: int
    secondes_isoloir: float
    secondes_reference: float
    recus_isoloir: int
    recus_reference: int
    octets_par_courriel: int
    debit: int

    @property
    def par_seconde_isoloir(self) -> float:
        return self.courriels / self.secondes_isoloir

    @property
    def par_seconde_reference(self) -> float:
        return self.courriels / self.secondes_reference

    @property
    def ratio(self) -> float:
        return self.secondes_isoloir / self.secondes_reference


def creer_campagne(courriels: int) -> tuple[object, object]:
    """A campaign with ``courriels`` voters to activate, in bulk (the roll import's
    business is measured elsewhere), and an administrator."""
    from datetime import date, timedelta

    from isoloir.accounts.models import Compte, Electeur
    from isoloir.core import horloge
    from isoloir.elections.models import Campagne, Inscription, Scrutin

    suffixe = f"{time.time_ns()}"
    campagne = Campagne.objects.create(
        nom="Élections professionnelles (banc)",
        slug=f"banc-{suffixe}",
        ouverture=horloge.maintenant() + timedelta(days=20),
        cloture=horloge.maintenant() + timedelta(days=28),
    )
    scrutin = Scrutin.objects.create(
        campagne=campagne,
        code="csa",
        intitule="CSA ministériel",
        type="CSA",
        perimetre="Ministère",
        sieges_titulaires=15,
    )
    # An unusable password, as the roll import leaves it until the activation.
    inutilisable = "!" + suffixe
    comptes = Compte.objects.bulk_create(
        Compte(email=f"agent{n}.{suffixe}@ac-banc.fr", password=inutilisable)
        for n in range(courriels)
    )
    electeurs = Electeur.objects.bulk_create(
        Electeur(
            compte=compte,
            civilite="Mme",
            nom_naissance=f"Nom{n}",
            prenoms="Camille Anne",
            date_naissance=date(1975, 1, 1),
            numen_empreinte=f"banc-{suffixe}-{n}",
        )
        for n, compte in enumerate(comptes)
    )
    Inscription.objects.bulk_create(
        Inscription(electeur=electeur, scrutin=scrutin) for electeur in electeurs
    )
    admin = Compte.objects.create_user(f"admin.{suffixe}@banc.fr")
    return campagne, admin


def mesurer(courriels: int, *, debit: int = 100_000) -> Resultat:
    from django.core.management import call_command
    from django.test.utils import override_settings

    from isoloir.envois import services as envois
    from isoloir.envois.models import EnvoiDeMasse, NatureEnvoi
    from isoloir.notify.models import Courriel, EtatCourriel

    controleur, compteur, port = demarrer_serveur()
    try:
        campagne, admin = creer_campagne(courriels)
        reglages = override_settings(
            MAILERS={
                "default": {
                    "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                    "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30},
                }
            },
            ISOLOIR_COURRIELS_PAR_SECONDE=debit,
        )
        with reglages:
            debut = time.perf_counter()
            envoi, _ = envois.lancer(
                campagne=campagne,  # type: ignore[arg-type]
                nature=NatureEnvoi.ACTIVATION,
                jeton=f"banc-{time.time_ns()}",
                compte=admin,  # type: ignore[arg-type]
            )
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
            compteur.attendre(courriels)
            secondes_isoloir = time.perf_counter() - debut
        envoi = EnvoiDeMasse.objects.get(pk=envoi.pk)
        envoyes = Courriel.objects.filter(envoi=envoi, etat=EtatCourriel.ENVOYE).count()
        if envoyes != courriels or envoi.termine_le is None:
            raise RuntimeError(f"{envoyes} courriels envoyés sur {courriels}")
        recus_isoloir = compteur.messages
        exemple = compteur.exemple

        # Baseline: the same number of messages of the same size, one connection.
        compteur.messages = 0
        debut = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            for n in range(courriels):
                smtp.sendmail("rebond@banc.fr", [f"agent{n}@ac-banc.fr"], exemple)
        compteur.attendre(courriels)
        secondes_reference = time.perf_counter() - debut
        return Resultat(
            courriels=courriels,
            secondes_isoloir=secondes_isoloir,
            secondes_reference=secondes_reference,
            recus_isoloir=recus_isoloir,
            recus_reference=compteur.messages,
            octets_par_courriel=len(exemple),
            debit=debit,
        )
    finally:
        controleur.stop()


def rapport(r: Resultat) -> list[str]:
    return [
        f"{r.courriels} courriels d'activation de {r.octets_par_courriel} octets, "
        f"débit du service levé à {r.debit}/s",
        f"Isoloir (lancement → lots → file → worker → SMTP) : {r.secondes_isoloir:.1f} s, "
        f"{r.par_seconde_isoloir:.0f} courriels/s",
        f"Référence smtplib, une connexion : {r.secondes_reference:.2f} s, "
        f"{r.par_seconde_reference:.0f} courriels/s",
        f"Ratio Isoloir / référence : {r.ratio:.1f}",
    ]


def main(arguments: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Courriels par seconde d'un envoi de masse.")
    parser.add_argument("--courriels", type=int, default=500)
    parser.add_argument(
        "--debit",
        type=int,
        default=100_000,
        help="ISOLOIR_COURRIELS_PAR_SECONDE pendant la mesure (50 en service)",
    )
    args = parser.parse_args(arguments)
    if args.courriels < 1 or args.debit < 1:
        parser.error("--courriels et --debit ≥ 1")
    from django.apps import apps

    if not apps.ready:  # run as a script: a throwaway SQLite database
        from bench.outils import preparer_django

        os.environ.setdefault("ISOLOIR_TESTING", "0")
        preparer_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    for ligne in rapport(mesurer(args.courriels, debit=args.debit)):
        print(ligne)


if __name__ == "__main__":
    main()
