"""The e-network's attached files, and a folded search column on experiences

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 19:30:00

``experience_files`` holds each file's bytes in the database (both backends; no second place to
back up). ``experiences.search_text`` is the title and texts folded (no accents, upper case:
:func:`atlas.db.models.search_text`), filled here for the experiences already written and then
on every write, so "sao paulo" finds "São Paulo" on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atlas.db.models import search_text

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "experience_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("experience_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("size >= 0", name=op.f("ck_experience_files_size")),
        sa.ForeignKeyConstraint(
            ["experience_id"],
            ["experiences.id"],
            name=op.f("fk_experience_files_experience_id_experiences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experience_files")),
    )
    with op.batch_alter_table("experience_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_experience_files_experience_id"), ["experience_id"], unique=False
        )

    with op.batch_alter_table("experiences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    # the experiences written before: their folded text, computed in Python as on a write
    experiences = sa.table(
        "experiences",
        sa.column("id", sa.Integer),
        sa.column("title", sa.String),
        sa.column("what_was_done", sa.Text),
        sa.column("results", sa.Text),
        sa.column("results_source", sa.Text),
        sa.column("search_text", sa.Text),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(
            experiences.c.id,
            experiences.c.title,
            experiences.c.what_was_done,
            experiences.c.results,
            experiences.c.results_source,
        )
    ).all()
    for row in rows:
        conn.execute(
            experiences.update()
            .where(experiences.c.id == row.id)
            .values(
                search_text=search_text(
                    row.title, row.what_was_done, row.results, row.results_source
                )
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("experiences", schema=None) as batch_op:
        batch_op.drop_column("search_text")
    with op.batch_alter_table("experience_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_experience_files_experience_id"))
    op.drop_table("experience_files")
