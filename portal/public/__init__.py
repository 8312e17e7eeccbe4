"""Public pages: the start page, the notice, the honour roll and certificate verification."""
