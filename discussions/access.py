"""Who may read, post and moderate on a board: said by the app that owns the board's page.

An app registers a policy for its page model (``community`` for community networks, ``courses`` for course Q&A), so
this app never imports them. A page without a policy has a closed board.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class Access:
    read: bool = False
    post: bool = False
    moderate: bool = False
    # Course Q&A: a moderator may mark a moderator's reply as the answer.
    answers: bool = False


CLOSED = Access()


@dataclass(frozen=True)
class Policy:
    access: Callable  # (page, user) -> Access, for a signed-in, active user
    moderators: Callable  # (page) -> users told of reports
    home: Callable  # (page) -> the page the board hangs on (one board for every translation)
    members: Callable  # (page) -> users who may read the board (whom a post may mention)


_policies: dict[str, Policy] = {}


def register_policy(page_model: type[Model], *, access, moderators, home, members) -> None:
    _policies[page_model._meta.label_lower] = Policy(access, moderators, home, members)


def policy_for(page) -> Policy | None:
    return _policies.get(page._meta.label_lower)


def access_for(board, user) -> Access:
    if not user.is_authenticated or not user.is_active:
        return CLOSED
    page = board.page.specific
    policy = policy_for(page)
    return policy.access(page, user) if policy is not None else CLOSED


def moderators_of(board):
    policy = policy_for(board.page.specific)
    return list(policy.moderators(board.page.specific)) if policy is not None else []


def members_of(board):
    policy = policy_for(board.page.specific)
    return policy.members(board.page.specific) if policy is not None else []
