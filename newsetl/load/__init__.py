"""One load: raw files discovered, processed in batches, merged and committed as a snapshot."""
