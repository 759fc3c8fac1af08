"""The archivists' admin. Agreements are written through commands only (see agreement.py and forms.py);
parties and sources are reference data with simple-history; findings are read-only."""

from django.contrib import admin

from agreements.models import AgreementRecord, Finding, Party

from .agreement import AgreementAdmin
from .findings import FindingAdmin
from .parties import PartyAdmin

admin.site.register(AgreementRecord, AgreementAdmin)
admin.site.register(Party, PartyAdmin)
admin.site.register(Finding, FindingAdmin)
admin.site.site_header = "Pacta registry"
admin.site.site_title = "Pacta admin"
admin.site.index_title = "Registry"
