"""Balances kept in step with the certificates, and an index of open reservations.

``balances`` holds the number of blanks per type, office and state; triggers keep it in step
with every insert and state or office change of ``certificates`` in the same statement, so
``stock`` reads a few rows instead of counting every blank, and ``verify`` checks the two
agree. The partial index on reserved blanks lets ``reservations`` read only those.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ADD = (
    "INSERT INTO balances (type_code, office_code, state, count) "
    "VALUES (NEW.type_code, NEW.office_code, NEW.state, 1) "
    "ON CONFLICT (type_code, office_code, state) DO UPDATE SET count = balances.count + 1;"
)
_TAKE = (
    "UPDATE balances SET count = count - 1 WHERE type_code = OLD.type_code "
    "AND office_code = OLD.office_code AND state = OLD.state;"
)


def upgrade() -> None:
    op.create_table(
        "balances",
        sa.Column("type_code", sa.String(16), nullable=False),
        sa.Column("office_code", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("type_code", "office_code", "state", name="pk_balances"),
    )
    op.execute(
        "INSERT INTO balances (type_code, office_code, state, count) "
        "SELECT type_code, office_code, state, count(*) FROM certificates "
        "GROUP BY type_code, office_code, state"
    )
    op.create_index(
        "ix_certificates_reserved",
        "certificates",
        ["seq"],
        sqlite_where=sa.text("state = 'reserved'"),
        postgresql_where=sa.text("state = 'reserved'"),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER certificates_balance_insert AFTER INSERT ON certificates "
            f"BEGIN {_ADD} END"
        )
        op.execute(
            "CREATE TRIGGER certificates_balance_update AFTER UPDATE OF state, office_code "
            "ON certificates WHEN NEW.state IS NOT OLD.state "
            f"OR NEW.office_code IS NOT OLD.office_code BEGIN {_TAKE} {_ADD} END"
        )
        return
    # PostgreSQL: once per statement over its transition tables, so receiving a box of
    # 100,000 blanks changes each balance row once, not 100,000 times.
    op.execute(
        """CREATE FUNCTION certificates_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE balances SET count = balances.count - moved.n
        FROM (
            SELECT old_rows.type_code, old_rows.office_code, old_rows.state, count(*) AS n
            FROM old_rows JOIN new_rows USING (type_code, serial)
            WHERE old_rows.state <> new_rows.state OR old_rows.office_code <> new_rows.office_code
            GROUP BY old_rows.type_code, old_rows.office_code, old_rows.state
        ) AS moved
        WHERE balances.type_code = moved.type_code AND balances.office_code = moved.office_code
            AND balances.state = moved.state;
        INSERT INTO balances (type_code, office_code, state, count)
        SELECT new_rows.type_code, new_rows.office_code, new_rows.state, count(*)
        FROM new_rows JOIN old_rows USING (type_code, serial)
        WHERE old_rows.state <> new_rows.state OR old_rows.office_code <> new_rows.office_code
        GROUP BY new_rows.type_code, new_rows.office_code, new_rows.state
        ON CONFLICT (type_code, office_code, state)
        DO UPDATE SET count = balances.count + EXCLUDED.count;
    ELSE
        INSERT INTO balances (type_code, office_code, state, count)
        SELECT type_code, office_code, state, count(*) FROM new_rows
        GROUP BY type_code, office_code, state
        ON CONFLICT (type_code, office_code, state)
        DO UPDATE SET count = balances.count + EXCLUDED.count;
    END IF;
    RETURN NULL;
END $$"""
    )
    op.execute(
        "CREATE TRIGGER certificates_balance_insert AFTER INSERT ON certificates "
        "REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION certificates_balance()"
    )
    op.execute(
        "CREATE TRIGGER certificates_balance_update AFTER UPDATE ON certificates "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION certificates_balance()"
    )
