from django.urls import path

from isoloir.assistance import views

app_name = "assistance"

urlpatterns = [
    path("assistance/demande/", views.demande, name="demande"),
    path("assistance/demande/envoyee/", views.demande_envoyee, name="demande_envoyee"),
]
