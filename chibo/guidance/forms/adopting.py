"""The one thing a cell writes about guidance: why it leaves a required point out."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.guidance.models import Adoption
from chibo.lib.text import validate_plain_text

REASON_MAX = Adoption._meta.get_field("reason").max_length


class LeaveOutForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the cell leaves it out"),
        max_length=REASON_MAX,
        validators=[validate_plain_text],
        error_messages={
            "required": _("Say in a few words why the cell leaves this point out this time."),
            "max_length": _(
                "Keep the reason within %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
