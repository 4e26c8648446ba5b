"""Alembic environment: migrations run on the connection ``_database.migrate`` hands over."""

from alembic import context

from gbt15311.custody.store._database import VERSION_TABLE

context.configure(
    connection=context.config.attributes["connection"],
    version_table=VERSION_TABLE,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
