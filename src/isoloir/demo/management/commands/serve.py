"""``isoloir serve [--host 127.0.0.1] [--port 8000] [--workers 2]``.

Runs the web server (granian, WSGI), the task worker and the sweep of interrupted votes
as child processes that live and die together: the worker builds and sends every mail,
so a portal running without it would promise an activation link and never send it. A
signal to this process is passed on to all; if one stops on its own, the others are
stopped too and the command fails, so that a supervisor (systemd, a container) restarts
them together.

Called from code (``isoloir demo``), ``call_command("serve", enfants=[(nom, commande)])``
adds children that live and die with the others, like the demo's FranceConnect peer.
"""

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

DELAI_DEMARRAGE = 60.0  # seconds for the first worker to import Django and listen
DELAI_ARRET = 15.0  # seconds for a child to finish its request or task before SIGKILL
PR_SET_PDEATHSIG = 1


@dataclass
class Enfant:
    nom: str
    processus: subprocess.Popen[bytes]

    @property
    def vivant(self) -> bool:
        return self.processus.poll() is None


def _mourir_avec_le_parent() -> None:
    # Runs in the child between fork and exec. If this supervisor is killed outright
    # (SIGKILL, out of memory), no handler of ours runs: Linux then sends SIGTERM to the
    # children itself, so that no orphan keeps the port or the task queue.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def hote_joignable(hote: str) -> str:
    # A wildcard address is where we listen, not where a browser can connect.
    return {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(hote, hote)  # noqa: S104


def adresse_url(hote: str, port: int) -> str:
    hote = hote_joignable(hote)
    return f"http://[{hote}]:{port}" if ":" in hote else f"http://{hote}:{port}"


def commande_serveur_web(*, hote: str, port: int, processus: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        hote,
        "--port",
        str(port),
        "--workers",
        str(processus),
        "--no-ws",
        # Each request holds a Python thread for its blocking I/O; granian warns above
        # two per core plus one, which is plenty for Django.
        "--blocking-threads",
        str(2 * (os.cpu_count() or 1) + 1),
        "isoloir.wsgi:application",
    ]


def commande_executeur() -> list[str] | None:
    """The worker of the configured task backend, or None when tasks run inline."""
    isoloir = [sys.executable, "-m", "isoloir.cli"]
    backend = settings.ISOLOIR_TASKS_BACKEND
    if backend == "redis":
        return [*isoloir, "rqworker", "--job-class", "django_tasks_rq.Job", "default"]
    if backend == "database":
        # No autoreloader: it would put a grandchild between us and the worker, which
        # our signals would not reach.
        return [*isoloir, "db_worker", "--no-reload"]
    return None


def verifier_port_libre(hote: str, port: int) -> None:
    famille = socket.AF_INET6 if ":" in hote else socket.AF_INET
    with socket.socket(famille, socket.SOCK_STREAM) as essai:
        essai.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            essai.bind((hote, port))
        except OSError as erreur:
            raise CommandError(
                f"Impossible d'écouter sur {hote}:{port} ({erreur.strerror}). Le port est "
                f"peut-être déjà utilisé : choisissez-en un autre avec --port."
            ) from erreur


def _repond(hote: str, port: int) -> bool:
    try:
        with socket.create_connection((hote_joignable(hote), port), timeout=0.5):
            return True
    except OSError:
        return False


class Command(BaseCommand):
    help = (
        "Lance le portail (serveur web granian) et l'exécuteur de tâches (envoi des "
        "courriels), et les arrête ensemble (Ctrl-C ou SIGTERM)."
    )
    requires_system_checks: Any = []  # the children run the checks when they start
    # Not on the command line: extra children, as (name, command), from call_command.
    stealth_options = ("enfants",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Adresse d'écoute.")
        parser.add_argument("--port", type=int, default=8000, help="Port d'écoute.")
        parser.add_argument(
            "--workers", type=int, default=2, help="Nombre de processus du serveur web."
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        enfants: list[tuple[str, list[str]]] | None = None,
        **options: Any,
    ) -> None:
        verifier_port_libre(host, port)
        url = adresse_url(host, port)
        environnement = {
            **os.environ,
            "ISOLOIR_BASE_URL": os.environ.get("ISOLOIR_BASE_URL") or url,
            # Pinned, so that the children use this data folder whatever their directory.
            "ISOLOIR_DATA_DIR": str(settings.DATA_DIR),
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "isoloir.settings"),
            "PYTHONUNBUFFERED": "1",
        }
        commandes = [
            ("serveur web (granian)", commande_serveur_web(hote=host, port=port, processus=workers))
        ]
        executeur = commande_executeur()
        if executeur is not None:
            commandes.append(("exécuteur de tâches", executeur))
        # Finishes or undoes the votes a crash interrupted, at start and every minute.
        commandes.append(
            (
                "récupération des votes",
                [sys.executable, "-m", "isoloir.cli", "recuperer_votes", "--boucle", "60"],
            )
        )
        # Closes each scrutin at the end of its window (A17), every minute.
        commandes.append(
            (
                "clôture des scrutins",
                [sys.executable, "-m", "isoloir.cli", "clore_scrutins", "--boucle", "60"],
            )
        )
        # Deletes the expired CAPTCHA challenges (and sessions), every five minutes: pages
        # shown and never posted would otherwise fill the table.
        commandes.append(
            (
                "purge des CAPTCHA",
                [sys.executable, "-m", "isoloir.cli", "purger_captcha", "--boucle", "300"],
            )
        )
        commandes += enfants or []

        signaux_recus: list[int] = []

        def noter(signum: int, frame: FrameType | None) -> None:
            signaux_recus.append(signum)

        anciens: dict[int, Callable[..., Any] | int | None] = {
            s: signal.signal(s, noter) for s in (signal.SIGINT, signal.SIGTERM)
        }
        lances: list[Enfant] = []
        mort: Enfant | None = None
        try:
            for nom, commande in commandes:
                lances.append(Enfant(nom, self._lancer(commande, environnement)))
                self.stdout.write(f"Démarré : {nom}, pid {lances[-1].processus.pid}.")
            if self._attendre_ecoute(host, port, lances, signaux_recus):
                self.stdout.write(
                    self.style.SUCCESS(f"Isoloir est prêt : {url}/portail/")
                    + " (Ctrl-C pour arrêter)"
                )
            mort = self._surveiller(lances, signaux_recus)
        finally:
            self._arreter(lances, signaux_recus)
            for signum, ancien in anciens.items():
                signal.signal(signum, ancien)
        if mort is not None:
            raise CommandError(
                f"Arrêt inattendu : {mort.nom} (code {mort.processus.returncode}). "
                "Les autres processus ont été arrêtés."
            )
        self.stdout.write("Isoloir est arrêté.")

    def _lancer(
        self, commande: list[str], environnement: dict[str, str]
    ) -> subprocess.Popen[bytes]:
        # Each child in its own process group: a Ctrl-C in the terminal reaches only this
        # supervisor, which stops the children in order, instead of all three at once.
        return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            commande,
            env=environnement,
            process_group=0,
            preexec_fn=_mourir_avec_le_parent if sys.platform == "linux" else None,
        )

    def _attendre_ecoute(
        self, hote: str, port: int, enfants: list[Enfant], signaux: list[int]
    ) -> bool:
        fin = time.monotonic() + DELAI_DEMARRAGE
        while time.monotonic() < fin and not signaux and all(e.vivant for e in enfants):
            if _repond(hote, port):
                return True
            time.sleep(0.2)
        return False

    def _surveiller(self, enfants: list[Enfant], signaux: list[int]) -> Enfant | None:
        """Wait for a signal (returns None) or for a child to stop (returns it)."""
        while not signaux:
            for enfant in enfants:
                if not enfant.vivant:
                    return enfant
            time.sleep(0.2)
        return None

    def _arreter(self, enfants: list[Enfant], signaux: list[int]) -> None:
        vivants = [e for e in enfants if e.vivant]
        if not vivants:
            return
        self.stdout.write("Arrêt de : " + ", ".join(e.nom for e in vivants) + "…")
        for enfant in vivants:
            enfant.processus.send_signal(signal.SIGTERM)
        deja_recus = len(signaux)
        fin = time.monotonic() + DELAI_ARRET
        # One more Ctrl-C means "now": no more waiting for requests or tasks to finish.
        while any(e.vivant for e in vivants) and time.monotonic() < fin:
            if len(signaux) > deja_recus:
                break
            time.sleep(0.1)
        for enfant in vivants:
            if enfant.vivant:
                self.stderr.write(f"Arrêt forcé : {enfant.nom}.")
                enfant.processus.kill()
            enfant.processus.wait()
