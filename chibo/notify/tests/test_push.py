"""Web Push: a real push service on localhost receives what chibo sends, and decrypts it with
the keys of a device the test made, as a phone would (RFC 8291), checking the VAPID signature
(RFC 8292) with chibo's public key."""

import base64
import json
import os
import stat
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from chibo.meetings.tests.test_attending import plan
from chibo.notify import push
from chibo.notify.models import Notification, PushSubscription
from chibo.orgs.models import User


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    """A push service on localhost: it keeps what it receives and answers `status`."""

    url: str
    received: list[Received] = field(default_factory=list)
    status: int = 201


@pytest.fixture
def push_service():
    service = PushService(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {name.lower(): value for name, value in self.headers.items()}
            service.received.append(Received(self.path, headers, body))
            self.send_response(service.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield service
    server.shutdown()
    server.server_close()


@dataclass
class Device:
    """A phone's side of a subscription: its key pair and its auth secret."""

    key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        return b64(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def read(self, body: bytes) -> dict:
        return json.loads(
            http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")
        )


def device() -> Device:
    return Device(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))


def subscribe(user: User, service: PushService, phone: Device, name: str = "phone"):
    return PushSubscription.objects.create(
        owner=user, endpoint=f"{service.url}/push/{name}", p256dh=phone.p256dh, auth=b64(phone.auth)
    )


def wants(user: User, channels: str) -> None:
    user.channels = channels
    user.save(update_fields=["channels"])


def published(user: User, meeting) -> Notification:
    return Notification.objects.create(
        recipient=user, meeting=meeting, kind=Notification.Kind.PUBLISHED
    )


def verify_vapid(authorization: str, audience: str) -> dict:
    """The JWT of the `vapid t=…, k=…` header is signed by chibo's key, for this service."""
    parts = dict(part.strip().split("=", 1) for part in authorization[len("vapid ") :].split(","))
    assert parts["k"] == push.public_key()
    header, claims, signature = parts["t"].split(".")
    raw = unb64(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(parts["k"]))
    public.verify(
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        f"{header}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    body = json.loads(unb64(claims))
    assert body["aud"] == audience
    return body


def test_a_notification_reaches_the_phone_encrypted_for_it_alone(world, push_service):
    wants(world.member, User.Channels.PUSH)
    world.member.language = "en"
    world.member.save(update_fields=["language"])
    phone = device()
    subscription = subscribe(world.member, push_service, phone)
    meeting = plan(world.cell)
    notification = published(world.member, meeting)

    outcome = push.push_pending()

    assert (outcome.sent, outcome.gone, outcome.failed) == (1, 0, 0)
    [received] = push_service.received
    assert received.path == "/push/phone"
    assert received.headers["content-encoding"] == "aes128gcm"
    assert int(received.headers["ttl"]) == push.TTL_SECONDS
    claims = verify_vapid(received.headers["authorization"], push_service.url)
    assert claims["sub"].startswith("mailto:")
    message = phone.read(received.body)
    assert message["url"] == reverse("meetings:meeting", args=[meeting.code])
    assert message["title"].startswith("Meeting published")
    assert world.cell.name in message["body"]
    # Another device's keys cannot read it.
    with pytest.raises(Exception):  # noqa: B017 - http_ece raises a bare cryptography error
        device().read(received.body)
    notification.refresh_from_db()
    subscription.refresh_from_db()
    assert notification.pushed_at is not None
    assert subscription.last_success is not None and subscription.failures == 0
    # Pushed once: the next run finds nothing.
    assert push.push_pending().sent == 0
    assert len(push_service.received) == 1


def test_it_speaks_the_recipients_language(world, push_service):
    wants(world.member, User.Channels.BOTH)
    world.member.language = "km"
    world.member.save(update_fields=["language"])
    phone = device()
    subscribe(world.member, push_service, phone)
    published(world.member, plan(world.cell))
    push.push_pending()
    message = phone.read(push_service.received[0].body)
    assert "Chi bộ khu 1" in message["body"]
    assert any("\u1780" <= c <= "\u17ff" for c in message["body"])  # Khmer script


def test_a_subscription_the_service_says_is_gone_is_deleted(world, push_service):
    wants(world.member, User.Channels.PUSH)
    subscribe(world.member, push_service, device())
    notification = published(world.member, plan(world.cell))
    push_service.status = 410
    outcome = push.push_pending()
    assert (outcome.sent, outcome.gone) == (0, 1)
    assert not PushSubscription.objects.exists()
    notification.refresh_from_db()
    assert notification.pushed_at is not None  # it stays in the app


def test_other_failures_are_counted_and_the_subscription_kept(world, push_service):
    wants(world.member, User.Channels.PUSH)
    subscription = subscribe(world.member, push_service, device())
    published(world.member, plan(world.cell))
    push_service.status = 500
    assert push.push_pending().failed == 1
    subscription.refresh_from_db()
    assert subscription.failures == 1


def test_only_those_who_chose_push_and_only_news_after_they_subscribed(world, push_service):
    meeting = plan(world.cell)
    # The secretary kept e-mail only: his phone is subscribed but not used.
    subscribe(world.secretary, push_service, device(), "son")
    published(world.secretary, meeting)
    # The member chose push after a notification was made: that one is not pushed.
    wants(world.member, User.Channels.PUSH)
    old = published(world.member, meeting)
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    subscribe(world.member, push_service, device(), "mai")
    fresh = published(world.member, meeting)
    push.push_pending()
    assert [r.path for r in push_service.received] == ["/push/mai"]
    assert Notification.objects.get(pk=fresh.pk).pushed_at is not None


def test_remind_pushes_and_mails_only_those_who_chose_e_mail(world, push_service, mailbox):
    meeting = plan(world.cell)
    wants(world.member, User.Channels.PUSH)
    subscribe(world.member, push_service, device())
    wants(world.secretary, User.Channels.BOTH)
    subscribe(world.secretary, push_service, device(), "son")
    for user in (world.member, world.secretary, world.supervisor):
        published(user, meeting)
    call_command("remind", stdout=open(os.devnull, "w"))
    mailed_to = sorted(address for m in mailbox.messages for address in m["To"].split(","))
    assert mailed_to == [world.secretary.email, world.supervisor.email]
    assert sorted(r.path for r in push_service.received) == ["/push/phone", "/push/son"]
    assert not Notification.objects.filter(recipient=world.member, mailed_at__isnull=False)


def test_the_vapid_key_is_made_once_in_the_data_folder_for_its_owner_only(settings):
    key = push.public_key()
    path = settings.CHIBO_VAPID_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(unb64(key)) == 65 and push.public_key() == key


# Turning push on for a device, from the notification settings.

PUSH_URL = reverse("notify:push")


def browser_subscription(endpoint="https://push.example.net/send/abc") -> dict:
    phone = device()
    return {"endpoint": endpoint, "keys": {"p256dh": phone.p256dh, "auth": b64(phone.auth)}}


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_member_turns_push_on_and_off_for_a_device(world):
    client = world.client("member")
    body = browser_subscription()
    assert post_json(client, PUSH_URL, body).status_code == 201
    saved = PushSubscription.objects.get()
    assert (saved.owner, saved.endpoint) == (world.member, body["endpoint"])
    # The same browser again, now used by someone else: it is theirs.
    assert post_json(world.client("secretary"), PUSH_URL, body).status_code == 201
    assert PushSubscription.objects.get().owner == world.secretary
    # Only one's own can be turned off.
    post_json(client, reverse("notify:push_off"), {"endpoint": body["endpoint"]})
    assert PushSubscription.objects.count() == 1
    post_json(world.client("secretary"), reverse("notify:push_off"), {"endpoint": body["endpoint"]})
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        browser_subscription("http://127.0.0.1:8000/admin/"),  # not a push service
        {**browser_subscription(), "keys": {"p256dh": b64(b"\x04" * 10), "auth": b64(b"a" * 16)}},
        {**browser_subscription(), "keys": {"p256dh": device().p256dh, "auth": "!!"}},
        {"endpoint": "https://push.example.net/x"},
        [1, 2],
    ],
)
def test_a_subscription_that_cannot_be_read_is_refused(world, body):
    response = post_json(world.client("member"), PUSH_URL, body)
    assert response.status_code == 400 and response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_signed_out_nobody_subscribes(db, client):
    response = post_json(client, PUSH_URL, browser_subscription())
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def test_the_settings_offer_push_to_scripts_and_warn_without_a_device(world):
    client = world.client("member")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("notify:settings")).content.decode()
    assert f'data-push="{push.public_key()}" hidden' in page
    response = client.post(
        reverse("notify:settings"),
        {"channels": "push", "mail": "immediate", "language": "en"},
        follow=True,
    )
    assert "No phone or browser has notifications turned on yet" in response.content.decode()
    world.member.refresh_from_db()
    assert world.member.channels == User.Channels.PUSH
