"""A voice from the moment a member records it to its close: taken up, answered, passed up the
tree, resolved or declined (DOMAIN.md rule 15).

Each function checks what it may not do and raises `VoiceError` with a message for the person,
changing nothing; otherwise it records a `Step`, tells whoever raised or recorded the voice (a
citizen who left an e-mail address by mail, once the step is saved), keeps the cell's indicator
rows and the tally current, and returns the step: what it changed.
"""

from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from chibo.access.scope import Scope
from chibo.lib.months import month_of
from chibo.lib.text import validate_multiline_text, validate_plain_text
from chibo.meetings.models import Meeting
from chibo.notify.models import Notification
from chibo.orgs.models import STANDING, Member, Organisation, Position, User
from chibo.quality import rollup
from chibo.voices import tally, tasks
from chibo.voices.models import PLACE_MAX, TEXT_MAX, Category, Step, Voice

State, Kind = Voice.State, Step.Kind
# Who hears that a voice is overdue: a cell's secretary and deputy, a committee's standing
# committee.
LEADERS = STANDING
NO_CONSENT = gettext_lazy(
    "Tick the box if the citizen agrees that their contact is kept, or leave the contact empty."
)


class VoiceError(Exception):
    """A change refused, with a message for the person who asked."""


def _text(value: str, *, required: str, multiline: bool = True, limit: int = TEXT_MAX) -> str:
    """`value` stripped, or the error `required` when empty; refused when too long or when it
    hides control or invisible characters."""
    value = (value or "").strip()
    if not value and required:
        raise VoiceError(required)
    if len(value) > limit:
        raise VoiceError(
            _("Keep it to %(max)d characters (it has %(n)d).") % {"max": limit, "n": len(value)}
        )
    try:
        (validate_multiline_text if multiline else validate_plain_text)(value)
    except ValidationError as error:
        raise VoiceError(error.messages[0]) from None
    return value


def _category(category: Category | str | int | None) -> Category:
    if isinstance(category, Category):  # chosen in a form, read from the database just now
        return category
    if isinstance(category, str) and not category.isdigit():
        found = Category.objects.filter(slug=category).first()
    elif category not in (None, ""):
        found = Category.objects.filter(pk=int(category)).first()
    else:
        found = None
    if found is None:
        raise VoiceError(_("Choose one of the categories."))
    return found


def record(
    cell: Organisation,
    scope: Scope,
    *,
    category: Category | str | int | None,
    text: str,
    place: str = "",
    urgency: str = Voice.Urgency.NORMAL,
    source: str = Voice.Source.SELF,
    raised_by: Member | None = None,
    citizen_name: str = "",
    citizen_contact: str = "",
    consent: bool = False,
    language: str = "",
    meeting: Meeting | None = None,
    at: datetime | None = None,
) -> Voice:
    """A voice heard in `cell`, recorded by the user of `scope`: held by the cell, its due dates
    set by its category and urgency. A citizen's contact is kept only with their consent (given
    without it, it is refused); a citizen's voice gets a tracking code, as at the public door,
    and the language they are written to in (`language`, or the member's)."""
    at = at or timezone.now()
    if not scope.can_record_voice(cell):
        raise VoiceError(_("You may record voices only for your own cell."))
    text = _text(text, required=_("Say what was raised."))
    place = _text(place, required="", multiline=False, limit=PLACE_MAX)
    found = _category(category)
    if urgency not in Voice.Urgency.values or source not in Voice.Source.values:
        raise VoiceError(_("Choose one of the options."))
    citizen_name = _text(citizen_name, required="", multiline=False, limit=200)
    citizen_contact = _text(citizen_contact, required="", multiline=False, limit=200)
    if source == Voice.Source.SELF:
        raised_by = scope.member
    elif source == Voice.Source.MEMBER:
        if raised_by is None or raised_by.cell_id != cell.pk:
            raise VoiceError(_("Choose the member of the cell who raised it."))
    else:
        raised_by = None
    tracking_code = None
    if source != Voice.Source.CITIZEN:
        citizen_name = citizen_contact = language = ""
    elif Voice.contact_without_consent(citizen_contact, consent):
        raise VoiceError(str(NO_CONSENT))
    else:
        # The door's code: the citizen follows the voice on its tracking page as if they had
        # left it there.
        from chibo.voices import door  # the door's module imports this one

        tracking_code, language = door.new_tracking_code(), door.spoken(language or get_language())
    if meeting is not None and meeting.cell_id != cell.pk:
        raise VoiceError(_("The meeting is not one of this cell's."))
    answer_due, resolve_due = found.due_dates(at, urgency == Voice.Urgency.URGENT)
    with transaction.atomic():
        voice = Voice.objects.create(
            cell=cell,
            holder=cell,
            category=found,
            place=place,
            urgency=urgency,
            text=text,
            source=source,
            raised_by=raised_by,
            citizen_name=citizen_name,
            citizen_contact=citizen_contact,
            recorded_by=scope.member,
            meeting=meeting,
            received_at=at,
            answer_due=answer_due,
            resolve_due=resolve_due,
            tracking_code=tracking_code,
            language=language,
        )
        Step.objects.create(voice=voice, kind=Kind.RECORDED, by_org=cell, by=scope.member, at=at)
        tally.heard(voice)
        rollup.refresh({(cell.pk, month_of(at))})
    return voice


def _acting(voice: Voice, scope: Scope) -> Voice:
    """The voice locked and read again, if the user handles it and it is still open."""
    locked = Voice.objects.select_for_update().select_related("holder", "cell").get(pk=voice.pk)
    if not scope.can_handle_voices(locked.holder):
        raise VoiceError(_("This voice is held by an organisation outside yours."))
    if not locked.is_open:
        raise VoiceError(_("This voice is closed already."))
    return locked


def _step(voice: Voice, kind: str, scope: Scope, at: datetime, text: str = "", to=None) -> Step:
    step = Step.objects.create(
        voice=voice, kind=kind, by_org=voice.holder, to_org=to, by=scope.member, text=text, at=at
    )
    _tell(voice, scope)
    _tell_citizen(voice, step)
    _refresh(voice, at)
    return step


def _refresh(voice: Voice, at: datetime) -> None:
    """The cell's rows that count the voice: the month it was received, and this one."""
    rollup.refresh({(voice.cell_id, month_of(voice.received_at)), (voice.cell_id, month_of(at))})


def _tell(voice: Voice, scope: Scope) -> None:
    """Whoever raised or recorded the voice hears of each step (but not of their own)."""
    members = {voice.raised_by_id, voice.recorded_by_id} - {None, scope.member_id}
    users = User.objects.filter(is_active=True, member__in=members).values_list("pk", flat=True)
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=Notification.Kind.VOICE, voice=voice) for pk in users
    )


def _tell_citizen(voice: Voice, step: Step) -> None:
    """A citizen who left an e-mail address is mailed of each step meant for them, by the
    worker once the step is saved (a step rolled back mails nobody)."""
    if step.kind in Step.NEWS_FOR_THE_CITIZEN and voice.citizen_email:
        transaction.on_commit(partial(tasks.tell_citizen.enqueue, step.pk))


@transaction.atomic
def start(voice: Voice, scope: Scope, at: datetime | None = None) -> Step:
    """The holder takes the voice up."""
    at = at or timezone.now()
    voice = _acting(voice, scope)
    if voice.state == State.IN_PROGRESS:
        raise VoiceError(_("This voice is in progress already."))
    voice.state = State.IN_PROGRESS
    voice.save(update_fields=["state"])
    return _step(voice, Kind.STARTED, scope, at)


@transaction.atomic
def answer(voice: Voice, text: str, scope: Scope, at: datetime | None = None) -> Step:
    """An answer to the person who raised it; the first one stops the first answer's clock."""
    at = at or timezone.now()
    text = _text(text, required=_("Write the answer."))
    voice = _acting(voice, scope)
    voice.state = State.ANSWERED
    fields = ["state"]
    if voice.first_answered_at is None:
        voice.first_answered_at = at
        fields.append("first_answered_at")
    voice.save(update_fields=fields)
    return _step(voice, Kind.ANSWERED, scope, at, text)


@transaction.atomic
def pass_up(voice: Voice, note: str, scope: Scope, at: datetime | None = None) -> Step:
    """To the organisation directly above the holder, with a note saying why; refused at the
    top of the tree. The due dates stay: the person waits no longer for it."""
    at = at or timezone.now()
    note = _text(note, required=_("Say why it is passed up."))
    voice = _acting(voice, scope)
    below = voice.holder
    above = Organisation.objects.filter(path=below.path[: -Organisation.steplen]).first()
    if above is None:
        raise VoiceError(_("There is no organisation above this one to pass it to."))
    voice.holder, voice.state = above, State.PASSED_UP
    voice.save(update_fields=["holder", "state"])
    step = Step.objects.create(
        voice=voice,
        kind=Kind.PASSED_UP,
        by_org=below,
        to_org=above,
        by=scope.member,
        text=note,
        at=at,
    )
    _tell(voice, scope)
    _tell_citizen(voice, step)
    _refresh(voice, at)
    return step


@transaction.atomic
def resolve(voice: Voice, text: str, scope: Scope, at: datetime | None = None) -> Step:
    """Closed as settled, saying how; counts as the first answer if none was given."""
    at = at or timezone.now()
    text = _text(text, required=_("Say how it was resolved."))
    voice = _acting(voice, scope)
    voice.state, voice.resolved_at = State.RESOLVED, at
    voice.first_answered_at = voice.first_answered_at or at
    voice.save(update_fields=["state", "resolved_at", "first_answered_at"])
    tally.closed(voice)
    return _step(voice, Kind.RESOLVED, scope, at, text)


@transaction.atomic
def decline(voice: Voice, reason: str, scope: Scope, at: datetime | None = None) -> Step:
    """Closed without acting on it, for a reason the person reads."""
    at = at or timezone.now()
    reason = _text(reason, required=_("Give the reason for declining."))
    voice = _acting(voice, scope)
    voice.state, voice.resolved_at = State.DECLINED, at
    voice.first_answered_at = voice.first_answered_at or at
    voice.save(update_fields=["state", "resolved_at", "first_answered_at"])
    tally.closed(voice)
    return _step(voice, Kind.DECLINED, scope, at, reason)


def flag_overdue(at: datetime | None = None) -> int:
    """Tell the leaders of each organisation holding a voice newly overdue, and those of the
    committee directly above it, once for each time it falls due (a first answer late, then
    its resolution); recompute the cells' month. Returns the voices flagged (`chibo remind`,
    every hour)."""
    at = at or timezone.now()
    # A voice flagged when its first answer was late falls due again with its resolution.
    again = Q(resolve_due__gt=F("overdue_flagged_at"), resolve_due__lte=at)
    due = list(
        Voice.objects.overdue(at)
        .filter(Q(overdue_flagged_at__isnull=True) | again)
        .values_list("pk", "cell_id", "holder__path")
    )
    if not due:
        return 0
    above = {path: [path, path[: -Organisation.steplen]] for _pk, _cell, path in due}
    leaders = (
        Position.objects.current(timezone.localdate(at))
        .filter(organisation__path__in={p for paths in above.values() for p in paths if p})
        .filter(kind__in=LEADERS, member__user__is_active=True)
        .values_list("organisation__path", "member__user_id")
    )
    users_at: dict[str, set[int]] = {}
    for path, user_id in leaders:
        if user_id is not None:
            users_at.setdefault(path, set()).add(user_id)
    notifications = [
        Notification(recipient_id=user_id, kind=Notification.Kind.VOICE_OVERDUE, voice_id=pk)
        for pk, _cell, path in due
        for user_id in set().union(*(users_at.get(p, set()) for p in above[path]))
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(notifications, batch_size=1000)
        Voice.objects.filter(pk__in=[pk for pk, _cell, _path in due]).update(overdue_flagged_at=at)
        rollup.refresh({(cell_id, month_of(at)) for _pk, cell_id, _path in due})
    return len(due)
