from django.urls import path

from isoloir.elections import vues_gestion

app_name = "gestion_listes"

urlpatterns = [
    path("", vues_gestion.importer, name="importer"),
    path("imports/<int:pk>/", vues_gestion.suivi, name="suivi"),
    path("imports/<int:pk>/progression.json", vues_gestion.progression_json, name="progression"),
    path("imports/<int:pk>/appliquer/", vues_gestion.appliquer, name="appliquer"),
    path("imports/<int:pk>/reprendre/", vues_gestion.reprendre, name="reprendre"),
    path("imports/<int:pk>/abandonner/", vues_gestion.abandonner_import, name="abandonner"),
    path("imports/<int:pk>/erreurs.csv", vues_gestion.erreurs_csv, name="erreurs"),
]
