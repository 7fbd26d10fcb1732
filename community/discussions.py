"""Who takes part in a community's discussions: its members read and post; its facilitators moderate.

The board hangs on the network's page in the default language, which holds the members (see ``CommunityPage.network``),
so both translations of a community share one board.
"""

from discussions.access import Access, register_policy

from .models import CommunityPage


def community_access(page: CommunityPage, user) -> Access:
    facilitator = user.is_superuser or page.is_facilitator(user)
    member = facilitator or page.is_member(user)
    return Access(read=member, post=member, moderate=facilitator)


def community_moderators(page: CommunityPage):
    return page.network.facilitators.all()


def register():
    register_policy(
        CommunityPage, access=community_access, moderators=community_moderators, home=lambda page: page.network
    )
