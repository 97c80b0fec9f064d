"""Geocoding: the offline gazetteer, online providers and the service that uses them."""
