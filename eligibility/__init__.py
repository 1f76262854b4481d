"""Eligibility: the rules engine (``core``, pure Python) and its bridges to Django (``adapters``)."""
