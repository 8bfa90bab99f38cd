"""``python -m oicplan.cli``: the same as the ``oicplan`` command."""

from oicplan.cli.main import main

main()
