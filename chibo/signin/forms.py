import math

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.orgs.models import User
from chibo.signin import factors


class CodeField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            label=_("Code"),
            max_length=32,
            widget=forms.TextInput(
                attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
            ),
            **kwargs,
        )


class ConfirmForm(forms.Form):
    """The first code of a new authenticator."""

    code = CodeField(help_text=_("The six digits your app shows now."))

    def __init__(self, device: TOTPDevice, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if not factors.confirm(self.device, code):
            raise forms.ValidationError(
                _("This is not the code the app shows. Check the time on your phone and try again.")
            )
        return code


class VerifyForm(forms.Form):
    """The second factor at sign-in: the app's code, or a recovery code."""

    code = CodeField(
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes.")
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device: Device | None = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        try:
            self.device = factors.check(self.user, code)
        except factors.Throttled as throttled:
            seconds = math.ceil((throttled.until - timezone.now()).total_seconds())
            raise forms.ValidationError(
                ngettext(
                    "Too many wrong codes. Try again in %(seconds)d second.",
                    "Too many wrong codes. Try again in %(seconds)d seconds.",
                    seconds,
                )
                % {"seconds": max(seconds, 1)}
            ) from None
        if self.device is None:
            raise forms.ValidationError(_("This code is not right, or was already used."))
        return code
