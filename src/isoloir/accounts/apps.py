from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "isoloir.accounts"
    label = "accounts"
    verbose_name = "Comptes et électeurs"

    def ready(self) -> None:
        # Registers the account mails with the notify app's composers.
        from isoloir.accounts import mails  # noqa: F401
