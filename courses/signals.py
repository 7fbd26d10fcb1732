"""Signals other apps listen to, so that ``courses`` never needs to know who cares about learning progress."""

import django.dispatch
from django.db import transaction

# Sent with ``user=`` after the transaction commits, whenever one of that user's modules or courses completes or
# an attendance of theirs is recorded. Certification listens and re-evaluates the user's eligibility.
progress_changed = django.dispatch.Signal()


def announce_progress(user):
    """Send ``progress_changed`` for ``user`` once the current transaction has committed."""
    transaction.on_commit(lambda: progress_changed.send(sender=progress_changed, user=user))
