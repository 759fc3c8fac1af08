"""The management commands' tests share the validation's embedded default: `validate` runs its jobs eagerly."""

from tests.validation.conftest import embedded_celery  # noqa: F401  (autouse)
