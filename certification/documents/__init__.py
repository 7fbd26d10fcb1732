"""The certificate as a document: what it says (the snapshot), the PDF drawn from it, its PAdES signature, and the
platform's keys. Knows no model: a document is made from a snapshot only."""
