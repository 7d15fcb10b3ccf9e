"""The only place where asyncio meets Qt: the qasync loop, the chat controller, the doctor and
network-test runners, and the last-resort error reporter.

Everything with an ``async def`` in ``desktop.ui`` lives here. It turns coroutines into typed Qt
signals for the widgets and keeps a reference to every task it starts. May import the Qt-free
core, ``kit`` and storage; never a widget package.
"""
