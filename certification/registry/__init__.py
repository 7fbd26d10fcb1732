"""The registry: programmes and who is eligible for them, certificates, serials, issuing, renewal, revocation, the
holders' e-mail, and lookups of the registry by code, public id or PDF hash."""
