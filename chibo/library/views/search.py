"""The search page: one box over everything the viewer may see, results grouped by kind."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from chibo.access.scope import scope_for
from chibo.lib import search as words
from chibo.lib.paging import Page, page_number
from chibo.library import searching
from chibo.library.forms.search import KIND_NAMES, SearchForm

# Results on a page: a phone screen or two of titles and passages.
PAGE = 20


@dataclass(frozen=True)
class Shown:
    """A hit as the page shows it: its words marked in the title and in a passage."""

    hit: searching.Hit
    title: SafeString
    passage: SafeString


@dataclass(frozen=True)
class Group:
    kind: str
    name: str
    rows: list[Shown]
    count: int


@require_GET
@login_required
def results(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    form = SearchForm(request.GET, organisations=scope.organisations())
    query = form.query
    context = {"form": form, "query": query, "kind_names": KIND_NAMES}
    if query:
        data = form.cleaned_data
        size = PAGE
        number = page_number(request)
        found = searching.search(
            scope,
            query,
            kind=data["kind"] or None,
            since=data["since"],
            until=data["until"],
            within=data["within"],
            offset=(number - 1) * size,
            limit=size,
        )
        context.update(
            found=found,
            groups=grouped(found, query),
            page=Page(number, number * size < found.total),
            kinds=kind_links(request, found),
        )
    return render(request, "library/search.html", context)


def grouped(found: searching.Results, query: words.Query) -> list[Group]:
    """The page's hits by kind, each group where its best hit ranks, best first within it."""
    groups: dict[str, list[Shown]] = {}
    for hit in found.hits:
        shown = Shown(hit, words.highlight(hit.title, query), words.snippet(hit.text, query))
        groups.setdefault(hit.kind, []).append(shown)
    return [
        Group(kind, KIND_NAMES[kind], rows, found.counts.get(kind, 0))
        for kind, rows in groups.items()
    ]


def kind_links(request: HttpRequest, found: searching.Results) -> list[tuple[str, str, str, bool]]:
    """One link per kind found (and one for everything): its name, count, address, and whether
    it is the one shown; the other filters kept, back to the first page."""
    chosen = request.GET.get("kind", "")
    links = []
    for kind, name in [("", _("Everything")), *KIND_NAMES.items()]:
        count = sum(found.counts.values()) if not kind else found.counts.get(kind, 0)
        if count or kind == chosen:
            asked = request.GET.copy()
            asked.pop("page", None)
            asked["kind"] = kind
            more = bool(found.more) if not kind else kind in found.more
            links.append((name, counted(count, more), f"?{asked.urlencode()}", kind == chosen))
    return links


def counted(count: int, more: bool) -> str:
    """A tab's count; past the cap, "1,000+": the search counts no further."""
    shown = number_format(count, force_grouping=True)
    return gettext("%(count)s+") % {"count": shown} if more else shown
