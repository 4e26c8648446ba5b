"""The read models: events to a cut-off (``_source``), every blank's story (``_timeline``), the
replay and ``verify``, a serial's history, and the retention periods. Written apart from the
operations (it imports none of them), so ``verify`` checks the one against the other.

Its modules are private (underscored): ``verify`` and ``where`` are exported by
``gbt15311.custody``, reading a cut-off (``read``) by ``gbt15311.custody.reports``."""
