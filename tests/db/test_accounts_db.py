"""Accounts in the database, on both backends: hashing, logging in and its limits, invitations,
the audit log, and the command line."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import pytest
from sqlalchemy import select, update

from atlas import accounts
from atlas.__main__ import main
from atlas.accounts import OPERATOR, AccountError, NotAllowed, ScopeSpec
from atlas.db.models import AuditEntry, Invitation, User
from tests.conftest import ROOT
from tests.fixtures.people import PASSWORD


def _admin(db, email="ana@example.org"):
    return accounts.create_admin(db, email, "Ana", PASSWORD)


def _count(db, model) -> int:
    with db.session() as s:
        return len(s.scalars(select(model)).all())


def test_acd001_passwords_are_stored_as_argon2id_hashes_only(db):
    _admin(db)
    with db.session() as s:
        stored = s.scalar(select(User.password_hash))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_acd002_the_right_password_opens_the_account_and_a_wrong_one_does_not(db):
    admin = _admin(db, "Ana@Example.org")
    assert admin.email == "ana@example.org"
    assert accounts.authenticate(db, "ANA@example.org", PASSWORD, "10.0.0.1").id == admin.id
    for email, password in [
        ("ana@example.org", "wrong password!"),
        ("nobody@example.org", PASSWORD),
    ]:
        with pytest.raises(AccountError) as err:
            accounts.authenticate(db, email, password, "10.0.0.1")
        assert err.value.key == "accounts.error.credentials"  # the same answer for both


def test_acd003_a_deactivated_account_cannot_log_in(db):
    admin = _admin(db)
    other = accounts.create_admin(db, "bea@example.org", "Bea", PASSWORD)
    accounts.set_active(db, admin, other.id, False)
    with pytest.raises(AccountError):
        accounts.authenticate(db, "bea@example.org", PASSWORD, "10.0.0.1")
    assert accounts.load_user(db, other.id) is None


def test_acd004_an_account_is_locked_after_five_failures_even_for_the_right_password(db):
    _admin(db)
    for i in range(accounts.MAX_FAILURES_ACCOUNT):
        with pytest.raises(AccountError):
            accounts.authenticate(db, "ana@example.org", f"wrong {i} password", f"10.0.0.{i}")
    with pytest.raises(AccountError) as err:
        accounts.authenticate(db, "ana@example.org", PASSWORD, "10.9.9.9")
    assert err.value.key == "accounts.error.too_many"
    # the window passes: the account opens again
    with db.session() as s:
        s.execute(
            update(accounts.LoginAttempt).values(at=accounts.utcnow() - dt.timedelta(minutes=16))
        )
    assert (
        accounts.authenticate(db, "ana@example.org", PASSWORD, "10.9.9.9").email
        == "ana@example.org"
    )


def test_acd005_an_address_is_limited_across_accounts(db):
    _admin(db)
    for i in range(accounts.MAX_FAILURES_ADDRESS):
        with pytest.raises(AccountError):
            accounts.authenticate(db, f"guess{i}@example.org", "wrong password", "203.0.113.7")
    with pytest.raises(AccountError) as err:
        accounts.authenticate(db, "ana@example.org", PASSWORD, "203.0.113.7")
    assert err.value.key == "accounts.error.too_many"
    assert accounts.authenticate(db, "ana@example.org", PASSWORD, "203.0.113.8")


def test_acd006_the_limit_holds_across_processes(db, database_url):
    """Failures made by another process (another gunicorn worker) count here too."""
    _admin(db)
    code = (
        "from atlas import accounts; from atlas.db import Database\n"
        f"db = Database.from_url({database_url!r})\n"
        f"for i in range({accounts.MAX_FAILURES_ACCOUNT}):\n"
        "    try: accounts.authenticate(db, 'ana@example.org', 'not the password', '10.1.1.1')\n"
        "    except accounts.AccountError as e: assert e.key == 'accounts.error.credentials'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)
    with pytest.raises(AccountError) as err:
        accounts.authenticate(db, "ana@example.org", PASSWORD, "10.2.2.2")
    assert err.value.key == "accounts.error.too_many"


def test_acd007_an_invitation_makes_one_scoped_account_once(db):
    admin = _admin(db)
    token = accounts.invite(db, admin, "joao@example.org", "editor", [ScopeSpec("BRA", "35")])
    with db.session() as s:
        stored = s.scalar(select(Invitation.token_hash))
    assert token not in stored and stored == accounts.token_hash(token)
    pending = accounts.invitation(db, token)
    assert (pending.email, pending.role, pending.scopes) == (
        "joao@example.org",
        "editor",
        (ScopeSpec("BRA", "35"),),
    )
    joao = accounts.accept(db, token, "João", PASSWORD)
    assert joao.role == "editor" and joao.scopes == (ScopeSpec("BRA", "35"),)
    assert accounts.authenticate(db, "joao@example.org", PASSWORD, "10.0.0.1").id == joao.id
    with pytest.raises(AccountError) as err:
        accounts.accept(db, token, "Again", PASSWORD)
    assert err.value.key == "accounts.error.invitation_used"
    assert _count(db, User) == 2


def test_acd008_an_expired_or_unknown_invitation_is_refused(db):
    admin = _admin(db)
    token = accounts.invite(db, admin, "joao@example.org", "reviewer")
    with db.session() as s:
        s.execute(update(Invitation).values(expires_at=accounts.utcnow() - dt.timedelta(seconds=1)))
    for t, key in [(token, "expired"), ("not-a-token", "unknown")]:
        with pytest.raises(AccountError) as err:
            accounts.accept(db, t, "João", PASSWORD)
        assert err.value.key == f"accounts.error.invitation_{key}"
    assert _count(db, User) == 1


@pytest.mark.parametrize(
    "role, scopes, key",
    [
        ("editor", [], "accounts.error.editor_scope"),
        ("reviewer", [ScopeSpec("BRA")], "accounts.error.scope_role"),
        ("owner", [], "accounts.error.role"),
    ],
)
def test_acd009_an_invitation_names_a_role_and_only_an_editor_has_scopes(db, role, scopes, key):
    admin = _admin(db)
    with pytest.raises(AccountError) as err:
        accounts.invite(db, admin, "x@example.org", role, scopes)
    assert err.value.key == key
    assert _count(db, Invitation) == 0


def test_acd010_only_an_admin_invites_and_a_refusal_writes_nothing(db):
    admin = _admin(db)
    token = accounts.invite(db, admin, "ed@example.org", "editor", [ScopeSpec("BRA", "35")])
    editor = accounts.accept(db, token, "Ed", PASSWORD)
    token = accounts.invite(db, admin, "rev@example.org", "reviewer")
    reviewer = accounts.accept(db, token, "Rev", PASSWORD)
    before = (_count(db, Invitation), _count(db, AuditEntry))
    for who in (None, editor, reviewer):
        with pytest.raises(NotAllowed):
            accounts.invite(db, who, "new@example.org", "admin")
        with pytest.raises(NotAllowed):
            accounts.create_admin(db, "new@example.org", "New", PASSWORD, by=who)
        with pytest.raises(NotAllowed):
            accounts.set_active(db, who, admin.id, False)
        with pytest.raises(NotAllowed):
            accounts.list_users(db, who)
    assert (_count(db, Invitation), _count(db, AuditEntry)) == before
    assert accounts.load_user(db, admin.id).active


def test_acd011_every_account_write_is_in_the_audit_log(db):
    admin = _admin(db)
    token = accounts.invite(
        db, admin, "ed@example.org", "editor", [ScopeSpec("BRA")], ip="192.0.2.1"
    )
    accounts.accept(db, token, "Ed", PASSWORD)
    with db.session() as s:
        log = [
            (e.action, e.user_id, e.ip)
            for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert [a for a, _, _ in log] == ["create_admin", "invite", "accept_invitation"]
    assert log[0][1] is None and log[1] == ("invite", admin.id, "192.0.2.1")


def test_acd012_a_short_password_or_a_taken_address_is_refused(db):
    _admin(db)
    with pytest.raises(AccountError) as err:
        accounts.create_admin(db, "b@example.org", "B", "short")
    assert err.value.key == "accounts.error.password_short"
    with pytest.raises(AccountError) as err:
        accounts.create_admin(db, "ANA@example.org", "A2", PASSWORD)
    assert err.value.key == "accounts.error.exists"
    with pytest.raises(AccountError) as err:
        accounts.invite(db, OPERATOR, "ana@example.org", "reviewer")
    assert err.value.key == "accounts.error.exists"


def test_acd013_the_command_line_creates_the_first_admin_and_invites(
    database_url, monkeypatch, capsys, tiny_store_dir
):
    monkeypatch.setenv("ATLAS_DATABASE_URL", database_url)
    monkeypatch.setenv("ATLAS_STORE_DIR", str(tiny_store_dir))
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        main(
            [
                "users",
                "create-admin",
                "--email",
                "ana@example.org",
                "--name",
                "Ana",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert "ana@example.org" in capsys.readouterr().out
    assert main(["users", "invite", "--email", "ed@example.org", "--role", "editor", "--scope", "BRA:11",
                 "--base-url", "https://atlas.example.org/"]) == 0  # fmt: skip
    link = capsys.readouterr().out.strip().splitlines()[-1]
    assert link.startswith("https://atlas.example.org/account/invitation/")
    # a scope the store lacks is refused, in the default language, and nothing is written
    assert (
        main(
            ["users", "invite", "--email", "x@example.org", "--role", "editor", "--scope", "BRA:35"]
        )
        == 2
    )
    assert "BRA:35" in capsys.readouterr().err
    assert main(["users", "list"]) == 0
    out = capsys.readouterr().out
    assert "ana@example.org\tadmin" in out and "x@example.org" not in out
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["users", "create-admin", "--email", "b@example.org", "--password-stdin"]) == 2
    assert "12" in capsys.readouterr().err


def test_acd014_production_hashes_use_argon2id_at_rfc_9106_cost_or_more():
    """The cost the tests lower (tests/conftest.py) is, in the atlas itself, argon2-cffi's
    default, RFC 9106's second recommended option (3 passes over 64 MiB): the hash the module
    made at import, before the tests lowered it, says so."""
    assert accounts._DUMMY_HASH.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
