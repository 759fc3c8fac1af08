from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("registry.ops.urls")),  # /healthz, /readyz (and /metrics): before the browser's catch-alls
    path("admin/", admin.site.urls),
    path("api/", include("agreements.api.urls")),
    path("", include("agreements.browser.urls")),
]

handler400 = "registry.error_views.bad_request"
handler403 = "registry.error_views.permission_denied"
handler404 = "registry.error_views.page_not_found"
handler500 = "registry.error_views.server_error"
