from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Coalesce, Concat, NullIf, Upper
from django_otp.plugins.otp_totp.models import TOTPDevice

from isoloir.accounts import chiffrement_totp
from isoloir.accounts.question_defi import QUESTIONS


class CompteManager(BaseUserManager["Compte"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "Compte":
        compte = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            compte.set_password(password)
        else:
            compte.set_unusable_password()
        compte.full_clean(exclude=["password"])
        compte.save(using=self._db)
        return compte

    def create_superuser(
        self, email: str, password: str | None = None, **extra: object
    ) -> "Compte":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Compte(AbstractBaseUser, PermissionsMixin):
    """A login to the portal: a voter's account, an administrator's, or both.

    The identifier is the professional e-mail address (B01). A voter's account exists from
    the roll import on, without a usable password until it is activated.
    """

    email = models.EmailField("adresse électronique professionnelle", unique=True)
    nom_affiche = models.CharField("nom affiché", max_length=150, blank=True)
    is_staff = models.BooleanField("accès au back-office", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("créé le", auto_now_add=True)

    objects = CompteManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]  # stubs declare a ClassVar

    class Meta:
        verbose_name = "compte"
        verbose_name_plural = "comptes"

    def __str__(self) -> str:
        return self.email


class Civilite(models.TextChoices):
    MADAME = "Mme", "Madame"
    MONSIEUR = "M.", "Monsieur"


# The fields of a voter's identity that the roll sets and an administrator may correct
# (the roll import, the admin's form).
CHAMPS_D_IDENTITE = (
    "civilite",
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "date_naissance",
    "commune_naissance",
    "pays_naissance",
    "etablissement",
)


class Electeur(models.Model):
    """A member of staff as the roll knows them. Identity and the secrets of the
    réassort (NUMEN, question défi), each kept only as a hash."""

    compte = models.OneToOneField(
        Compte, on_delete=models.PROTECT, related_name="electeur", verbose_name="compte"
    )
    civilite = models.CharField("civilité", max_length=3, choices=Civilite.choices)
    nom_naissance = models.CharField("nom de naissance", max_length=100)
    nom_usage = models.CharField("nom d'usage", max_length=100, blank=True)
    prenoms = models.CharField("prénoms", max_length=150)
    date_naissance = models.DateField("date de naissance")
    commune_naissance = models.CharField(
        "commune de naissance (code INSEE)",
        max_length=5,
        blank=True,
        help_text="Vide pour une naissance à l'étranger.",
    )
    pays_naissance = models.CharField(
        "pays de naissance (code INSEE)", max_length=5, default="99100"
    )
    numen_empreinte = models.CharField(
        "empreinte du NUMEN", max_length=64, unique=True, editable=False
    )
    etablissement = models.CharField("établissement d'affectation", max_length=200, blank=True)
    question_defi = models.CharField("question défi", max_length=32, choices=QUESTIONS, blank=True)
    reponse_defi_empreinte = models.CharField(
        "empreinte de la réponse secrète", max_length=256, blank=True, editable=False
    )
    active_le = models.DateTimeField("compte activé le", null=True, blank=True, editable=False)
    # The roll's sort and search key: the name in use then the first names, upper-cased.
    # Computed by the database, so that every writer (the roll import's bulk_create
    # included) keeps it right; indexed, so that a page of a 200,000-voter roll or a name
    # prefix is read by walking the index (see elections.selectors.page_de_liste).
    # UPPER folds ASCII letters alike on SQLite and PostgreSQL; accented letters keep
    # their case on SQLite, where searches compare them through the same UPPER.
    nom_tri = models.GeneratedField(
        expression=Concat(
            Upper(Coalesce(NullIf("nom_usage", models.Value("")), "nom_naissance")),
            models.Value(" "),
            Upper("prenoms"),
        ),
        output_field=models.CharField(max_length=251),
        db_persist=True,
        verbose_name="clé de tri du nom",
    )

    class Meta:
        verbose_name = "électeur"
        verbose_name_plural = "électeurs"
        ordering = ["nom_naissance", "prenoms"]
        indexes = [models.Index(fields=["nom_tri", "id"], name="electeur_nom_tri")]

    def __str__(self) -> str:
        return f"{self.civilite} {self.nom} {self.prenoms}"

    @property
    def nom(self) -> str:
        """The name the person uses, which is what mails and screens address."""
        return self.nom_usage or self.nom_naissance

    @property
    def formule_d_appel(self) -> str:
        """« Marc CAMPODIFIORI », as the reference mails greet the voter."""
        return f"{self.premier_prenom} {self.nom.upper()}"

    @property
    def premier_prenom(self) -> str:
        return self.prenoms.split()[0] if self.prenoms else ""

    @property
    def est_active(self) -> bool:
        return self.active_le is not None


class AppareilTOTP(TOTPDevice):
    """django-otp's TOTP application whose secret is stored encrypted in ``key``
    (:mod:`isoloir.accounts.chiffrement_totp`): everything of django-otp works unchanged
    (``verify_token``, ``last_t``, throttling) but reads the secret through :attr:`bin_key`.

    A proxy, so the same table and the same rows: the sessions' persistent id names this
    class (``accounts.appareiltotp/<id>``), and the otp middleware reloads it as such. Read
    the applications through this class only: django-otp's ``TOTPDevice`` (its admin, its
    ``devices_for_user``) sees the ciphertext, which is not hex, and fails."""

    class Meta:
        proxy = True
        verbose_name = "application d'authentification"
        verbose_name_plural = "applications d'authentification"

    @property
    def bin_key(self) -> bytes:
        return chiffrement_totp.dechiffrer(self.key, compte_id=self.user_id)
