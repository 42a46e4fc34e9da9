from django.contrib import admin
from dsfr.models import DsfrConfig

# django-dsfr is installed for its assets and template tags; the portal's header and
# footer come from the settings (ISOLOIR_MARQUE), so its configuration model would only
# mislead an administrator.
if admin.site.is_registered(DsfrConfig):
    admin.site.unregister(DsfrConfig)
