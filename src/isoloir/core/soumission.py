"""One action per displayed form, however often it is posted (issue 13, point 8).

A form whose post does something that must happen once (file a claim or a helpdesk request,
record a helpdesk reply, launch a mailing) carries a key, drawn each time the page is shown
(:func:`nouvelle_cle`) and posted back in a hidden field (:class:`FormulaireACle`). The
service stores the key, or its fingerprint, in a unique column of what the action creates,
and runs the action through :func:`une_seule_fois`:

- a key already used returns what its first post created instead of acting again (a
  reload, the back button, the second click of a double click);
- two posts of the same form at the same instant both miss the first look-up; the unique
  column refuses the second insert, and that post returns what the first created. An action
  that another check of its own would refuse first (« one mailing of a kind at a time »)
  looks again under its lock and raises :class:`DejaSoumis`, to the same effect;
- a key found on another person's or another object's result is refused by the service's
  look-up, with :data:`FORMULAIRE_EXPIRE`: a key is never a way to reach someone else's.

A key that cannot be read (missing or mangled: nobody types a hidden field) leaves the form
unacted, shown again with a new key and the form's message; a form that must go through all
the same (its CAPTCHA is spent by the post) gets a new key, without the protection for that
one post.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from django import forms
from django.db import IntegrityError
from django.http import QueryDict

FORMULAIRE_EXPIRE: Final = "Ce formulaire a expiré : rechargez la page et recommencez."

# The longest text read as a key: a UUID is 36 characters, 45 with its "urn:uuid:" prefix.
_LONGUEUR_MAX: Final = 64


def nouvelle_cle() -> uuid.UUID:
    """The key of one display of a form: 122 random bits, from the system's generator."""
    return uuid.uuid4()


def lire_cle(valeur: object) -> uuid.UUID | None:
    """The key a form posted, or None when it is missing or unreadable."""
    if isinstance(valeur, uuid.UUID):
        return valeur
    if not isinstance(valeur, str) or len(valeur) > _LONGUEUR_MAX:
        return None
    try:
        return uuid.UUID(valeur)
    except ValueError:
        return None


class FormulaireACle(forms.Form):
    """A form that carries its key in the hidden field named :attr:`champ_cle`.

    Unbound, the form draws a new key. Bound with an unreadable key, it puts a new one in
    its place (the page shown again carries it) and, unless :attr:`cle_illisible` is None,
    is invalid with that message, the other fields' errors shown as usual. Once valid,
    ``cleaned_data[champ_cle]`` is a :class:`uuid.UUID`.
    """

    champ_cle: ClassVar[str] = "cle"
    cle_illisible: ClassVar[str | None] = FORMULAIRE_EXPIRE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        nom = self.champ_cle
        # First, where the templates have it: right after the CSRF token.
        self.fields = {nom: forms.UUIDField(widget=forms.HiddenInput), **self.fields}
        self.cle_lisible = True
        if not self.is_bound:
            self.initial = {nom: nouvelle_cle(), **self.initial}
        elif lire_cle(self.data.get(nom)) is None:
            self.cle_lisible = False
            # A mutable copy that keeps every value of a multi-valued field.
            donnees = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            donnees[nom] = str(nouvelle_cle())
            self.data = donnees

    def full_clean(self) -> None:
        super().full_clean()
        if not self.cle_lisible and self.cle_illisible is not None:
            self.add_error(None, self.cle_illisible)


class DejaSoumis(IntegrityError):
    """Raised by an action that finds, under its own lock, that the same form has already
    acted: :func:`une_seule_fois` then returns that first result."""


@dataclass(frozen=True)
class Soumission[T]:
    resultat: T
    premiere: bool  # False: an earlier post of the same form had acted; nothing was done


def une_seule_fois[T](*, retrouver: Callable[[], T | None], agir: Callable[[], T]) -> Soumission[T]:
    """Run ``agir`` unless the form's key has already acted; then return that result.

    ``retrouver`` looks up the result stored with the key (None: the key is new); it raises
    the service's own refusal when that result is not this form's. ``agir`` writes inside
    its own ``transaction.atomic()`` block, so that an insert the unique column refuses is
    rolled back before the look-up runs again.
    """
    deja = retrouver()
    if deja is not None:
        return Soumission(deja, premiere=False)
    try:
        return Soumission(agir(), premiere=True)
    except IntegrityError:
        # The same form, posted at the same instant: the other post acted. Anything else
        # (a clash on another unique column) is not ours to hide.
        deja = retrouver()
        if deja is None:
            raise
        return Soumission(deja, premiere=False)
