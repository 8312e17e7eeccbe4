"""Accounts: users, roles held, sign-in, password setup and reset, API tokens, user management."""
