from django.urls import URLPattern

app_name = "gestion_assistance"

urlpatterns: list[URLPattern] = []
