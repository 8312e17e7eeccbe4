"""Pydantic models of the API's answers and queries, one module per resource."""
