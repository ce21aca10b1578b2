"""The server's own log lines: one timestamped line per event in INDEX/logs/NAME.log.

Written directly (not through a `logging` FileHandler) because one process may serve, or test, several
indexes at once and each event belongs to its own index's folder; the line is also handed to the
`baocao.NAME` logger so whoever configures Python logging sees it too.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

_LOCK = threading.Lock()


def log_event(log_dir: Path | str | None, name: str, message: str, level: int = logging.WARNING) -> None:
    """Append `message` (one line) to LOG_DIR/NAME.log. A log that cannot be written never stops the app."""
    line = " ".join(str(message).split())  # a user name with a newline cannot forge a second line
    logging.getLogger(f"baocao.{name}").log(level, line)
    if log_dir is None:
        return
    try:
        path = Path(log_dir) / f"{name}.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        with _LOCK, open(path, "a", encoding="utf-8") as f:
            f.write(f"{stamp} {logging.getLevelName(level)} {line}\n")
    except OSError:
        pass
