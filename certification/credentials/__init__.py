"""Certificates as Open Badges 3.0 credentials: the signed VC-JWT, the issuer profile and its JWKS, the revocation
status, and their stable machine URLs under /credentials/."""
