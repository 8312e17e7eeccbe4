"""The channel review chain: routing, stage decisions, the office's formal check."""
