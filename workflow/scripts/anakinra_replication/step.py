"""The harness of every workflow script: output to the rule's log, input errors in one line.

A script under workflow/scripts/ is three lines: read, call one package function, write.
It hands that to :func:`run`, which sends its output to the rule's log file and turns an
:class:`~anakinra_replication.jsonio.InputError` into one message on stderr and exit code 1
(Snakemake then removes the job's outputs, so nothing partial is left). Any other exception is a
bug: its traceback goes to the log, and stderr gets one line saying where to find it.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

from .jsonio import InputError


def run(main: Callable[[Any], None], snakemake: Any) -> None:
    """Run ``main(snakemake)`` with stdout and stderr going to ``snakemake.log[0]``."""
    with open(snakemake.log[0], "w", encoding="utf-8") as log, redirect_stdout(log), redirect_stderr(log):
        try:
            main(snakemake)
            return
        except InputError as err:
            message = str(err)
        except Exception as err:  # a bug, not bad input: the traceback goes to the log only
            traceback.print_exc()
            message = (
                f"internal error: {type(err).__name__}: {err} (a bug, not your input; the traceback "
                f"is in {snakemake.log[0]}; please report it)"
            )
    print(message, file=sys.stderr)
    with open(snakemake.log[0], "a", encoding="utf-8") as log:
        print(message, file=log)
    sys.exit(1)


def given(item: Any) -> str | None:
    """An optional named input of a rule (a function returning [] or [path]) as a path, or None."""
    if isinstance(item, str):
        return item or None
    return str(item[0]) if len(item) else None
