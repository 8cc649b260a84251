"""The search box's question: the words typed, and the filters that narrow the answer."""

import uuid

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.lib.bounds import validate_date
from chibo.lib.search import Query, parse
from chibo.library.searching import KINDS
from chibo.orgs.models import Organisation

# What each kind of result is called, in the order results are grouped.
KIND_NAMES = {
    "document": _("Documents"),
    "meeting": _("Meetings"),
    "comment": _("Comments"),
    "task": _("Tasks"),
    "member": _("Members"),
    "voice": _("Voices"),
    "guidance": _("Guidance"),
}
TYPED_MAX = 10_000
# The committees offered to search within: as many as a select on a phone is worth.
WITHIN_MAX = 200


class SearchForm(forms.Form):
    # Longer than a search is cut to (`chibo.lib.search`), so that a long paste is searched by
    # its beginning and says so; beyond this it is refused in words.
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=TYPED_MAX,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("kind"),
        required=False,
        choices=[("", _("everything"))] + [(kind, KIND_NAMES[kind]) for kind in KINDS],
    )
    since = forms.DateField(
        label=_("from"),
        required=False,
        validators=[validate_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("until"),
        required=False,
        validators=[validate_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # Any organisation the viewer may see (a cell's page links here with its own); the select
    # offers the committees.
    within = forms.CharField(label=_("within"), required=False, max_length=36, widget=forms.Select)

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        committees = organisations.committees().order_by("path")
        choices = [(org.code, org.name) for org in committees.only("code", "name")[:WITHIN_MAX]]
        if choices:
            self.fields["within"].widget.choices = [("", _("everywhere I may see")), *choices]
        else:  # one cell's member: nothing to choose, though a link may still carry one
            self.fields["within"].widget = forms.HiddenInput()

    def clean_within(self) -> Organisation | None:
        code = self.cleaned_data["within"]
        if not code:
            return None
        try:
            found = self.organisations.filter(code=uuid.UUID(code)).first()
        except ValueError:
            found = None
        if found is None:
            raise forms.ValidationError(_("Choose an organisation you may see."))
        return found

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date comes before the start date."))
        return data

    @property
    def query(self) -> Query:
        """The question as the index reads it; empty until the form is valid."""
        return parse(self.cleaned_data.get("q", "") if self.is_valid() else "")
