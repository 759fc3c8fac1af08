from django.utils.translation import gettext_lazy
from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _keep_roles(sender, **kwargs):
    from agreements.roles import ensure_roles

    ensure_roles()


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = gettext_lazy("Agreements")

    def ready(self):
        post_migrate.connect(_keep_roles, sender=self, dispatch_uid="pacta-roles")
        from agreements.validation import jobs

        jobs.connect()  # a saved source re-checks the quotes that cite it
