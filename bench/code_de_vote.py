"""The code de vote's costs, measured here and extrapolated to a national roll.

    .venv/bin/python bench/code_de_vote.py [--lot 2000] [--notices 300]

- hashing one code (Argon2id at the configured cost) against one SHA-256, in this process;
- drawing and hashing a batch of codes, extrapolated to 1.4 million voters, one core;
- printing notices (PDF pages per second);
- réassort requests end to end (question défi checked, link sent to a file mailer, link
  page, new code drawn), through Django's test client on a SQLite file.
"""

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

from outils import mediane, preparer_django  # bench/ is the script's own folder

ELECTEURS_NATIONAUX = 1_400_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lot", type=int, default=2000)
    parser.add_argument("--notices", type=int, default=300)
    parser.add_argument("--reassorts", type=int, default=20)
    args = parser.parse_args()

    preparer_django()
    from django.core.management import call_command

    from isoloir.votecode import code

    tire = code.tirer()
    empreinte = code.hacher(tire)
    t_sha = mediane(lambda: hashlib.sha256(tire.encode()).hexdigest(), 2000)
    t_hache = mediane(lambda: code.hacher(tire), 200)
    t_verif = mediane(lambda: code.verifier(tire, empreinte), 200)
    debut = time.perf_counter()
    for _ in range(args.lot):
        code.hacher(code.tirer())
    t_lot = time.perf_counter() - debut
    national = t_lot / args.lot * ELECTEURS_NATIONAUX
    print(
        f"Empreinte d'un code : {t_hache * 1000:.2f} ms (SHA-256 : {t_sha * 1e6:.1f} µs, "
        f"ratio {t_hache / t_sha:,.0f}) ; vérification {t_verif * 1000:.2f} ms"
    )
    print(
        f"Tirage + empreinte de {args.lot} codes : {t_lot:.2f} s → "
        f"{ELECTEURS_NATIONAUX:,} électeurs ≈ {national / 3600:.2f} h sur un cœur"
    )

    call_command("migrate", verbosity=0)
    _notices(args.notices)
    _reassorts(args.reassorts)


def _notices(nombre: int) -> None:
    from datetime import date

    from django.utils import timezone

    from isoloir.accounts.models import Compte, Electeur
    from isoloir.elections.models import Campagne
    from isoloir.votecode import code, impression

    campagne = Campagne(nom="Banc", slug="banc", ouverture=timezone.now(), cloture=timezone.now())
    electeurs = []
    for n in range(nombre):
        electeurs.append(
            Electeur(
                pk=n + 1,
                compte=Compte(email=f"agent{n}@ac-lyon.fr"),
                civilite="Mme",
                nom_naissance=f"Nom{n}",
                prenoms="Camille",
                date_naissance=date(1980, 1, 1),
                etablissement="Lycée",
            )
        )
    codes = {e.pk: code.tirer() for e in electeurs}
    fichier = Path(tempfile.mkdtemp()) / "notices.pdf"
    debut = time.perf_counter()
    impression.imprimer_pdf(
        fichier, campagne=campagne, etablissement="Lycée", electeurs=electeurs, codes=codes
    )
    duree = time.perf_counter() - debut
    print(
        f"Notices PDF : {nombre / duree:,.0f} pages/s ({fichier.stat().st_size / nombre / 1024:.1f}"
        f" Ko par notice) → {ELECTEURS_NATIONAUX:,} notices ≈ "
        f"{ELECTEURS_NATIONAUX / (nombre / duree) / 3600:.2f} h sur un cœur"
    )


def _reassorts(nombre: int) -> None:
    from datetime import timedelta

    from django.test import Client
    from django.urls import reverse

    from isoloir.accounts.models import Electeur
    from isoloir.core import horloge
    from isoloir.demo.chargement import charger_campagne_demo

    identifiants = charger_campagne_demo(
        maintenant=horloge.maintenant(), ouverture_dans=timedelta(0)
    )
    vitrine = next(v for v in identifiants.electeurs if v.mot_de_passe)
    electeur = Electeur.objects.get(compte__email=vitrine.email)
    client = Client()
    client.force_login(electeur.compte)
    from django.core import mail
    from django.test.utils import override_settings

    # Mail in memory (django.core.mail.outbox): the measure is the portal's, not SMTP's.
    override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    ).enable()
    mail.outbox = []

    def un_reassort() -> None:
        client.post(
            reverse("votecode:reassort_question"),
            {
                "reponse_defi": vitrine.reponse_defi,
                "numen": vitrine.numen,
                "canal": "email",
                "email_personnel": "perso@exemple.org",
            },
        )
        url = next(ligne for ligne in mail.outbox[-1].body.split() if "token=" in ligne)
        chemin = url.split("/portail/", 1)[1]
        client.get(f"/portail/{chemin}")
        jeton = chemin.split("token=")[1].split("&")[0]
        client.post(
            reverse("votecode:reassort_code_vote"),
            {"token": jeton, "electeurId": chemin.split("electeurId=")[1]},
        )

    debut = time.perf_counter()
    for _ in range(nombre):
        un_reassort()
    duree = time.perf_counter() - debut
    t_page = mediane(lambda: client.get(reverse("portail:accueil")), 20)
    print(
        f"Réassort de bout en bout : {nombre / duree:.1f} réassorts/s "
        f"({duree / nombre * 1000:.0f} ms chacun, {duree / nombre / t_page:.0f} fois l'accueil)"
    )


if __name__ == "__main__":
    main()
