"""``python -m knowledge``: the staff command line (see ``knowledge.cli``)."""

from knowledge.cli import main

raise SystemExit(main())
