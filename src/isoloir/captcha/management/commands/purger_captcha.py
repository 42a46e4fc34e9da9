"""``isoloir purger_captcha [--boucle SECONDES]``: delete the expired CAPTCHA challenges,
and the expired sessions when they live in the database. ``isoloir serve`` runs it every
five minutes.

The sessions come with it because the CAPTCHA put them there: a person who is not logged
in keeps the key of the challenge shown in a session (isoloir.captcha.services), and with
sessions in the database (the embedded default) nothing else deletes them. On Redis they
expire by themselves and ``clear_expired`` does nothing.
"""

from importlib import import_module

from django.conf import settings

from isoloir.captcha.services import purger_defis_expires
from isoloir.core.management.boucle import CommandeEnBoucle


class Command(CommandeEnBoucle):
    help = "Supprime les CAPTCHA expirés et les sessions expirées."
    interruption = "purge des CAPTCHA interrompue, nouvel essai"

    def tour(self) -> None:
        supprimes = purger_defis_expires()
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        self.stdout.write(f"CAPTCHA expirés supprimés : {supprimes} ; sessions expirées purgées.")
