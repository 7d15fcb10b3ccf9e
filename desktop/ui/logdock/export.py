"""Getting exchanges out of the log dock: support bundle text, HAR / JSON-lines files.

Everything written is masked once: the netlog's exports mask their structure before encoding
it (``desktop.netlog.export``), and the support bundle masks its lines, the cURL command's words
before quoting. The only way to get the real token out is "copy as cURL with token" in the
dock, which asks first.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.api.models import region_of
from desktop.netlog import Exchange, scrub_text, to_curl, to_har, to_jsonl
from desktop.settings import atomic_write_text
from desktop.ui.kit import folders

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)

ExportFormat = Literal["har", "jsonl"]


def export_text(exchanges: Sequence[Exchange], fmt: ExportFormat) -> str:
    """The file content of an export (masked)."""
    if fmt == "har":
        return json.dumps(to_har(exchanges), ensure_ascii=False, indent=1)
    return to_jsonl(exchanges)


def bot_id_of(ex: Exchange) -> str:
    """The bot id of a request: from the JSON body, else from a ``/v1/bots/{id}`` path."""
    try:
        body = json.loads(ex.request_body) if ex.request_body.startswith("{") else {}
    except ValueError:
        body = {}
    if isinstance(body, dict) and body.get("bot_id"):
        return str(body["bot_id"])
    path = urlsplit(ex.url).path
    if "/bots/" in path:
        return path.rsplit("/", 1)[-1]
    return ""


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")


def support_bundle(ex: Exchange) -> str:
    """What Coze support asks for: log id, code, msg, region, bot id, times, masked cURL."""
    error = ex.error
    total = ex.timings.get("total")
    lines = [
        "Coze Desktop — request report",
        f"log id: {ex.log_id or '(none)'}",
        f"HTTP status: {ex.status if ex.status is not None else '(no response)'}",
        f"code: {ex.coze_code if ex.coze_code is not None else '(none)'}",
        f"msg: {error.msg if error is not None and error.msg else '(none)'}",
        f"diagnosis: {error.diagnosis.key if error is not None else 'ok'}",
        f"region: {region_of(ex.url)} ({urlsplit(ex.url).netloc})",
        f"bot id: {bot_id_of(ex) or '(none)'}",
        f"started: {_iso(ex.started_at)}",
        f"finished: {_iso(ex.started_at + total) if total is not None else '(not finished)'}",
        f"attempt: {ex.attempt}",
    ]
    return "\n".join([*(scrub_text(line) for line in lines), "", to_curl(ex)])


class LogExporter(QObject):
    """Asks for a file name (``open()``, never a nested loop) and writes the export there."""

    def __init__(self, parent: QWidget, report: Callable[[str], None]) -> None:
        super().__init__(parent)
        self._parent = parent
        self._report = report
        self._dialog: QFileDialog | None = None

    def ask(self, exchanges: Sequence[Exchange], fmt: ExportFormat) -> QFileDialog | None:
        if not exchanges:
            self._report(self.tr("Nothing to export."))
            return None
        dialog = QFileDialog(self._parent, self.tr("Export network log"))
        dialog.setObjectName("logExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(
            self.tr("HAR files (*.har)") if fmt == "har" else self.tr("JSON lines (*.jsonl)")
        )
        dialog.setDefaultSuffix(fmt)
        folders.prepare(dialog)
        dialog.selectFile(f"coze-log-{datetime.now():%Y%m%d-%H%M%S}.{fmt}")
        chosen = list(exchanges)
        dialog.fileSelected.connect(lambda path: self.write(chosen, fmt, Path(path)))
        self._dialog = dialog
        dialog.open()
        return dialog

    def write(self, exchanges: Sequence[Exchange], fmt: ExportFormat, path: Path) -> bool:
        try:
            atomic_write_text(path, export_text(exchanges, fmt))
        except OSError as exc:
            log.warning("log export failed: %s", exc)
            self._report(self.tr("Export failed: {error}").format(error=exc))
            return False
        self._report(
            self.tr("Exported {n} request(s) to {path}").format(n=len(exchanges), path=path)
        )
        return True
