"""Signals other apps listen to, so that ``resources`` never needs to know who cares about accepted resources."""

import django.dispatch
from django.db import transaction

# Sent with ``user_ids=`` (the authors and co-authors) after the transaction commits, when a resource is accepted.
# Certification listens: a programme may ask for accepted resources.
resource_accepted = django.dispatch.Signal()


def announce_acceptance(resource):
    user_ids = [resource.author_id, *resource.co_authors.values_list("pk", flat=True)]
    transaction.on_commit(lambda: resource_accepted.send(sender=resource_accepted, user_ids=user_ids))
