"""What notify tells the apps above it, which it does not know."""

from django.dispatch import Signal

# Sent by the delivery task once a mail has reached a final state (sent, failed, set
# aside…), after its transaction, with ``courriel``: the campaign mailings (isoloir.envois)
# see whether their mailing is over.
courriel_traite = Signal()
