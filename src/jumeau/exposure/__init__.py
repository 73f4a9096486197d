"""Exposure: what stands in each flood zone of the territory.

The static answer a mayor asks first: in each flood zone (scenario) and hazard class,
how many buildings, residents (and residents aged 75 or over, where the data has them),
dwellings, kilometres of road and critical facilities. No physics: a spatial overlay of
the territory's layers with its regulatory flood zones (TRI, PPRI, AZI).
"""

from jumeau.exposure.simulate import ExposureParams, ExposureResult, simulate

__all__ = ["ExposureParams", "ExposureResult", "simulate"]
