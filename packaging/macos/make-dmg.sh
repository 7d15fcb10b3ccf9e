#!/bin/sh
# Make a drag-to-Applications disk image from "dist/Coze Desktop.app" (macOS only).
#
#   packaging/macos/make-dmg.sh [VERSION]
#
# Uses create-dmg (brew install create-dmg) when present for a window with an Applications
# link and icon layout; otherwise plain hdiutil. Output: dist/coze-desktop-VERSION-macos-ARCH.dmg
set -eu
cd "$(dirname "$0")/../.."

VERSION="${1:-$(sed -n 's/^__version__ = "\(.*\)"/\1/p' desktop/__init__.py)}"
APP="dist/Coze Desktop.app"
DMG="dist/coze-desktop-$VERSION-macos-$(uname -m).dmg"
[ -d "$APP" ] || { echo "make-dmg.sh: build the app first (python packaging/build.py)" >&2; exit 1; }
rm -f "$DMG"

# Ad-hoc signature so Gatekeeper reports "unidentified developer" rather than "damaged".
# Replace "-" with your "Developer ID Application: ..." identity to sign for distribution.
codesign --force --deep --sign "${CODESIGN_IDENTITY:--}" "$APP"

if command -v create-dmg >/dev/null 2>&1; then
    create-dmg --volname "Coze Desktop $VERSION" \
        --volicon resources/icons/coze-desktop.icns \
        --window-size 540 360 --icon-size 112 \
        --icon "Coze Desktop.app" 140 170 --hide-extension "Coze Desktop.app" \
        --app-drop-link 400 170 \
        "$DMG" "$APP"
else
    STAGE="$(mktemp -d)"
    cp -R "$APP" "$STAGE/"
    ln -s /Applications "$STAGE/Applications"
    hdiutil create -volname "Coze Desktop $VERSION" -srcfolder "$STAGE" -fs HFS+ \
        -format UDZO -imagekey zlib-level=9 -ov "$DMG"
    rm -rf "$STAGE"
fi
echo "wrote $DMG ($(du -h "$DMG" | cut -f1))"
