"""The OpenAPI document (/v1/schema/) and Swagger UI (/v1/docs/), served by the app itself
(drf-spectacular-sidecar: no CDN) and working under the site's Content-Security-Policy."""

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class Esquema(SpectacularAPIView):
    """The schema answers API clients (token) and the docs page (session); 401 otherwise."""

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


class Documentacion(SpectacularSwaggerSplitView):
    """Swagger UI for a logged-in user (the page needs login like any other).

    The split view loads its start-up script as a file (`?script`) and this template has no
    inline style, so the default policy (`script-src 'self'`, `style-src 'self'`) holds.
    """

    template_name = "isp_portal/api_docs.html"
    title = "ISP Portal · API v1"
