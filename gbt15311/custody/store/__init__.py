"""The record: database, schema, migrations, events (canonical form, hash, reading), the
ledger handle and its one append. It imports no other custody layer but the lifecycle table."""
