"""Keep the search index current as pages are published, experts edited and resources reviewed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from community.models import Expert
from resources.models import Resource

from . import indexing


def _after_commit(function, *args):
    transaction.on_commit(lambda: function(*args))


@receiver(page_published)
def page_was_published(sender, instance, **kwargs):
    _after_commit(indexing.index_page, instance)


@receiver(page_unpublished)
def page_was_unpublished(sender, instance, **kwargs):
    _after_commit(indexing.drop, f"page:{instance.pk}")


@receiver(post_delete)
def page_was_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        indexing.drop(f"page:{instance.pk}")


@receiver([post_save, post_delete], sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    # A restriction hides (or its removal shows) the page and everything below it.
    def reindex():
        for page in Page.objects.descendant_of(instance.page, inclusive=True).specific():
            indexing.index_page(page)

    transaction.on_commit(reindex)


@receiver(post_save, sender=Resource)
def resource_saved(sender, instance, **kwargs):
    _after_commit(indexing.index_resource, instance)


@receiver(post_delete, sender=Resource)
def resource_deleted(sender, instance, **kwargs):
    indexing.drop(f"resource:{instance.pk}")


@receiver(post_save, sender=Expert)
def expert_saved(sender, instance, **kwargs):
    _after_commit(indexing.index_expert, instance)


@receiver(post_delete, sender=Expert)
def expert_deleted(sender, instance, **kwargs):
    indexing.drop(f"expert:{instance.pk}")
