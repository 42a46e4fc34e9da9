"""Assistance requests filed on the portal and the helpdesk's replies.

Most requests come from people who cannot log in (that is why they ask), so a request
holds the name and address the person typed, not a proven identity: the helpdesk never
treats them as proof. ``compte`` is set only when a logged-in voter filed it.
"""

from django.db import models

from isoloir.accounts.models import Compte


class Categorie(models.TextChoices):
    ACTIVATION = "activation", "Activation du compte"
    MOT_DE_PASSE = "mot_de_passe", "Mot de passe"
    CODE_DE_VOTE = "code_de_vote", "Code de vote / réassort"
    LISTES = "listes", "Listes électorales"
    VOTE = "vote", "Vote"
    AUTRE = "autre", "Autre"


class Statut(models.TextChoices):
    NOUVELLE = "nouvelle", "Nouvelle"
    EN_COURS = "en_cours", "En cours"
    RESOLUE = "resolue", "Résolue"


class CanalReponse(models.TextChoices):
    COURRIEL = "courriel", "Envoyée par courriel"
    TELEPHONE = "telephone", "Répondu par téléphone"


class DemandeAssistance(models.Model):
    numero = models.CharField("numéro", max_length=12, unique=True, editable=False)
    categorie = models.CharField("catégorie", max_length=16, choices=Categorie.choices)
    statut = models.CharField(
        "statut", max_length=10, choices=Statut.choices, default=Statut.NOUVELLE
    )
    nom = models.CharField("nom et prénom", max_length=150)
    email = models.EmailField("adresse électronique professionnelle", max_length=254)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    message = models.TextField("message", max_length=3000)
    compte = models.ForeignKey(
        Compte,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_d_assistance",
        verbose_name="déposée depuis le compte",
    )
    cree_le = models.DateTimeField("reçue le")
    prise_par = models.ForeignKey(
        Compte,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demandes_prises",
        verbose_name="prise par",
    )
    prise_le = models.DateTimeField("prise le", null=True, blank=True)
    resolue_le = models.DateTimeField("résolue le", null=True, blank=True)
    # SHA-256 of the form's single-use key: a second post of the same form (double click,
    # reload, two tabs) finds this request instead of creating another.
    empreinte_envoi = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = "demande d'assistance"
        verbose_name_plural = "demandes d'assistance"
        ordering = ["-cree_le"]
        indexes = [
            models.Index(fields=["statut", "-cree_le"], name="assistance_statut_date"),
            models.Index(fields=["email"], name="assistance_email"),
        ]

    def __str__(self) -> str:
        return f"Demande n° {self.numero}"


class ReponseAssistance(models.Model):
    demande = models.ForeignKey(
        DemandeAssistance, on_delete=models.CASCADE, related_name="reponses"
    )
    auteur = models.ForeignKey(
        Compte, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    texte = models.TextField("réponse", max_length=5000)
    canal = models.CharField("canal", max_length=10, choices=CanalReponse.choices)
    creee_le = models.DateTimeField("le")
    empreinte_envoi = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = "réponse de l'assistance"
        verbose_name_plural = "réponses de l'assistance"
        ordering = ["creee_le"]

    def __str__(self) -> str:
        return f"Réponse à la demande n° {self.demande.numero}"
