from django.apps import AppConfig


class EventStoreConfig(AppConfig):
    name = "registry.eventstore"
    label = "eventstore"
    verbose_name = "Event store"
