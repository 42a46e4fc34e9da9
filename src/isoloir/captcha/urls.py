"""The CAPTCHA's addresses, under ``/captcha/``, with django-simple-captcha's names (its
widget and refresh reverse them): the images, the audio and the refresh, each limited per
address (views.py)."""

from django.urls import re_path

from isoloir.captcha import views

urlpatterns = [
    re_path(r"image/(?P<key>\w+)/$", views.image, name="captcha-image", kwargs={"scale": 1}),
    re_path(r"image/(?P<key>\w+)@2/$", views.image, name="captcha-image-2x", kwargs={"scale": 2}),
    re_path(r"audio/(?P<key>\w+).wav$", views.audio, name="captcha-audio"),
    re_path(r"refresh/$", views.rafraichir, name="captcha-refresh"),
]
