"""Executive summaries (extractive and LLM map-reduce) and their export."""
