"""Digests through the task queue: `manage.py send_digests --enqueue` (or anything else that
schedules work) enqueues this task, and the worker (`manage.py db_worker`) runs it."""

from django_tasks import task

from commonground.following.digests import send_digests


@task()
def send_digests_task() -> dict:
    return send_digests().as_dict()
