from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.access.personal import Personal
from chibo.orgs.models import Member, Organisation

if TYPE_CHECKING:
    from chibo.access.scope import Scope


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or party card number"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class MemberContactForm(forms.ModelForm):
    """What a secretary keeps up to date; the rest comes from the national database.

    A field the editor sees masked (`access.personal`) starts empty, with its mask as a hint:
    they may replace it, and leaving it empty keeps it. One they may not see is left out.
    """

    class Meta:
        model = Member
        fields = ["phone", "citizen_id"]

    def __init__(self, *args, personal: Personal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kept: set[str] = set()
        for name in list(self.fields):
            value = getattr(personal, name)
            if value is None:
                del self.fields[name]
            elif value.masked:
                self.kept.add(name)
                self.initial[name] = ""
                field = self.fields[name]
                field.required = False
                field.widget.attrs["placeholder"] = value.value
                field.help_text = _("Hidden: personal data. Leave empty to keep it.")

    def clean(self) -> dict:
        data = super().clean()
        for name in self.kept:
            if not data.get(name):
                data[name] = getattr(self.instance, name)
        return data


def tell_apart(field: forms.ModelChoiceField, scope: "Scope | None") -> None:
    """Name the members a field offers so that two of one name can be told apart, with what
    the user picking may see of them (`Scope.member_labels`)."""
    if scope is None:
        return
    labels = scope.member_labels(field.queryset)
    field.label_from_instance = lambda member: labels.get(member.pk, member.full_name)


class OrganisationForm(forms.ModelForm):
    """The settings an organisation keeps itself: the language of its official documents."""

    class Meta:
        model = Organisation
        fields = ["language"]
        help_texts = {
            "language": _(
                "Minutes, resolutions and reports are made in it; anyone may download them in "
                "their own language too."
            )
        }
