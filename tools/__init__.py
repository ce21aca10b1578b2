"""Development tools that do not ship in the wheel (the synthetic corpus generator)."""
