from django.urls import path

from isoloir.elections import views_gestion

app_name = "gestion_listes"

urlpatterns = [
    path("", views_gestion.importer, name="importer"),
    path("imports/<int:pk>/", views_gestion.suivi, name="suivi"),
    path("imports/<int:pk>/progression.json", views_gestion.progression_json, name="progression"),
    path("imports/<int:pk>/appliquer/", views_gestion.appliquer, name="appliquer"),
    path("imports/<int:pk>/reprendre/", views_gestion.reprendre, name="reprendre"),
    path("imports/<int:pk>/abandonner/", views_gestion.abandonner_import, name="abandonner"),
    path("imports/<int:pk>/erreurs.csv", views_gestion.erreurs_csv, name="erreurs"),
]
