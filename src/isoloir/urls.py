from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="accounts:accueil", permanent=False)),
    path("portail/", include("isoloir.accounts.urls")),
    path("portail/", include("isoloir.elections.urls")),
    path("portail/", include("isoloir.votecode.urls")),
    path("portail/franceconnect/", include("isoloir.franceconnect.urls")),
    path("", include("isoloir.booth.urls")),
    path("", include("isoloir.counting.urls")),
    path("captcha/", include("isoloir.votecode.captcha_urls")),
    path("gestion/", include("isoloir.gestion.urls")),
    path("back-office/", admin.site.urls),
]
