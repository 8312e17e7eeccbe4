"""Joint approval (会签), public notice (公示) and objections (异议)."""
