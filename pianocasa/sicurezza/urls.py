from django.urls import path

from pianocasa.sicurezza import views

app_name = "sicurezza"

urlpatterns = [
    path("", views.sicurezza, name="sicurezza"),
    path("verifica/", views.verifica, name="verifica"),
    path("app/attiva/", views.totp_attiva, name="totp_attiva"),
    path("app/disattiva/", views.totp_disattiva, name="totp_disattiva"),
]
