"""Settings: the settings dialog (language, theme, behaviour) and its proxy page.

Widgets only (no asyncio, httpx or bridge): the proxy Test runs in
``desktop.ui.bridge.network_tester``.
"""
