"""`python -m listcheck` runs the CLI (handy under profilers and where scripts are not on PATH)."""

from listcheck.cli import main

main()
