from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.orgs.models import Member


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or party card number"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class MemberContactForm(forms.ModelForm):
    """What a secretary keeps up to date; the rest comes from the national database."""

    class Meta:
        model = Member
        fields = ["phone", "citizen_id"]
