"""``isoloir verify ARCHIVE``: the election re-checked from its public archive alone.

The same as ``python -m isoloir.verification ARCHIVE``, which needs no Django settings."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from isoloir.verification import verifier_archive


class Command(BaseCommand):
    help = (
        "Vérifie l'archive publique d'une élection, sans base de données : manifestes, "
        "cérémonie des clés, scellement, bulletins, tableau d'affichage, sommes, parts de "
        "déchiffrement, résultat et sièges. Code de sortie 0 si tout est conforme, 1 sinon."
    )
    # Nothing here reads the database: no system or migration check may open it.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="le fichier ZIP de l'archive publique")
        parser.add_argument(
            "--echecs-seulement",
            action="store_true",
            help="n'afficher que les contrôles en échec",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rapport = verifier_archive(options["archive"])
        for ligne in rapport.lignes(echecs_seulement=options["echecs_seulement"]):
            self.stdout.write(ligne)
        if not rapport.ok:
            raise CommandError(rapport.resume(), returncode=1)
        self.stdout.write(rapport.resume())
