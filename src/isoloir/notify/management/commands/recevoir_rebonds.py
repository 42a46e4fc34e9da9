import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from isoloir.notify.recepteur import lancer_recepteur


class Command(BaseCommand):
    help = (
        "Reçoit par SMTP les avis de non-remise (RFC 3464) adressés aux adresses de retour "
        "des courriels (rebond+…@ISOLOIR_DOMAINE_REBONDS) : un échec définitif marque le "
        "courriel « rejeté » et écarte l'adresse des envois suivants. Le serveur de "
        "messagerie du domaine des rebonds doit lui relayer ces adresses."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hote", default="127.0.0.1", help="Adresse d'écoute.")
        parser.add_argument("--port", type=int, default=2525, help="Port d'écoute (2525).")

    def handle(self, *args: Any, hote: str, port: int, **options: Any) -> None:
        arret = threading.Event()
        for signal_ in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_, lambda *_: arret.set())
        controleur = lancer_recepteur(hote, port)
        self.stdout.write(f"Réception des rebonds sur {hote}:{port} (Ctrl-C pour arrêter).")
        try:
            arret.wait()
        finally:
            controleur.stop()
            self.stdout.write("Réception des rebonds arrêtée.")
