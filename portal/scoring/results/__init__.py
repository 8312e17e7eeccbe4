"""Scoring results: the ranked candidate list per category, its moves and confirmation."""
