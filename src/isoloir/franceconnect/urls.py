from django.urls import path

from isoloir.franceconnect import views

app_name = "franceconnect"

urlpatterns = [
    path("connexion/", views.connexion, name="connexion"),
    path("retour/", views.retour, name="retour"),
    path("deconnexion/", views.deconnexion, name="deconnexion"),
    path("deconnexion/retour/", views.deconnexion_retour, name="deconnexion_retour"),
]
