"""The chat a user reads and types into: the chat view, the composer, and ``render/`` (markdown,
code, thinking, tool steps).

Widgets only: no asyncio, no httpx, nothing from ``desktop.ui.bridge``. May import ``kit``,
the Qt-free cores models and storages value types.
"""
