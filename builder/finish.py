"""How a run ends: after its work (whether the CLI built something or builder.noop found nothing
to do), or when the reader of its output has gone (`build ... | head`)."""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def end(code: int = 0) -> NoReturn:
    """The dataclass code this run compiled and the phrases it parsed kept for the next run (once),
    the output flushed, and no teardown of the interpreter: everything is written and the workers
    joined, and freeing every object of a build one by one costs about 0.1 s of CPU after a full build."""
    _keep_code()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # what was buffered met the closed pipe only now
        reader_gone()
    except OSError:  # nothing more can be said
        pass
    os._exit(code)


def reader_gone() -> NoReturn:
    """Our output went to a pipe whose reader has closed it (`build list icons | head -3`): end as
    a Unix tool does then, quietly and killed by SIGPIPE (a shell shows status 141). What was
    built stays built; only the lines nobody reads are lost."""
    import signal

    _keep_code()
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):  # no later flush may meet the closed pipe again
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):  # a stream replaced by one without a descriptor
            pass
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # Python ignores it; the default ends the process
    os.kill(os.getpid(), signal.SIGPIPE)
    os._exit(128 + signal.SIGPIPE)  # where the signal could not end it


def output_closed() -> bool:
    """Whether stdout or stderr is a pipe whose reader has gone: a BrokenPipeError from anywhere
    else (the image workers' pipes) is a bug to report, not a reader leaving."""
    import select

    try:
        poll = select.poll()
        for stream in (sys.stdout, sys.stderr):
            poll.register(stream.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poll.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def _keep_code() -> None:
    kept = sys.modules.get("builder.dataclass_code")  # not loaded by a run that made no dataclass (the no-op)
    if kept is not None:
        kept.KEPT.save()
    phrases = sys.modules.get("builder.text.phrases")  # loaded by a run that broke text into phrases
    if phrases is not None:
        phrases.STORE.save()
