"""Versioned JSON API with bearer-token authentication."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
