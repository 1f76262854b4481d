"""The portal's domain: catalogue, organisations, networks, applications, review, decrees."""
