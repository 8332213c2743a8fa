"""The e-network's pages and the local plan's page as server-rendered HTML, like the account
pages (:mod:`layouts.account_pages`, whose frame, fields and forms they share): plain forms that
post to their own address with the session's CSRF token, every label tied to its field, every
text from the message registry, every value escaped. The experiences' Markdown arrives already
sanitised (:func:`atlas.network.render_markdown`) and is the only HTML inserted as is.
"""

from __future__ import annotations

from collections.abc import Sequence

from atlas.attachments import ACCEPT, KINDS, MAX_FILES
from atlas.catalog import Catalog
from atlas.i18n import LANG_NAMES, LANGS, label, number, t
from atlas.network import LIMITS, ExperienceView, Similar
from atlas.places import country_label
from atlas.plans import TARGET_COLUMNS, PlanInfo, TargetProgress, target_texts
from atlas.store import Store
from atlas.urls import URLs
from layouts.forms import csrf_input as _csrf
from layouts.forms import esc as _e
from layouts.forms import field as _field
from layouts.forms import form as _form
from layouts.forms import message
from layouts.forms import messages as _messages
from layouts.forms import select as _select
from layouts.forms import textarea as _textarea


def unit_name(store: Store, unit_id: str, lang: str) -> str:
    """ "Campo Modelo (Estado Amostra, Brasil)"; the id itself for a unit the store lacks."""
    try:
        u = store.unit(unit_id)
    except KeyError:
        return unit_id
    where = [str(u["admin1_name"])] if u.get("admin1_name") and u["level"] != "admin1" else []
    where.append(country_label(store, str(u["country"]), lang))
    return f"{u['name']} ({', '.join(where)})"


def _goal_labels(goals: Sequence[int], lang: str) -> str:
    return "; ".join(t(f"goal.{g}", lang) for g in goals)


def _period(v: ExperienceView) -> str:
    if v.period_start and v.period_end:
        return f"{v.period_start}–{v.period_end}"
    return str(v.period_start or v.period_end or "")


# -- the catalogue ---------------------------------------------------------------------------


def _card(v: ExperienceView, urls: URLs, store: Store, lang: str) -> str:
    places = ", ".join(unit_name(store, u, lang) for u in v.unit_ids)
    period = _period(v)
    return (
        f'<li class="mb-3"><a class="fw-semibold" href="{_e(urls.experience(v.id, lang))}">'
        f"{_e(v.title)}</a>"
        f'<div class="small">{_e(places)}{" · " + _e(period) if period else ""}</div>'
        f'<div class="small text-body-secondary">{_e(_goal_labels(v.goals, lang))}</div></li>'
    )


def catalogue(
    lang: str,
    urls: URLs,
    store: Store,
    results: Sequence[ExperienceView],
    goal: str = "",
    country: str = "",
    q: str = "",
) -> str:
    """The search form (a GET form: its address is shareable) and the approved experiences."""
    goals = [("", t("network.any_goal", lang))] + [
        (str(g), t(f"goal.{g}", lang)) for g in range(1, 9)
    ]
    countries = [("", t("network.any_country", lang))] + [
        (c, country_label(store, c, lang)) for c in store.countries()
    ]
    hidden = (
        f'<input type="hidden" name="lang" value="{_e(lang)}">' if lang != urls.default_lang else ""
    )
    form = (
        f'<form method="get" action="{_e(urls.network())}" role="search" class="mb-4">{hidden}'
        + _field("q", t("network.keyword", lang), "search", q, maxlength="100")
        + _select("goal", t("network.goal", lang), goals, goal)
        + _select("country", t("network.country", lang), countries, country)
        + f'<button class="btn btn-primary" type="submit">{_e(t("network.search", lang))}</button>'
        + "</form>"
    )
    intro = (
        f"<p>{_e(t('network.intro', lang))} "
        f'<a href="{_e(urls.network("submit", lang))}">{_e(t("network.submit.title", lang))}</a></p>'
    )
    found = (
        f'<p role="status">{_e(t("network.found", lang, n=len(results)))}</p>'
        f'<ul class="list-unstyled">{"".join(_card(v, urls, store, lang) for v in results)}</ul>'
    )
    return intro + form + found


# -- one experience --------------------------------------------------------------------------


def experience_page(
    lang: str, urls: URLs, store: Store, v: ExperienceView, similar: Sequence[Similar]
) -> str:
    rows = [
        (t("network.places", lang), ", ".join(unit_name(store, u, lang) for u in v.unit_ids)),
        (t("network.goals", lang), _goal_labels(v.goals, lang)),
    ]
    if v.targets:
        rows.append((t("network.targets", lang), ", ".join(v.targets)))
    if _period(v):
        rows.append((t("network.period", lang), _period(v)))
    rows.append((t("network.language", lang), LANG_NAMES.get(v.language, v.language)))
    if v.contact:
        rows.append((t("network.contact", lang), v.contact))
    facts = "".join(f"<dt>{_e(k)}</dt><dd>{_e(val)}</dd>" for k, val in rows)
    status = ""
    if v.status != "approved":
        status = message(t(f"network.status.{v.status}", lang), "info")
    sections = [(t("network.what_was_done", lang), v.what_was_done_html)]
    if v.results_html:
        sections.append((t("network.results", lang), v.results_html))
    if v.results_source_html:
        sections.append((t("network.results_source", lang), v.results_source_html))
    body = "".join(
        f'<section lang="{_e(v.language)}"><h2 class="h5">{_e(h)}</h2>{html}</section>'
        for h, html in sections
    )
    links = ""
    if v.links:
        items = "".join(
            f'<li><a href="{_e(u)}" rel="noopener noreferrer nofollow">{_e(lb or u)}</a></li>'
            for u, lb in v.links
        )
        links = (
            f'<section><h2 class="h5">{_e(t("network.links", lang))}</h2><ul>{items}</ul></section>'
        )
    files = ""
    if v.files:
        names = {k.media_type: k.name for k in KINDS.values()}

        def size(f) -> str:
            kind = names.get(f.media_type, f.media_type)
            kb = number(max(f.size / 1024, 0.1), 1, lang)
            return _e(t("attach.size_kb", lang, kind=kind, size=kb))

        items = "".join(
            f'<li><a href="{_e(urls.experience_file(v.id, f.id))}" download>{_e(f.filename)}</a> '
            f'<span class="small">({size(f)})</span></li>'
            for f in v.files
        )
        files = (
            f'<section aria-labelledby="files-h"><h2 class="h5" id="files-h">'
            f"{_e(t('attach.files', lang))}</h2><ul>{items}</ul></section>"
        )
    others = ""
    if similar:
        items = "".join(
            f'<li><a href="{_e(urls.experience(s.experience.id, lang))}">{_e(s.experience.title)}</a> '
            f'<span class="small">({_e(", ".join(unit_name(store, u, lang) for u in s.experience.unit_ids))}; '
            f"{_e(_goal_labels(s.shared_goals, lang))})</span></li>"
            for s in similar
        )
        others = (
            f'<section aria-labelledby="similar-h"><h2 class="h5" id="similar-h">'
            f"{_e(t('network.similar', lang))}</h2><ul>{items}</ul></section>"
        )
    back = f'<p class="mt-4"><a href="{_e(urls.network("", lang))}">{_e(t("network.back", lang))}</a></p>'
    return f'{status}<dl class="row-cols-1">{facts}</dl>{body}{links}{files}{others}{back}'


# -- submission ------------------------------------------------------------------------------


def submit_form(
    lang: str,
    action: str,
    csrf: str,
    values: dict[str, str] | None = None,
    chosen_goals: Sequence[str] = (),
    error: str = "",
    direct: bool = False,
    limit_mb: float = 10,
    problems: Sequence[str] = (),
) -> str:
    """The submission form. ``direct``: the reader may publish at once (an editor of the
    places, an admin), so the form offers it. ``problems``: what to correct (each refused file
    on its own line)."""
    values = values or {}
    v = values.get
    goals = "".join(
        f'<div class="form-check"><input class="form-check-input" type="checkbox" name="goal" '
        f'id="f-goal-{g}" value="{g}"{" checked" if str(g) in chosen_goals else ""}>'
        f'<label class="form-check-label" for="f-goal-{g}">{_e(t(f"goal.{g}", lang))}</label></div>'
        for g in range(1, 9)
    )
    languages = [(c, LANG_NAMES[c]) for c in LANGS]
    md = t("network.markdown_help", lang)
    fields = (
        _field("title", t("network.title_field", lang), value=v("title", ""), required="required", maxlength=str(LIMITS["title"]))
        + _field("units", t("network.units", lang), value=v("units", ""), required="required", aria_describedby="f-units-help")
        + f'<p id="f-units-help" class="form-text">{_e(t("network.units_help", lang))}</p>'
        + f'<fieldset class="mb-3"><legend class="form-label fs-6">{_e(t("network.goals", lang))}</legend>{goals}</fieldset>'
        + _field("targets", t("network.targets", lang), value=v("targets", ""), aria_describedby="f-targets-help")
        + f'<p id="f-targets-help" class="form-text">{_e(t("network.targets_help", lang))}</p>'
        + _field("period_start", t("network.period_start", lang), "number", v("period_start", ""), min="1950", max="2100")
        + _field("period_end", t("network.period_end", lang), "number", v("period_end", ""), min="1950", max="2100")
        + _select("language", t("network.language", lang), languages, v("language", lang))
        + _textarea("what_was_done", t("network.what_was_done", lang), v("what_was_done", ""), md, required="required", maxlength=str(LIMITS["what_was_done"]))
        + _textarea("results", t("network.results", lang), v("results", ""), md, maxlength=str(LIMITS["results"]))
        + _textarea("results_source", t("network.results_source", lang), v("results_source", ""), "", maxlength=str(LIMITS["results_source"]))
        + _field("link_url", t("network.link_url", lang), "url", v("link_url", ""), aria_describedby="f-link_url-help")
        + f'<p id="f-link_url-help" class="form-text">{_e(t("network.link_help", lang))}</p>'
        + _field("link_label", t("network.link_label", lang), value=v("link_label", ""))
        + _field("contact", t("network.contact", lang), value=v("contact", ""), maxlength=str(LIMITS["contact"]))
        + '<div class="mb-3"><label class="form-label" for="f-files">'
        + f'{_e(t("attach.field", lang))}</label><input class="form-control" id="f-files" name="files" '
        + f'type="file" multiple accept="{_e(ACCEPT)}" aria-describedby="f-files-help"></div>'
        + f'<p id="f-files-help" class="form-text">{_e(t("attach.help", lang, n=MAX_FILES, limit_mb=f"{limit_mb:g}"))}</p>'
    )  # fmt: skip
    if direct:
        fields += (
            '<div class="form-check mb-3"><input class="form-check-input" type="checkbox" '
            f'name="publish" id="f-publish" value="1"{" checked" if v("publish") else ""}>'
            f'<label class="form-check-label" for="f-publish">{_e(t("network.publish_now", lang))}</label></div>'
        )
    intro = f"<p>{_e(t('network.submit.intro', lang))}</p>"
    return (
        (message(error) if error else "")
        + _messages(list(problems))
        + intro
        + _form(action, csrf, fields, t("network.submit.submit", lang), multipart=True)
    )


def submitted(lang: str, urls: URLs, status: str, experience_id: int) -> str:
    text = t(f"network.submitted.{status}", lang)
    link = ""
    if status in ("approved", "draft"):
        link = f' <a href="{_e(urls.experience(experience_id, lang))}">{_e(t("network.see", lang))}</a>'
    return (
        f'<div class="alert alert-success" role="status">{_e(text)}{link}</div>'
        f'<p><a href="{_e(urls.network("", lang))}">{_e(t("network.back", lang))}</a></p>'
    )


# -- moderation ------------------------------------------------------------------------------


def moderate_page(
    lang: str,
    action: str,
    csrf: str,
    urls: URLs,
    store: Store,
    queue: Sequence[ExperienceView],
    notice: str = "",
    error: str = "",
) -> str:
    head = (message(error) if error else "") + (message(notice, "success") if notice else "")
    if not queue:
        return head + f'<p role="status">{_e(t("network.moderate.empty", lang))}</p>'
    items = []
    for v in queue:
        places = ", ".join(unit_name(store, u, lang) for u in v.unit_ids)
        note_id = f"f-note-{v.id}"
        items.append(
            f'<article class="border rounded p-3 mb-4" aria-labelledby="exp-{v.id}">'
            f'<h2 class="h5" id="exp-{v.id}"><a href="{_e(urls.experience(v.id, lang))}">{_e(v.title)}</a></h2>'
            f'<p class="small">{_e(places)} · {_e(_goal_labels(v.goals, lang))}</p>'
            f'<div lang="{_e(v.language)}">{v.what_was_done_html}</div>'
            f'<form method="post" action="{_e(action)}" accept-charset="utf-8">{_csrf(csrf)}'
            f'<input type="hidden" name="experience_id" value="{v.id}">'
            f'<div class="mb-2"><label class="form-label" for="{note_id}">{_e(t("network.moderate.note", lang))}</label>'
            f'<input class="form-control" id="{note_id}" name="note" maxlength="{LIMITS["moderation_note"]}"></div>'
            f'<button class="btn btn-success me-2" type="submit" name="decision" value="approve">'
            f"{_e(t('network.moderate.approve', lang))}</button>"
            f'<button class="btn btn-outline-danger" type="submit" name="decision" value="reject">'
            f"{_e(t('network.moderate.reject', lang))}</button></form></article>"
        )
    return head + "".join(items)


# -- the local plan --------------------------------------------------------------------------


def _target_row(
    tp: TargetProgress,
    store: Store,
    catalog: Catalog,
    lang: str,
    action: str,
    csrf: str,
    editable: bool,
) -> str:
    x = target_texts(tp, store, catalog, lang)
    remove = ""
    if editable:
        remove = (
            f'<form method="post" action="{_e(action)}">{_csrf(csrf)}'
            '<input type="hidden" name="do" value="delete">'
            f'<input type="hidden" name="target_id" value="{tp.target.id}">'
            f'<button class="btn btn-sm btn-outline-danger" type="submit">{_e(t("localplan.remove", lang))}'
            f'<span class="visually-hidden"> {_e(x.indicator)} {x.year}</span>'
            "</button></form>"
        )
    return (
        f'<tr><th scope="row">{_e(x.indicator)}</th>'
        f"<td>{_e(x.target)}</td><td>{x.year}</td><td>{_e(x.latest)}</td>"
        f"<td>{_e(x.status)}</td><td>{_e(x.observed)}</td><td>{_e(x.required)}</td>"
        f"<td>{remove}</td></tr>"
    )


def plan_page(
    lang: str,
    action: str,
    csrf: str,
    store: Store,
    catalog: Catalog,
    unit_id: str,
    info: PlanInfo | None,
    progress: Sequence[TargetProgress],
    editable: bool,
    error: str = "",
    notice: str = "",
    values: dict[str, str] | None = None,
) -> str:
    values = values or {}
    head = (message(error) if error else "") + (message(notice, "success") if notice else "")
    intro = f"<p>{_e(t('localplan.intro', lang, place=unit_name(store, unit_id, lang)))}</p>"
    summary = ""
    if info is not None:
        doc = (
            f' · <a href="{_e(info.document_url)}" rel="noopener noreferrer">{_e(t("localplan.document", lang))}</a>'
            if info.document_url
            else ""
        )
        summary = (
            f"<p><strong>{_e(info.name)}</strong> ({info.period_start}–{info.period_end}){doc}</p>"
        )
    else:
        summary = f'<p role="status">{_e(t("localplan.none", lang))}</p>'
    table = ""
    if progress:
        cols = "".join(f'<th scope="col">{_e(t(k, lang))}</th>' for k in TARGET_COLUMNS)
        rows = "".join(
            _target_row(tp, store, catalog, lang, action, csrf, editable) for tp in progress
        )
        table = (
            f'<div class="table-responsive"><table class="table table-sm"><caption>{_e(t("localplan.targets", lang))}</caption>'
            f"<thead><tr>{cols}<td></td></tr></thead><tbody>{rows}</tbody></table></div>"
        )
    forms = ""
    if editable:
        name = values.get("name", info.name if info else "")
        start = values.get("period_start", str(info.period_start) if info else "")
        end = values.get("period_end", str(info.period_end) if info else "")
        doc = values.get("document_url", info.document_url if info else "")
        plan_fields = (
            '<input type="hidden" name="do" value="plan">'
            + _field("name", t("localplan.name", lang), value=name, required="required", maxlength="300")
            + _field("period_start", t("localplan.period_start", lang), "number", start, required="required", min="1990", max="2100")
            + _field("period_end", t("localplan.period_end", lang), "number", end, required="required", min="1990", max="2100")
            + _field("document_url", t("localplan.document_url", lang), "url", doc)
        )  # fmt: skip
        forms = (
            f'<section aria-labelledby="plan-h" class="mt-4"><h2 class="h5" id="plan-h">{_e(t("localplan.edit", lang))}</h2>'
            + _form(action, csrf, plan_fields, t("localplan.save", lang))
            + "</section>"
        )
        if info is not None:
            have = set(store.indicators(*_country_level(store, unit_id)))
            options = [
                (ind.id, label(ind.short or ind.label, lang))
                for ind in catalog
                if ind.goal != 0 and ind.id in have
            ]
            target_fields = (
                '<input type="hidden" name="do" value="target">'
                + _select("indicator", t("localplan.indicator", lang), options, values.get("indicator", ""))
                + _field("value", t("localplan.value", lang), value=values.get("value", ""), required="required", inputmode="decimal")
                + _field("year", t("localplan.year", lang), "number", values.get("year", ""), required="required", min="1990", max="2100")
            )  # fmt: skip
            forms += (
                f'<section aria-labelledby="target-h" class="mt-4"><h2 class="h5" id="target-h">{_e(t("localplan.add_target", lang))}</h2>'
                + _form(action, csrf, target_fields, t("localplan.add", lang))
                + "</section>"
            )
    return head + intro + summary + table + forms


def _country_level(store: Store, unit_id: str) -> tuple[str, str]:
    u = store.unit(unit_id)
    return str(u["country"]), str(u["level"])
