"""The atlas method: targets, progress classes, roll-ups, territorial inequality, uncertainty.

Plain Python (numpy, pandas, PySAL ``inequality``); no Dash, no I/O besides ``targets.toml`` (the
words for statuses and frameworks are ``target.*`` messages, read through :mod:`atlas.i18n`).
The methodology page is docs/method.md.
"""

from atlas.method.inequality import (
    BetaConvergence,
    InequalitySummary,
    OffTrackShare,
    TheilDecomposition,
    beta_convergence,
    coefficient_of_variation,
    gini,
    inequality_table,
    max_min_ratio,
    percentile_ratio,
    share_off_track,
    sigma_convergence,
    summarize,
    theil,
    theil_decomposition,
)
from atlas.method.progress import (
    OFF_TRACK_STATUSES,
    PROGRESS_FIELDS,
    STATUS_RANK,
    STATUSES,
    TARGET_STATUSES,
    TREND_STATUSES,
    Progress,
    assess,
    assess_many,
    expected_path,
)
from atlas.method.rollup import rollup
from atlas.method.targets import (
    Framework,
    Target,
    Thresholds,
    frameworks,
    local_target,
    target_for,
    target_note,
    threshold_fields,
    thresholds,
    trend_only,
)
from atlas.method.uncertainty import (
    Estimate,
    distinguishable,
    relative_to_target,
    relative_to_target_many,
)

__all__ = [
    "OFF_TRACK_STATUSES",
    "PROGRESS_FIELDS",
    "STATUSES",
    "STATUS_RANK",
    "TARGET_STATUSES",
    "TREND_STATUSES",
    "BetaConvergence",
    "Estimate",
    "Framework",
    "InequalitySummary",
    "OffTrackShare",
    "Progress",
    "Target",
    "TheilDecomposition",
    "Thresholds",
    "assess",
    "assess_many",
    "beta_convergence",
    "coefficient_of_variation",
    "distinguishable",
    "expected_path",
    "frameworks",
    "gini",
    "inequality_table",
    "local_target",
    "max_min_ratio",
    "percentile_ratio",
    "relative_to_target",
    "relative_to_target_many",
    "rollup",
    "share_off_track",
    "sigma_convergence",
    "summarize",
    "target_for",
    "target_note",
    "theil",
    "theil_decomposition",
    "threshold_fields",
    "thresholds",
    "trend_only",
]
