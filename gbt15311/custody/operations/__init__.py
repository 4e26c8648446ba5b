"""The write side, one module per process of the rules: registry, receiving, handover,
movements, printing (allocate, use, void; ``_at_once`` its one-statement SQL), voiding,
disposal.

Each operation checks what ``lifecycle.RULES`` allows, appends its event through the store and
moves the blanks as the table says. Operations may read the proof layer; proof never imports
them. Its modules are private (underscored): the operations are exported by
``gbt15311.custody``."""
