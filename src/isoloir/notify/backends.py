"""Mail backend of the demo: each message is written as an .eml file in the data folder
and its text is shown on the console, so every flow can be followed with no mail server.
Recipients are masked in both: a réassort link goes to a personal address, which the
product never keeps. Refused in production (see :func:`isoloir.config.check_production`)."""

import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from isoloir.notify.masquage import masquer_email


class FileAndConsoleBackend(BaseEmailBackend):
    def __init__(self, *, file_path: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dossier = Path(file_path)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.dossier.mkdir(parents=True, exist_ok=True)
        for numero, message in enumerate(email_messages):
            horodatage = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            fichier = self.dossier / f"{horodatage}-{numero}.eml"
            masques = ", ".join(masquer_email(a) for a in message.to)
            contenu = message.message()
            del contenu["To"]
            contenu["To"] = masques
            fichier.write_bytes(contenu.as_bytes())
            sys.stdout.write(
                f"\n──── Courriel pour {masques} : {message.subject}\n"
                f"     (copie : {fichier})\n{message.body}\n────\n"
            )
        sys.stdout.flush()
        return len(email_messages)
