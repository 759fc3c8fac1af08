"""The groups `archivist` and `reviewer` and their permissions (created by a migration, kept by post_migrate)."""

from agreements.domain.vocabulary import (
    ADD_PARTY_PERMISSION,
    ADD_SOURCE_PERMISSION,
    EDIT_PERMISSION,
    PUBLISH_PERMISSION,
    VIEW_PERMISSION,
)

ARCHIVIST_PERMISSIONS = [
    EDIT_PERMISSION,
    VIEW_PERMISSION,
    ADD_PARTY_PERMISSION,
    "sources.change_party",
    "sources.view_party",
    "sources.add_partyname",
    "sources.change_partyname",
    "sources.delete_partyname",
    "sources.view_partyname",
    ADD_SOURCE_PERMISSION,
    "sources.change_source",
    "sources.view_source",
    "agreements.view_citation",
    # --- admin: archivists see the validation findings of what they enter (the admin's findings list) ---
    "agreements.view_finding",
]
REVIEWER_PERMISSIONS = ARCHIVIST_PERMISSIONS + [PUBLISH_PERMISSION]
ROLES = {"archivist": ARCHIVIST_PERMISSIONS, "reviewer": REVIEWER_PERMISSIONS}


def ensure_roles(apps=None, extra: dict | None = None):
    """Create the groups and give them exactly their permissions (those that exist yet)."""
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    roles = {name: list(perms) + list((extra or {}).get(name, [])) for name, perms in ROLES.items()}
    for name, perms in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            wanted += list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*wanted)
