"""`python -m reader` does what the `post-reader` command does."""

from reader.cli import main

raise SystemExit(main())
