from django.urls import URLPattern

app_name = "gestion_courriels"

urlpatterns: list[URLPattern] = []
