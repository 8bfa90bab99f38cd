"""``python -m oicplan``: the same as the ``oicplan`` command."""

from oicplan.cli.main import main

main()
