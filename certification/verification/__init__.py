"""Verifying a certificate in public: by verification code, by the QR code's public id, by an uploaded PDF, with
per-client throttling and the verification pages."""
