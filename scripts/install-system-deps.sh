#!/usr/bin/env bash
# Debian packages the platform needs: a TrueType CJK font for certificates, poppler (pdfsig/pdftotext),
# gettext for the catalogues, SoftHSM2 for the PKCS#11 signing tests, Chromium for the browser tests, clamd for
# virus scanning, and LibreOffice (no GUI) for previews of office documents. Installs only what is missing.
set -euo pipefail
needed=()
[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || needed+=(fonts-arphic-uming)
# Latin, Greek, Cyrillic and Vietnamese letters in names that the CJK font lacks.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || needed+=(fonts-dejavu-core)
command -v pdfsig >/dev/null 2>&1 || needed+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || needed+=(gettext)
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
# SoftHSM2: the tests sign certificates through PKCS#11 with a key generated inside a software token.
command -v softhsm2-util >/dev/null 2>&1 || needed+=(softhsm2)
# ClamAV's daemon: uploads are scanned through it (CLAMD_SOCKET); the tests start their own with a test signature.
[ -x /usr/sbin/clamd ] || needed+=(clamav-daemon)
# LibreOffice without its GUI draws the preview of office documents (DOCX, PPTX, ODT, ODP) shared as teaching resources.
command -v soffice >/dev/null 2>&1 || needed+=(libreoffice-writer-nogui libreoffice-impress-nogui)
[ ${#needed[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${needed[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Please install these Debian packages as root: ${needed[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${needed[@]}"
