"""Ballots accepted per second, end to end, against a baseline run in the same process.

    .venv/bin/python bench/vote.py [--electeurs 300]

SQLite files by default; DATABASE_URL and URNE_DATABASE_URL (two empty databases) run it
on PostgreSQL.

A scrutin with six lists (seven choices with the blank vote), a development key, and
voters whose voting space is open. Ballots are made beforehand (their creation is the
browser's work, measured by bench/bulletin.py and in Chromium by the e2e suite); then:

- through the whole stack: a POST of each encrypted ballot to the booth page by Django's
  test client (session, CSRF off as in the test client, proofs checked, the five steps
  across the two databases, receipt page rendered), one voter after another;
- the service alone (``depot.voter``), for another set of voters;
- the baseline: the static login page, in the same run.
"""

import argparse
import time
from datetime import timedelta

from outils import mediane, preparer_django  # bench/ is the script's own folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--electeurs", type=int, default=300)
    args = parser.parse_args()

    preparer_django()
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    for base in ("default", "urne"):
        call_command("migrate", database=base, verbosity=0)
    from isoloir.accounts.models import Compte, Electeur
    from isoloir.booth import cles, depot
    from isoloir.core import horloge
    from isoloir.crypto.bulletin import creer_bulletin
    from isoloir.crypto.groupe import AleaSysteme
    from isoloir.elections.models import Campagne, Inscription, ListeCandidats, Scrutin
    from isoloir.votecode import services
    from isoloir.votecode.models import CodeDeVote, Origine

    campagne = Campagne.objects.create(
        nom="Banc d'essai",
        slug="banc",
        ouverture=horloge.maintenant() - timedelta(hours=1),
        cloture=horloge.maintenant() + timedelta(days=7),
    )
    scrutin = Scrutin.objects.create(
        campagne=campagne,
        code="csa",
        intitule="CSA",
        type="CSA",
        perimetre="Banc",
        sieges_titulaires=10,
    )
    for ordre in range(1, 7):
        ListeCandidats.objects.create(
            scrutin=scrutin, ordre=ordre, sigle=f"L{ordre}", denomination=f"Liste {ordre}"
        )
    cles.ceremonie_de_developpement(campagne)
    manifeste = cles.manifeste_du_scrutin(scrutin)
    assert manifeste is not None

    n = args.electeurs
    with transaction.atomic():
        electeurs = []
        for rang in range(2 * n):
            compte = Compte.objects.create_user(f"agent{rang}@banc.fr", None)
            electeur = Electeur.objects.create(
                compte=compte,
                civilite="Mme",
                nom_naissance="Banc",
                prenoms="Essai",
                date_naissance="1980-01-01",
                numen_empreinte=f"{rang:064x}",
            )
            Inscription.objects.create(electeur=electeur, scrutin=scrutin)
            CodeDeVote.objects.create(
                electeur=electeur,
                empreinte="-",
                origine=Origine.INITIAL,
                emis_le=horloge.maintenant(),
            )
            electeurs.append(electeur)

    debut = time.perf_counter()
    bulletins = [creer_bulletin(manifeste, rang % 7, AleaSysteme()) for rang in range(2 * n)]
    t_creation = (time.perf_counter() - debut) / (2 * n)

    # Clients logged in, with the voting space opened as the code de vote would open it.
    clients = []
    for electeur in electeurs[:n]:
        client = Client()
        client.force_login(electeur.compte)
        session = client.session
        session[services.CLE_SESSION] = {
            "electeur": electeur.pk,
            "generation": 1,
            "expire_le": (horloge.maintenant() + timedelta(hours=1)).isoformat(),
        }
        session.save()
        clients.append(client)
    url = reverse("booth:isoloir", args=[scrutin.pk])

    t_base = mediane(lambda: Client().get(reverse("accounts:connexion")), 200)

    debut = time.perf_counter()
    for client, texte in zip(clients, bulletins[:n], strict=True):
        reponse = client.post(url, {"bulletin": texte})
        assert b"Votre vote est enregistr" in reponse.content, reponse.content[-2000:]
    t_http = (time.perf_counter() - debut) / n

    debut = time.perf_counter()
    for electeur, texte in zip(electeurs[n:], bulletins[n:], strict=True):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=texte)
    t_service = (time.perf_counter() - debut) / n

    debut = time.perf_counter()
    for texte in bulletins[:50]:
        depot.verifier(scrutin=scrutin, texte=texte)
    t_verif = (time.perf_counter() - debut) / 50

    from django.db import connection

    print(f"{n} + {n} bulletins de 7 choix, {connection.vendor}, un seul processus")
    print(f"Création d'un bulletin (Python, pour mémoire) : {t_creation * 1000:.1f} ms")
    print(f"Page de connexion (référence) : {t_base * 1000:.2f} ms")
    print(
        f"Vote de bout en bout (POST → accusé) : {t_http * 1000:.1f} ms — "
        f"{1 / t_http:.0f} bulletins/s — ratio {t_http / t_base:.1f}"
    )
    print(
        f"Service seul (depot.voter) : {t_service * 1000:.1f} ms — {1 / t_service:.0f} "
        f"bulletins/s — ratio {t_service / t_base:.1f}"
    )
    print(
        f"dont vérification du bulletin contre le manifeste : {t_verif * 1000:.1f} ms "
        f"({t_verif / t_service:.0%} du service)"
    )


if __name__ == "__main__":
    main()
