from django.urls import path

from isoloir.gestion import views

app_name = "gestion"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("campagnes/<slug:slug>/", views.campagne, name="campagne"),
]
