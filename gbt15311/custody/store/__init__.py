"""The record: database, schema, migrations, events (canonical form, hash, reading), the
ledger handle and its one append. It imports no other custody layer but the lifecycle table.

Its modules are private (underscored): what issuing software may use of them is exported by
``gbt15311.custody``."""
