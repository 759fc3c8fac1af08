from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("registry.ops.urls")),  # /healthz, /readyz (and /metrics): before the browser's catch-alls
    path("admin/", admin.site.urls),
    # POST /i18n/setlang/ (language, next): remembers the reader's language in a cookie, back to `next`.
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("agreements.api.urls")),
    path("", include("agreements.browser.urls")),
]

handler400 = "registry.error_views.bad_request"
handler403 = "registry.error_views.permission_denied"
handler404 = "registry.error_views.page_not_found"
handler500 = "registry.error_views.server_error"
