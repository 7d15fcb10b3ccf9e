#!/bin/sh
# Remove Coze Desktop installed by install.sh for the current user.
#
#   ./uninstall.sh           remove the app, its menu entry, icons and ~/.local/bin/coze-desktop;
#                            chat history, settings, logs and saved tokens stay
#   ./uninstall.sh --purge   also delete chat history, settings, logs and the tokens saved in
#                            the system keyring (service "coze-desktop")
set -eu

DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
CONFIG_HOME="${XDG_CONFIG_HOME:-$HOME/.config}"
STATE_HOME="${XDG_STATE_HOME:-$HOME/.local/state}"
BIN_DIR="${PREFIX_BIN:-$HOME/.local/bin}"
ICON_ROOT="$DATA_HOME/icons/hicolor"

remove_app() {
    rm -rf "$DATA_HOME/coze-desktop"
    rm -f "$DATA_HOME/applications/coze-desktop.desktop"
    for dir in "$ICON_ROOT"/*/apps; do
        rm -f "$dir/coze-desktop.png" "$dir/coze-desktop.svg"
    done
    # Only remove the command if it is our link.
    if [ -L "$BIN_DIR/coze-desktop" ]; then
        case "$(readlink "$BIN_DIR/coze-desktop")" in
            */coze-desktop/app/coze-desktop) rm -f "$BIN_DIR/coze-desktop" ;;
        esac
    fi
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA_HOME/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$ICON_ROOT" || true
}

purge_data() {
    rm -rf "$DATA_HOME/CozeDesktop" "$CONFIG_HOME/CozeDesktop" "$STATE_HOME/CozeDesktop"
    if command -v secret-tool >/dev/null 2>&1; then
        secret-tool clear service coze-desktop 2>/dev/null || true
    else
        echo "secret-tool not found: remove the 'coze-desktop' entries in your keyring app (Passwords and Keys)."
    fi
}

remove_app
if [ "${1:-}" = "--purge" ]; then
    purge_data
    echo "Coze Desktop, its history, settings, logs and saved tokens are removed."
else
    echo "Coze Desktop is removed. Your history and settings stay in $DATA_HOME/CozeDesktop and"
    echo "$CONFIG_HOME/CozeDesktop (run 'uninstall.sh --purge' to delete them too)."
fi
