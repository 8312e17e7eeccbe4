"""Recommendation upward (向全国推荐): the office picks, from the city's current honour holders,
those it recommends to the national programme (全国用户满意服务明星), ranks them, and exports
the list with each holder's packet summary as one Word document."""
