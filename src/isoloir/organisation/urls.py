from django.urls import path

from isoloir.organisation import views

# The espace de gestion's own namespace: its home and the administration's screens that
# belong to no other application (the others mount theirs under /gestion/ too, urls.py).
app_name = "gestion"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("nouvelle-campagne/", views.nouvelle_campagne, name="nouvelle_campagne"),
    path("campagnes/<slug:slug>/", views.campagne, name="campagne"),
    path("campagnes/<slug:slug>/modifier/", views.modifier_campagne, name="modifier_campagne"),
    path("campagnes/<slug:slug>/scrutins/", views.scrutins, name="scrutins"),
    path("portail/", views.presentation, name="presentation"),
]
