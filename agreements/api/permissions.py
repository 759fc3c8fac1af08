"""Who may do what: reads are public (published only), writes need the archivist's permissions."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from agreements.domain.vocabulary import (
    ADD_PARTY_PERMISSION,
    ADD_SOURCE_PERMISSION,
    EDIT_PERMISSION,
    VIEW_PERMISSION,
)

EDIT_AGREEMENTS = EDIT_PERMISSION
SEE_UNPUBLISHED = VIEW_PERMISSION


def sees_unpublished(user) -> bool:
    """Archivists, reviewers and administrators see drafts; everyone else sees published agreements only."""
    return bool(user and user.is_authenticated and user.has_perm(SEE_UNPUBLISHED))


def write_permission(perm: str):
    class HasWritePermission(BasePermission):
        message = f"This needs the permission {perm} (an archivist's token)."

        def has_permission(self, request, view):
            if request.method in SAFE_METHODS:
                return True
            return bool(request.user and request.user.is_authenticated and request.user.has_perm(perm))

    HasWritePermission.__name__ = f"Has_{perm.replace('.', '_')}"
    return HasWritePermission


CanEditAgreements = write_permission(EDIT_AGREEMENTS)
CanAddParties = write_permission(ADD_PARTY_PERMISSION)
CanAddSources = write_permission(ADD_SOURCE_PERMISSION)


class SeesFindings(BasePermission):
    """Findings are for staff (archivists, reviewers, administrators); the public sees none."""

    message = "Findings are for staff: this needs an archivist's or a reviewer's token."

    def has_permission(self, request, view):
        return sees_unpublished(request.user)
