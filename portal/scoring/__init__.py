"""Expert review: pool, panels, assignment with conflicts of interest, pledge, score sheets."""
