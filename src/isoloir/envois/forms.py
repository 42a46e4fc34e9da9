"""The confirmation of a mailing: no field but its key (core.soumission)."""

from isoloir.core.soumission import FormulaireACle


class ConfirmationForm(FormulaireACle):
    """The confirmation page's form. Its key (``jeton``, stored unique with the mailing)
    makes the same confirmation sent twice launch one mailing; an unreadable key launches
    nothing and the page comes back with a new one and the shared message."""

    champ_cle = "jeton"
