import base64
import binascii

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.orgs.models import User

# The largest id a row of the database may have (a signed 64-bit integer).
ID_MAX = 2**63 - 1


class MailForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["channels", "mail", "language"]
        labels = {
            "channels": _("Tell me of notifications"),
            "mail": _("E-mail me"),
            "language": _("Language of e-mails and calendars"),
        }
        widgets = {"channels": forms.RadioSelect, "mail": forms.RadioSelect}


class ReadForm(forms.Form):
    """Mark as read up to the newest notification the person saw, not one that came since."""

    upto = forms.IntegerField(min_value=1, max_value=ID_MAX)


class NewAddressForm(forms.Form):
    token = forms.CharField(max_length=64)


def _base64url(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, binascii.Error):
        raise forms.ValidationError(_("Not base64url.")) from None


class SubscriptionForm(forms.Form):
    """What a browser's `PushSubscription.toJSON()` holds. The endpoint must be HTTPS, as every
    push service is: the worker posts to it, and must not be pointed at the local network."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(max_length=100)
    auth = forms.CharField(max_length=50)

    def clean_endpoint(self) -> str:
        endpoint = self.cleaned_data["endpoint"]
        if not endpoint.startswith("https://"):
            raise forms.ValidationError(_("A push service is reached over HTTPS."))
        return endpoint

    def clean_p256dh(self) -> str:
        value = self.cleaned_data["p256dh"]
        point = _base64url(value)
        # An uncompressed point of the P-256 curve (RFC 8291).
        if len(point) != 65 or point[0] != 4:
            raise forms.ValidationError(_("Not a P-256 public key."))
        return value

    def clean_auth(self) -> str:
        value = self.cleaned_data["auth"]
        if len(_base64url(value)) != 16:
            raise forms.ValidationError(_("Not a 16-byte secret."))
        return value


class UnsubscribeForm(forms.Form):
    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
