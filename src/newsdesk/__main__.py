"""`python -m newsdesk`: the newsdesk command line, as the `newsdesk` script runs it."""

from newsdesk.cli import run

run()
