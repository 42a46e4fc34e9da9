from django import forms, template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from isoloir.core import presentation

register = template.Library()


@register.inclusion_tag("isoloir/champ.html")
def champ(champ: forms.BoundField) -> dict[str, object]:
    """A DSFR form field whose hint and errors are tied to the input for screen readers.

    A secret (password, code de vote, NUMEN, secret answer: a ``PasswordInput``) gets the
    DSFR password component and its "Afficher" box: typing 16 characters or a NUMEN on a
    phone, unseen, is where people err."""
    identifiant = champ.auto_id
    liste = isinstance(champ.field.widget, forms.Select)
    secret = isinstance(champ.field.widget, forms.PasswordInput)
    decrit_par = []
    if champ.help_text:
        decrit_par.append(f"{identifiant}-aide")
    attributs: dict[str, str | bool] = {}
    if champ.errors:
        decrit_par.append(f"{identifiant}-erreur")
        attributs["aria-invalid"] = "true"
    classe = "fr-select" if liste else "fr-input"
    if champ.errors and not liste:
        classe += " fr-input--error"
    if secret:
        classe = f"fr-password__input {classe}"
    attributs["class"] = classe
    if decrit_par:
        attributs["aria-describedby"] = " ".join(decrit_par)
    groupe = "fr-select-group" if liste else "fr-input-group"
    if champ.errors:
        groupe += f" {groupe}--error"  # the red bar beside a field in error
    if secret:
        groupe = f"fr-password {groupe}"
    widget: SafeString = champ.as_widget(attrs=attributs)
    return {
        "champ": champ,
        "widget": widget,
        "groupe": groupe,
        "identifiant": identifiant,
        "secret": secret,
    }


@register.simple_tag(takes_context=True)
def marque(context: template.Context) -> SafeString:
    """The DSFR brand block: the portal's stored marque (core/presentation.py), read once
    per request; pages rendered without a request (the 500 page) read it themselves."""
    try:
        lignes = presentation.marque_de_la_requete(context.get("request"))
    except Exception:
        # The 500 page shows this after any failure, the database's or the cache's
        # included: it must not fail in turn. The configuration's marque stands in.
        lignes = presentation.marque_de_la_configuration()
    return format_html_join(mark_safe("<br>"), "{}", ((ligne,) for ligne in lignes))
