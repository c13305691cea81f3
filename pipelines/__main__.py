"""`python -m pipelines …`: see pipelines/cli.py."""

from pipelines.cli import main

raise SystemExit(main())
