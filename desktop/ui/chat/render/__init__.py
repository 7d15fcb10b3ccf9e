"""How one message is drawn: bubbles, markdown segments, code highlighting, thinking and tool
panels, the empty-chat page, and the lazy lay-out that keeps a long answer cheap.

Widgets only (no asyncio, httpx or bridge). Imported by ``desktop.ui.chat.view``; the bubble
modules load right after the first frame, never before it (``desktop.ui.kit.qt_startup``).
"""
