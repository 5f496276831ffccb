"""Recognisers: small pure parsers for dates, places, citations and inline phenomena."""
