"""Where data lives: raw locations, the warehouse's tables, snapshots, state, lock and store."""
