"""The words of a duration ("1 month, 3 weeks") as Django's `timesince` and `timeuntil` write
them. Django's own Vietnamese and Khmer catalogues lack them, so chibo's gives them; they are
written out here so that extracting chibo's messages keeps them."""

from django.utils.translation import gettext_noop, ngettext_lazy

# The same words as django.utils.timesince.TIME_STRINGS: the catalogue matches them by msgid.
TIME_STRINGS = {
    "year": ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    "month": ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    "week": ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    "day": ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    "hour": ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    "minute": ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
}
SEPARATOR = gettext_noop(", ")
