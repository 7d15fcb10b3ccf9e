#!/usr/bin/env bash
# Developer entry point: set up a virtual environment and run the app or the checks.
#
#   packaging/dev.sh run [ARGS...]   install the app into .venv and start it (e.g. --demo)
#   packaging/dev.sh test [PYTEST ARGS...]
#                                    install test tools (and, as root, the Debian packages the
#                                    tests need), run ruff, mypy, import-linter and pytest with a
#                                    real Secret Service (gnome-keyring in a D-Bus session),
#                                    then the frozen smoke test below
#   packaging/dev.sh build [ARGS]    build the bundle and archive for this OS (packaging/build.py)
#   packaging/dev.sh frozen          build the PyInstaller bundle (packaging/build.py, ~25 s) and
#                                    run its --self-test twice: without a keyring, and under a
#                                    real Secret Service (the frozen keyring must round-trip)
#
# Python 3.12+ is required: PySide6 6.12 on Python 3.11 aborts on Signal.emit().
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${COZE_VENV:-.venv}"

find_python() {
    local candidates=(python3.13 python3.12 python3 python)
    if command -v pyenv >/dev/null 2>&1; then
        local root; root="$(pyenv root)"
        for v in "$root"/versions/3.1[2-9]*; do
            [ -x "$v/bin/python3" ] && candidates+=("$v/bin/python3")
        done
    fi
    for c in "${candidates[@]}"; do
        if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
            command -v "$c" 2>/dev/null || echo "$c"
            return 0
        fi
    done
    echo "Coze Desktop needs Python 3.12 or newer; none was found on PATH or in pyenv." >&2
    return 1
}

apt_install() {
    # Installs missing Debian packages when we are root on a Debian-like system; otherwise
    # prints what is missing and carries on.
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ]; then
        echo "Installing Debian packages: ${missing[*]}"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "Missing Debian packages (install them with sudo apt-get install): ${missing[*]}" >&2
    fi
}

# The fonts: Chinese text, and the emoji that bots put in answers (the demo bot's headings and
# tips among them), which a bare Debian shows as empty boxes
QT_RUNTIME_PKGS=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-randr0
    libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-image0 libegl1 libfontconfig1
    libglib2.0-0 libdbus-1-3 fonts-noto-cjk fonts-noto-color-emoji)
TEST_PKGS=(gnome-keyring dbus-x11 libsecret-tools xvfb xauth)

make_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        local py; py="$(find_python)"
        "$py" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
    "$VENV/bin/python" -m pip install -q -e ".$1" 2>&1 | grep -v "^WARNING: Location" || true
    "$VENV/bin/python" -c 'import desktop' # fail early when the install did not work
    # PySide6's support code, compiled once into the environment (as pip compiles .pyc files):
    # the app's first start loads it instead of compiling it
    "$VENV/bin/python" packaging/ship_support_cache.py || true
}

cmd_run() {
    apt_install "${QT_RUNTIME_PKGS[@]}"
    make_venv ""
    exec "$VENV/bin/coze-desktop" "$@"
}

cmd_test() {
    apt_install "${QT_RUNTIME_PKGS[@]}" "${TEST_PKGS[@]}"
    make_venv "[test]"
    local bin="$VENV/bin"
    echo "== ruff";           "$bin/ruff" check desktop tests && "$bin/ruff" format --check desktop tests
    echo "== mypy";           "$bin/mypy"
    echo "== import-linter";  "$bin/lint-imports"
    echo "== pytest (with a real Secret Service)"
    export QT_QPA_PLATFORM=offscreen
    if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
        export COZE_REQUIRE_REAL_KEYRING=1
        # A throwaway home gives gnome-keyring a fresh login keyring and keeps the user's away.
        HOME="$(mktemp -d)"; export HOME
        # The empty line on stdin unlocks (and creates) the login keyring; see the README.
        dbus-run-session -- sh -c 'echo "" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$0" -m pytest "$@"' "$bin/python" "$@"
    else
        "$bin/python" -m pytest "$@"
    fi
    frozen_smoke
}

frozen_smoke() {
    # Builds dist/coze-desktop and runs tests/integration/test_frozen.py against it twice.
    make_venv "[test,package]"
    local bin="$VENV/bin" app
    echo "== frozen: build the bundle"
    "$bin/python" packaging/build.py --no-archive
    app="$PWD/dist/coze-desktop/coze-desktop"
    echo "== frozen: self-test without a keyring"
    env -u DBUS_SESSION_BUS_ADDRESS -u COZE_REQUIRE_REAL_KEYRING COZE_FROZEN_APP="$app" \
        QT_QPA_PLATFORM=offscreen "$bin/python" -m pytest -q -p no:cacheprovider -m frozen \
        tests/integration/test_frozen.py
    if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
        echo "== frozen: self-test under a real Secret Service"
        HOME="$(mktemp -d)" COZE_REQUIRE_REAL_KEYRING=1 COZE_FROZEN_APP="$app" QT_QPA_PLATFORM=offscreen \
            dbus-run-session -- sh -c 'echo "" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$0" -m pytest -q -p no:cacheprovider -m frozen tests/integration/test_frozen.py' "$bin/python"
    fi
}

cmd_frozen() {
    apt_install "${QT_RUNTIME_PKGS[@]}" "${TEST_PKGS[@]}"
    frozen_smoke
}

cmd_build() {
    apt_install "${QT_RUNTIME_PKGS[@]}"
    make_venv "[package]"
    "$VENV/bin/python" packaging/build.py "$@"
}

case "${1:-}" in
    run)  shift; cmd_run "$@" ;;
    test) shift; cmd_test "$@" ;;
    build) shift; cmd_build "$@" ;;
    frozen) shift; cmd_frozen ;;
    *) echo "usage: packaging/dev.sh run [--demo] | test [pytest args] | frozen | build [build.py args]" >&2; exit 2 ;;
esac
