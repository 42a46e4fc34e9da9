from django.urls import path

from isoloir.assistance import vues_gestion

app_name = "gestion_assistance"

urlpatterns = [
    path("", vues_gestion.demandes, name="demandes"),
    path("demandes/<int:pk>/", vues_gestion.demande, name="demande"),
    path("demandes/<int:pk>/prendre/", vues_gestion.prendre, name="prendre"),
    path("demandes/<int:pk>/repondre/", vues_gestion.repondre, name="repondre"),
    path("demandes/<int:pk>/clore/", vues_gestion.clore, name="clore"),
    path("electeurs/", vues_gestion.electeurs, name="electeurs"),
    path("electeurs/<int:pk>/", vues_gestion.electeur, name="electeur"),
    path("electeurs/<int:pk>/deverrouiller/", vues_gestion.deverrouiller, name="deverrouiller"),
]
