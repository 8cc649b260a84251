"""Forms of the library: they validate, the views save."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.lib.bounds import validate_date
from chibo.library.models import Document, Note, validate_official_number
from chibo.library.shelving import SUFFIXES
from chibo.meetings import documents as files
from chibo.orgs.models import Organisation

FILE_ONLY = _("Send a PDF or Word (.docx) file.")


class DocumentForm(forms.ModelForm):
    """A document's particulars and its file; the documents it amends or replaces are named by
    their official numbers, among those the user may read."""

    file = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_("PDF or Word (.docx). Its text is read for phones and for search."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
    )
    amends_number = forms.CharField(
        label=_("amends the document numbered"),
        required=False,
        max_length=40,
        validators=[validate_official_number],
    )
    replaces_number = forms.CharField(
        label=_("replaces the document numbered"),
        required=False,
        max_length=40,
        validators=[validate_official_number],
    )

    class Meta:
        model = Document
        fields = ["type", "number", "issuer", "issued_on", "title", "summary", "language"]
        fields += ["audience"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self,
        *args,
        committees: QuerySet[Organisation],
        readable: QuerySet[Document],
        national: bool,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.readable = readable
        self.fields["issued_on"].validators = [validate_date]
        audience = self.fields["audience"]
        audience.queryset = committees.select_related("level").order_by("path")
        audience.required = not national
        audience.empty_label = _("Every member (a national document)") if national else None
        audience.help_text = _("Internal documents are read only in that committee's subtree.")
        self.fields["file"].required = not self.instance.file
        for name in ("amends", "replaces"):
            linked = getattr(self.instance, name)
            if linked is not None:
                self.fields[f"{name}_number"].initial = linked.number

    def clean_file(self) -> UploadedFile | None:
        file = self.cleaned_data.get("file")
        if file is None:
            return None
        if Path(file.name or "").suffix.lower() not in SUFFIXES:
            raise ValidationError(FILE_ONLY, code="suffix")
        self.cleaned_data["checked"] = files.check(file)
        return file

    def _linked(self, number: str) -> Document | None:
        if not number:
            return None
        found = self.readable.filter(number=number).exclude(pk=self.instance.pk)
        language = self.data.get("language") or self.instance.language
        # One number may be a Vietnamese text and its Khmer translation: the same language first.
        first = found.filter(language=language).order_by("-issued_on", "-pk").first()
        first = first or found.order_by("-issued_on", "-pk").first()
        if first is None:
            raise ValidationError(
                _("No document numbered %(number)s is in the library."),
                code="unknown",
                params={"number": number},
            )
        return first

    def clean_amends_number(self) -> Document | None:
        return self._linked(self.cleaned_data["amends_number"])

    def clean_replaces_number(self) -> Document | None:
        return self._linked(self.cleaned_data["replaces_number"])

    def _post_clean(self) -> None:
        for name in ("amends", "replaces"):
            if f"{name}_number" in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[f"{name}_number"])
        super()._post_clean()


class NoteForm(forms.ModelForm):
    """The member's private note; empty, it removes the note."""

    class Meta:
        model = Note
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False


class FilterForm(forms.Form):
    """The library's filters, from the address: anything unknown is ignored, not an error."""

    type = forms.ChoiceField(
        label=_("type"), required=False, choices=[("", _("all types")), *Document.Type.choices]
    )
    year = forms.IntegerField(label=_("year"), required=False, min_value=1930, max_value=2100)
    issuer = forms.ChoiceField(label=_("issued by"), required=False)

    def __init__(self, *args, issuers: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = [("", _("all issuers"))] + [(i, i) for i in issuers]

    def filter(self, documents: QuerySet[Document]) -> QuerySet[Document]:
        self.is_valid()  # each valid filter applies; an invalid one is shown with its error
        data = self.cleaned_data
        if data.get("type"):
            documents = documents.filter(type=data["type"])
        if data.get("year"):
            documents = documents.of_year(data["year"])
        if data.get("issuer"):
            documents = documents.filter(issuer=data["issuer"])
        return documents
