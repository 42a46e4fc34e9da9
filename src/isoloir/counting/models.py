"""The bureaux de vote (décret 2011-595 art. 3-II, A08): who sits on them, for which
scrutins, and who holds a key (art. 11-III, A10)."""

from django.db import models

from isoloir.accounts.models import Compte
from isoloir.elections.models import Campagne, ListeCandidats, Scrutin


class BureauDeVote(models.Model):
    """A bureau de vote électronique, or a centralising one (BVEC) when it has several
    scrutins. Its key holders decrypt the tally of its scrutins together."""

    campagne = models.ForeignKey(
        Campagne, on_delete=models.PROTECT, related_name="bureaux", verbose_name="campagne"
    )
    nom = models.CharField("nom", max_length=200)
    seuil = models.PositiveSmallIntegerField(
        "seuil de déchiffrement",
        default=3,
        help_text="Nombre de détenteurs de clé nécessaires au dépouillement (par défaut : le "
        "président et deux délégués de liste).",
    )

    class Meta:
        verbose_name = "bureau de vote"
        verbose_name_plural = "bureaux de vote"
        constraints = [
            models.UniqueConstraint(fields=["campagne", "nom"], name="bureau_nom_unique"),
        ]

    def __str__(self) -> str:
        return self.nom


class RattachementAuBureau(models.Model):
    """A scrutin is counted by exactly one bureau."""

    bureau = models.ForeignKey(BureauDeVote, on_delete=models.CASCADE, related_name="rattachements")
    scrutin = models.OneToOneField(
        Scrutin, on_delete=models.PROTECT, related_name="rattachement_au_bureau"
    )

    class Meta:
        verbose_name = "scrutin du bureau"
        verbose_name_plural = "scrutins du bureau"

    def __str__(self) -> str:
        return f"{self.scrutin} → {self.bureau}"


class Role(models.TextChoices):
    PRESIDENT = "president", "président"
    SECRETAIRE = "secretaire", "secrétaire"
    DELEGUE = "delegue", "délégué de liste"


class MembreDuBureau(models.Model):
    bureau = models.ForeignKey(BureauDeVote, on_delete=models.CASCADE, related_name="membres")
    compte = models.ForeignKey(
        Compte, on_delete=models.PROTECT, related_name="sieges_de_bureau", verbose_name="compte"
    )
    role = models.CharField("rôle", max_length=12, choices=Role.choices)
    liste = models.ForeignKey(
        ListeCandidats,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegues",
        verbose_name="liste représentée",
        help_text="Pour un délégué : la liste de candidats qui l'a désigné.",
    )
    detenteur_de_cle = models.BooleanField("détenteur d'une clé", default=False)

    class Meta:
        verbose_name = "membre du bureau"
        verbose_name_plural = "membres du bureau"
        constraints = [
            models.UniqueConstraint(fields=["bureau", "compte"], name="membre_unique"),
            models.UniqueConstraint(
                fields=["bureau"],
                condition=models.Q(role="president"),
                name="un_seul_president",
            ),
            models.UniqueConstraint(
                fields=["bureau"],
                condition=models.Q(role="secretaire"),
                name="un_seul_secretaire",
            ),
            # One délégué per list (art. 3-II).
            models.UniqueConstraint(fields=["bureau", "liste"], name="un_delegue_par_liste"),
            models.CheckConstraint(
                condition=models.Q(role="delegue", liste__isnull=False)
                | (~models.Q(role="delegue") & models.Q(liste__isnull=True)),
                name="delegue_d_une_liste",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compte} — {self.get_role_display()} ({self.bureau})"


class EtatCeremonie(models.TextChoices):
    CLES_DE_COMMUNICATION = "communication", "clés de communication des détenteurs"
    DISTRIBUTION = "distribution", "distribution des parts"
    RECEPTION = "reception", "vérification des parts reçues"
    CLOSE = "close", "clé de l'élection publiée"
    ECHOUEE = "echouee", "échouée"


class CeremonieDesCles(models.Model):
    """The bureau's key ceremony (docs/protocol-seuil.md): the server only relays and
    publishes what each holder sends; each private share is made on the holder's device."""

    bureau = models.OneToOneField(BureauDeVote, on_delete=models.CASCADE, related_name="ceremonie")
    etat = models.CharField(max_length=16, choices=EtatCeremonie.choices)
    # The key holders in index order (1 … n): MembreDuBureau ids, fixed at the opening.
    detenteurs = models.JSONField()
    ouverte_le = models.DateTimeField()
    close_le = models.DateTimeField(null=True, blank=True)
    cle = models.JSONField("clé à seuil publiée", null=True, blank=True)
    empreinte = models.CharField("empreinte de la clé", max_length=64, blank=True)
    motif_d_echec = models.TextField(blank=True)

    class Meta:
        verbose_name = "cérémonie des clés"
        verbose_name_plural = "cérémonies des clés"

    def __str__(self) -> str:
        return f"Cérémonie des clés — {self.bureau} ({self.get_etat_display()})"


class NatureDuMessage(models.TextChoices):
    COMMUNICATION = "communication", "clé de communication"
    DISTRIBUTION = "distribution", "distribution"
    RECEPTION = "reception", "réception (plaintes)"


class MessageDeCeremonie(models.Model):
    """One holder's public message at one step of the ceremony, as published."""

    ceremonie = models.ForeignKey(
        CeremonieDesCles, on_delete=models.CASCADE, related_name="messages"
    )
    membre = models.ForeignKey(MembreDuBureau, on_delete=models.PROTECT, related_name="+")
    nature = models.CharField(max_length=16, choices=NatureDuMessage.choices)
    contenu = models.JSONField()
    publie_le = models.DateTimeField()

    class Meta:
        verbose_name = "message de la cérémonie"
        verbose_name_plural = "messages de la cérémonie"
        constraints = [
            models.UniqueConstraint(
                fields=["ceremonie", "membre", "nature"], name="un_message_par_etape"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} de {self.membre}"


class Depouillement(models.Model):
    """The count of one scrutin (A17, A18): the homomorphic sums of its valid ballots,
    the key holders' decryption shares, and the result they give."""

    scrutin = models.OneToOneField(Scrutin, on_delete=models.PROTECT, related_name="depouillement")
    bulletins = models.PositiveIntegerField("bulletins dans l'urne")
    emargements = models.PositiveIntegerField("émargements")
    sommes = models.JSONField("sommes chiffrées, choix par choix")
    # Seed of any drawing of lots for seats: fixed from the sums, before decryption.
    graine = models.CharField(max_length=64)
    ouvert_le = models.DateTimeField()
    resultat = models.JSONField(null=True, blank=True)
    calcule_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "dépouillement"
        verbose_name_plural = "dépouillements"

    def __str__(self) -> str:
        return f"Dépouillement — {self.scrutin}"


class PartDeDepouillement(models.Model):
    depouillement = models.ForeignKey(Depouillement, on_delete=models.CASCADE, related_name="parts")
    membre = models.ForeignKey(MembreDuBureau, on_delete=models.PROTECT, related_name="+")
    contenu = models.JSONField()
    publiee_le = models.DateTimeField()

    class Meta:
        verbose_name = "part de déchiffrement"
        verbose_name_plural = "parts de déchiffrement"
        constraints = [
            models.UniqueConstraint(fields=["depouillement", "membre"], name="une_part_par_membre"),
        ]

    def __str__(self) -> str:
        return f"Part de {self.membre}"


class Cloture(models.Model):
    """The closing of a scrutin (A17): the urne and the émargement frozen and
    fingerprinted, so that the count can check it works on exactly what was closed."""

    scrutin = models.OneToOneField(Scrutin, on_delete=models.PROTECT, related_name="cloture_faite")
    bulletins = models.PositiveIntegerField()
    emargements = models.PositiveIntegerField()
    empreinte_urne = models.CharField("empreinte de l'urne", max_length=64)
    empreinte_emargement = models.CharField("empreinte de l'émargement", max_length=64)
    faite_le = models.DateTimeField()

    class Meta:
        verbose_name = "clôture"
        verbose_name_plural = "clôtures"

    def __str__(self) -> str:
        return f"Clôture — {self.scrutin}"


class Scellement(models.Model):
    """The seal of a bureau (issue 5 § 3): before the vote opens, a fingerprint of what the
    vote runs on (software, rolls, candidate lists, windows, keys), signed by the président
    and at least one délégué with their key shares (docs/scellement.md). Once sealed,
    nothing it covers may change; it is checked again before the count."""

    bureau = models.OneToOneField(
        BureauDeVote, on_delete=models.CASCADE, related_name="scellement", verbose_name="bureau"
    )
    contenu = models.JSONField("contenu scellé")
    # SHA-256 (hex) of the canonical JSON of ``contenu``: the message the holders sign.
    empreinte = models.CharField("empreinte du scellement", max_length=64)
    # SignatureScellement.vers_dict() of each holder who signed, in signing order.
    signatures = models.JSONField(default=list)
    propose_le = models.DateTimeField("proposé le")
    scelle_le = models.DateTimeField("scellé le", null=True, blank=True)

    class Meta:
        verbose_name = "scellement"
        verbose_name_plural = "scellements"

    def __str__(self) -> str:
        return f"Scellement — {self.bureau}"
