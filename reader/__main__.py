"""`python -m reader` does what the `post-reader` command does."""

from reader.cli import main

# Guarded: worker processes (spawn/forkserver) import the main module again.
if __name__ == "__main__":
    raise SystemExit(main())
