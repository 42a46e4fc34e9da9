from django.urls import path

from isoloir.envois import views

app_name = "gestion_courriels"

urlpatterns = [
    path("", views.tableau, name="tableau"),
    path("etat.json", views.etat, name="etat"),
    path("lancer/<str:nature>/", views.lancer, name="lancer"),
]
