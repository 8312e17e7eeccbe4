"""The JSON API (/api/v1): token authentication, routes described by pydantic models."""
