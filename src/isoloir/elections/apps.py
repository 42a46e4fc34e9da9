from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "isoloir.elections"
    label = "elections"
    verbose_name = "Élections"

    def ready(self) -> None:
        # Pages and account mails name the voter's campaign; they live below the
        # campaigns (core, accounts), so the campaigns register the lookup with them.
        from isoloir.accounts import mails
        from isoloir.core import pages
        from isoloir.elections.pages import en_tete, nom_de_campagne

        pages.enregistrer_en_tete(en_tete)
        mails.enregistrer_nom_de_campagne(nom_de_campagne)
