from django.utils.translation import gettext_lazy
from django.apps import AppConfig


class SourcesConfig(AppConfig):
    """The one reference-data app: parties and sources, which the agreements name by code and key.

    It imports nothing of the project but the domain's vocabulary and dates (a contract in pyproject.toml).
    Its label stays `sources`, the name it had when it held the sources only.
    """

    name = "sources"
    verbose_name = gettext_lazy("Reference data: parties and sources")
