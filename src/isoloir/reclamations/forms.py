"""The claim forms: the voter's, the anonymous one, and the administrator's decisions."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from isoloir.accounts import numen as numens
from isoloir.accounts.models import Civilite, Electeur
from isoloir.captcha.forms import ChampCaptcha
from isoloir.core.dates import aujourd_hui, il_y_a_ans
from isoloir.core.soumission import FormulaireACle
from isoloir.elections.models import Campagne, Scrutin
from isoloir.reclamations import pieces as verification
from isoloir.reclamations.models import CHAMPS_D_IDENTITE_RECLAMES, Reclamation, TypeReclamation

LONGUEUR_EXPLICATION = 2000
# The form's key (its hidden "jeton") could not be read: nothing is filed, the form comes
# back with a new one.
EXPIRE = (
    "Le formulaire a expiré : vérifiez vos réponses, sélectionnez à nouveau vos fichiers et "
    "envoyez-le."
)


class EnvoiMultiple(forms.ClearableFileInput):
    allow_multiple_selected = True


class ChampPieces(forms.FileField):
    """Up to three files in one input; each checked by its first bytes (pieces.py)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", EnvoiMultiple(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[verification.PieceVerifiee]:
        fichiers = data if isinstance(data, list | tuple) else ([data] if data else [])
        fichiers = [f for f in fichiers if isinstance(f, UploadedFile)]
        if not fichiers and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return verification.verifier_toutes(fichiers)


class ChampDate(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault(
            "widget",
            forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        )
        kwargs.setdefault(
            "error_messages", {"invalid": "Saisissez une date valide, par exemple 04/05/1977."}
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> date | None:
        jour = super().clean(value)
        if jour is not None and not date(1900, 1, 1) <= jour <= il_y_a_ans(aujourd_hui(), 15):
            raise ValidationError("Cette date de naissance n'est pas plausible.")
        return jour


def _explication() -> forms.CharField:
    return forms.CharField(
        label="Expliquez votre réclamation",
        max_length=LONGUEUR_EXPLICATION,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"{LONGUEUR_EXPLICATION} caractères au plus. N'indiquez ni mot de passe, "
        "ni code de vote, ni NUMEN.",
    )


def _pieces() -> ChampPieces:
    return ChampPieces(
        label="Justificatifs (facultatif)",
        help_text="3 fichiers au plus, PDF, JPEG ou PNG, de 5 Mo chacun au maximum : arrêté "
        "d'affectation, pièce d'identité…",
    )


class ChampScrutin(forms.ModelChoiceField):
    def label_from_instance(self, obj: Scrutin) -> str:
        return f"{obj.intitule} ({obj.perimetre})"


def _identite(obligatoire: bool) -> dict[str, forms.Field]:
    return {
        "civilite": forms.ChoiceField(
            label="Civilité",
            choices=[("", "Choisir"), *Civilite.choices],
            required=obligatoire,
        ),
        "nom_naissance": forms.CharField(
            label="Nom de naissance",
            max_length=100,
            required=obligatoire,
            widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        ),
        "nom_usage": forms.CharField(
            label="Nom d'usage",
            max_length=100,
            required=False,
            help_text="Si vous en avez un, par exemple un nom d'époux ou d'épouse.",
        ),
        "prenoms": forms.CharField(
            label="Prénoms",
            max_length=150,
            required=obligatoire,
            widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
            help_text="Dans l'ordre de l'état civil, séparés par des espaces.",
        ),
        "date_naissance": ChampDate(label="Date de naissance", required=obligatoire),
        "etablissement": forms.CharField(
            label="Établissement d'affectation",
            max_length=200,
            required=obligatoire,
            widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        ),
    }


LIBELLES_CORRIGES = {
    "civilite": "Civilité corrigée",
    "nom_naissance": "Nom de naissance corrigé",
    "nom_usage": "Nom d'usage corrigé",
    "prenoms": "Prénoms corrigés",
    "date_naissance": "Date de naissance corrigée",
    "etablissement": "Établissement d'affectation corrigé",
}


class ReclamationForm(FormulaireACle):
    """A voter's claim: on one of their scrutins, or on a scrutin they are missing from."""

    champ_cle = "jeton"
    cle_illisible = EXPIRE
    type = forms.ChoiceField(
        label="Objet de la réclamation", choices=TypeReclamation.choices, widget=forms.RadioSelect
    )
    scrutin = ChampScrutin(
        label="Scrutin concerné",
        queryset=Scrutin.objects.none(),
        empty_label="Choisir un scrutin",
        help_text="Le scrutin dont la liste est erronée, ou celui sur lequel vous devriez figurer.",
    )
    scrutin_souhaite = ChampScrutin(
        label="Scrutin sur lequel vous devriez être inscrit (si vous le connaissez)",
        queryset=Scrutin.objects.none(),
        required=False,
        empty_label="Je ne sais pas",
        help_text="Seulement si vous êtes inscrit sur un scrutin qui n'est pas le vôtre.",
    )

    def __init__(self, *args: Any, electeur: Electeur, campagne: Campagne, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scrutins = Scrutin.objects.filter(campagne=campagne).order_by("ordre", "intitule")
        self.fields["scrutin"].queryset = scrutins  # type: ignore[attr-defined]
        self.fields["scrutin_souhaite"].queryset = scrutins  # type: ignore[attr-defined]
        for nom, champ in _identite(False).items():
            champ.label = LIBELLES_CORRIGES[nom]
            champ.help_text = ""
            self.fields[nom] = champ
        self.fields["explication"] = _explication()
        self.fields["pieces"] = _pieces()
        self.electeur = electeur
        self.inscrits = set(electeur.inscriptions.values_list("scrutin_id", flat=True))

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        type_, scrutin = donnees.get("type"), donnees.get("scrutin")
        souhaite = donnees.get("scrutin_souhaite")
        if scrutin is None or type_ is None:
            return donnees
        inscrit = scrutin.pk in self.inscrits
        if type_ == TypeReclamation.OMISSION and inscrit:
            self.add_error("scrutin", "Vous figurez déjà sur la liste électorale de ce scrutin.")
        elif type_ != TypeReclamation.OMISSION and not inscrit:
            self.add_error(
                "scrutin",
                "Vous ne figurez pas sur la liste électorale de ce scrutin : choisissez un de "
                "vos scrutins.",
            )
        if (
            type_ == TypeReclamation.MAUVAIS_SCRUTIN
            and souhaite is not None
            and (souhaite.pk == scrutin.pk or souhaite.pk in self.inscrits)
        ):
            self.add_error(
                "scrutin_souhaite", "Choisissez un scrutin sur lequel vous n'êtes pas inscrit."
            )
        if type_ == TypeReclamation.IDENTITE and not any(
            donnees.get(champ) for champ in CHAMPS_D_IDENTITE_RECLAMES
        ):
            self.add_error(
                "nom_naissance",
                "Indiquez au moins une information d'identité corrigée.",
            )
        return donnees


class ReclamationSansCompteForm(FormulaireACle):
    """The claim of a person on no roll: who they are, and the scrutin they should be on."""

    champ_cle = "jeton"
    cle_illisible = EXPIRE
    scrutin = ChampScrutin(
        label="Scrutin sur lequel vous devriez être inscrit",
        queryset=Scrutin.objects.none(),
        empty_label="Choisir un scrutin",
    )
    email = forms.EmailField(
        label="Adresse électronique professionnelle",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Format attendu : prenom.nom@ac-academie.fr. La décision vous y sera envoyée.",
    )

    def __init__(self, *args: Any, campagnes: list[Campagne], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scrutin"].queryset = (  # type: ignore[attr-defined]
            Scrutin.objects.filter(campagne__in=campagnes)
            .select_related("campagne")
            .order_by("campagne__nom", "ordre", "intitule")
        )
        for nom, champ in _identite(True).items():
            self.fields[nom] = champ
        self.order_fields(["jeton", *CHAMPS_D_IDENTITE_RECLAMES, "email", "scrutin"])
        self.fields["explication"] = _explication()
        self.fields["pieces"] = _pieces()
        self.fields["captcha"] = ChampCaptcha()


# --- Back-office -------------------------------------------------------------------------


class RejetForm(forms.Form):
    motif = forms.CharField(
        label="Motif du rejet",
        max_length=LONGUEUR_EXPLICATION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Communiqué au réclamant par courriel et sur le portail.",
    )


class AcceptationForm(forms.Form):
    """What accepting this claim changes, for the administrator to confirm."""

    motif = forms.CharField(
        label="Précision pour le réclamant (facultatif)",
        max_length=LONGUEUR_EXPLICATION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Communiquée au réclamant avec la décision.",
    )

    def __init__(self, *args: Any, reclamation: Reclamation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reclamation = reclamation
        if reclamation.type == TypeReclamation.MAUVAIS_SCRUTIN and not reclamation.sans_compte:
            self.fields["scrutin_souhaite"] = ChampScrutin(
                label="Scrutin sur lequel inscrire l'électeur",
                queryset=Scrutin.objects.filter(campagne_id=reclamation.campagne_id)
                .exclude(pk=reclamation.scrutin_id)
                .order_by("ordre", "intitule"),
                empty_label="Choisir un scrutin",
                initial=reclamation.scrutin_souhaite_id,
                help_text="L'électeur sera retiré de la liste du scrutin "
                f"« {reclamation.scrutin} ».",
            )
        if reclamation.type == TypeReclamation.IDENTITE or reclamation.sans_compte:
            electeur = reclamation.electeur
            for nom, champ in _identite(True).items():
                if nom == "etablissement":
                    champ.required = False
                declare = getattr(reclamation, nom)
                champ.initial = declare or (getattr(electeur, nom) if electeur else None)
                champ.help_text = ""
                self.fields[nom] = champ
        if reclamation.sans_compte:
            self.fields["email"] = forms.EmailField(
                label="Adresse électronique professionnelle",
                max_length=254,
                initial=reclamation.email,
            )
            self.fields["numen"] = forms.CharField(
                label="NUMEN de la personne",
                max_length=40,
                widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                help_text="13 caractères, lu dans le dossier administratif de l'agent. Il "
                "n'est ni affiché ni conservé en clair.",
            )
        self.order_fields([n for n in self.fields if n != "motif"] + ["motif"])

    def clean_numen(self) -> str:
        return numens.valider(self.cleaned_data.get("numen", ""))

    def identite(self) -> dict[str, Any] | None:
        if "prenoms" not in self.fields:
            return None
        return {nom: self.cleaned_data.get(nom) or "" for nom in CHAMPS_D_IDENTITE_RECLAMES} | {
            "date_naissance": self.cleaned_data.get("date_naissance")
        }
