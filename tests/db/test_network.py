"""The e-network's experiences on both backends: who writes what (public submissions wait for
a reviewer; an editor in scope writes directly), moderation and its refusals, search by goal,
country and keyword, similar places, and the limits on every field."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from atlas import network
from atlas.accounts import NotAllowed
from atlas.db.models import AuditEntry, Experience, ExperienceFile
from atlas.network import ExperienceInput, NetworkError

HOME, AWAY, URY = "BRA1200032", "BRA1100011", "URY01"


def _input(**kw) -> ExperienceInput:
    base = dict(
        title="Vigilancia comunitaria de la mortalidad infantil",
        what_was_done="Agentes de salud visitaron **cada hogar** con recién nacidos.",
        language="es",
        unit_ids=[HOME],
        goals=[4],
        results="La mortalidad infantil bajó un tercio.",
        results_source="Secretaría de Salud",
        links=[("https://example.org/informe.pdf", "Informe")],
        period_start=2005,
        period_end=2010,
    )
    base.update(kw)
    return ExperienceInput(**base)


def _status(db, experience_id: int) -> str:
    with db.session() as s:
        return s.get(Experience, experience_id).status


def test_net001_a_public_submission_waits_and_is_not_shown_until_approved(db, people, tiny_store):
    e = network.create(db, None, tiny_store, _input(), publish=True)
    assert e.status == "pending"
    with db.session() as s:
        assert network.search(s) == []
        assert network.get(s, e.id, None) is None
        assert [p.id for p in network.pending(s, people["reviewer"])] == [e.id]
    network.moderate(db, people["reviewer"], e.id, approve=True, note="Bien documentada")
    with db.session() as s:
        assert [x.id for x in network.search(s)] == [e.id]
        shown = network.get(s, e.id, None)
        assert "<strong>cada hogar</strong>" in shown.what_was_done_html
        assert [x.id for x in network.experiences_for_unit(s, HOME)] == [e.id]
        assert network.experiences_for_unit(s, AWAY) == []
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["submit_experience", "approve"]


def test_net002_an_editor_in_scope_writes_directly_out_of_scope_submits(db, people, tiny_store):
    ed = people["editor"]
    assert network.create(db, ed, tiny_store, _input(), publish=True).status == "approved"
    assert network.create(db, ed, tiny_store, _input(), publish=False).status == "draft"
    # one unit outside its state: the editor's write is a submission like anyone's
    assert (
        network.create(db, ed, tiny_store, _input(unit_ids=[HOME, AWAY]), publish=True).status
        == "pending"
    )
    # a reviewer proposes, it does not publish its own
    assert (
        network.create(db, people["reviewer"], tiny_store, _input(), publish=True).status
        == "pending"
    )
    assert (
        network.create(db, people["admin"], tiny_store, _input(unit_ids=[URY]), publish=True).status
        == "approved"
    )


@pytest.mark.parametrize("who", ["anonymous", "editor", "editor_elsewhere"])
def test_net003_only_a_reviewer_or_admin_moderates_and_a_refusal_writes_nothing(
    db, people, tiny_store, who
):
    e = network.create(db, None, tiny_store, _input())
    by = None if who == "anonymous" else people["editor"]
    before = db_count = None
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(NotAllowed):
        network.moderate(db, by, e.id, approve=True)
    with pytest.raises(NotAllowed), db.session() as s:
        network.pending(s, by)
    with db.session() as s:
        db_count = s.scalar(select(func.count()).select_from(AuditEntry))
    assert db_count == before and _status(db, e.id) == "pending"


def test_net004_a_draft_is_published_only_by_an_editor_of_its_units(db, people, tiny_store):
    e = network.create(db, people["editor"], tiny_store, _input(), publish=False)
    for by in (None, people["reviewer"]):
        with pytest.raises(NotAllowed):
            network.set_status(db, by, tiny_store, e.id, publish=True)
    assert _status(db, e.id) == "draft"
    network.set_status(db, people["editor"], tiny_store, e.id, publish=True)
    assert _status(db, e.id) == "approved"


def test_net005_a_moderated_experience_cannot_be_moderated_again(db, people, tiny_store):
    e = network.create(db, None, tiny_store, _input())
    network.moderate(db, people["reviewer"], e.id, approve=False, note="Sin fuente")
    with pytest.raises(NetworkError) as err:
        network.moderate(db, people["reviewer"], e.id, approve=True)
    assert err.value.key == "network.error.not_pending"
    assert _status(db, e.id) == "rejected"


def test_net006_search_by_goal_country_and_keyword(db, people, tiny_store):
    admin = people["admin"]
    water = network.create(
        db,
        admin,
        tiny_store,
        _input(
            title="Censo local del agua",
            what_was_done="Un censo de 100% de los pozos",
            goals=[7],
            unit_ids=[URY],
        ),
        publish=True,
    )
    health = network.create(db, admin, tiny_store, _input(), publish=True)
    network.create(db, None, tiny_store, _input(title="Agua pendiente", goals=[7]))  # pending
    with db.session() as s:
        ids = lambda **kw: [e.id for e in network.search(s, **kw)]  # noqa: E731
        assert ids(goal=7) == [water.id]
        assert ids(goal=4) == [health.id]
        assert ids(country="URY") == [water.id]
        assert ids(country="bra") == [health.id]
        assert ids(keyword="AGUA") == [water.id]
        assert ids(keyword="hogar") == [health.id]
        # LIKE wildcards are no wildcards: punctuation alone finds nothing, "100%" its number
        assert ids(keyword="%") == [] and ids(keyword="_") == []
        assert ids(keyword="100%") == [water.id]
        assert ids(goal=7, country="BRA") == []


def test_net007_similar_places_are_other_units_on_the_same_goals_abroad_first(
    db, people, tiny_store
):
    admin = people["admin"]
    mine = network.create(db, admin, tiny_store, _input(goals=[4, 5]), publish=True)
    same_country = network.create(
        db, admin, tiny_store, _input(unit_ids=[AWAY], goals=[4]), publish=True
    )
    abroad = network.create(db, admin, tiny_store, _input(unit_ids=[URY], goals=[4]), publish=True)
    both = network.create(
        db, admin, tiny_store, _input(unit_ids=[AWAY], goals=[4, 5]), publish=True
    )
    network.create(db, admin, tiny_store, _input(unit_ids=[URY], goals=[1]), publish=True)
    network.create(db, admin, tiny_store, _input(goals=[4]), publish=True)  # the same place
    network.create(db, None, tiny_store, _input(unit_ids=[URY], goals=[4]))  # pending
    with db.session() as s:
        found = network.similar_places(s, mine.id)
    assert [f.experience.id for f in found] == [both.id, abroad.id, same_country.id]
    assert found[0].shared_goals == (4, 5) and found[1].other_country


@pytest.mark.parametrize(
    "change, key",
    [
        (dict(title=" "), "network.error.required"),
        (dict(title="x" * 301), "network.error.too_long"),
        (dict(what_was_done="x" * 20_001), "network.error.too_long"),
        (dict(language="fr"), "network.error.language"),
        (dict(unit_ids=[]), "network.error.no_unit"),
        (dict(unit_ids=["BRA9999999"]), "network.error.unit"),
        (dict(unit_ids=[f"BRA{i}" for i in range(30)]), "network.error.too_many_units"),
        (dict(goals=[9]), "network.error.goal"),
        (dict(goals=[]), "network.error.no_goal"),
        (dict(goals=[], targets=["4Z"]), "network.error.target"),
        (dict(period_start=2011, period_end=2010), "network.error.period"),
        (dict(links=[("javascript:alert(1)", "x")]), "network.error.url"),
        (dict(links=[("ftp://example.org/a", "x")]), "network.error.url"),
        (
            dict(links=[(f"https://example.org/{i}", "") for i in range(11)]),
            "network.error.too_many_links",
        ),
    ],
)
def test_net008_bad_input_gets_its_message_and_writes_nothing(db, people, tiny_store, change, key):
    with pytest.raises(NetworkError) as err:
        network.create(db, None, tiny_store, _input(**change))
    assert err.value.key == key
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Experience)) == 0


def test_net009_a_target_names_its_goal(db, people, tiny_store):
    e = network.create(
        db, people["admin"], tiny_store, _input(goals=[], targets=["4a"]), publish=True
    )
    assert e.goals == (4,) and e.targets == ("4A",)


def test_net010_search_ignores_accents_and_case_on_both_backends(db, people, tiny_store):
    admin = people["admin"]
    sp = network.create(
        db,
        admin,
        tiny_store,
        _input(title="Educación básica en São Paulo", what_was_done="Niñas y niños, ¡todos!"),
        publish=True,
    )
    other = network.create(db, admin, tiny_store, _input(title="Saneamiento"), publish=True)
    with db.session() as s:
        ids = lambda kw: [e.id for e in network.search(s, keyword=kw)]  # noqa: E731
        for kw in ("Sao Paulo", "sao paulo", "SÃO PAULO", "são", "educacion", "EDUCACIÓN",
                   "basica en sao", "ninas y ninos", "niños"):  # fmt: skip
            assert ids(kw) == [sp.id], kw
        assert ids("saneamiento") == [other.id]
        assert ids("Paulo Sao") == []  # words in their order
    # the folded text follows a later write (a moderation, a change of status)
    network.set_status(db, admin, tiny_store, sp.id, publish=False)
    with db.session() as s:
        assert s.get(Experience, sp.id).search_text.startswith(" EDUCACION BASICA EN SAO PAULO")


def _files():
    from atlas.attachments import check
    from tests.fixtures import documents as doc

    return check([("Informe final.pdf", doc.pdf()), ("foto.png", doc.image("PNG"))], 10 << 20)


def test_net011_files_are_written_with_the_experience_and_shown_only_when_allowed(
    db, people, tiny_store
):
    files = _files()
    e = network.create(db, None, tiny_store, _input(files=files))
    assert [(f.filename, f.media_type, f.size) for f in e.files] == [
        (a.filename, a.media_type, a.size) for a in files
    ]
    first = e.files[0].id
    with db.session() as s:
        got = lambda who: network.file_for(s, tiny_store, e.id, first, who)  # noqa: E731
        # pending: a reviewer (or an admin) only; not the public, not an editor of its state
        assert got(None) is None and got(people["editor"]) is None
        shown = got(people["reviewer"])
        assert shown.data == files[0].data and not shown.public
        assert got(people["admin"]).filename == "Informe final.pdf"
        # a file of another experience is not reached through this one
        assert network.file_for(s, tiny_store, e.id + 1, first, people["admin"]) is None
        stored = s.get(ExperienceFile, first)
        assert stored.sha256 == files[0].sha256
    network.moderate(db, people["reviewer"], e.id, approve=True)
    with db.session() as s:
        shown = network.file_for(s, tiny_store, e.id, first, None)
        assert shown.data == files[0].data and shown.public
    # a draft's files: the editors who may publish it, and the moderators
    draft = network.create(db, people["editor"], tiny_store, _input(files=files[:1]))
    assert draft.status == "draft"
    with db.session() as s:
        fid = draft.files[0].id
        assert network.file_for(s, tiny_store, draft.id, fid, people["editor"]) is not None
        assert network.file_for(s, tiny_store, draft.id, fid, None) is None


def test_net012_a_refused_experience_leaves_no_file_behind(db, people, tiny_store):
    with pytest.raises(NetworkError):
        network.create(db, None, tiny_store, _input(unit_ids=["BRA0000000"], files=_files()))
    with pytest.raises(NetworkError):  # files not checked by atlas.attachments are refused
        network.create(db, None, tiny_store, _input(files=[("x.pdf", b"%PDF-")]))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ExperienceFile)) == 0
        assert s.scalar(select(func.count()).select_from(Experience)) == 0
    # deleting an experience deletes its files
    e = network.create(db, people["admin"], tiny_store, _input(files=_files()), publish=True)
    with db.session() as s:
        s.delete(s.get(Experience, e.id))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ExperienceFile)) == 0


def test_net013_a_listing_reads_its_experiences_relations_in_a_fixed_number_of_queries(
    db, people, tiny_store
):
    """Ten experiences listed: one query for them and one per relation (units, goals, links,
    files), not a query per experience and relation."""
    from sqlalchemy import event

    for k in range(10):
        network.create(db, people["admin"], tiny_store, _input(title=f"Práctica {k}"), publish=True)
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.session() as s:
            found = network.search(s, keyword="práctica")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(found) == 10 and all(e.unit_ids and e.goals and e.links for e in found)
    assert len(seen) <= 5
