"""Application packets (申报材料): forms, members, narratives, evidence files, versions."""
