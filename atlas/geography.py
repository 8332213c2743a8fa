"""The atlas's geographic vocabulary, defined once: the levels of its units and the code of the
six countries together. The app (atlas, callbacks, layouts) and the build (geodata) import them."""

from __future__ import annotations

#: The levels of the units, finest first.
LEVELS = ("municipality", "admin1", "country")
#: The levels below the country, finest first: those a country's own map shows.
SUBNATIONAL_LEVELS = LEVELS[:2]
#: The six countries together, at country level (national series, comparable indicators only).
ALL_COUNTRIES = "ALL"
