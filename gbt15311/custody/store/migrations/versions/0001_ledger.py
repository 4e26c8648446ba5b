"""The custody ledger: events with their chain head, registry, boxes and certificates.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_APPEND_ONLY = "custody events are append-only"


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_events"),
        sa.UniqueConstraint("hash", name="uq_events_hash"),
    )
    chain_head = op.create_table(
        "chain_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_chain_head"),
    )
    op.bulk_insert(chain_head, [{"id": 1, "seq": 0, "hash": "0" * 64}])
    op.create_table(
        "certificate_types",
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("serial_width", sa.Integer, nullable=False),
        sa.Column("prefix", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_certificate_types"),
    )
    op.create_table(
        "offices",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_offices"),
    )
    op.create_table(
        "people",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("office_code", sa.String(32), nullable=True),
        sa.Column("roles", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_people"),
        sa.ForeignKeyConstraint(["office_code"], ["offices.code"], name="fk_people_office_code"),
    )
    op.create_table(
        "terminals",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("office_code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("custodian", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_terminals"),
        sa.ForeignKeyConstraint(["office_code"], ["offices.code"], name="fk_terminals_office_code"),
        sa.ForeignKeyConstraint(["custodian"], ["people.code"], name="fk_terminals_custodian"),
    )
    op.create_table(
        "boxes",
        sa.Column("type_code", sa.String(16), nullable=False),
        sa.Column("box_no", sa.String(32), nullable=False),
        sa.Column("shipment", sa.String(64), nullable=False),
        sa.Column("first_serial", sa.String(40), nullable=False),
        sa.Column("last_serial", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("type_code", "box_no", name="pk_boxes"),
        sa.ForeignKeyConstraint(
            ["type_code"], ["certificate_types.code"], name="fk_boxes_type_code"
        ),
    )
    op.create_table(
        "certificates",
        sa.Column("type_code", sa.String(16), nullable=False),
        sa.Column("serial", sa.String(40), nullable=False),
        sa.Column("box_no", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("office_code", sa.String(32), nullable=False),
        sa.Column("terminal_code", sa.String(32), nullable=True),
        sa.Column("licence_no", sa.String(16), nullable=True),
        sa.Column("void_reason", sa.String(32), nullable=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("type_code", "serial", name="pk_certificates"),
        sa.ForeignKeyConstraint(
            ["type_code"], ["certificate_types.code"], name="fk_certificates_type_code"
        ),
        sa.ForeignKeyConstraint(
            ["office_code"], ["offices.code"], name="fk_certificates_office_code"
        ),
        sa.ForeignKeyConstraint(
            ["terminal_code"], ["terminals.code"], name="fk_certificates_terminal_code"
        ),
        sa.ForeignKeyConstraint(
            ["type_code", "box_no"], ["boxes.type_code", "boxes.box_no"], name="fk_certificates_box"
        ),
    )
    op.create_index(
        "ix_certificates_custody",
        "certificates",
        ["terminal_code", "state", "type_code", "serial"],
    )
    op.create_index("ix_certificates_box", "certificates", ["type_code", "box_no", "state"])
    op.create_index("ix_certificates_serial", "certificates", ["serial"])
    op.create_index(
        "uq_certificates_used_licence",
        "certificates",
        ["licence_no"],
        unique=True,
        sqlite_where=sa.text("state = 'used'"),
        postgresql_where=sa.text("state = 'used'"),
    )
    _refuse_event_changes()


def _refuse_event_changes() -> None:
    """Make the database itself refuse UPDATE and DELETE on events (and TRUNCATE where it can)."""
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER events_no_{action.lower()} BEFORE {action} ON events "
                f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$"
    )
    op.execute(
        "CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events "
        "FOR EACH ROW EXECUTE FUNCTION events_append_only()"
    )
    op.execute(
        "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
        "FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()"
    )
