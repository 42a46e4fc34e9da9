"""An SMTP server (aiosmtpd) that receives the bounces sent to the mails' return paths.

It accepts only recipients that are return paths of ours (``rebond+<id>.<hmac>@…``, the
HMAC checked) and refuses the rest at ``RCPT``, so that it is no open door for anything
else. Each message is handed to :func:`isoloir.notify.rebonds.traiter` in a worker
thread, since the ORM must not run on the server's event loop.
"""

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from django.db import close_old_connections

from isoloir.notify import rebonds

log = logging.getLogger(__name__)

TAILLE_MAXIMALE = 2 * 1024 * 1024  # a DSN with the returned headers or message is small


class GestionnaireDeRebonds:
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if rebonds.courriel_de_l_adresse(address) is None:
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        contenu = envelope.original_content or envelope.content
        if isinstance(contenu, str):
            contenu = contenu.encode("utf-8", "surrogateescape")
        destinataires = list(envelope.rcpt_tos)
        await asyncio.get_running_loop().run_in_executor(None, _traiter, contenu, destinataires)
        return "250 OK"


def _traiter(contenu: bytes, destinataires: list[str]) -> str:
    close_old_connections()
    try:
        return rebonds.traiter(contenu, destinataires=destinataires)
    except Exception:
        # Accepted anyway: a bounce we cannot read would come back forever otherwise.
        log.exception("rebond illisible")
        return rebonds.Resultat.IGNORE
    finally:
        close_old_connections()


def lancer_recepteur(hote: str, port: int) -> Controller:
    controleur = Controller(
        GestionnaireDeRebonds(),
        hostname=hote,
        port=port,
        data_size_limit=TAILLE_MAXIMALE,
        server_hostname="isoloir-rebonds",
    )
    controleur.start()
    return controleur
