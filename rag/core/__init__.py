"""Types, errors, configuration and logging: what every layer may import."""
