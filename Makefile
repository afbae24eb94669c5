# Shortcuts for scripts/dev.sh, which does the real work (and works without make).
.PHONY: run test setup lint bench
run:
	bash scripts/dev.sh run $(FOLDER)
test:
	bash scripts/dev.sh test
setup:
	bash scripts/dev.sh setup
lint:
	.venv/bin/ruff check reader tests && .venv/bin/ruff format --check reader tests && .venv/bin/mypy reader/core
bench:
	.venv/bin/python tests/benchmarks/bench.py --posts 10000
