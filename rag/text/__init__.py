"""Vietnamese text: folding, provinces, periods, numbers with units, tokens, segments."""
