from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from .models import PianoAnnuale


class PianoListView(LoginRequiredMixin, ListView):
    model = PianoAnnuale
