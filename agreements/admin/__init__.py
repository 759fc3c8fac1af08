"""The archivists' admin. Agreements are written through commands only (see agreement.py and forms.py);
findings are read-only. Parties and sources, reference data with simple-history, are the sources app's
(sources/admin/)."""

from django.utils.translation import gettext_lazy
from django.contrib import admin

from agreements.models import AgreementRecord, Finding

from .agreement import AgreementAdmin
from .findings import FindingAdmin

admin.site.register(AgreementRecord, AgreementAdmin)
admin.site.register(Finding, FindingAdmin)
admin.site.site_header = gettext_lazy("Pacta registry")
admin.site.site_title = gettext_lazy("Pacta admin")
admin.site.index_title = gettext_lazy("Registry")
