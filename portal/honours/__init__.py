"""Honours, certificates and three-year dynamic management (动态管理)."""
