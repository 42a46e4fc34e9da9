from django.urls import path

from isoloir.assistance import views_gestion

app_name = "gestion_assistance"

urlpatterns = [
    path("", views_gestion.demandes, name="demandes"),
    path("demandes/<int:pk>/", views_gestion.demande, name="demande"),
    path("demandes/<int:pk>/prendre/", views_gestion.prendre, name="prendre"),
    path("demandes/<int:pk>/repondre/", views_gestion.repondre, name="repondre"),
    path("demandes/<int:pk>/clore/", views_gestion.clore, name="clore"),
    path("electeurs/", views_gestion.electeurs, name="electeurs"),
    path("electeurs/<int:pk>/", views_gestion.electeur, name="electeur"),
    path("electeurs/<int:pk>/deverrouiller/", views_gestion.deverrouiller, name="deverrouiller"),
]
