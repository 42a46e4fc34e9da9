from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from isoloir.accounts.models import Civilite, Electeur
from isoloir.core.horloge import duree_reelle, en_jours_calendaires

DUREE_MINIMALE = timedelta(hours=24)  # décret 2011-595 art. 9-I (A01)
DUREE_MAXIMALE = timedelta(days=8)
# The notice and its code reach each voter 15 days at least before the vote (art. 10, A04).
DELAI_REMISE_DES_NOTICES = timedelta(days=15)
# Once the rolls are published, staff have 8 days to check them and ask to be added, and 3
# more days to claim against an entry or an omission (the CSA and CAP texts' rule).
DELAI_DE_VERIFICATION = timedelta(days=8)
DELAI_DE_RECLAMATION = timedelta(days=3)


def verifier_fenetre(ouverture: datetime | None, cloture: datetime | None) -> None:
    if ouverture is None or cloture is None:
        return
    if cloture <= ouverture:
        raise ValidationError({"cloture": "La clôture doit suivre l'ouverture."})
    # 24 hours of real time at least, but at most 8 days of the calendar of Paris: across
    # the change to winter time, 8 days last 193 hours and must still be allowed.
    if duree_reelle(ouverture, cloture) < DUREE_MINIMALE or cloture > en_jours_calendaires(
        ouverture, DUREE_MAXIMALE
    ):
        raise ValidationError(
            {"cloture": "La période de vote doit durer entre 24 heures et 8 jours."}
        )


class Campagne(models.Model):
    """An election campaign: its scrutins share a portal, a roll and, by default, a window.

    Times are stored in UTC and entered and shown in Europe/Paris (``TIME_ZONE``).
    """

    nom = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant", unique=True)
    ouverture = models.DateTimeField("ouverture du vote")
    cloture = models.DateTimeField("clôture du vote")
    edito = models.TextField(
        "édito", blank=True, help_text="Texte d'accueil affiché aux électeurs sur le portail."
    )
    reassort_ouverture = models.DateTimeField(
        "ouverture du réassort",
        null=True,
        blank=True,
        help_text="Vide : 15 jours avant l'ouverture du vote (remise des notices).",
    )
    reassort_cloture = models.DateTimeField(
        "clôture du réassort",
        null=True,
        blank=True,
        help_text="Vide : à la clôture du vote.",
    )
    remise_des_notices = models.DateTimeField(
        "fin de la remise des notices",
        null=True,
        blank=True,
        help_text="Au plus tard 15 jours avant l'ouverture du vote. Vide : 15 jours avant.",
    )
    publication_des_listes = models.DateTimeField(
        "publication des listes électorales",
        null=True,
        blank=True,
        help_text="Début de la consultation des listes et des réclamations sur le portail. "
        "Vide : listes non publiées.",
    )
    consultation_cloture = models.DateTimeField(
        "fin de la consultation des listes",
        null=True,
        blank=True,
        help_text="Vide : à la clôture du vote.",
    )
    reclamations_cloture = models.DateTimeField(
        "clôture des réclamations",
        null=True,
        blank=True,
        help_text="Vide : 11 jours après la publication (8 jours de vérification, puis 3).",
    )

    class Meta:
        verbose_name = "campagne"
        verbose_name_plural = "campagnes"
        ordering = ["-ouverture"]

    def __str__(self) -> str:
        return self.nom

    def clean(self) -> None:
        """Every rule the dates break, all at once: an administrator fixes the calendar in
        one go instead of discovering the rules one submission at a time."""
        erreurs: dict[str, str] = {}
        try:
            verifier_fenetre(self.ouverture, self.cloture)
        except ValidationError as refus:
            erreurs.update({champ: messages[0] for champ, messages in refus.message_dict.items()})
        if (
            self.reassort_ouverture
            and self.reassort_cloture
            and self.reassort_cloture <= self.reassort_ouverture
        ):
            erreurs["reassort_cloture"] = "La clôture du réassort doit suivre son ouverture."
        elif self.reassort_cloture and self.cloture and self.reassort_cloture > self.cloture:
            erreurs["reassort_cloture"] = "Le réassort ne peut pas durer après la clôture du vote."
        erreurs.update(self._erreurs_du_calendrier())
        if erreurs:
            raise ValidationError(erreurs)

    def _erreurs_du_calendrier(self) -> dict[str, str]:
        erreurs: dict[str, str] = {}
        if self.ouverture is None:
            return erreurs
        limite = en_jours_calendaires(self.ouverture, -DELAI_REMISE_DES_NOTICES)
        if self.remise_des_notices and self.remise_des_notices > limite:
            erreurs["remise_des_notices"] = (
                "Les notices doivent être remises au moins 15 jours avant l'ouverture du vote."
            )
        if self.publication_des_listes and self.publication_des_listes >= self.ouverture:
            erreurs["publication_des_listes"] = (
                "Les listes électorales doivent être publiées avant l'ouverture du vote."
            )
        if self.reclamations_cloture:
            if self.publication_des_listes is None:
                erreurs["reclamations_cloture"] = (
                    "Indiquez d'abord la date de publication des listes électorales."
                )
            elif self.reclamations_cloture <= self.publication_des_listes:
                erreurs["reclamations_cloture"] = (
                    "La clôture des réclamations doit suivre la publication des listes."
                )
            elif self.reclamations_cloture > self.ouverture:
                erreurs["reclamations_cloture"] = (
                    "Les réclamations doivent être closes avant l'ouverture du vote."
                )
        if (
            self.consultation_cloture
            and self.publication_des_listes
            and self.consultation_cloture <= self.publication_des_listes
        ):
            erreurs["consultation_cloture"] = (
                "La fin de la consultation doit suivre la publication des listes."
            )
        return erreurs


class TypeScrutin(models.TextChoices):
    CSA = "CSA", "Comité social d'administration"
    CAP = "CAP", "Commission administrative paritaire"
    CCP = "CCP", "Commission consultative paritaire"
    CSA_SPECIAL = "CSAS", "Comité social d'administration spécial"


class Scrutin(models.Model):
    campagne = models.ForeignKey(
        Campagne, on_delete=models.CASCADE, related_name="scrutins", verbose_name="campagne"
    )
    code = models.SlugField("code", max_length=64)
    intitule = models.CharField("intitulé", max_length=250)
    type = models.CharField("type", max_length=8, choices=TypeScrutin.choices)
    perimetre = models.CharField(
        "périmètre", max_length=200, help_text="Par exemple : Ministère, Académie de Lyon."
    )
    sieges_titulaires = models.PositiveSmallIntegerField(
        "sièges de titulaires", validators=[MinValueValidator(1)]
    )
    sieges_suppleants = models.PositiveSmallIntegerField("sièges de suppléants", default=0)
    ouverture = models.DateTimeField(
        "ouverture propre",
        null=True,
        blank=True,
        help_text="À renseigner seulement si elle diffère de celle de la campagne.",
    )
    cloture = models.DateTimeField("clôture propre", null=True, blank=True)
    ordre = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        verbose_name = "scrutin"
        verbose_name_plural = "scrutins"
        ordering = ["campagne", "ordre", "intitule"]
        constraints = [
            models.UniqueConstraint(fields=["campagne", "code"], name="scrutin_code_unique"),
            models.CheckConstraint(
                condition=models.Q(ouverture__isnull=True, cloture__isnull=True)
                | models.Q(ouverture__isnull=False, cloture__isnull=False),
                name="scrutin_fenetre_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.intitule

    def clean(self) -> None:
        if (self.ouverture is None) != (self.cloture is None):
            raise ValidationError(
                "Renseignez l'ouverture et la clôture propres, ou aucune des deux."
            )
        verifier_fenetre(self.ouverture, self.cloture)

    @property
    def fenetre(self) -> tuple[datetime, datetime]:
        if self.ouverture and self.cloture:
            return self.ouverture, self.cloture
        return self.campagne.ouverture, self.campagne.cloture


def chemin_profession_de_foi(liste: "ListeCandidats", nom_fichier: str) -> str:
    return (
        f"professions-de-foi/{liste.scrutin.campagne.slug}/{liste.scrutin.code}-{liste.ordre}.pdf"
    )


def verifier_pdf(fichier: models.fields.files.FieldFile) -> None:
    fichier.seek(0)
    entete = fichier.read(5)
    fichier.seek(0)
    if entete != b"%PDF-":
        raise ValidationError("La profession de foi doit être un fichier PDF.")
    if fichier.size and fichier.size > 10 * 1024 * 1024:
        raise ValidationError("La profession de foi ne doit pas dépasser 10 Mo.")


class ListeCandidats(models.Model):
    scrutin = models.ForeignKey(
        Scrutin, on_delete=models.CASCADE, related_name="listes", verbose_name="scrutin"
    )
    ordre = models.PositiveSmallIntegerField(
        "ordre", help_text="Ordre d'affichage sur le bulletin (tiré au sort)."
    )
    sigle = models.CharField("sigle", max_length=40)
    denomination = models.CharField("organisation syndicale", max_length=250)
    union = models.CharField(
        "union de syndicats",
        max_length=250,
        blank=True,
        help_text="Pour une liste commune ou présentée par une union.",
    )
    profession_de_foi = models.FileField(
        "profession de foi (PDF)",
        upload_to=chemin_profession_de_foi,
        blank=True,
        validators=[verifier_pdf],
    )

    class Meta:
        verbose_name = "liste de candidats"
        verbose_name_plural = "listes de candidats"
        ordering = ["scrutin", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["scrutin", "ordre"], name="liste_ordre_unique"),
            models.UniqueConstraint(fields=["scrutin", "sigle"], name="liste_sigle_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sigle} — {self.scrutin}"


class Candidat(models.Model):
    liste = models.ForeignKey(
        ListeCandidats, on_delete=models.CASCADE, related_name="candidats", verbose_name="liste"
    )
    rang = models.PositiveSmallIntegerField("rang", validators=[MinValueValidator(1)])
    civilite = models.CharField("civilité", max_length=3, choices=Civilite.choices)
    nom = models.CharField("nom", max_length=100)
    prenoms = models.CharField("prénoms", max_length=150)

    class Meta:
        verbose_name = "candidat"
        verbose_name_plural = "candidats"
        ordering = ["liste", "rang"]
        constraints = [
            models.UniqueConstraint(fields=["liste", "rang"], name="candidat_rang_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rang}. {self.civilite} {self.nom} {self.prenoms}"


class Inscription(models.Model):
    """One line of a roll: this voter may vote in this scrutin."""

    electeur = models.ForeignKey(
        Electeur, on_delete=models.CASCADE, related_name="inscriptions", verbose_name="électeur"
    )
    scrutin = models.ForeignKey(
        Scrutin, on_delete=models.CASCADE, related_name="inscriptions", verbose_name="scrutin"
    )
    # The roll import that last listed this line (import_liste/application.py): once every
    # row of a file is applied, the campaign's lines it did not list are removed. No
    # database constraint: deleting an old import must not rewrite a million rows.
    import_liste = models.ForeignKey(
        "ImportListe",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="dernier import qui l'a listée",
    )

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions (listes électorales)"
        constraints = [
            models.UniqueConstraint(fields=["electeur", "scrutin"], name="inscription_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.electeur} — {self.scrutin}"


class EtatImport(models.TextChoices):
    DEPOSE = "depose", "En attente de vérification"
    VERIFICATION = "verification", "Vérification en cours"
    REFUSE = "refuse", "Refusé"
    VERIFIE = "verifie", "Vérifié, prêt à appliquer"
    PERIME = "perime", "Vérification périmée"
    APPLICATION = "application", "Application en cours"
    INTERROMPU = "interrompu", "Interrompu"
    APPLIQUE = "applique", "Appliqué"
    ABANDONNE = "abandonne", "Abandonné"


# While an import is in one of these states it owns its campaign's roll: a second one is
# refused by the database itself (constraint below), whatever the number of web processes.
ETATS_ACTIFS = (EtatImport.DEPOSE, EtatImport.VERIFICATION, EtatImport.APPLICATION)
# The stored file is kept only while the import may still read it.
ETATS_AVEC_FICHIER = (*ETATS_ACTIFS, EtatImport.VERIFIE, EtatImport.PERIME, EtatImport.INTERROMPU)


class ImportListe(models.Model):
    """One roll file uploaded for a campaign, from its check to its application.

    The file is kept (``chemin``, with its SHA-256) only until it is applied or given up: it
    holds NUMENs in clear. ``reprise`` is the checkpoint of the application, committed with
    each batch, so that a killed worker's successor goes on from there; ``jeton`` and
    ``battement`` say which worker holds the import and whether it is still alive.
    """

    campagne = models.ForeignKey(
        Campagne, on_delete=models.CASCADE, related_name="imports_de_liste"
    )
    depose_par = models.ForeignKey(
        "accounts.Compte", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    depose_le = models.DateTimeField("déposé le")
    nom_du_fichier = models.CharField("nom du fichier", max_length=255)
    chemin = models.CharField("fichier conservé", max_length=500, blank=True)
    empreinte = models.CharField("SHA-256 du fichier", max_length=64)
    taille = models.PositiveBigIntegerField("taille en octets", default=0)
    lignes_du_fichier = models.PositiveIntegerField("lignes du fichier", default=0)
    etat = models.CharField(
        "état", max_length=16, choices=EtatImport.choices, default=EtatImport.DEPOSE
    )
    phase = models.CharField("étape", max_length=32, blank=True)
    lignes_traitees = models.PositiveIntegerField("lignes traitées", default=0)
    reprise = models.PositiveIntegerField("dernière ligne appliquée", default=0)
    empreinte_liste = models.CharField("empreinte de la liste vérifiée", max_length=64, blank=True)
    rapport = models.JSONField("rapport de vérification", default=dict)
    compteurs = models.JSONField("changements appliqués", default=dict)
    message = models.TextField("message", blank=True)
    jeton = models.CharField(max_length=32, blank=True)
    battement = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    applique_par = models.ForeignKey(
        "accounts.Compte", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Chosen when the application is asked for, kept with the import so that a resumed
    # application makes the same choice (import_liste/application.py, _gardees).
    conserver_reclamations = models.BooleanField(
        "conserver les inscriptions ajoutées par une réclamation acceptée",
        default=True,
        help_text="Celles que le fichier retirerait : la vérification les nomme.",
    )
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "import de liste électorale"
        verbose_name_plural = "imports de listes électorales"
        ordering = ["-depose_le", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campagne"],
                condition=models.Q(etat__in=ETATS_ACTIFS),
                name="un_seul_import_actif_par_campagne",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nom_du_fichier} ({self.get_etat_display()})"
