"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

import email
import email.policy
import re
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.attente import attendre


@dataclass
class ServeurSMTP:
    controller: Controller
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    # Codes to answer RCPT with, consumed one per message: tests of retries and bounces.
    refus: list[str] = field(default_factory=list)
    verrou: threading.Lock = field(default_factory=threading.Lock)

    def vider(self) -> None:
        with self.verrou:
            self.messages.clear()
            self.refus.clear()

    def attendre(self, nombre: int) -> list[EmailMessage]:
        def arrives() -> list[EmailMessage] | None:
            with self.verrou:
                return list(self.messages) if len(self.messages) >= nombre else None

        try:
            return attendre(arrives, quoi=f"{nombre} courriel(s) attendu(s)")
        except AssertionError:
            raise AssertionError(
                f"{nombre} courriel(s) attendu(s), {len(self.messages)} reçu(s)"
            ) from None

    def arreter(self) -> None:
        self.controller.stop()


class _Gestionnaire:
    def __init__(self, serveur: "ServeurSMTP | None" = None) -> None:
        self.serveur = serveur

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        assert self.serveur is not None
        with self.serveur.verrou:
            if self.serveur.refus:
                return self.serveur.refus.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        assert self.serveur is not None
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.serveur.verrou:
            self.serveur.messages.append(message)
        return "250 Message accepted for delivery"


def lancer_serveur_smtp() -> ServeurSMTP:
    # aiosmtpd cannot bind port 0 itself (its self-test connects to the literal port).
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gestionnaire = _Gestionnaire()
    controller = Controller(gestionnaire, hostname="127.0.0.1", port=port)
    serveur = ServeurSMTP(controller=controller, port=port)
    gestionnaire.serveur = serveur
    controller.start()
    return serveur


def texte(message: EmailMessage) -> str:
    partie = message.get_body(preferencelist=("plain",))
    assert partie is not None
    return partie.get_content()


def html(message: EmailMessage) -> str:
    partie = message.get_body(preferencelist=("html",))
    assert partie is not None
    return partie.get_content()


def lien(message: EmailMessage, chemin: str) -> str:
    """The first absolute link of the text part whose path starts with ``chemin``."""
    trouve = re.search(r"https?://[^\s]+" + re.escape(chemin) + r"[^\s]*", texte(message))
    assert trouve, f"aucun lien {chemin} dans le courriel"
    return trouve.group(0)
