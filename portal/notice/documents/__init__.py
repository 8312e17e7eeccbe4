"""Word documents of the public notice."""
