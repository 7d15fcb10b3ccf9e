"""What the first frame must not wait for: modules that only later work needs stay unloaded
until the window has painted, and so does the ``Qt`` namespace (``desktop.app.main``'s steps,
in a fresh interpreter)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

FIRST_FRAME = """
import json, sys
from desktop.ui.kit import qt_startup
qt_startup.pause_collector()
from desktop import app, paths
from desktop.ui.window import single_instance
from desktop.ui.window.first_frame import wait_for_first_frame
lock = single_instance.claim(paths.data_dir())  # as app.main does, before the database
assert lock is not None
start = app.build_window(app.parse_args(sys.argv[1:]), app.create_application([]), None)
painted = wait_for_first_frame(start.window)
from PySide6 import QtCore
print(json.dumps({"painted": painted, "modules": sorted(sys.modules),
                  "qt_namespace": "Qt" in vars(QtCore)}))
"""

NOT_BEFORE_THE_FIRST_FRAME = (
    "asyncio",  # the backend: qasync, httpx, keyring, the controller
    "httpx",
    "keyring",
    "qasync",
    "desktop.ui.bridge.controller",
    "desktop.ui.kit.intents",  # made when the user first acts
    "desktop.ui.chat.render.bubble",  # the chat rows: built right after the first frame
    "desktop.ui.chat.render.highlighter",
    "desktop.ui.chat.render.empty",
    "pygments",
    "tree_sitter",  # code colouring: when the chat view has warmed up
    "msgspec",  # the wire models: with the backend
    "desktop.ui.window.log_flow",  # the network log dock
    "desktop.ui.window.welcome",  # the first-run page: a returning user never sees it
    "desktop.storage.parts",  # the typed parts of an answer: with the first message row
    "PySide6.QtNetwork",  # the single-instance server: listens after the first frame
    "html",  # escaping for dialogs and rendered answers (html.entities: 1-2 ms)
    "desktop.core.compare",  # saved comparisons' titles: only when one is saved
    "desktop.storage.search",  # the history search and its four records: with the first search
)


def returning_user() -> None:
    """A history like a returning user's, in this test's ``COZE_DESKTOP_HOME``: a bot (with its
    cached face), and chats with messages."""
    from desktop import paths
    from desktop.simulator.icons import icon_png
    from desktop.storage import Database, Profile
    from desktop.storage.bots import BotCard

    db = Database.open(paths.db_path())
    try:
        profile = db.profiles.add(Profile(name="Echo", region="custom", bot_id="7400000000000000001",
                                          base_url="http://127.0.0.1:9", user_id="u"))  # fmt: skip
        icon = paths.icons_dir() / "echo.png"  # the bot's face, cached by an earlier run
        icon.write_bytes(icon_png(profile.bot_id))
        db.bots.save(BotCard(profile.id, profile.bot_id, "Echo bot", icon_url="http://x/e.png",
                             icon_file=str(icon), prologue="Hi", suggested_questions=("a",)))  # fmt: skip
        for n in range(3):
            session = db.sessions.create(profile.id, title=f"chat {n}")
            db.messages.add(session_id=session.id, role="user", kind="question", content="hi")
            db.messages.add(session_id=session.id, role="assistant", kind="answer",
                            content="**hello** `code`", status="complete")  # fmt: skip
    finally:
        db.close()


def demo_user() -> None:
    """A returning user of ``--demo``: the demo profile of an earlier run (an old port)."""
    from desktop import paths
    from desktop.demo import DEMO_PROFILE_NAME
    from desktop.simulator import DEMO_BOT_ID, DEMO_USER_ID
    from desktop.storage import Database, Profile

    db = Database.open(paths.db_path())
    try:
        db.profiles.add(Profile(name=DEMO_PROFILE_NAME, region="custom", bot_id=DEMO_BOT_ID,
                                base_url="http://127.0.0.1:9", user_id=DEMO_USER_ID))  # fmt: skip
    finally:
        db.close()


def child_reports(script: str, *argv: str, count: int = 1) -> list[dict]:
    """Run ``script`` offscreen in a fresh interpreter; the ``count`` JSON lines it printed
    last."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", script, *argv], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [json.loads(line) for line in proc.stdout.strip().splitlines()[-count:]]


def first_frame(*argv: str) -> tuple[set[str], bool]:
    """The modules loaded when ``desktop.app``'s window (started with ``argv``) has painted,
    and whether the ``Qt`` namespace was built by then."""
    report = child_reports(FIRST_FRAME, *argv)[-1]
    assert report["painted"]
    loaded = set(report["modules"])
    assert {"desktop.ui.window.main_window", "desktop.storage.db"} <= loaded
    return loaded, report["qt_namespace"]


AN_EMPTY_CHAT_SHOWS = ("desktop.ui.chat.render.empty",)  # the bot's greeting and starter prompts
THE_DEMO_BACKEND = ("asyncio", "httpx", "keyring", "qasync", "msgspec", "desktop.simulator",
                    "desktop.secrets", "desktop.core.clients", "desktop.ui.bridge.controller")  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("history", ["first run", "demo profile saved"])
def test_demo_paints_its_first_frame_before_the_backend_loads(history: str) -> None:
    """``--demo`` shows its window first: the simulator, the secret store and the HTTP client
    come after the first frame. A first ``--demo`` shows the chat page its demo bot opens in a
    moment, not the welcome page (nor its Qt enums) in between."""
    if history != "first run":
        demo_user()
    loaded, qt_namespace = first_frame("--demo")
    assert [name for name in THE_DEMO_BACKEND if name in loaded] == []
    later = [name for name in NOT_BEFORE_THE_FIRST_FRAME if name not in AN_EMPTY_CHAT_SHOWS]
    assert [name for name in later if name in loaded] == []
    assert qt_namespace is False


@pytest.mark.slow
def test_a_first_run_paints_the_welcome_page_without_the_qt_namespace() -> None:
    """A first start without ``--demo`` (the frozen app's first double-click) shows the welcome
    page in its first frame; the page touches no ``Qt`` enum, and the backend comes later."""
    loaded, qt_namespace = first_frame()
    assert "desktop.ui.window.welcome" in loaded
    assert [name for name in THE_DEMO_BACKEND if name in loaded] == []
    assert qt_namespace is False


@pytest.mark.slow
def test_the_first_frame_loads_only_what_it_shows() -> None:
    returning_user()
    loaded, qt_namespace = first_frame()
    early = [name for name in NOT_BEFORE_THE_FIRST_FRAME if name in loaded]
    assert early == []
    # PySide6 builds the Qt namespace's 94 enums on the first use of any (20-35 ms); a widget
    # may also trigger it by a call with a Qt enum overload (see widget_kit.set_by_name)
    assert qt_namespace is False


HISTORY_SHOWN = FIRST_FRAME.replace(
    "from PySide6 import QtCore\n",
    "start.window.show_history()\n"
    "assert wait_for_first_frame(start.window)\n"
    "assert start.window.chat_view.row_count() > 0\n"
    "from PySide6 import QtCore, QtWidgets\n"
    "print(json.dumps({'qstyle': 'QStyle' in vars(QtWidgets)}))\n",
)


@pytest.mark.slow
def test_a_chats_first_rows_are_painted_without_setting_up_qstyle() -> None:
    """The rows of the chat a returning user comes back to are the second frame: polishing a
    new row's bubble again, as a changed property needs once it is polished, would set up
    ``QStyle`` and its 700 enum values on the way (5-10 ms)."""
    returning_user()
    assert child_reports(HISTORY_SHOWN, count=2)[0] == {"qstyle": False}
