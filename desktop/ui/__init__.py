"""Everything Qt lives here, one package per thing a user sees, plus the bridge and a kit.

- ``window``   the main window, its actions and the flows that act for it; the first frame
- ``chat``     the chat view, the composer, and ``chat.render`` (how a message is drawn)
- ``sidebar``  bot picker, search and the session list
- ``logdock``  the network log dock
- ``doctor``, ``profiles``, ``settings``   their dialogs and forms
- ``bridge``   the only async<->Qt code: the loop, the controller, the runners, the error reporter
- ``kit``      theme, styles, translations, widget helpers, start-up rules, intents, ports

Widget packages import neither asyncio, httpx nor the bridge (an import-linter contract in
``pyproject.toml``); only ``window`` knows every other package. The Qt-free core
(``desktop.api``, ``core``, ``storage``, ``netlog``) never imports this package.
"""
