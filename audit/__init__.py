"""The audit trail: an append-only record of every privileged action on a person or a certificate.

Every app records through :func:`audit.record`; the app sits just above the ground floor so that any app may.
"""
