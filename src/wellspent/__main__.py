"""``python -m wellspent`` runs the command line."""

from wellspent.cli.main import run

if __name__ == "__main__":
    run()
