"""Report display: what a notebook shows (protected tables, charts, texts, the financial and goal
pages) in Swedish formatting. Imports from the statistics and input layers only."""
