"""A member self-assesses on a phone, from the notification to the saved form; the cell, the
committee and the standing committee take their steps; she then reads the decision."""

import pytest

from chibo.conftest import sign_in
from chibo.quality.evaluation.process import open_round, take_step
from chibo.quality.models import Evaluation
from chibo.quality.models.evaluation import verify
from chibo.quality.tests.test_evaluation_views import (
    APPRAISAL,
    DECISION,
    MAI,
    YEAR,
    evaluation_of,
    post,
    seat_the_chain,
)

pytestmark = pytest.mark.browser

STRENGTHS = "Gương mẫu trong công tác dân vận. ការងារល្អ"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_member_self_assesses_on_a_phone_and_the_chain_reaches_a_decision(world, page):
    seat_the_chain(world)
    open_round(world.city, world.committee, **YEAR)
    mai = evaluation_of(MAI)
    sign_in(page, "mai")

    page.goto("/notifications/")
    page.click(f"a[href='/quality/evaluations/{mai.code}/']")
    page.wait_for_url(f"**/quality/evaluations/{mai.code}/")
    assert fits_the_phone(page)
    page.fill("textarea[name=strengths]", STRENGTHS)
    page.fill("textarea[name=shortcomings]", "Đôi khi chậm báo cáo")
    page.fill("textarea[name=results]", "Hoàn thành các nhiệm vụ được giao")
    page.fill("input[name=self_score]", "88")
    page.select_option("select[name=self_grade]", "good")
    page.click("#step-form button[type=submit]")
    page.wait_for_selector("#self_assessed dl.profile")
    assert STRENGTHS in page.inner_text("#self_assessed")
    assert fits_the_phone(page)
    # Each value has the screen's width under its label, not a squeezed column beside it.
    widths = page.eval_on_selector_all("main dl.profile dd", "dds => dds.map(dd => dd.clientWidth)")
    assert min(widths) > 250

    mai.refresh_from_db()
    assert (mai.status, mai.self_score, mai.self_grade) == (
        Evaluation.Step.SELF_ASSESSED,
        88,
        "good",
    )
    assert post(world, "secretary", mai, "comment", {"comment": "Nhất trí"}).status_code == 302
    take_step(mai, Evaluation.Step.APPRAISED, world.supervisor, APPRAISAL)
    take_step(mai, Evaluation.Step.DECIDED, world.committee, DECISION)

    page.reload()
    page.wait_for_selector("#decided dl.profile")
    assert "85/100" in page.inner_text("#decided")
    assert page.locator("#step-form").count() == 0
    assert fits_the_phone(page)
    mai.refresh_from_db()
    assert mai.locked and verify(mai, list(mai.events.all())) is None
