from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from isoloir.envois.services import relancer_envois
from isoloir.notify.services import relancer_en_attente


class Command(BaseCommand):
    help = (
        "Remet dans la file de tâches les courriels enregistrés mais jamais mis en file "
        "(file indisponible au moment de l'enregistrement), ainsi que les envois de masse et "
        "les lots restés en chemin. À lancer périodiquement."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--depuis-minutes",
            type=int,
            default=10,
            help="Âge minimal d'un courriel en attente pour être relancé (10 par défaut).",
        )

    def handle(self, *args: Any, depuis_minutes: int, **options: Any) -> None:
        depuis = timedelta(minutes=depuis_minutes)
        envois = relancer_envois(depuis=depuis)
        relances = relancer_en_attente(depuis=depuis)
        self.stdout.write(
            f"{relances} courriel(s) et {envois} tâche(s) d'envoi de masse remis dans la file."
        )
