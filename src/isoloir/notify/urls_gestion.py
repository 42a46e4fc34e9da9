from django.urls import path

from isoloir.notify import vues_gestion

app_name = "gestion_courriels"

urlpatterns = [
    path("", vues_gestion.tableau, name="tableau"),
    path("etat.json", vues_gestion.etat, name="etat"),
    path("lancer/<str:nature>/", vues_gestion.lancer, name="lancer"),
]
