"""One adapter module per country (plus ``national``).

Each module provides

* ``read_units(raw: Path) -> geopandas.GeoDataFrame`` with columns ``code`` (official code, str,
  leading zeros kept), ``name`` (proper case, accents), ``admin1_code`` (str), ``admin1_name``
  and ``geometry`` (EPSG:4326). The level of these units is declared in ``sources.toml``
  (``[country.XXX] unit_level``).
* one reader per source declared in ``geodata/sources.toml`` (``reader = "bra:read_atlas2013"``),
  ``reader(raw: Path) -> pandas.DataFrame`` in the long layout of :data:`geodata.registry.LONG_COLUMNS`.

Readers only read and normalise: the indicator catalog (``atlas/catalog/``) says which variables
become which indicators, so no semantic choice is hidden here.
"""
