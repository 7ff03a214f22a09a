from django.apps import AppConfig


class DiplomaConfig(AppConfig):
    name = "diploma"
    verbose_name = "学历证书电子注册"
