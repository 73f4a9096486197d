"""Household-waste production per inhabitant, by stream (ADEME figures).

Shared by the waste-collection kind (demand at collection points) and the development
kind (tonnes added by new residents), so that both count the same waste.

Sources
-------
- Residual household waste (ordures ménagères résiduelles): 254 kg per inhabitant per
  year, ADEME, MODECOM 2017 national characterisation campaign.
- Packaging and paper (emballages et papiers, yellow bin), glass and biowaste: ADEME,
  "Déchets chiffres-clés" (2020 edition, 2017 data); together about 81 kg per inhabitant
  per year for the separately collected recyclables and biowaste the issue names. The
  split below (47 / 31 / 3 kg) is ADEME's national average for door-to-door and drop-off
  collection; change it per commune in the scenario.
"""

from __future__ import annotations

#: kg per inhabitant per year, by stream.
PRODUCTION_KG_PER_INHABITANT_YEAR = {
    "residual": 254.0,
    "packaging": 47.0,
    "glass": 31.0,
    "biowaste": 3.0,
}

#: Streams, in display order.
STREAMS = tuple(PRODUCTION_KG_PER_INHABITANT_YEAR)
