"""Background tasks of the plan (django-tasks; ``manage.py db_worker`` runs them)."""

from django_tasks import task

from piani.documento_cache import documento_rigenera


@task()
def documento_in_background(piano_id: int) -> str:
    """Render the plan's PDF ahead of the next download (see documento_cache)."""
    return documento_rigenera(piano_id=piano_id)
