"""Developer tools kept out of the wheel: the synthetic-article generator and the quality score."""
