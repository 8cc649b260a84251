from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.orgs.models import User

# The largest id a row of the database may have (a signed 64-bit integer).
ID_MAX = 2**63 - 1


class MailForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["mail", "language"]
        labels = {"mail": _("E-mail me"), "language": _("Language of e-mails and calendars")}
        widgets = {"mail": forms.RadioSelect}


class ReadForm(forms.Form):
    """Mark as read up to the newest notification the person saw, not one that came since."""

    upto = forms.IntegerField(min_value=1, max_value=ID_MAX)


class NewAddressForm(forms.Form):
    token = forms.CharField(max_length=64)
