"""The read models: events to a cut-off (``source``), every blank's story (``timeline``), the
replay and ``verify``, a serial's history, and the retention periods. Written apart from the
operations (it imports none of them), so ``verify`` checks the one against the other."""
