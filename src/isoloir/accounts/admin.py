from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from isoloir.accounts import services
from isoloir.accounts.forms import ConnexionBackOfficeForm
from isoloir.accounts.models import CHAMPS_D_IDENTITE, Compte, Electeur

admin.site.login_form = ConnexionBackOfficeForm


class AjoutCompteForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = Compte
        fields = ("email",)

    def clean_email(self) -> str:
        # Logins compare lowercase addresses: store them so.
        return str(self.cleaned_data["email"]).strip().lower()


@admin.register(Compte)
class CompteAdmin(UserAdmin):
    add_form = AjoutCompteForm
    ordering = ["email"]
    list_display = ["email", "nom_affiche", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "nom_affiche"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["nom_affiche"]}),
        (
            "Droits",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    readonly_fields = ["date_joined"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        # An administrator who could change an account's address or rights could take it
        # over (a bureau member's: a new address, then « mot de passe oublié »). Only a
        # superuser changes these; an administrator creates accounts and grants the roles.
        champs = ["date_joined"]
        if not request.user.is_superuser:
            champs += ["is_superuser", "user_permissions"]
            if obj is not None:
                champs.append("email")
        return champs

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # A voter's password is theirs alone (décret 2011-595 art. 12-II): nobody in the
        # back-office sets it; the voter uses « mot de passe oublié ». Nor does an
        # administrator set another member of staff's: that would be taking their account.
        if Electeur.objects.filter(compte_id=id).exists():
            raise PermissionDenied("Le mot de passe d'un électeur ne se modifie pas ici.")
        if not request.user.is_superuser:
            raise PermissionDenied(
                "Seul un super-administrateur modifie le mot de passe d'un autre compte."
            )
        return super().user_change_password(request, id, form_url)


class ActiveFilter(admin.SimpleListFilter):
    title = "compte activé"
    parameter_name = "active"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("oui", "Activé"), ("non", "Non activé")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Electeur]) -> QuerySet[Electeur]:
        if self.value() == "oui":
            return queryset.filter(active_le__isnull=False)
        if self.value() == "non":
            return queryset.filter(active_le__isnull=True)
        return queryset


@admin.register(Electeur)
class ElecteurAdmin(admin.ModelAdmin):
    list_display = [
        "nom_naissance",
        "nom_usage",
        "prenoms",
        "civilite",
        "email",
        "etablissement",
        "active_le",
    ]
    list_filter = [ActiveFilter, "civilite"]
    search_fields = ["nom_naissance", "nom_usage", "prenoms", "compte__email", "etablissement"]
    list_select_related = ["compte"]
    readonly_fields = ["compte", "active_le", "question_defi"]
    # The roll comes from the CSV import, which checks the NUMEN and keeps only its hash;
    # here an administrator corrects an identity, never a secret.
    fields = ["compte", *CHAMPS_D_IDENTITE, "question_defi", "active_le"]
    actions = ["envoyer_activation"]

    @admin.display(description="adresse professionnelle", ordering="compte__email")
    def email(self, electeur: Electeur) -> str:
        return electeur.compte.email

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Envoyer le courriel d'activation aux électeurs sélectionnés")
    def envoyer_activation(self, request: HttpRequest, queryset: QuerySet[Electeur]) -> None:
        programmes, ignores = services.envoyer_activations(electeurs=queryset)
        message_activation(self, request, programmes, ignores)


def message_activation(
    modele_admin: admin.ModelAdmin, request: HttpRequest, programmes: int, ignores: int
) -> None:
    modele_admin.message_user(
        request,
        f"{programmes} courriel(s) d'activation programmé(s)"
        + (f" ; {ignores} compte(s) déjà activé(s), ignoré(s)." if ignores else "."),
        messages.SUCCESS,
    )
