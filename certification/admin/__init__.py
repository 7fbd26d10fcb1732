"""The administrators' room in the Wagtail admin: the registry's listings and filters, approval decisions, manual
and bulk issue, revocation and reissue, exports. (Django's admin autodiscovery imports this package and finds
nothing to register: certification uses Wagtail's admin only.)"""
