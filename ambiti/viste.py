"""Views pieces that need the scoping to the user's ambiti (so they cannot live in
the core kit): the history page of any record of an ambito."""

from django.views.generic import DetailView

from pianocasa.ui import PaginaMixin, StoriaMixin

from .permessi import AmbitoScopedMixin


class StoriaView(AmbitoScopedMixin, StoriaMixin, PaginaMixin, DetailView):
    """Who changed what and when, for a record of the user's ambiti (404 else)."""
