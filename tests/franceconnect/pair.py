"""The FranceConnect test peer (tools/oidc-provider) run from the tests, and a browser.

The peer is panva's oidc-provider, FranceConnect v2's own engine, under Node: the tests
need Node.js and npm, and fail (never skip) without them, since the FranceConnect path
would otherwise go untested. The browser is httpx with its cookie jar; it follows the
provider's redirects until the one back to the portal, which the Django test client takes.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.attente import PLAFOND, attendre

DOSSIER = Path(__file__).resolve().parents[2] / "tools" / "oidc-provider"
CLIENT_ID = "isoloir-tests"
CLIENT_SECRET = "secret-du-client-de-test-de-franceconnect-isoloir"


def _executable(nom: str) -> str:
    chemin = shutil.which(nom)
    if chemin is None:
        pytest.fail(
            f"{nom} est introuvable : Node.js 20 ou plus récent et npm sont requis pour le pair "
            "FranceConnect des tests (tools/oidc-provider). Lancez install.sh.",
            pytrace=False,
        )
    return chemin


def installer() -> str:
    """Install the peer's locked dependencies if they are missing; return node's path."""
    node, npm = _executable("node"), _executable("npm")
    if not (DOSSIER / "node_modules" / "oidc-provider").is_dir():
        resultat = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=DOSSIER,
            capture_output=True,
            text=True,
            timeout=PLAFOND,
            check=False,
        )
        if resultat.returncode != 0:
            pytest.fail(
                f"npm ci a échoué dans {DOSSIER} :\n{resultat.stdout}\n{resultat.stderr}",
                pytrace=False,
            )
    return node


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PairOIDC:
    """One provider process on 127.0.0.1, restartable on the same port with another key."""

    def __init__(self, *, redirect_uri: str, post_logout_redirect_uri: str) -> None:
        self.node = installer()
        self.port = port_libre()
        self.redirect_uri = redirect_uri
        self.post_logout_redirect_uri = post_logout_redirect_uri
        # In the run's own data folder (tests/environnement.py), with the rest of its files.
        dossier = os.environ.get("ISOLOIR_DATA_DIR")
        self.journal = Path(tempfile.mkstemp(prefix="pair-oidc-", suffix=".log", dir=dossier)[1])
        self.processus: subprocess.Popen[bytes] | None = None

    @property
    def origine(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.origine}/api/v2"

    def demarrer(self, *, kid: str = "cle-1") -> None:
        debut = self.journal.stat().st_size  # a restart appends to the same log
        with self.journal.open("ab") as sortie:
            self.processus = subprocess.Popen(
                [
                    self.node,
                    "serveur.js",
                    "--port",
                    str(self.port),
                    "--kid",
                    kid,
                    "--client-id",
                    CLIENT_ID,
                    "--client-secret",
                    CLIENT_SECRET,
                    "--redirect-uri",
                    self.redirect_uri,
                    "--post-logout-redirect-uri",
                    self.post_logout_redirect_uri,
                ],
                cwd=DOSSIER,
                stdout=sortie,
                stderr=subprocess.STDOUT,
            )
        # The event itself: the peer prints "pret <issuer> kid=…" once it listens. The
        # ceiling is for a machine running two suites at once, not a guess of its speed.
        attendu = f"pret {self.issuer} kid={kid}"
        processus = self.processus

        def pret() -> bool:
            with self.journal.open("rb") as journal:
                journal.seek(debut)
                return attendu in journal.read().decode(errors="replace")

        def mort() -> str | None:
            if processus.poll() is None:
                return None
            return f"le processus s'est arrêté :\n{self.journal.read_text(errors='replace')}"

        try:
            attendre(pret, quoi=f"Le pair OIDC sur {self.issuer}", abandon=mort)
        except AssertionError as erreur:
            self.arreter()
            pytest.fail(str(erreur), pytrace=False)

    def arreter(self) -> None:
        if self.processus is not None:
            self.processus.terminate()
            try:
                self.processus.wait(timeout=PLAFOND)
            except subprocess.TimeoutExpired:
                self.processus.kill()
                self.processus.wait()
            self.processus = None

    def redemarrer(self, *, kid: str) -> None:
        """New signing keys, named ``kid``; the provider forgets its sessions and codes."""
        self.arreter()
        self.demarrer(kid=kid)
        self.suivre_l_horloge()

    def suivre_l_horloge(self) -> None:
        """Run the provider's clock with the portal's, which a test may have moved to
        another date (tests/environnement.py): tokens are dated and checked on one time."""
        from django.utils import timezone

        from isoloir.core import horloge

        decalage = round((horloge.maintenant() - timezone.now()).total_seconds() * 1000)
        reponse = httpx.put(f"{self.origine}/__test__/horloge", json={"decalage_ms": decalage})
        reponse.raise_for_status()

    def preparer_usager(self, revendications: dict[str, Any]) -> None:
        """The identity the next login at the provider vouches for."""
        reponse = httpx.put(f"{self.origine}/__test__/next-user", json=revendications)
        reponse.raise_for_status()


def parcourir(url: str, *, jusqu_a: str) -> str:
    """Follow the provider's redirects from ``url`` until one leads to ``jusqu_a``; return
    that address (the callback, for the Django test client to call)."""
    with httpx.Client(timeout=PLAFOND) as navigateur:
        reponse = navigateur.get(url)
        for _ in range(10):
            if reponse.status_code not in (302, 303):
                raise AssertionError(
                    f"Le fournisseur a répondu {reponse.status_code} à {reponse.url} :\n"
                    f"{reponse.text}"
                )
            suivant = str(reponse.url.join(reponse.headers["location"]))
            if suivant.startswith(jusqu_a):
                return suivant
            reponse = navigateur.get(suivant)
    raise AssertionError(f"Trop de redirections depuis {url}")
