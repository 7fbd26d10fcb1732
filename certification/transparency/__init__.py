"""The registry's public transparency log: a Merkle tree (RFC 9162) of every issue and revocation, with signed
tree heads, inclusion and consistency proofs. ``rfc9162`` and ``verifier`` use only the standard library and
``cryptography``, so anyone can run the verifier without Django."""
