from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_triggers(sender, using: str = "default", **kwargs) -> None:
    if sender.name != "chibo.library":  # once per migrate, after every app's migrations
        return
    from chibo.library.index.schema import install_triggers

    install_triggers(connections[using])


class LibraryConfig(AppConfig):
    name = "chibo.library"
    verbose_name = _("Library")

    def ready(self) -> None:
        # After every migrate of any app: SQLite drops a table's triggers when it rebuilds it.
        post_migrate.connect(_install_triggers, dispatch_uid="chibo.library.search_triggers")
