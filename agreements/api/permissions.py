"""Who may do what: reads are public (published only), writes need the archivist's permissions."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

EDIT_AGREEMENTS = "agreements.edit_agreement"
SEE_UNPUBLISHED = "agreements.view_agreementrecord"


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
CanAddParties = write_permission("agreements.add_party")
CanAddSources = write_permission("sources.add_source")
