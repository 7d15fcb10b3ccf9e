"""The demo weather bot's knowledge: simulated forecasts and the markdown answers built from them.

Forecasts are deterministic per city (no network, stable tests). The first answer calls the
``天气查询`` plugin; a follow-up in the same conversation ("那今天适合户外骑行吗?") is answered
from the plugin result already in the conversation history, the way a real bot with context does.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

CITIES: dict[str, tuple[str, ...]] = {
    "北京": ("beijing", "peking"),
    "上海": ("shanghai",),
    "广州": ("guangzhou", "canton"),
    "深圳": ("shenzhen",),
    "杭州": ("hangzhou",),
    "成都": ("chengdu",),
    "西安": ("xi'an", "xian"),
    "武汉": ("wuhan",),
    "南京": ("nanjing",),
    "重庆": ("chongqing",),
}
DEFAULT_CITY = "北京"
PLUGIN_NAME = "天气查询"

# (weather, low, high, wind, wind level, humidity %, AQI) for today and tomorrow
_FORECASTS: dict[str, tuple[tuple[Any, ...], tuple[Any, ...]]] = {
    "北京": (("晴转多云", 12, 24, "北风", 3, 35, 62), ("多云", 10, 21, "东北风", 2, 42, 35)),
    "上海": (("多云", 16, 23, "东风", 3, 68, 48), ("小雨", 15, 20, "东南风", 4, 85, 30)),
    "广州": (("晴", 21, 29, "南风", 2, 70, 55), ("雷阵雨", 22, 28, "南风", 3, 88, 40)),
    "深圳": (("多云", 22, 28, "东南风", 3, 75, 38), ("阵雨", 22, 27, "东风", 3, 86, 33)),
    "杭州": (("阴", 14, 21, "东北风", 2, 72, 58), ("小雨", 13, 18, "北风", 3, 90, 41)),
    "成都": (("阴转小雨", 13, 18, "北风", 1, 82, 76), ("多云", 12, 19, "北风", 1, 75, 68)),
    "西安": (("晴", 8, 20, "西北风", 3, 30, 88), ("扬沙", 7, 17, "西北风", 5, 25, 165)),
    "武汉": (("多云", 14, 23, "北风", 2, 60, 70), ("晴", 13, 24, "北风", 2, 55, 64)),
    "南京": (("晴", 12, 22, "东北风", 2, 55, 66), ("多云", 11, 20, "东风", 3, 60, 52)),
    "重庆": (("阴", 15, 20, "无持续风向", 1, 80, 72), ("小雨", 14, 18, "北风", 1, 88, 60)),
}

ACTIVITY_WORDS = (
    "骑行",
    "户外",
    "跑步",
    "运动",
    "出门",
    "适合",
    "爬山",
    "ride",
    "bike",
    "cycling",
    "run",
    "outdoor",
)
TOMORROW_WORDS = ("明天", "带伞", "下雨", "tomorrow", "umbrella", "rain")


@dataclass(frozen=True)
class Day:
    """One day's forecast as the plugin returns it."""

    date: str
    weather: str
    low: int
    high: int
    wind: str
    humidity: int
    aqi: int

    @property
    def air(self) -> str:
        level = (
            "优"
            if self.aqi <= 50
            else "良"
            if self.aqi <= 100
            else "轻度污染"
            if self.aqi <= 150
            else "中度污染"
        )
        return f"{level} (AQI {self.aqi})"

    @property
    def wind_level(self) -> int:
        digits = "".join(ch for ch in self.wind if ch.isdigit())
        return int(digits) if digits else 0

    @property
    def rainy(self) -> bool:
        return "雨" in self.weather or "雪" in self.weather


def find_city(text: str) -> str | None:
    """The city named in *text* (Chinese or English name), if any."""
    lowered = text.lower()
    for city, aliases in CITIES.items():
        if city in text or any(alias in lowered for alias in aliases):
            return city
    return None


def plugin_result(city: str, today: _dt.date | None = None) -> dict[str, Any]:
    """What the 天气查询 plugin returns for *city* (today and tomorrow)."""
    today = today or _dt.date.today()
    days = _FORECASTS.get(city, _FORECASTS[DEFAULT_CITY])
    out: dict[str, Any] = {"city": city, "source": "Coze Desktop simulator (demo data)"}
    for key, offset, row in (("today", 0, days[0]), ("tomorrow", 1, days[1])):
        weather, low, high, wind, level, humidity, aqi = row
        date = today + _dt.timedelta(days=offset)
        out[key] = {
            "date": date.isoformat(),
            "weather": weather,
            "temp_low": low,
            "temp_high": high,
            "wind": f"{wind} {level}级",
            "humidity": humidity,
            "aqi": aqi,
        }
    return out


def day_from(data: dict[str, Any]) -> Day:
    """A :class:`Day` from one entry of a plugin result."""
    return Day(
        date=str(data["date"]),
        weather=str(data["weather"]),
        low=int(data["temp_low"]),
        high=int(data["temp_high"]),
        wind=str(data["wind"]),
        humidity=int(data["humidity"]),
        aqi=int(data["aqi"]),
    )


def _label(day: Day, word: str) -> str:
    date = _dt.date.fromisoformat(day.date)
    return f"{word} ({date.month}月{date.day}日)"


def _temp(day: Day) -> str:
    return f"{day.low}°C ~ {day.high}°C"


def function_call(city: str) -> dict[str, Any]:
    """The function_call message content for the plugin call."""
    return {
        "name": PLUGIN_NAME,
        "arguments": {"city": city},
        "plugin_id": 7480000000000001001,
        "api_id": 7480000000000001002,
        "plugin_type": 1,
        "thought": f"用户想知道{city}的天气，需要调用{PLUGIN_NAME}插件获取实时数据。",
    }


def report_reasoning(city: str) -> str:
    return (
        f"用户想了解{city}的天气。我需要调用「{PLUGIN_NAME}」插件，参数 city={city}，"
        "拿到今天和明天的预报后整理成表格，再根据温差、风力和空气质量给出实用的出行建议。"
    )


def _tips(today: Day) -> list[str]:
    tips = []
    if today.high - today.low >= 8:
        tips.append(f"🧥 早晚温差约 {today.high - today.low}°C，建议带一件薄外套")
    tips.append("☂️ 有降水，出门记得带伞" if today.rainy else "🕶️ 午后紫外线较强，注意防晒")
    if today.aqi > 100:
        tips.append("😷 空气质量一般，敏感人群减少户外活动")
    else:
        tips.append("🌳 空气不错，适合开窗通风和户外散步")
    return tips


def report_answer(result: dict[str, Any]) -> str:
    """The full markdown weather report for a plugin result."""
    city = result["city"]
    today, tomorrow = day_from(result["today"]), day_from(result["tomorrow"])
    tips = "\n".join(f"- {tip}" for tip in _tips(today))
    return f"""## 🌤️ {city}天气速报

根据「{PLUGIN_NAME}」插件返回的数据，{city}今天**{today.weather}**，气温 **{_temp(today)}**，空气质量{today.air.split()[0]}。

| 日期 | 天气 | 气温 | 风力 | 湿度 | 空气质量 |
| --- | --- | --- | --- | --- | --- |
| {_label(today, "今天")} | {today.weather} | {_temp(today)} | {today.wind} | {today.humidity}% | {today.air} |
| {_label(tomorrow, "明天")} | {tomorrow.weather} | {_temp(tomorrow)} | {tomorrow.wind} | {tomorrow.humidity}% | {tomorrow.air} |

**出行建议 Tips:**

{tips}

想在自己的程序里调用这个 Bot？用官方 Python SDK 只需几行：

```python
from cozepy import Coze, TokenAuth, Message

coze = Coze(auth=TokenAuth("pat_..."), base_url="https://api.coze.cn")
for event in coze.chat.stream(
    bot_id="<your bot id>",
    user_id="demo-user",
    additional_messages=[Message.build_user_question_text("{city}今天天气怎么样？")],
):
    if event.message and event.event == "conversation.message.delta":
        print(event.message.content, end="", flush=True)
```

> 数据来自模拟的「{PLUGIN_NAME}」插件，仅供演示。"""


def report_follow_ups(city: str) -> list[str]:
    return [f"明天{city}需要带伞吗？", "那今天适合户外骑行吗？", f"{city}这周末天气怎么样？"]


def _verdict(day: Day) -> tuple[str, list[tuple[str, str, str]]]:
    rows = [
        ("天气", day.weather, "❌ 有降水" if day.rainy else "✅ 无降水"),
        ("气温", _temp(day), "✅ 体感舒适" if 8 <= day.high <= 30 else "⚠️ 注意保暖/防暑"),
        ("风力", day.wind, "⚠️ 风大，骑行吃力" if day.wind_level >= 5 else "✅ 影响不大"),
        ("空气", day.air, "⚠️ 不宜剧烈运动" if day.aqi > 100 else "✅ 可以放心运动"),
    ]
    bad = sum(1 for row in rows if not row[2].startswith("✅"))
    verdict = (
        "很适合户外骑行"
        if bad == 0
        else "可以骑行，但要注意下面的提醒"
        if bad == 1
        else "不太适合户外骑行"
    )
    return verdict, rows


def activity_reasoning(city: str, day: Day) -> str:
    return (
        f"用户在追问上一轮的话题。刚才已经查到{city}今天{day.weather}、{_temp(day)}、{day.wind}、"
        f"空气质量{day.air}。这些数据足够判断是否适合骑行，不需要再次调用插件。"
    )


def activity_answer(city: str, day: Day) -> str:
    """Advice for an outdoor activity, based on the previous turn's data."""
    verdict, rows = _verdict(day)
    table = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    return f"""### 🚴 今天适合户外骑行吗？

根据刚才查到的{city}天气（{day.weather}，{_temp(day)}，{day.wind}，空气质量{day.air}），**今天{verdict}**。

| 因素 | 情况 | 评价 |
| --- | --- | --- |
{table}

**小建议：**

1. 最佳时段：上午 10 点到下午 4 点，气温最舒服
2. 早晚偏凉，带一件防风外套
3. 带足饮用水，注意防晒和补水"""


def activity_follow_ups(city: str) -> list[str]:
    return [f"{city}有哪些适合骑行的路线？", "骑行需要准备哪些装备？", "明天的天气呢？"]


def tomorrow_reasoning(city: str, day: Day) -> str:
    return f"用户问的是明天。上一轮插件已经返回了{city}明天的预报（{day.weather}），直接引用即可。"


def tomorrow_answer(city: str, day: Day) -> str:
    """Tomorrow's outlook, based on the previous turn's data."""
    umbrella = "**需要带伞** ☂️" if day.rainy else "**不用带伞** 😎"
    return f"""### 📅 {city}明天的天气

根据刚才查到的{city}天气预报，明天（{day.date}）{day.weather}，气温 {_temp(day)}，{day.wind}。

- 是否带伞：{umbrella}
- 湿度：{day.humidity}%
- 空气质量：{day.air}"""


def tomorrow_follow_ups(city: str) -> list[str]:
    return ["那今天适合户外骑行吗？", f"{city}这周末天气怎么样？", "明天穿什么合适？"]
