from django.urls import path

from . import views

app_name = "conexiones"

urlpatterns = [
    path("conexiones/", views.ConexionListView.as_view(), name="conexion_list"),
    path("conexiones/<int:pk>/", views.ConexionDetailView.as_view(), name="conexion_detail"),
]
