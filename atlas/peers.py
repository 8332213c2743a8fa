"""The numbers of the peers method, shared by the build (geodata/peers.py, which computes the
peers) and the pages (the profile shows them, the methodology page states them). Changing one
rebuilds the store (the build's fingerprint covers this file)."""

#: The indicators the "like" peers are compared on, besides population (geodata/peers.py says
#: why these: the catalog marks infant mortality comparable; illiteracy is defined alike enough).
FEATURES = ("infant_mortality", "illiteracy")
POPULATION = "population"
#: The indicators whose observed pace "better" peers are ranked on.
PACE_FEATURES = FEATURES
FRAMEWORK = "mdg2015"
K_SAME = 5  # peers in the unit's own country
K_OTHER = 3  # peers in each other country
K_BETTER = 5
#: a similar start: baseline value within this share of the unit's own, ...
BASELINE_WINDOW = 0.10
#: ... and baseline year within this many years of the unit's
BASELINE_YEARS = 10
