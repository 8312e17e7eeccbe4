"""The programme office's own pages: its home and the audit trail."""
