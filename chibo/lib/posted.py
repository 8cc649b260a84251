"""The data of a form as a view validates it."""

from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one, so that it is validated rather than ignored."""
    return request.POST if request.method == "POST" else None
