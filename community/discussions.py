"""Who takes part in a community's discussions: its members read and post; its facilitators moderate.

The board hangs on the network's page in the default language, which holds the members (see ``CommunityPage.network``),
so both translations of a community share one board.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from discussions.access import Access, register_policy

from .models import CommunityPage


def community_access(page: CommunityPage, user) -> Access:
    facilitator = user.is_superuser or page.is_facilitator(user)
    member = facilitator or page.is_member(user)
    return Access(read=member, post=member, moderate=facilitator)


def community_moderators(page: CommunityPage):
    return page.network.facilitators.all()


def community_members(page: CommunityPage):
    return (
        get_user_model()
        .objects.filter(
            Q(community_memberships__community__translation_key=page.translation_key)
            | Q(facilitated_communities=page.network)
        )
        .distinct()
    )


def register():
    register_policy(
        CommunityPage,
        access=community_access,
        moderators=community_moderators,
        home=lambda page: page.network,
        members=community_members,
    )
