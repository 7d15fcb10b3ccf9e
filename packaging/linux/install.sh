#!/bin/sh
# Install Coze Desktop for the current user (no root needed).
#
#   ./install.sh            copy the app to ~/.local/share/coze-desktop/app, add a menu entry
#                           ("Coze Desktop", with a "Try the demo bot" action), icons and a
#                           ~/.local/bin/coze-desktop command
#   ./install.sh --print    show what would be done
#
# Run it from the unpacked archive (the folder holding the coze-desktop executable).
# XDG_DATA_HOME and PREFIX_BIN move the targets; uninstall with ./uninstall.sh.
set -eu

SRC="$(cd "$(dirname "$0")" && pwd)"
DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
APP_DIR="$DATA_HOME/coze-desktop/app"
BIN_DIR="${PREFIX_BIN:-$HOME/.local/bin}"
APPS_DIR="$DATA_HOME/applications"
ICON_ROOT="$DATA_HOME/icons/hicolor"
DRY=""
[ "${1:-}" = "--print" ] && DRY="echo"

if [ ! -x "$SRC/coze-desktop" ]; then
    echo "install.sh: run me from the unpacked Coze Desktop folder (no coze-desktop executable in $SRC)" >&2
    exit 1
fi

copy_app() {
    $DRY rm -rf "$APP_DIR.new"
    $DRY mkdir -p "$APP_DIR.new"
    $DRY cp -a "$SRC/." "$APP_DIR.new/"
    $DRY rm -rf "$APP_DIR"
    $DRY mv "$APP_DIR.new" "$APP_DIR"
}

install_icons() {
    for png in "$APP_DIR"/_internal/resources/icons/coze-desktop-*.png; do
        [ -e "$png" ] || [ -n "$DRY" ] || continue
        size="${png##*-}"; size="${size%.png}"
        $DRY mkdir -p "$ICON_ROOT/${size}x${size}/apps"
        $DRY cp "$png" "$ICON_ROOT/${size}x${size}/apps/coze-desktop.png"
    done
    $DRY mkdir -p "$ICON_ROOT/scalable/apps"
    $DRY cp "$APP_DIR/_internal/resources/icons/coze-desktop.svg" "$ICON_ROOT/scalable/apps/coze-desktop.svg"
}

install_entry() {
    # The menu entry runs the installed executable by absolute path: ~/.local/bin is not on
    # every desktop session's PATH.
    $DRY mkdir -p "$APPS_DIR" "$BIN_DIR"
    if [ -n "$DRY" ]; then
        echo "write $APPS_DIR/coze-desktop.desktop (Exec=$APP_DIR/coze-desktop)"
    else
        sed -e "s|^Exec=coze-desktop|Exec=\"$APP_DIR/coze-desktop\"|" \
            -e "s|^TryExec=coze-desktop|TryExec=$APP_DIR/coze-desktop|" \
            "$APP_DIR/coze-desktop.desktop" > "$APPS_DIR/coze-desktop.desktop"
        chmod 644 "$APPS_DIR/coze-desktop.desktop"
    fi
    $DRY ln -sf "$APP_DIR/coze-desktop" "$BIN_DIR/coze-desktop"
}

refresh_caches() {
    command -v update-desktop-database >/dev/null 2>&1 && $DRY update-desktop-database -q "$APPS_DIR" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && $DRY gtk-update-icon-cache -q -t "$ICON_ROOT" || true
}

copy_app
install_icons
install_entry
refresh_caches
echo "Coze Desktop is installed: find it in your applications menu, or run $BIN_DIR/coze-desktop"
echo "Remove it with: $APP_DIR/uninstall.sh"
