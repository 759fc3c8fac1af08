"""Settings of `bench.api_load`'s gunicorn: the registry's own, with `bench.bare` as the URLconf (bench only)."""

from registry.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.bare"
