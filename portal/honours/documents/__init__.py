"""Word documents of the honours package."""
