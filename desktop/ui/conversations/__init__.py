"""The "Conversations on Coze" view: a bot's conversations on the server, which are already
here, and importing one or all of them with progress and Stop.

Widgets only (no asyncio, httpx or bridge): the runs happen in
``desktop.ui.bridge.conversation_sync`` and arrive as typed signals
(``desktop.ui.kit.conversation_ports``).
"""
