"""Sending and reading notifications. Every app notifies through `notify`."""

from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from kaohe.accounts.viewer import viewers_changed

from .models import Notification

TITLE_MAX = 200
URL_MAX = 255


def notify(*, users: Iterable, title: str, body: str = "", url: str = "", emails=()) -> int:
    """A notification for each user (one insert), and one email to them and to `emails`
    once the transaction commits (a rolled-back action sends nothing)."""
    users = list({u.pk: u for u in users}.values())
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                user=u, title=title[:TITLE_MAX], body=body, url=url[:URL_MAX], created_at=now
            )
            for u in users
        ]
    )
    viewers_changed(user_ids=[u.pk for u in users])  # the bell
    recipients = sorted({u.email for u in users if u.email} | {e for e in emails if e})
    if recipients:
        transaction.on_commit(
            lambda: send_mail(f"[依法行政考核] {title}", body, None, recipients, fail_silently=True)
        )
    return len(users)


def notify_many(rows: Iterable[tuple[object, str, str, str]]) -> int:
    """Many different messages in one insert: (user, title, body, url) per row; no email
    (callers that batch, such as reminders, send their own digest email)."""
    now = timezone.now()
    rows = list(rows)
    made = Notification.objects.bulk_create(
        [
            Notification(user=u, title=t[:TITLE_MAX], body=b, url=url[:URL_MAX], created_at=now)
            for u, t, b, url in rows
        ]
    )
    viewers_changed(user_ids=[u.pk for u, *_rest in rows])  # the bell
    return len(made)


@transaction.atomic
def notifications_mark_read(*, user, ids=None) -> int:
    """Mark the user's unread notifications (or the given ones) read; never another's."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    count = qs.update(read_at=timezone.now())
    if count:
        viewers_changed(user_ids=[user.pk])  # the bell
        forget_bell(user)
    return count


def forget_bell(user) -> None:
    """The bell on this request's own page shows the new count."""
    from kaohe.accounts.viewer import viewer_forget

    viewer_forget(user)
