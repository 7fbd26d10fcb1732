"""Wagtail looks for an app's hooks in this module; certification's are in its admin room."""

from .admin import hooks  # noqa: F401
