"""Importazioni in background (django-tasks, backend su database: ``manage.py
db_worker``). La pagina legge l'avanzamento da ``Importazione``."""

from django_tasks import task

from patrimonio.models import Importazione
from patrimonio.services import importazione_esegui


@task()
def importazione_in_background(importazione_id: int, scrivi: bool) -> str:
    importazione = Importazione.objects.get(pk=importazione_id)
    importazione_esegui(importazione=importazione, scrivi=scrivi)
    importazione.refresh_from_db()
    return importazione.stato
