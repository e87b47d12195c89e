from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("pianocasa – amministrazione")
admin.site.site_title = _("Amministrazione di pianocasa")
admin.site.index_title = _("Dati di riferimento e archivi")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accesso/", auth_views.LoginView.as_view(), name="login"),
    path("uscita/", auth_views.LogoutView.as_view(), name="logout"),
    path("ambiti/", include("ambiti.urls")),
    path("patrimonio/", include("patrimonio.urls")),
    path("piani/", include("piani.urls")),
    path("misure/", include("misure.urls")),
    path("", include("piani.urls_ciclo")),
    path("", RedirectView.as_view(pattern_name="piani:piano_list"), name="home"),
]
