from django.apps import AppConfig


class CaptchaConfig(AppConfig):
    name = "isoloir.captcha"
    # django-simple-captcha's app already has the label "captcha".
    label = "isoloir_captcha"
    verbose_name = "CAPTCHA"
