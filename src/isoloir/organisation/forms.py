from django import forms

from isoloir.core import presentation
from isoloir.elections.models import Campagne
from isoloir.elections.verrous import refus_de_modification

CHAMPS_DU_CALENDRIER = [
    "ouverture",
    "cloture",
    "publication_des_listes",
    "reclamations_cloture",
    "consultation_cloture",
    "remise_des_notices",
    "reassort_ouverture",
    "reassort_cloture",
]


class ChampDateHeure(forms.DateTimeField):
    """A date and time typed in a native picker, read in Paris time (``TIME_ZONE``)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(**kwargs)  # type: ignore[arg-type]


class FormulaireCampagne(forms.ModelForm):
    class Meta:
        model = Campagne
        fields = ["nom", "slug", *CHAMPS_DU_CALENDRIER, "edito"]
        field_classes = dict.fromkeys(CHAMPS_DU_CALENDRIER, ChampDateHeure)
        widgets = {"edito": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "slug": {"unique": "Une autre campagne porte déjà cet identifiant."},
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for nom in ("ouverture", "cloture"):
            self.fields[nom].error_messages["required"] = "Indiquez cette date."
        slug = self.fields["slug"]
        slug.help_text = "Lettres minuscules, chiffres et tirets ; il apparaît dans les adresses."
        if self.instance.pk:
            # Fixed once created: files (the notices' folders) and links are named after it.
            slug.disabled = True
            slug.help_text = "Fixé à la création de la campagne."

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        # A sealed campaign's dates are refused here, next to the form (elections/verrous.py).
        message = refus_de_modification(self.instance) if self.instance.pk else None
        if message:
            self.add_error(None, message)


class FormulaireScrutins(forms.Form):
    fichier = forms.FileField(
        label="Fichier CSV des scrutins",
        help_text="Colonnes : code ; intitule ; type (CSA, CAP, CCP, CSAS) ; perimetre ; "
        "sieges_titulaires ; sieges_suppleants ; ordre. UTF-8 ou Windows-1252, séparateur "
        "« ; » ou « , ».",
        error_messages={"required": "Choisissez le fichier CSV des scrutins."},
    )


class FormulaireMarque(forms.Form):
    marque = forms.CharField(
        label="Bloc-marque de l'en-tête",
        required=False,
        widget=forms.Textarea(attrs={"rows": presentation.LIGNES_AU_PLUS}),
        help_text=(
            "Le nom de l'administration qui organise les élections, tel que l'écrit son "
            "bloc-marque : une ligne par ligne, par exemple « Ministère », "
            "« de l'Éducation », « nationale ». Au plus "
            f"{presentation.LIGNES_AU_PLUS} lignes de {presentation.CARACTERES_PAR_LIGNE} "
            "caractères. Laissé vide, l'en-tête reprend celui de la configuration du "
            "serveur (« République française » sauf mention contraire)."
        ),
    )

    def clean_marque(self) -> tuple[str, ...]:
        lignes = presentation.lire_lignes(self.cleaned_data["marque"])
        presentation.verifier_marque(lignes)
        return lignes
