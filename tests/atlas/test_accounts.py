"""The authorisation rule and scopes, without a database: who may do what where."""

from __future__ import annotations

import pytest

from atlas import accounts
from atlas.accounts import (
    EDIT_EXPERIENCE,
    EDIT_PLAN,
    MANAGE_USERS,
    MODERATE,
    PUBLISH_DATA,
    SUBMIT_EXPERIENCE,
    AccountError,
    NotAllowed,
    Place,
    Principal,
    ScopeSpec,
    can,
)

SAO_PAULO = Place("BRA", "35", "BRA3550308")  # a municipality of the state of São Paulo
CAMPINAS = Place("BRA", "35", "BRA3509502")
RIO = Place("BRA", "33", "BRA3304557")
MONTEVIDEO = Place("URY", "01", "URY01")

ADMIN = Principal(1, "a@x.org", "A", "admin")
STATE_EDITOR = Principal(2, "e@x.org", "E", "editor", scopes=(ScopeSpec("BRA", "35"),))
UNIT_EDITOR = Principal(
    3, "u@x.org", "U", "editor", scopes=(ScopeSpec("BRA", unit_id="BRA3550308"),)
)
COUNTRY_EDITOR = Principal(4, "c@x.org", "C", "editor", scopes=(ScopeSpec("URY"),))
REVIEWER = Principal(5, "r@x.org", "R", "reviewer")
RETIRED_ADMIN = Principal(6, "old@x.org", "O", "admin", active=False)


@pytest.mark.parametrize(
    "user, action, place, allowed",
    [
        # anonymous: only a public submission (it waits for a reviewer)
        (None, SUBMIT_EXPERIENCE, None, True),
        *[(None, a, SAO_PAULO, False) for a in (PUBLISH_DATA, EDIT_PLAN, EDIT_EXPERIENCE)],
        (None, MODERATE, None, False),
        (None, MANAGE_USERS, None, False),
        # an editor of a state: its units, not another state's, not a whole country
        *[(STATE_EDITOR, a, SAO_PAULO, True) for a in (PUBLISH_DATA, EDIT_PLAN, EDIT_EXPERIENCE)],
        *[(STATE_EDITOR, a, RIO, False) for a in (PUBLISH_DATA, EDIT_PLAN, EDIT_EXPERIENCE)],
        (STATE_EDITOR, PUBLISH_DATA, Place("BRA"), False),
        (STATE_EDITOR, PUBLISH_DATA, None, False),
        (STATE_EDITOR, MODERATE, None, False),
        (STATE_EDITOR, MANAGE_USERS, None, False),
        # an editor of one unit: that unit only, not its neighbour in the same state
        (UNIT_EDITOR, PUBLISH_DATA, SAO_PAULO, True),
        (UNIT_EDITOR, PUBLISH_DATA, CAMPINAS, False),
        # an editor of a country: all of it, nothing elsewhere
        (COUNTRY_EDITOR, EDIT_PLAN, MONTEVIDEO, True),
        (COUNTRY_EDITOR, EDIT_PLAN, Place("URY"), True),
        (COUNTRY_EDITOR, EDIT_PLAN, SAO_PAULO, False),
        # a reviewer moderates and writes nothing else
        (REVIEWER, MODERATE, None, True),
        *[(REVIEWER, a, SAO_PAULO, False) for a in (PUBLISH_DATA, EDIT_PLAN, EDIT_EXPERIENCE)],
        (REVIEWER, MANAGE_USERS, None, False),
        # an admin does everything; a deactivated account nothing
        *[(ADMIN, a, SAO_PAULO, True) for a in sorted(accounts.ACTIONS)],
        *[
            (RETIRED_ADMIN, a, SAO_PAULO, False)
            for a in sorted(accounts.ACTIONS - {SUBMIT_EXPERIENCE})
        ],
    ],
)
def test_acc001_who_may_do_what_where(user, action, place, allowed):
    assert can(user, action, place) is allowed
    if allowed:
        accounts.require(user, action, place)
    else:
        with pytest.raises(NotAllowed):
            accounts.require(user, action, place)


def test_acc002_an_unknown_action_is_a_bug_not_a_refusal():
    with pytest.raises(ValueError, match="Unknown action"):
        can(ADMIN, "publish")


@pytest.mark.parametrize(
    "text, spec",
    [
        ("BRA", ScopeSpec("BRA")),
        ("bra", ScopeSpec("BRA")),
        ("BRA:35", ScopeSpec("BRA", admin1_code="35")),
        ("URY:01", ScopeSpec("URY", admin1_code="01")),
        ("BRA3550308", ScopeSpec("BRA", unit_id="BRA3550308")),
        (" per050101 ", ScopeSpec("PER", unit_id="PER050101")),
    ],
)
def test_acc003_scopes_are_read_and_written_back(text, spec):
    assert ScopeSpec.parse(text) == spec
    assert ScopeSpec.parse(str(spec)) == spec


@pytest.mark.parametrize("text", ["", "BR", "BRA:", "BRA:35:1", "<script>", "BRA-35", "BRA 35"])
def test_acc004_a_malformed_scope_is_refused_with_its_message(text):
    with pytest.raises(AccountError) as err:
        ScopeSpec.parse(text)
    assert err.value.key == "accounts.error.scope"


def test_acc005_scopes_are_checked_against_the_store(tiny_store):
    assert accounts.scope_problem(ScopeSpec("BRA", "11"), tiny_store) is None
    assert accounts.scope_problem(ScopeSpec("BRA", unit_id="BRA1100011"), tiny_store) is None
    assert (
        accounts.scope_problem(ScopeSpec("BRA", "35"), tiny_store).key
        == "accounts.error.scope_state"
    )
    assert (
        accounts.scope_problem(ScopeSpec("BRA", unit_id="BRA9999999"), tiny_store).key
        == "accounts.error.scope_unit"
    )
    assert (
        accounts.scope_problem(ScopeSpec("ARG"), tiny_store).key == "accounts.error.scope_country"
    )


def test_acc006_a_unit_of_the_store_is_placed_in_its_state(tiny_store):
    assert accounts.place_of(tiny_store, "BRA1100011") == Place("BRA", "11", "BRA1100011")
    assert accounts.place_of(tiny_store, "BRA") == Place("BRA")
    assert ScopeSpec("BRA", "11").covers(accounts.place_of(tiny_store, "BRA1100011"))
    assert not ScopeSpec("BRA", "12").covers(accounts.place_of(tiny_store, "BRA1100011"))


def test_acc007_the_secret_key_is_made_once_and_kept_private(tmp_path):
    from atlas.settings import settings

    conf = settings(data_dir=str(tmp_path / "var"))
    key = accounts.secret_key(conf)
    assert len(key) >= 40 and accounts.secret_key(conf) == key
    assert ((tmp_path / "var" / "secret_key").stat().st_mode & 0o777) == 0o600
    assert (
        accounts.secret_key(settings(data_dir=str(tmp_path / "var"), secret_key="given")) == "given"
    )


def test_acc008_processes_starting_together_read_one_whole_secret_key(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = (
        "from atlas import accounts; from atlas.settings import settings\n"
        f"print(accounts.secret_key(settings(data_dir={str(tmp_path / 'var')!r})))\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert [p.returncode for p in procs] == [0, 0, 0, 0]
    assert len(keys) == 1 and len(keys.pop()) >= 40
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]
