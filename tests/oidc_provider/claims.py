from oauth2_provider.oauth2_validators import OAuth2Validator

UNVERIFIED_PREFIX = "unverified-"


class ClaimsValidator(OAuth2Validator):
    """The claims the education cloud releases: name, e-mail (verified or not) and school.

    This provider keeps the full name in ``first_name`` and the school in ``last_name``; an account whose username
    starts with ``unverified-`` has an e-mail address the provider never verified.
    """

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "school": "profile",
    }

    def get_additional_claims(self, request):
        user = request.user
        return {
            "name": user.first_name,
            "email": user.email,
            "email_verified": not user.username.startswith(UNVERIFIED_PREFIX),
            "school": user.last_name,
        }
