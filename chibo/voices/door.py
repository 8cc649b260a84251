"""The public door: a citizen without an account leaves a voice for a cell and keeps a tracking
code; a handler of the cell accepts it (from then on it is an ordinary voice, held and counted)
or rejects it as abuse (then it never counts).

Each function raises `VoiceError` with a message for the person and changes nothing when it
refuses; otherwise it says what it changed by what it returns.
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.access.scope import Scope
from chibo.lib.months import month_of
from chibo.notify.models import Notification
from chibo.orgs.models import Member, Organisation, User
from chibo.quality import rollup
from chibo.voices import tally
from chibo.voices.handling import VoiceError, _category, _text
from chibo.voices.models import PLACE_MAX, Category, Step, Voice

# Tracking codes: no 0/O or 1/I to mistake for one another. 32 ** 10 = 2 ** 50 codes, so a
# guess finds nothing, and the look-ups are rate-limited besides.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
NAME_MAX = 200
# The languages the door speaks, and writes to citizens in; the first when another is asked.
LANGUAGES = ("vi", "km")
NO_CONSENT = gettext_lazy("Tick the box to let us keep your contact, or leave it empty.")

Moderation = Voice.Moderation


def new_tracking_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def spoken(language: str | None) -> str:
    """The language a citizen is written to: `language` if the door speaks it."""
    return language if language in LANGUAGES else LANGUAGES[0]


def language_choices() -> list[tuple[str, str]]:
    """The door's languages, each named in its own words."""
    return [(code, name) for code, name in settings.LANGUAGES if code in LANGUAGES]


def shown(code: str) -> str:
    """A code as a citizen reads it: two groups of five."""
    return f"{code[:5]}-{code[5:]}"


def normalised(typed: str) -> str | None:
    """The code typed, spaces and dashes aside and in capitals; None when it cannot be one
    (so that a malformed code is answered as any other miss, without a query)."""
    code = "".join((typed or "").split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def submit(
    cell: Organisation,
    *,
    category: Category | str | int | None,
    text: str,
    place: str = "",
    name: str = "",
    contact: str = "",
    consent: bool = False,
    language: str | None = None,
    at: datetime | None = None,
) -> Voice:
    """A citizen's voice for `cell`, waiting for review with a new tracking code. Its due dates
    run from now (decision 15): the citizen waits from the moment they spoke. Their contact is
    kept only with their consent; their language (the door's, `language`) is the one they are
    written to in; nothing is counted until a handler accepts it."""
    at = at or timezone.now()
    text = _text(text, required=_("Say what you want to raise."))
    place = _text(place, required="", multiline=False, limit=PLACE_MAX)
    name = _text(name, required="", multiline=False, limit=NAME_MAX)
    contact = _text(contact, required="", multiline=False, limit=NAME_MAX)
    if Voice.contact_without_consent(contact, consent):
        raise VoiceError(str(NO_CONSENT))
    found = _category(category)
    answer_due, resolve_due = found.due_dates(at, urgent=False)
    with transaction.atomic():
        voice = Voice.everything.create(
            cell=cell,
            holder=cell,
            category=found,
            place=place,
            text=text,
            source=Voice.Source.CITIZEN,
            citizen_name=name,
            citizen_contact=contact,
            received_at=at,
            answer_due=answer_due,
            resolve_due=resolve_due,
            tracking_code=new_tracking_code(),
            language=spoken(language),
            moderation=Moderation.WAITING,
        )
        Step.objects.create(voice=voice, kind=Step.Kind.RECORDED, by_org=cell, at=at)
        _tell_reviewers(voice)
    return voice


def _tell_reviewers(voice: Voice) -> None:
    """The cell's own handlers (its secretary, deputy and cell committee) hear once that a voice
    waits for their review; by mail or in the day's digest as each chose. The committees above,
    who may review it too, are not told of every voice of every cell below."""
    users = User.objects.filter(
        is_active=True, member__in=Member.objects.on_cell_committee(voice.cell)
    ).values_list("pk", flat=True)
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=Notification.Kind.VOICE_REVIEW, voice=voice)
        for pk in users
    )


def _waiting(voice: Voice, scope: Scope) -> Voice:
    """The voice locked and read again, if the user handles its cell and it still waits."""
    locked = Voice.everything.select_for_update().select_related("cell").get(pk=voice.pk)
    if not scope.can_handle_voices(locked.cell):
        raise VoiceError(_("This voice is held by an organisation outside yours."))
    if locked.moderation != Moderation.WAITING:
        raise VoiceError(_("This voice was reviewed already."))
    return locked


@transaction.atomic
def accept(voice: Voice, scope: Scope, at: datetime | None = None) -> Step:
    """The voice joins the cell's inbox as received, counted in the month it was submitted."""
    at = at or timezone.now()
    voice = _waiting(voice, scope)
    voice.moderation = Moderation.ACCEPTED
    voice.save(update_fields=["moderation"])
    tally.heard(voice)
    step = Step.objects.create(
        voice=voice, kind=Step.Kind.ACCEPTED, by_org=voice.cell, by=scope.member, at=at
    )
    rollup.refresh({(voice.cell_id, month_of(voice.received_at)), (voice.cell_id, month_of(at))})
    return step


@transaction.atomic
def reject(voice: Voice, reason: str, scope: Scope, at: datetime | None = None) -> Step:
    """Not accepted (abuse, or nothing the cell can hear), for a reason the citizen reads; it
    never reaches an inbox or a count."""
    at = at or timezone.now()
    reason = _text(reason, required=_("Give the reason for not accepting it."))
    voice = _waiting(voice, scope)
    voice.moderation = Moderation.REJECTED
    voice.save(update_fields=["moderation"])
    return Step.objects.create(
        voice=voice, kind=Step.Kind.REJECTED, by_org=voice.cell, by=scope.member, text=reason, at=at
    )
