"""The programme's application conditions (申报条件) as campaign data, evaluated on each packet, and
its integrity rules: findings of fabricated material, the bar on the next campaign, double
nominations."""
