from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from pianocasa.sicurezza.views import PasswordResetConfirmView

admin.site.site_header = _("pianocasa – amministrazione")
admin.site.site_title = _("Amministrazione di pianocasa")
admin.site.index_title = _("Dati di riferimento e archivi")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accesso/", auth_views.LoginView.as_view(), name="login"),
    path("uscita/", auth_views.LogoutView.as_view(), name="logout"),
    # Password change (logged in) and reset by e-mail: Django's views, Italian
    # templates in templates/registration/.
    path(
        "sicurezza/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "sicurezza/password/cambiata/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accesso/password-dimenticata/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accesso/password-dimenticata/inviata/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accesso/reimposta/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accesso/reimposta/fatto/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("sicurezza/", include("pianocasa.sicurezza.urls")),
    path("ambiti/", include("ambiti.urls")),
    path("patrimonio/", include("patrimonio.urls")),
    path("piani/", include("piani.urls")),
    path("misure/", include("misure.urls")),
    path("", include("piani.urls_ciclo")),
    path("", RedirectView.as_view(pattern_name="piani:piano_list"), name="home"),
]

# Italian error pages in the site's layout (pianocasa/errori.py).
handler400 = "pianocasa.errori.errore_400"
handler403 = "pianocasa.errori.errore_403"
handler404 = "pianocasa.errori.errore_404"
handler500 = "pianocasa.errori.errore_500"
