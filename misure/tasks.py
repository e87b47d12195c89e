"""Background work of the measures (django-tasks, database backend:
``manage.py db_worker``). The page reads the progress from ``Elaborazione``."""

from django_tasks import task

from misure.models import Elaborazione
from misure.services.elaborazioni import elaborazione_esegui


@task()
def elaborazione_in_background(elaborazione_id: int) -> str:
    elaborazione = Elaborazione.objects.select_related("bando").get(pk=elaborazione_id)
    elaborazione_esegui(elaborazione=elaborazione)
    elaborazione.refresh_from_db()
    return elaborazione.stato
