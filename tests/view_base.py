"""One shared view-test base: every entity gets the same checks of its plain pages.

Subclass it per entity: its `factory`, the literal `list_url` of its list page, `form_data()`
(valid data for the create form) and `cambio` (a field and its new value: the edit test posts
back what the edit form shows, with that change). The create page is `<list_url>nuevo`
(`add_slug`), the detail page the object's get_absolute_url(), the edit page
`<list_url><pk>/editar`.

The checks: login required; read-only role sees lists and details without write buttons and
gets 403 on create/edit; the operator creates and edits; the list and detail run a bounded
number of queries that does not grow with the rows; exports download.
"""

import csv
import html
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

MAX_QUERIES = 8


class EntityViewTests:
    factory = None
    list_url: str = ""
    add_slug = "nuevo"
    cambio: tuple[str, object] = ("", None)  # (field, new value) the edit test posts
    max_queries = MAX_QUERIES
    # Text that only appears with write permission (the edit link label).
    write_marker = "Editar"
    exportable = True

    @property
    def add_url(self) -> str | None:
        return f"{self.list_url}{self.add_slug}" if self.list_url else None

    @property
    def model(self):
        return self.factory._meta.model

    def make(self, n: int) -> list:
        return self.factory.create_batch(n)

    def expected_export_rows(self, objs) -> int:
        return len(objs)

    def detail_url(self, obj) -> str | None:
        return obj.get_absolute_url()

    def edit_url(self, obj) -> str | None:
        return f"{self.list_url}{obj.pk}/editar" if self.list_url else None

    def form_data(self) -> dict:
        """Valid POST data for the create form."""
        raise NotImplementedError

    def edit_data(self, obj, form) -> tuple[dict, str, object]:
        """POST data for the edit form (what `form`, the page's form, shows, with `cambio`
        applied), the field it changes and the expected value."""
        campo, valor = self.cambio
        data = {}
        for bf in form:
            for nombre, inicial in ((bf.html_name, bf.value()), (bf.html_initial_name, bf.initial)):
                if inicial is not None and not bf.field.disabled:
                    data[nombre] = inicial
        data[campo] = valor
        return data, campo, valor

    def row_marker(self, obj) -> str:
        """Text that shows the object's row is on the list page."""
        return html.escape(str(obj))

    # --- helpers -------------------------------------------------------------------------
    def get_list_url(self, objs) -> str:
        return self.list_url

    def count_queries(self, client, url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(ctx)

    # --- checks --------------------------------------------------------------------------
    def test_anonymous_goes_to_login(self, client, db):
        objs = self.make(1)
        urls = [self.get_list_url(objs), self.detail_url(objs[0])]
        urls += [self.add_url, self.edit_url(objs[0])]
        for url in filter(None, urls):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/login/"), url

    def test_list_for_read_only_role(self, lectura_client):
        objs = self.make(3)
        response = lectura_client.get(self.get_list_url(objs))
        assert response.status_code == 200
        assert self.write_marker not in response.content.decode()
        for obj in objs:
            assert self.row_marker(obj) in response.content.decode()

    def test_list_query_count_does_not_grow(self, lectura_client):
        objs = self.make(3)
        pocos = self.count_queries(lectura_client, self.get_list_url(objs))
        objs += self.make(30)
        muchos = self.count_queries(lectura_client, self.get_list_url(objs))
        assert muchos == pocos
        assert muchos <= self.max_queries

    def test_detail(self, lectura_client):
        obj = self.make(1)[0]
        url = self.detail_url(obj)
        if not url:
            pytest.skip("sin página de detalle")
        assert self.count_queries(lectura_client, url) <= self.max_queries
        response = lectura_client.get(url)
        assert self.write_marker not in response.content.decode()

    def test_read_only_role_cannot_write(self, lectura_client):
        obj = self.make(1)[0]
        for url in filter(None, [self.add_url, self.edit_url(obj)]):
            assert lectura_client.get(url).status_code == 403, url
            assert lectura_client.post(url, self.form_data()).status_code == 403, url

    def test_operator_creates(self, operador_client):
        self.make(1)
        if not self.add_url:
            pytest.skip("sin alta")
        antes = self.model.objects.count()
        response = operador_client.get(self.add_url)
        assert response.status_code == 200
        response = operador_client.post(self.add_url, self.form_data())
        assert response.status_code == 302, response.context and response.context["form"].errors
        assert self.model.objects.count() == antes + 1

    def test_operator_edits(self, operador_client):
        obj = self.make(1)[0]
        url = self.edit_url(obj)
        if not url:
            pytest.skip("sin edición")
        pagina = operador_client.get(url)
        assert pagina.status_code == 200
        assert self.write_marker in operador_client.get(self.get_list_url([obj])).content.decode()
        data, campo, esperado = self.edit_data(obj, pagina.context["form"])
        response = operador_client.post(url, data)
        assert response.status_code == 302, response.context and response.context["form"].errors
        obj.refresh_from_db()
        assert getattr(obj, campo) == esperado

    def test_export(self, lectura_client):
        if not self.exportable:
            pytest.skip("sin exportación")
        objs = self.make(2)
        url = self.get_list_url(objs)
        sep = "&" if "?" in url else "?"
        respuesta_csv = lectura_client.get(f"{url}{sep}exportar=csv")
        assert respuesta_csv.status_code == 200
        assert respuesta_csv["Content-Type"].startswith("text/csv")
        texto = b"".join(respuesta_csv.streaming_content).decode("utf-8-sig")
        filas = list(csv.reader(io.StringIO(texto)))
        assert len(filas) == 1 + self.expected_export_rows(objs)
        xlsx = lectura_client.get(f"{url}{sep}exportar=xlsx")
        assert xlsx.status_code == 200
        assert xlsx.getvalue()[:2] == b"PK"
