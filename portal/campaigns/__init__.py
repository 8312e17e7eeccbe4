"""Campaigns: one programme year, its dates, categories and quotas, review chain and rubric."""
