"""Web Push: notifications on the phones and browsers where people turned them on.

The server signs each message with its VAPID key (RFC 8292), made on first use in the data
folder like the other keys chibo keeps, and encrypts it for the device (RFC 8291) through
pywebpush. Sending happens in the background (`chibo clock` each minute, `chibo remind`, the
notice's task), never while someone waits for a page.
"""

import base64
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.utils import timezone, translation
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from chibo.lib.keyfiles import write_once
from chibo.notify.models import Notification, PushSubscription
from chibo.notify.wording import headline, link, subject
from chibo.orgs.models import User

logger = logging.getLogger(__name__)

# A push service keeps a message this long for a phone that is off, then drops it.
TTL_SECONDS = 24 * 60 * 60
# Older notifications are not pushed: a phone buzzing about last week helps nobody.
PUSH_WITHIN = timedelta(days=1)
# How long to wait for a push service before trying again at the next run.
TIMEOUT_SECONDS = 10
# Those who asked for push, alone or with e-mail.
PUSH_CHANNELS = [User.Channels.PUSH, User.Channels.BOTH]
# The push service's answers that mean the subscription is gone for good.
GONE = {404, 410}


def key_path() -> Path:
    return Path(settings.CHIBO_VAPID_KEY_FILE)


def private_key() -> ec.EllipticCurvePrivateKey:
    """The VAPID key, made on first use: P-256, in a file readable by its owner only.

    Made as the audit key is (`keyfiles.write_once`): whoever asks at the same time gets the
    same key."""
    path = key_path()
    if not path.exists():
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        write_once(path, pem)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key() -> str:
    """The key browsers subscribe with (`applicationServerKey`): the uncompressed point,
    base64url without padding."""
    point = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def claims() -> dict[str, str]:
    """Who to contact about these messages, as push services ask (a fresh dict: pywebpush
    writes the audience and expiry into it)."""
    return {"sub": f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or 'noreply@localhost'}"}


def payload(notification: Notification) -> dict[str, str]:
    """What the service worker shows, in the recipient's language; the link is a path on this
    site, which the service worker opens on its own origin only."""
    with translation.override(notification.recipient.language):
        return {
            "title": subject(notification),
            "body": headline(notification),
            "url": link(notification),
            "tag": f"chibo-{notification.pk}",
        }


@dataclass
class Pushed:
    sent: int = 0
    gone: int = 0
    failed: int = 0


def send(subscription: PushSubscription, data: dict, vapid: Vapid, outcome: Pushed) -> None:
    """One message to one device. A gone subscription is deleted; other failures are counted
    on it and logged, and the message is not tried again (it is in the app all the same)."""
    try:
        webpush(
            subscription.info(),
            json.dumps(data, ensure_ascii=False),
            vapid_private_key=vapid,
            vapid_claims=claims(),
            timeout=TIMEOUT_SECONDS,
            ttl=TTL_SECONDS,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE:
            subscription.delete()
            outcome.gone += 1
            return
        logger.warning("Push to %s failed: %s", subscription.endpoint[:60], status or error)
        PushSubscription.objects.filter(pk=subscription.pk).update(failures=F("failures") + 1)
        outcome.failed += 1
        return
    PushSubscription.objects.filter(pk=subscription.pk).update(
        last_success=timezone.now(), failures=0
    )
    outcome.sent += 1


def push(notifications: Iterable[Notification]) -> Pushed:
    """Push each notification to its recipient's devices subscribed before it was made, then
    mark it pushed (also when there was no device: it is not looked at again).

    Notifications need `recipient` loaded, and `with_subjects`."""
    notifications = list(notifications)
    outcome = Pushed()
    if not notifications:
        return outcome
    devices: dict[int, list[PushSubscription]] = defaultdict(list)
    owners = {n.recipient_id for n in notifications}
    for subscription in PushSubscription.objects.filter(owner__in=owners).order_by("pk"):
        devices[subscription.owner_id].append(subscription)
    vapid = Vapid.from_pem(
        private_key().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    for notification in notifications:
        targets = [s for s in devices[notification.recipient_id] if s.pk is not None]
        targets = [s for s in targets if s.created_at <= notification.created_at]
        if targets:
            data = payload(notification)
            for subscription in targets:
                send(subscription, data, vapid, outcome)
        Notification.objects.filter(pk=notification.pk).update(pushed_at=timezone.now())
    return outcome


def pending(now: datetime) -> list[Notification]:
    """Recent notifications not yet pushed, for those who chose push and have a device."""
    return list(
        Notification.objects.unpushed()
        .filter(
            created_at__gte=now - PUSH_WITHIN,
            recipient__channels__in=PUSH_CHANNELS,
            recipient__is_active=True,
        )
        .filter(Exists(PushSubscription.objects.filter(owner=OuterRef("recipient_id"))))
        .with_subjects()
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )


def push_pending(now: datetime | None = None) -> Pushed:
    return push(pending(now or timezone.now()))
