"""``isoloir demo [--port 8000] [--opens-in DURATION] [--lasts DURATION] [--no-serve]``.

One command from a bare checkout to a portal one can click through: migrate both
databases, load the demo campaign, print the credentials of the showcase voters (also
written to ``demo-credentials.json`` in the data folder), then serve like
``isoloir serve``.

The ministerial CSA is counted by a bureau de vote whose three key holders make its key
in their browsers; ``--opens-in 20m`` gives them time for the ceremony and the sealing.
The vote then lasts at least 24 hours (A04): with ``--lasts 1d``,
``ISOLOIR_HORLOGE_AVANCE=2d isoloir serve`` serves the same data two days ahead, after the
closing, for the count (the README's path, checked by tests/test_demo.py). The other scrutins
get development keys and can be voted on at once.

When Node.js and the FranceConnect test peer of the repository (tools/oidc-provider, its
node_modules installed) are there, the demo also runs that peer on the next port with the
showcase voters' identities, and points the portal at it: the FranceConnect path of the
réassort can then be tried in a browser, offline.
"""

import json
import os
import secrets
import shutil
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from isoloir.accounts.models import Civilite, Electeur
from isoloir.booth.cles import ceremonie_de_developpement
from isoloir.core import horloge
from isoloir.core.dates import date_fr, date_heure_fr
from isoloir.counting.signals import rechargement_de_la_demonstration
from isoloir.demo.bureau import MembreDemo, charger_bureau_demo
from isoloir.demo.campagne import SLUG as SLUG_DEMO
from isoloir.demo.chargement import IdentifiantsDemo, charger_campagne_demo
from isoloir.demo.electeurs import DUREE_LIEN_ACTIVATION, ElecteurDemo
from isoloir.demo.management.commands.serve import adresse_url, verifier_port_libre
from isoloir.elections.models import Campagne

FICHIER_IDENTIFIANTS = "demo-credentials.json"
SCRUTIN_DU_BUREAU = "csa-men"
# Time the three key holders need for the ceremony and the sealing, before the opening.
DELAI_POUR_LE_BUREAU = timedelta(minutes=10)
FICHIER_IDENTITES_FC = "franceconnect-demo.json"
FC_CLIENT_ID = "isoloir-demo"
HOTE = "127.0.0.1"


def lire_duree(texte: str) -> timedelta:
    try:
        return horloge.lire_duree(texte)
    except horloge.DureeIllisible as erreur:
        raise CommandError(str(erreur)) from None


def ecrire_secret(chemin: Path, contenu: str) -> None:
    # Readable by its owner only: the file holds passwords and NUMEN.
    descripteur = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descripteur, "w", encoding="utf-8") as fichier:
        fichier.write(contenu)
    chemin.chmod(0o600)


def dossier_pair_franceconnect() -> Path | None:
    """tools/oidc-provider of the checkout isoloir runs from, ready to start; else None."""
    # src/isoloir/demo/management/commands: the checkout is above src/. Installed
    # elsewhere (site-packages), there is no such folder and the peer is not offered.
    commandes = Path(__file__).resolve().parent
    if commandes.parents[3].name != "src":
        return None
    dossier = commandes.parents[4] / "tools" / "oidc-provider"
    if (dossier / "serveur.js").is_file() and (dossier / "node_modules").is_dir():
        return dossier
    return None


def identites_franceconnect(identifiants: IdentifiantsDemo) -> list[dict[str, str]]:
    """The showcase voters' pivot identities, as FranceConnect would send them."""
    par_email = {
        e.compte.email: e
        for e in Electeur.objects.select_related("compte").filter(
            compte__email__in=[v.email for v in identifiants.electeurs]
        )
    }
    identites = []
    for vitrine in identifiants.electeurs:
        electeur = par_email[vitrine.email]
        identite = {
            "libelle": f"{electeur.civilite} {electeur.prenoms} {electeur.nom.upper()}",
            "given_name": electeur.prenoms,
            # FranceConnect's family_name is the birth name; the usage name is apart.
            "family_name": electeur.nom_naissance.upper(),
            "birthdate": electeur.date_naissance.isoformat(),
            "gender": "female" if electeur.civilite == Civilite.MADAME else "male",
            "birthplace": electeur.commune_naissance,
            "birthcountry": electeur.pays_naissance,
        }
        if electeur.nom_usage:
            identite["preferred_username"] = electeur.nom_usage.upper()
        identites.append(identite)
    return identites


class Command(BaseCommand):
    help = (
        "Prépare et lance une démonstration : bases migrées, campagne « Élections "
        "professionnelles 2026 » chargée (200 électeurs, 6 scrutins), identifiants de "
        "démonstration affichés, puis portail et exécuteur de tâches démarrés."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port du portail.")
        parser.add_argument(
            "--opens-in",
            default="0",
            metavar="DURÉE",
            help=(
                "Délai avant l'ouverture du vote (0, 30m, 2h, 3d…). Par défaut le vote est "
                "ouvert dès maintenant et pour 8 jours ; un délai montre le compte à rebours."
            ),
        )
        parser.add_argument(
            "--lasts",
            default="8d",
            metavar="DURÉE",
            help=("Durée du vote, de 24 heures à 8 jours (8d par défaut, 1d au plus court)."),
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Charger la démonstration sans lancer le serveur.",
        )

    def handle(
        self, *args: Any, port: int, opens_in: str, lasts: str, no_serve: bool, **options: Any
    ) -> None:
        if settings.PRODUCTION:
            # It creates a superuser whose password is in the source code.
            raise CommandError("isoloir demo est refusé avec ISOLOIR_ENV=production.")
        ouverture_dans = lire_duree(opens_in)
        self.ouverture_dans = ouverture_dans
        duree_du_vote = lire_duree(lasts)
        if not timedelta(hours=24) <= duree_du_vote <= timedelta(days=8):
            raise CommandError("Le vote dure entre 24 heures et 8 jours (--lasts 1d, 8d…).")
        url = adresse_url(HOTE, port)
        # The links we print must point at the port we are about to serve on.
        url_base = os.environ.get("ISOLOIR_BASE_URL") or url
        for base in settings.DATABASES:
            self.stdout.write(f"Migration de la base « {base} »…")
            call_command("migrate", database=base, interactive=False, verbosity=0)
        self.stdout.write("Chargement de la campagne de démonstration…")
        # A demo run before may have sealed its bureau: reloading starts the election over.
        with rechargement_de_la_demonstration():
            identifiants = charger_campagne_demo(
                maintenant=horloge.maintenant(),
                ouverture_dans=ouverture_dans,
                duree_du_vote=duree_du_vote,
                url_base=url_base,
            )
            campagne = Campagne.objects.get(slug=SLUG_DEMO)
            bureau = charger_bureau_demo(campagne, campagne.scrutins.get(code=SCRUTIN_DU_BUREAU))
        # The other scrutins get keys from the development ceremony, whose private halves
        # stay in a file of the data folder, so that they can be voted on at once.
        cles = ceremonie_de_developpement(campagne)
        if cles:
            self.stdout.write(
                f"Clés de DÉVELOPPEMENT posées sur {len(cles)} scrutin(s) (jamais en production)."
            )
        chemin = Path(settings.DATA_DIR) / FICHIER_IDENTIFIANTS
        donnees = {
            "portail": f"{url_base}/portail/",
            "back_office": f"{url_base}/back-office/",
            "bureau_de_vote": f"{url_base}/bureau/",
            **identifiants.en_json(),
            "membres_du_bureau": [asdict(m) for m in bureau],
        }
        ecrire_secret(chemin, json.dumps(donnees, ensure_ascii=False, indent=2) + "\n")
        pair = None if no_serve else self._preparer_franceconnect(identifiants, port, url_base)
        self._afficher(identifiants, url_base, chemin)
        self._afficher_bureau(bureau, url_base)
        if pair is not None:
            self.stdout.write(f"FranceConnect de démonstration : {adresse_url(HOTE, port + 1)}")
            self.stdout.write(
                "  (simulé sur cette machine : le bouton FranceConnect du réassort y mène)"
            )
            self.stdout.write("")
        if not no_serve:
            enfants = [] if pair is None else [("FranceConnect de démonstration", pair)]
            call_command("serve", host=HOTE, port=port, enfants=enfants)

    def _preparer_franceconnect(
        self, identifiants: IdentifiantsDemo, port: int, url_base: str
    ) -> list[str] | None:
        """The command of the local FranceConnect peer, with the served processes pointed at
        it; None when it cannot run or FranceConnect is already configured."""
        node, dossier = shutil.which("node"), dossier_pair_franceconnect()
        if node is None or dossier is None:
            return None
        if "ISOLOIR_FC_ISSUER" in os.environ or settings.ISOLOIR_FC_ISSUER:
            return None  # a FranceConnect chosen by the environment stays
        try:
            verifier_port_libre(HOTE, port + 1)
        except CommandError:
            self.stderr.write(
                f"Le port {port + 1} est pris : FranceConnect de démonstration non lancé."
            )
            return None
        fichier = Path(settings.DATA_DIR) / FICHIER_IDENTITES_FC
        ecrire_secret(
            fichier,
            json.dumps(identites_franceconnect(identifiants), ensure_ascii=False, indent=2) + "\n",
        )
        os.environ["ISOLOIR_FC_ISSUER"] = f"{adresse_url(HOTE, port + 1)}/api/v2"
        os.environ.setdefault("ISOLOIR_FC_CLIENT_ID", FC_CLIENT_ID)
        # Hex: a value starting with "-" would read as an option to node's argument parser.
        os.environ.setdefault("ISOLOIR_FC_CLIENT_SECRET", secrets.token_hex(32))
        return [
            node,
            str(dossier / "serveur.js"),
            "--port",
            str(port + 1),
            f"--client-id={os.environ['ISOLOIR_FC_CLIENT_ID']}",
            f"--client-secret={os.environ['ISOLOIR_FC_CLIENT_SECRET']}",
            "--identites",
            str(fichier),
            "--redirect-uri",
            f"{url_base}/portail/franceconnect/retour/",
            "--post-logout-redirect-uri",
            f"{url_base}/portail/franceconnect/deconnexion/retour/",
            # Its tokens are dated on the portal's clock (ISOLOIR_HORLOGE_AVANCE).
            f"--decalage-ms={round((horloge.maintenant() - timezone.now()).total_seconds() * 1e3)}",
        ]

    def _afficher(self, identifiants: IdentifiantsDemo, url: str, chemin: Path) -> None:
        ecrire, titre = self.stdout.write, self.style.MIGRATE_HEADING
        ecrire("")
        ecrire(titre(f"Démonstration Isoloir — {identifiants.campagne}"))
        debut, fin = (
            date_heure_fr(moment, jour_de_semaine=True)
            for moment in (identifiants.ouverture, identifiants.cloture)
        )
        ecrire(f"Période de vote : du {debut} au {fin} (heure de Paris).")
        if identifiants.rechargee:
            # A code de vote is stored hashed and cannot be shown again: each run issues
            # new ones, and new TOTP secrets. Said, so that nobody tries yesterday's.
            ecrire(
                self.style.WARNING(
                    "Démonstration rechargée : nouveaux codes de vote et nouveaux secrets "
                    "TOTP ci-dessous ; ceux d'un lancement précédent ne valent plus "
                    "(mots de passe, NUMEN et réponses sont inchangés)."
                )
            )
        ecrire("")
        ecrire(f"  Portail des électeurs : {url}/portail/")
        ecrire(f"  Espace de gestion     : {url}/gestion/ (back-office technique : /back-office/)")
        ecrire(
            "    second facteur : une application TOTP réglée sur le secret (oathtool --totp -b)"
        )
        ecrire("    administration")
        ecrire(f"      identifiant       : {identifiants.admin_email}")
        ecrire(f"      mot de passe      : {identifiants.admin_mot_de_passe}")
        ecrire(f"      secret TOTP       : {identifiants.admin_secret_totp}")
        ecrire("    assistance")
        ecrire(f"      identifiant       : {identifiants.assistance_email}")
        ecrire(f"      mot de passe      : {identifiants.assistance_mot_de_passe}")
        ecrire(f"      secret TOTP       : {identifiants.assistance_secret_totp}")
        actives = [e for e in identifiants.electeurs if e.active]
        a_activer = [e for e in identifiants.electeurs if not e.active]
        ecrire("")
        ecrire(titre("Électeurs aux comptes activés (connexion par e-mail et mot de passe)"))
        for electeur in actives:
            self._afficher_electeur(electeur)
        ecrire("")
        jours = DUREE_LIEN_ACTIVATION.days
        ecrire(titre(f"Électeurs à activer (lien valable {jours} jours, à usage unique)"))
        for electeur in a_activer:
            self._afficher_electeur(electeur)
        ecrire("")
        boite = settings.MAILERS["default"].get("OPTIONS", {}).get("file_path")
        if boite:
            ecrire(f"Courriels envoyés : fichiers .eml dans {boite}")
        ecrire(f"Ces informations sont aussi dans {chemin}")
        ecrire("")

    def _afficher_bureau(self, membres: list[MembreDemo], url: str) -> None:
        ecrire = self.stdout.write
        ecrire(self.style.MIGRATE_HEADING(f"Bureau de vote du CSA ministériel : {url}/bureau/"))
        ecrire(
            "  Le président et deux délégués détiennent une clé (seuil : 3). Chacun crée la "
            "sienne dans son navigateur,"
        )
        ecrire(
            "  puis le bureau scelle l'élection avant l'ouverture, et dépouille après la "
            "clôture. Second facteur :"
        )
        ecrire("  le code à 6 chiffres d'une application TOTP réglée sur le secret ci-dessous")
        ecrire("  (ou : oathtool --totp -b SECRET).")
        if self.ouverture_dans < DELAI_POUR_LE_BUREAU:
            ecrire(
                self.style.WARNING(
                    "  Le vote s'ouvre avant que le bureau ait pu faire sa clé et se sceller : "
                    "le CSA ministériel restera fermé à ses électeurs. Pour dérouler toute "
                    "l'élection : isoloir demo --opens-in 20m --lasts 1d"
                )
            )
        for m in membres:
            cle = ", détient une clé" if m.detenteur_de_cle else ""
            liste = f" ({m.liste})" if m.liste else ""
            ecrire("")
            ecrire(f"  {m.nom}, {m.role}{liste}{cle}")
            ecrire(f"    e-mail            : {m.email}")
            ecrire(f"    mot de passe      : {m.mot_de_passe}")
            ecrire(f"    secret TOTP       : {m.secret_totp}")
        ecrire("")

    def _afficher_electeur(self, e: ElecteurDemo) -> None:
        lieu = f"commune INSEE {e.commune_naissance}" if e.commune_naissance else "à l'étranger"
        lignes = [
            ("e-mail", e.email),
            ("mot de passe", e.mot_de_passe),
            ("question défi", e.question_defi),
            ("réponse secrète", e.reponse_defi),
            ("NUMEN", e.numen),
            ("code de vote", e.code_de_vote),
            ("naissance", f"{date_fr(e.date_naissance)}, {lieu}"),
            ("lien d'activation", e.lien_activation),
        ]
        self.stdout.write("")
        self.stdout.write(f"  {e.civilite} {e.prenoms} {e.nom.upper()} — {e.etablissement}")
        lignes += [("scrutins" if rang == 0 else "", s) for rang, s in enumerate(e.scrutins)]
        for libelle, valeur in lignes:
            if valeur:
                separateur = ":" if libelle else " "
                self.stdout.write(f"    {libelle:<18}{separateur} {valeur}")
