from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chibo.orgs.imports.reader import too_big

SUFFIXES = {".xlsx", ".csv"}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An .xlsx or .csv export of the national member database."),
        widget=forms.FileInput(attrs={"accept": ",".join(sorted(SUFFIXES))}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if Path(file.name).suffix.lower() not in SUFFIXES:
            raise ValidationError(_("Send an .xlsx or a .csv file."), code="suffix")
        if file.size > settings.CHIBO_IMPORT_MAX_BYTES:
            raise ValidationError(too_big(file.size, settings.CHIBO_IMPORT_MAX_BYTES).message)
        return file
