from .experts import ContactRequest, Expert, ExpertIndexPage
from .networks import CommunityIndexPage, CommunityPage, CommunitySession, Membership

__all__ = [
    "CommunityIndexPage",
    "CommunityPage",
    "CommunitySession",
    "ContactRequest",
    "Expert",
    "ExpertIndexPage",
    "Membership",
]
