"""The programme's records after a year ends: archive, retention and backup (档案管理)."""
