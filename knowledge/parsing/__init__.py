"""Parsers for the published procedure records.

The national portal's tables reach us as cells glued together without
separators ("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5Miễn phí...").
Each module here turns one kind of field into typed rows and keeps the
published text beside every value:

* ``sections``: re-cuts a record's sections from its full page text, which
  repairs the fields the source cut short (and reports them);
* ``channels`` and ``fees``: submission channels, processing times and fees;
* ``documents``: required documents; ``legal_bases``: legal bases;
* ``lists``: steps, result documents, subjects, levels;
* ``record``: a whole published record (either source file) to a
  ``ParsedProcedure``.
"""
