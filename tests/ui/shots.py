"""Render a demo conversation into PNGs (light and dark) to look at the chat view.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.shots [OUT_DIR]    (default: ./shots)

Writes ``chat_<theme>_<n>.png`` at 1100x800: the view scrolled to the top, the middle and the
bottom of a conversation with thinking, a plugin call, a table, a code block, follow-ups, a
stopped answer, an interrupted answer, an error bubble, a divider and a warning.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.storage import StoredMessage
from desktop.storage.parts import ErrorRecord, ToolRecord, UsageRecord
from desktop.ui.chat.render.bubble import AnswerWidget
from desktop.ui.chat.view import ChatView
from desktop.ui.kit.theme import apply_theme

WEATHER_ANSWER = """\
## 北京今日天气

今天**晴转多云**，气温适中，适合户外活动。数据来自 [中国天气网](https://www.weather.com.cn)。

| 时段 | 天气 | 温度 | 风力 |
|------|------|------|------|
| 上午 | 晴 | 12 °C | 北风 2 级 |
| 下午 | 多云 | 18 °C | 北风 3 级 |
| 夜间 | 多云 | 8 °C | 微风 |

建议：

1. 早晚温差较大，注意**添衣**；
2. 紫外线中等，外出可涂抹防晒；
3. 空气质量良，适合骑行和散步。

用 `requests` 查询同样的数据：

```python
import requests

def weather(city: str) -> dict:
    \"\"\"Fetch today's forecast for a city.\"\"\"
    resp = requests.get("https://api.example.com/weather", params={"city": city}, timeout=10)
    resp.raise_for_status()
    return resp.json()["today"]  # {'high': 18, 'low': 8}
```
"""

STOPPED_ANSWER = """\
Here is a one-liner that counts the lines of every Python file:

```bash
find . -name '*.py' -print0 | xargs -0 wc -l | sort -n
```

It uses `-print0` so file names with spaces work. If you only want the total, pipe it"""


def demo_messages() -> list[StoredMessage]:
    """A conversation exercising every kind of row."""
    q = _question
    return [
        q(1, "北京今天天气怎么样？适合出门吗？"),
        StoredMessage(
            id=2,
            role="assistant",
            kind="answer",
            content=WEATHER_ANSWER,
            reasoning="用户想知道北京今天的天气，并判断是否适合出门。我应该调用天气查询插件获取"
            "今天的预报，然后根据温度、风力和空气质量给出建议。",
            tools=[
                ToolRecord(
                    name="天气查询",
                    arguments='{"city": "北京", "date": "today"}',
                    output='{"weather": "晴转多云", "high": 18, "low": 8, "aqi": 62, '
                    '"wind": "北风 2-3 级"}',
                )
            ],
            follow_ups=["那今天适合户外骑行吗?", "明天会下雨吗?", "上海的天气呢?"],
            usage=UsageRecord(token_count=1234, output_count=456, input_count=778),
            log_id="20261124101500A1B2C3D4E5F6A7B8C9",
            chat_id="7441",
            ttft_ms=420,
            total_ms=3180,
        ),
        StoredMessage(id=3, role="system", kind="divider", content=""),
        q(4, "Write a bash one-liner that counts lines in all .py files"),
        StoredMessage(
            id=5,
            role="assistant",
            kind="answer",
            content=STOPPED_ANSWER,
            status="stopped",
            log_id="20261124101733F00DFEEDBEEF0001",
            total_ms=1450,
        ),
        q(6, "Summarise the report in three bullet points."),
        StoredMessage(
            id=7,
            role="assistant",
            kind="answer",
            status="interrupted",
            content="- Revenue grew **12 %** year over year\n- Costs fell in Q3\n- The",
        ),
        q(8, "Hello?"),
        StoredMessage(
            id=9,
            role="assistant",
            kind="answer",
            status="failed",
            error=ErrorRecord(
                status=401,
                code=4100,
                msg="authentication is invalid",
                log_id="202611241018000A0B0C0D0E0F1011",
                diagnosis="auth_invalid",
            ),
            log_id="202611241018000A0B0C0D0E0F1011",
        ),
    ]


def _question(message_id: int, text: str) -> StoredMessage:
    return StoredMessage(id=message_id, role="user", kind="question", content=text)


def render(app: QApplication, out: Path, theme: str) -> list[Path]:
    dark = apply_theme(app, theme)
    view = ChatView()
    view.set_palette_mode(dark)
    view.resize(1100, 800)
    view.set_history(demo_messages())
    view.add_notice("warning", "The token is kept for this session only: no keyring was found.")
    view.show()
    _settle(app, view)
    bar = view._scroll.verticalScrollBar()
    paths = []
    for n, fraction in enumerate((0.0, 0.5, 1.0)):
        bar.setValue(round(bar.maximum() * fraction))
        _settle(app, view)
        path = out / f"chat_{theme}_{n}.png"
        view.grab().save(str(path))
        paths.append(path)
    view.set_history(demo_messages()[:2])
    _expand_sections(view)
    _settle(app, view)
    for name, value in (("weather", 0), ("weather_end", bar.maximum())):
        bar.setValue(value)
        _settle(app, view)
        path = out / f"chat_{theme}_{name}.png"
        view.grab().save(str(path))
        paths.append(path)
    view.close()
    view.deleteLater()
    return paths


def _expand_sections(view: ChatView) -> None:
    """Open the thinking section and the plugin card of the weather answer."""
    row = view.row_for(2)
    assert isinstance(row, AnswerWidget)
    row.parts["thinking"].set_expanded(True)  # type: ignore[attr-defined]
    for card in row.tool_cards:
        card.set_expanded(True)


def _settle(app: QApplication, view: ChatView | None = None) -> None:
    """Process events until the view has rendered and coloured everything (max ~3 s)."""
    deadline = time.monotonic() + 3
    app.processEvents()
    while view is not None and view.is_busy() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    for _ in range(3):
        app.processEvents()


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[1] if len(argv) > 1 else "shots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(argv[:1])
    assert isinstance(app, QApplication)
    for theme in ("light", "dark"):
        for path in render(app, out, theme):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
