"""Every sign-in, failed sign-in and sign-out goes to the audit log. Django announces them by
signals; recording them here is logging only, no rule of the domain."""

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed

from chibo.audit.log import record
from chibo.audit.models import Action
from chibo.orgs.models import Member


def _cell_of(user_id: int | None) -> int | None:
    """The cell of the user's member record: the committees above it read their sign-ins."""
    if user_id is None:
        return None
    return Member.objects.filter(user_id=user_id).values_list("cell_id", flat=True).first()


def signed_in(sender, request, user, **kwargs) -> None:
    record(request, Action.SIGNED_IN, user=user, organisation=_cell_of(user.pk))


def signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(request, Action.SIGNED_OUT, user=user, organisation=_cell_of(user.pk))


def failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password; only the name typed is kept.
    typed = str(credentials.get(get_user_model().USERNAME_FIELD, ""))
    user_id = get_user_model().objects.filter(username=typed).values_list("pk", flat=True).first()
    record(
        request,
        Action.SIGN_IN_FAILED,
        username=typed,
        organisation=_cell_of(user_id),
        detail={"known": user_id is not None},
    )


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="audit_signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="audit_signed_out")
    user_login_failed.connect(failed, dispatch_uid="audit_failed")
