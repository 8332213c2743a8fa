"""Country-level (national) MDG reference series for the six countries.

Three compilations hold them (see ``national/SOURCE.md`` in the raw folder):

* Gapminder *Systema Globalis* (DDF csv): one long file ``geo,time,<key>`` per indicator, each
  re-publishing one upstream producer (UN IGME, World Bank, UNESCO UIS, WHO, ...). The registry
  declares one source per upstream producer, so every value carries its producer's name, URL and
  licence; the readers below differ only in the list of files they read.
* World Bank EdStats (DDF csv): files ``year,country,<key>`` -- **year first**, so columns are read
  by name, never by position.
* Our World in Data dataset collection: wide files ``Entity,Year,<columns...>`` keyed by English
  country names.

Every reader returns ``code`` (upper-case ISO3, only the six countries), ``year``, ``variable``
(the producer's indicator key: the DDF key, the WDI code in lower case, or the JMP column name)
and ``value``. Rows whose value is missing in a wide OWID file are dropped: there, an empty cell
only means "this column has no value for this country-year", not a published missing value.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geodata.cells import MissingCodes

#: The countries of the atlas, as ISO3 codes (the ``code`` the readers return).
COUNTRIES = ("BRA", "CHL", "COL", "MEX", "PER", "URY")

#: OWID ``Entity`` names of the six countries.
OWID_ENTITIES = {
    "Brazil": "BRA",
    "Chile": "CHL",
    "Colombia": "COL",
    "Mexico": "MEX",
    "Peru": "PER",
    "Uruguay": "URY",
}

SG_DIR = "national/open-numbers_ddf--gapminder--systema_globalis"
EDSTATS_DIR = "national/open-numbers_ddf--wb--edu"
OWID_DIR = "national/owid_owid-datasets"

# --- Gapminder Systema Globalis: indicator keys grouped by upstream producer -------------------

#: UN Inter-agency Group for Child Mortality Estimation (childmortality.org).
SG_IGME = ("under_five_mortality_from_cme_per_1000_born", "newborn_mortality_rate_per_1000")
#: Gapminder's own compilations (documentation gd006, gd010; infant mortality cites GBD 2017).
SG_GAPMINDER = (
    "infant_mortality_rate_per_1000_births",
    "maternal_mortality_ratio_per_100000_live_births",
    "adults_with_hiv_percent_age_15_49",
)
#: World Bank poverty estimates (PovcalNet / PIP); three PPP rounds, never to be mixed.
SG_WB_POVERTY = (
    "extreme_poverty_percent_people_below_125_a_day",
    "extreme_poverty_percent_people_below_190_a_day",
    "extreme_poverty_percent_people_below_300_a_day",
    "alternative_poverty_percent_below_nationally_defined_poverty",
    "income_share_of_poorest_20percent",
)
#: World Bank World Development Indicators (other indicators republished from WDI).
SG_WDI = (
    "births_attended_by_skilled_health_staff_percent_of_total",
    "malnutrition_weight_for_age_percent_of_children_under_5",
    "contraceptive_use_percent_of_women_ages_15_49",
    "ratio_of_girls_to_boys_in_primary_and_secondary_education_perc",
    "ratio_of_young_literate_females_to_males_percent_ages_15_24",
    "at_least_basic_water_source_overall_access_percent",
    "at_least_basic_sanitation_overall_access_percent",
    "internet_users",
)
#: UNESCO Institute for Statistics.
SG_UIS = (
    "literacy_rate_youth_total_percent_of_people_ages_15_24",
    "literacy_rate_youth_female_percent_of_females_ages_15_24",
    "literacy_rate_youth_male_percent_of_males_ages_15_24",
    "primary_completion_rate_total_percent_of_relevant_age_group",
)
#: WHO/UNICEF Estimates of National Immunization Coverage.
SG_WUENIC = ("mcv_immunized_percent_of_one_year_olds",)
#: WHO (Global Health Observatory; Global TB Programme).
SG_WHO = ("maternal_mortality_ratio_who", "all_forms_of_tb_incidence_per_100000_estimated")
#: ILO (ILOSTAT modelled estimates; the file includes ILO projections beyond the last survey year).
SG_ILOSTAT = ("aged_15plus_employment_rate_percent",)
#: FAO (FAOSTAT / Forest Resources Assessment).
SG_FAO = ("forest_coverage_percent",)

# --- World Bank EdStats ----------------------------------------------------------------------

EDSTATS = (
    "se_prm_nenr",
    "se_prm_tenr",
    "se_prm_prsl_zs",
    "se_prm_cmpt_zs",
    "se_adt_1524_lt_zs",
    "se_enr_prim_fm_zs",
    "se_enr_seco_fm_zs",
    "se_enr_tert_fm_zs",
)

# --- Our World in Data: dataset folder -> {column: variable emitted} ---------------------------

OWID_UNDERNOURISHMENT = (
    "Prevalence of undernourishment - World Bank (2017) & UN SOFI (2018)",
    # WDI code of the series the dataset was built from.
    {"Prevalence of undernourishment (World Bank 2017 & UN FAO SOFI (2018))": "sn_itk_defc_zs"},
)
OWID_WOMEN_PARLIAMENT = (
    "Proportion of seats held by women in national parliaments (%) - World Bank (WDI) (2017)",
    {
        "Proportion of seats held by women in national parliaments (World Bank (WDI) (2017))": "sg_gen_parl_zs",
    },
)
#: JMP 2021: the national (total population) shares only; ``*_rural``, ``*_urban``, ``*_number``
#: and ``*_without`` columns and the hygiene ladder are left out.
_JMP_COLUMNS = (
    "wat_imp",
    "wat_bas",
    "wat_lim",
    "wat_unimp",
    "wat_sur",
    "wat_sm",
    "san_imp",
    "san_bas",
    "san_lim",
    "san_unimp",
    "san_od",
    "san_sm",
)
OWID_JMP = ("Water and Sanitation (WHO WASH, 2021)", {c: c for c in _JMP_COLUMNS})
#: Only the MMEIG 2019 column: the dataset's combined column silently mixes MMEIG modelled
#: estimates with OECD registered ratios (much lower for CHL, COL, MEX), and the OECD column is
#: another producer's series.
OWID_MMR = (
    "Maternal Mortality Ratio (Gapminder (2010), WHO (2019) and OECD (2022))",
    {"maternal_mortality_rate_who_2019": "maternal_mortality_rate_who_2019"},
)


def sg_file(key: str) -> str:
    """Path (relative to the raw folder) of one Systema Globalis indicator file."""
    return f"{SG_DIR}/ddf--datapoints--{key}--by--geo--time.csv"


def edstats_file(key: str) -> str:
    """Path (relative to the raw folder) of one EdStats indicator file."""
    return f"{EDSTATS_DIR}/ddf--datapoints--{key}--by--country--year.csv"


def owid_file(folder: str) -> str:
    """Path (relative to the raw folder) of the CSV of one OWID dataset folder."""
    return f"{OWID_DIR}/{folder}/{folder}.csv"


def _text_csv(path: Path) -> pd.DataFrame:
    """Every cell as text (pandas turns nothing into NaN on its own), with each row's file line."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df.assign(line=df.index + 2)


def _read_ddf(path: Path, key: str, geo: str, time: str, codes: MissingCodes) -> pd.DataFrame:
    """One DDF datapoints file (``<geo>``, ``<time>``, ``<key>`` in any order) for the six countries.

    Columns are looked up by name because the two DDF repositories order them differently.
    """
    df = _text_csv(path)
    if set(df.columns) != {geo, time, key, "line"}:
        raise ValueError(f"expected columns {geo}, {time}, {key}; found {list(df.columns)[:-1]}")
    df = df.assign(code=df[geo].str.upper())
    df = df[df["code"].isin(COUNTRIES)]
    value = codes.numeric(df[key], path, df[["line", geo, time]], column=key)
    return pd.DataFrame({"code": df["code"], "year": df[time], "variable": key, "value": value})


def _read_sg(raw: Path, keys: tuple[str, ...], codes: MissingCodes) -> pd.DataFrame:
    parts = [_read_ddf(raw / sg_file(k), k, "geo", "time", codes) for k in keys]
    return pd.concat(parts, ignore_index=True)


def _read_owid(raw: Path, dataset: tuple[str, dict[str, str]], codes: MissingCodes) -> pd.DataFrame:
    folder, columns = dataset
    path = raw / owid_file(folder)
    df = _text_csv(path)
    missing = [c for c in ("Entity", "Year", *columns) if c not in df.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not in {folder}")
    df = df[df["Entity"].isin(OWID_ENTITIES)]
    long = df.melt(
        id_vars=["Entity", "Year", "line"],
        value_vars=list(columns),
        var_name="column",
        value_name="value",
    )
    long["value"] = codes.numeric(long["value"], path, long[["line", "Entity", "Year", "column"]])
    return pd.DataFrame(
        {
            "code": long["Entity"].map(OWID_ENTITIES),
            "year": long["Year"],
            "variable": long["column"].map(columns),
            "value": long["value"],
        }
    )[long["value"].notna()].reset_index(drop=True)


# --- readers (one per source in geodata/sources/national.toml) ---------------------------------


def _sg_reader(spec):
    """The reader of one Systema Globalis source (``spec``: its concepts and files)."""

    def read(raw: Path, codes: MissingCodes) -> pd.DataFrame:
        return _read_sg(raw, spec, codes)

    return read


read_sg_igme = _sg_reader(SG_IGME)
read_sg_gapminder = _sg_reader(SG_GAPMINDER)
read_sg_wb_poverty = _sg_reader(SG_WB_POVERTY)
read_sg_wdi = _sg_reader(SG_WDI)
read_sg_uis = _sg_reader(SG_UIS)
read_sg_wuenic = _sg_reader(SG_WUENIC)
read_sg_who = _sg_reader(SG_WHO)
read_sg_ilostat = _sg_reader(SG_ILOSTAT)
read_sg_fao = _sg_reader(SG_FAO)


def read_edstats(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    parts = [_read_ddf(raw / edstats_file(k), k, "country", "year", codes) for k in EDSTATS]
    return pd.concat(parts, ignore_index=True)


def read_owid_undernourishment(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    """FAO prevalence of undernourishment; 5.0 is FAO's floor for "< 5 %", kept as published."""
    return _read_owid(raw, OWID_UNDERNOURISHMENT, codes)


def read_owid_women_parliament(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    return _read_owid(raw, OWID_WOMEN_PARLIAMENT, codes)


def read_owid_jmp(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    return _read_owid(raw, OWID_JMP, codes)


def read_owid_mmr(raw: Path, codes: MissingCodes) -> pd.DataFrame:
    return _read_owid(raw, OWID_MMR, codes)
