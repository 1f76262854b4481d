"""Settings split by environment: base, dev, test, prod. Every value comes from ``env``."""
