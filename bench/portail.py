"""Cost of the portal's hot paths, as ratios against a baseline run in the same process.

    .venv/bin/python bench/portail.py [--requetes 300]

- password check (Argon2id, Django's parameters) against PBKDF2-SHA256 at Django's
  default iterations: what a login costs the server's CPU;
- portal home (login required, countdown, campaign lookup) and the "Mes scrutins" page
  against the static login page, through Django's test client on a SQLite file.
"""

import argparse

from outils import mediane, preparer_django  # bench/ is the script's own folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requetes", type=int, default=300)
    args = parser.parse_args()

    preparer_django()
    from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    from datetime import timedelta

    from isoloir.core import horloge
    from isoloir.demo.chargement import charger_campagne_demo

    identifiants = charger_campagne_demo(
        maintenant=horloge.maintenant(), ouverture_dans=timedelta(0)
    )
    active = next(v for v in identifiants.electeurs if v.mot_de_passe)

    argon, pbkdf2 = Argon2PasswordHasher(), PBKDF2PasswordHasher()
    hache_argon = argon.encode("Une phrase de passe assez longue", argon.salt())
    hache_pbkdf2 = pbkdf2.encode("Une phrase de passe assez longue", pbkdf2.salt())
    t_argon = mediane(lambda: argon.verify("Une phrase de passe assez longue", hache_argon), 30)
    t_pbkdf2 = mediane(lambda: pbkdf2.verify("Une phrase de passe assez longue", hache_pbkdf2), 30)

    client = Client()
    assert client.login(username=active.email, password=active.mot_de_passe)
    t_base = mediane(lambda: Client().get(reverse("accounts:connexion")), args.requetes)
    t_accueil = mediane(lambda: client.get(reverse("portail:accueil")), args.requetes)
    t_scrutins = mediane(lambda: client.get(reverse("elections:mes_scrutins")), args.requetes)

    print(
        f"Vérification d'un mot de passe : Argon2id {t_argon * 1000:.1f} ms, "
        f"PBKDF2 {t_pbkdf2 * 1000:.1f} ms — ratio {t_argon / t_pbkdf2:.2f}"
    )
    print(f"Page de connexion (référence) : {t_base * 1000:.2f} ms")
    print(f"Accueil du portail : {t_accueil * 1000:.2f} ms — ratio {t_accueil / t_base:.2f}")
    print(
        f"Mes scrutins (6 listes max. par scrutin) : {t_scrutins * 1000:.2f} ms — "
        f"ratio {t_scrutins / t_base:.2f}"
    )


if __name__ == "__main__":
    main()
