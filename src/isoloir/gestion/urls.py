from django.urls import path

from isoloir.gestion import views

app_name = "gestion"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("nouvelle-campagne/", views.nouvelle_campagne, name="nouvelle_campagne"),
    path("campagnes/<slug:slug>/", views.campagne, name="campagne"),
    path("campagnes/<slug:slug>/modifier/", views.modifier_campagne, name="modifier_campagne"),
    path("campagnes/<slug:slug>/scrutins/", views.scrutins, name="scrutins"),
    path("portail/", views.presentation, name="presentation"),
]
