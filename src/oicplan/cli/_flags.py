"""Service errors in the command line's words: request fields become option flags.

The services name request fields (``max_centers``); where a command's message
has always named its option (``--max-centers``), :func:`as_flag_error` rewrites
the error: the field, a field name that starts the message followed by
"must", "needs" or ":" (how the services word their own checks; a library
message such as "capacity for unknown mode" is left alone), and a field name
after "needs", "use", "either", "or", "with" or "only to" become the flag.

>>> from oicplan.errors import InputError
>>> flags = {"annual_budget": "annual-budget", "horizon": "horizon"}
>>> str(as_flag_error(InputError("annual_budget needs horizon", field="annual_budget"), flags))
'field annual-budget: --annual-budget needs --horizon'
>>> str(as_flag_error(InputError("horizon of the scenario", field="horizon"), flags))
'field horizon: horizon of the scenario'
"""

from __future__ import annotations

import re

from oicplan.errors import InputError

__all__ = ["as_flag_error"]

_BEFORE = ("needs ", "use ", "either ", " or ", "with ", "only to ")


def as_flag_error(error: InputError, flags: dict[str, str]) -> InputError:
    """``error`` with its field and the field names in its message as flags.

    Only errors whose field is in ``flags`` (request field -> option name
    without dashes) are rewritten; others are returned as they are.
    """
    if error.field not in flags:
        return error
    names = "|".join(re.escape(name) for name in sorted(flags, key=len, reverse=True))
    before = "|".join(f"(?<={re.escape(word)})" for word in _BEFORE)
    lead = re.match(rf"({names})(?= must| needs|:)", error.message)
    if lead is None:
        return error
    message = f"--{flags[lead.group(1)]}" + error.message[lead.end():]
    inner = re.compile(rf"(?:{before})({names})(?=[\s:,)]|$)")
    message = inner.sub(lambda m: f"--{flags[m.group(1)]}", message)
    return InputError(message, file=error.file, row=error.row, field=flags[error.field])
