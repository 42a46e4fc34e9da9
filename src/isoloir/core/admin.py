from django.contrib import admin
from dsfr.models import DsfrConfig

# django-dsfr is installed for its assets and template tags; the portal's header and
# footer show the portal's stored marque (core/presentation.py, changed in /gestion/portail/,
# ISOLOIR_MARQUE as the default), so django-dsfr's configuration model would only mislead
# an administrator.
if admin.site.is_registered(DsfrConfig):
    admin.site.unregister(DsfrConfig)
