"""A report's PDF is typeset once per state of the indicators it shows and per language."""

from chibo.quality import rollup
from chibo.quality.tests.test_reports import download, last_month


def test_it_typesets_a_report_once_per_state_of_the_indicators(
    slipping,
    renders,
    django_capture_on_commit_callbacks,
):
    period = last_month()
    first = download(slipping, "committee", slipping.ward, period, "pdf").content
    assert download(slipping, "committee", slipping.ward, period, "pdf").content == first
    download(slipping, "committee", slipping.ward, period, "pdf", "km")
    assert len(renders) == 2
    with django_capture_on_commit_callbacks(execute=True):
        rollup.refresh([(slipping.cell.pk, period.first)])
    download(slipping, "committee", slipping.ward, period, "pdf")
    assert len(renders) == 3
