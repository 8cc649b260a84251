"""Django's password rules, in chibo's own words (Django's Khmer catalogue lacks them)."""

from django.contrib.auth import password_validation as django
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: use at least %(min_length)d characters.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        )

    def get_help_text(self) -> str:
        return ngettext(
            "At least %(min_length)d characters. A few words strung together are easy to "
            "remember and hard to guess.",
            "At least %(min_length)d characters. A few words strung together are easy to "
            "remember and hard to guess.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("This password is too like your %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Not like your username, name or e-mail address.")


class CommonPasswordValidator(django.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is among the most common ones, which are tried first.")

    def get_help_text(self) -> str:
        return _("Not a commonly used password.")


class NumericPasswordValidator(django.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is only digits.")

    def get_help_text(self) -> str:
        return _("Not only digits.")
