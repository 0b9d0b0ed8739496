"""Build the site: the same program as the installed `digest` command."""
from digest.cli import run

run()
