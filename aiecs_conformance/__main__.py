"""``python -m aiecs_conformance`` runs the CLI."""

from .cli import main

raise SystemExit(main())
