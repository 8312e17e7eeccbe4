"""Stored files: evidence uploads kept on local disk or S3, recognised by content."""
