#!/usr/bin/env bash
# Installs the Debian packages policypress needs, only those that are missing:
#   building:  Pango (WeasyPrint's text engine); liblouis and its tables (braille)
#   testing:   Chromium (real-browser tests), poppler-utils (pdftotext, pdftoppm), a Java runtime
#              (the Nu Html Checker, veraPDF), liblouis's commands (the braille is translated
#              back), JAXB for veraPDF (libjaxb-java)
# Usage: scripts/install-system-deps.sh [build|test]
set -euo pipefail
what="${1:-test}"
need=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib libpango-1.0.so.0 || need+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so.0 || need+=(libpangoft2-1.0-0)
have_lib liblouis.so.20 || need+=(liblouis20)
[ -f /usr/share/liblouis/tables/en-ueb-g2.ctb ] || need+=(liblouis-data)
if [ "$what" = test ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
  command -v lou_translate >/dev/null 2>&1 || need+=(liblouis-bin)
  [ -f /usr/share/java/jaxb-runtime.jar ] || need+=(libjaxb-java)
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${need[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Please install these Debian packages (as root): ${need[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
