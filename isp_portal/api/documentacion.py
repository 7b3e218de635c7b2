"""The OpenAPI document (/v1/schema/), Swagger UI (/v1/docs/) and Redoc (/v1/redoc/), served
by the app itself (drf-spectacular-sidecar: no CDN) and working under the site's
Content-Security-Policy."""

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from .parsers import JSONSeguro


class Esquema(SpectacularAPIView):
    """The schema answers API clients (token) and the docs page (session); 401 otherwise.

    DRF views skip the site's login redirect (LoginRequiredMiddleware): they authenticate.
    """

    def handle_exception(self, exc):
        # Errors are JSON like the rest of the API, not an OpenAPI document in YAML.
        respuesta = super().handle_exception(exc)
        self.request.accepted_renderer = JSONSeguro()
        self.request.accepted_media_type = JSONSeguro.media_type
        return respuesta


class Documentacion(SpectacularSwaggerSplitView):
    """Swagger UI: a page, so it needs login like any other (a redirect to the login page).

    The split view loads its start-up script as a file (`?script`) and this template has no
    inline style, so the default policy (`script-src 'self'`, `style-src 'self'`) holds.
    """

    template_name = "isp_portal/api_docs.html"
    title = "ISP Portal · API v1"

    @classmethod
    def as_view(cls, **initkwargs):
        return login_required(super().as_view(**initkwargs))


class Redoc(SpectacularRedocView):
    """Redoc: the same document to read through. It styles itself at run time and parses the
    document in a worker, so this page alone allows inline styles and `blob:` workers; its
    scripts are still the site's own files."""

    template_name = "isp_portal/api_redoc.html"
    title = "ISP Portal · API v1"

    @classmethod
    def as_view(cls, **initkwargs):
        politica = {"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]}
        return login_required(csp_update(politica)(super().as_view(**initkwargs)))
