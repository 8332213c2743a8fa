"""Every component id of the app, in one place (kebab-case)."""

URL = "url"
PAGE = "page"
LANG = "lang-store"
#: the address (path and query) of the page that came rendered with the layout, until routed
RENDERED = "page-rendered"
#: the address the router's gate in the browser passes on to the server's router (assets/atlas.js)
ROUTE = "page-route"

# map page: controls
COUNTRY = "country-select"
LEVEL = "level-select"
INDICATOR = "indicator-select"
YEAR = "year-select"
VIEW = "view-select"
BASE_YEAR = "base-year-select"
FRAMEWORK = "framework-select"
LOCAL_VALUE = "local-target-value"
LOCAL_YEAR = "local-target-year"
LOCAL_TARGET_FIELDS = "local-target-fields"
CLASSIFICATION = "classification-select"
CLASSES = "classes-select"
BREAKS = "breaks-input"
PALETTE = "palette-select"
BIG = "big-type"
ADMIN1 = "admin1-filter"
TOP = "top-select"
TABS = "view-tabs"
MAP_PANE = "map-pane"
TABLE_PANE = "table-pane"
SEARCH = "unit-search"
SELECTED = "selected-unit"
TABLE_PAGE = "table-page"
GEO = "map-geo"
#: what the browser's ranking holds ("BRA:municipality" for every unit in layer order, "" else)
RANKING_KEY = "ranking-key"
PAINT = "map-paint"
#: The address the view last wrote (its query string): Back and Forward restore any other.
SHOWN = "shown-search"
WRAP = "map-page"

# map page: outputs
MAP = "choropleth"
MAP_TITLE = "map-title"
MAP_CAPTION = "map-caption"
MAP_ALT = "map-alt-text"
MAP_LEGEND = "map-legend"
MAP_NOTES = "map-notes"
RANKING = "ranking"
#: The ranking's box: as tall as the ranking's rows, inside a box that scrolls.
RANKING_BOX = "ranking-box"
SUMMARY = "summary-cards"
UNIT_PANEL = "unit-panel"
#: The selected unit's answer per MDG goal, at the top of its panel.
PLACE_ANSWERS = "place-answers"
#: The button that opens the controls' drawer on a phone, and the drawer.
CONTROLS_TOGGLE = "controls-toggle"
CONTROLS_DRAWER = "controls-drawer"
#: Written by the browser when it fits the map to a frame narrower than the figure assumes.
MAP_FIT = "map-fit"
TABLE = "data-table"
NOTICE = "url-notice"
#: The map's link to its country's section of the data page ("About these data").
DATA_LINK = "data-about-link"
#: The "Download" menu next to the map: the view as PNG, SVG, CSV and XLSX.
EXPORT_MENU = "export-menu"
#: The switches of the layers over the official map, and each layer's caption and text
#: alternative under it (layouts/overlays.py).
LAYERS = "map-layers"
MAP_LAYERS = "map-layer-notes"
#: The selected unit's plan targets, beside the map's target frameworks.
PLAN_TARGETS = "plan-targets"


def field(control: str) -> str:
    """The id of the labelled field (label + control) that holds ``control``."""
    return f"{control}-field"


def export_link(fmt: str) -> str:
    """The id of the map's download link of the view as ``fmt`` (png, svg, csv, xlsx)."""
    return f"export-{fmt}"


def lang_link(lang: str) -> str:
    """The id of the header's link to the current page in ``lang``."""
    return f"lang-link-{lang}"


# compare page
#: The compare page's search box (add a place by name) and the link that adds the chosen place.
COMPARE_SEARCH = "compare-search"
COMPARE_ADD = "compare-add"
#: The map page's share menu (layouts/share.py)
SHARE = "share-menu"
SHARE_URL = "share-url"
SHARE_EMBED = "share-embed"
SHARE_X = "share-x"
SHARE_FACEBOOK = "share-facebook"
SHARE_WHATSAPP = "share-whatsapp"
SHARE_LINKEDIN = "share-linkedin"
SHARE_EMAIL = "share-email"

# map page: presentation mode and workshop tours (layouts/present.py, callbacks/present.py)
#: Presentation mode (bool), the tour (its URL parameter) and the slide shown: the view's state.
PRESENT = "present-store"
TOUR = "tour-store"
SLIDE = "slide-store"
PRESENT_ON = "present-on"
PRESENT_OFF = "present-off"
PRESENT_CONTRAST = "present-contrast"
PRESENT_LAYER = "present-layer"
#: The selected unit's answer for the mapped indicator, large, in presentation mode.
PRESENT_CARD = "present-card"
TOUR_BAR = "tour-bar"
TOUR_PREV = "tour-prev"
TOUR_NEXT = "tour-next"
TOUR_PANEL = "tour-panel"
TOUR_ADD = "tour-add"
TOUR_LIST = "tour-list"
TOUR_LINK = "tour-link"
TOUR_START = "tour-start"
TOUR_ERROR = "tour-error"
#: Pattern-matching ids of each slide's title and note fields and its move/remove buttons.
TOUR_TITLE = "tour-title"
TOUR_NOTE = "tour-note"
TOUR_EDIT = "tour-edit"
