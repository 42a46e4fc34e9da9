from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portail:accueil", permanent=False)),
    path("portail/", include("isoloir.accounts.urls")),
    path("portail/", include("isoloir.portail.urls")),
    path("portail/", include("isoloir.elections.urls")),
    path("portail/", include("isoloir.votecode.urls")),
    path("portail/franceconnect/", include("isoloir.franceconnect.urls")),
    path("", include("isoloir.booth.urls")),
    path("", include("isoloir.counting.urls")),
    path("captcha/", include("isoloir.captcha.urls")),
    path("portail/", include("isoloir.reclamations.urls")),
    path("portail/", include("isoloir.assistance.urls")),
    path("gestion/", include("isoloir.organisation.urls")),
    # Each feature's back-office screens, in its own application.
    path(
        "gestion/campagnes/<slug:slug>/liste-electorale/", include("isoloir.elections.urls_gestion")
    ),
    path("gestion/campagnes/<slug:slug>/notices/", include("isoloir.votecode.urls_gestion")),
    path("gestion/campagnes/<slug:slug>/courriels/", include("isoloir.envois.urls")),
    path("gestion/reclamations/", include("isoloir.reclamations.urls_gestion")),
    path("gestion/assistance/", include("isoloir.assistance.urls_gestion")),
    path("back-office/", admin.site.urls),
]
