#!/usr/bin/env bash
# Makes promtool and amtool available to the consumer tests (test/consumers/prometheus-tools.test.ts),
# which check every rule group with `promtool check rules` / `promtool test rules` and every
# Alertmanager config with `amtool check-config`.
#
# They come from Debian's `prometheus` (promtool 2.42 on bookworm) and `prometheus-alertmanager`
# (amtool 0.25) packages. When a binary is missing and this runs as root with apt-get, the two
# packages are installed without recommends and without starting their services. Otherwise it
# only says what is missing: the tests then fail under CI=true and are skipped, loudly, elsewhere.
set -euo pipefail

if command -v promtool >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1; then
  exit 0
fi
PACKAGES=(prometheus prometheus-alertmanager)
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-prometheus-tools: promtool/amtool not found and not root with apt-get;" \
    "install the Debian packages ${PACKAGES[*]} to run the promtool/amtool checks." >&2
  exit 0
fi

echo "ensure-prometheus-tools: installing ${PACKAGES[*]} (for promtool and amtool)" >&2
export DEBIAN_FRONTEND=noninteractive
# invoke-rc.d asks policy-rc.d whether to start a service; 101 means "no". Only ours is removed.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi
install() { apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${PACKAGES[@]}" >/dev/null; }
# A fresh machine may have no package lists yet: update only when the first attempt fails.
if install || { apt-get update -qq && install; }; then
  promtool --version 2>&1 | head -n 1 >&2
  amtool --version 2>&1 | head -n 1 >&2
else
  # Not fatal here: the tests that need the tools then fail (CI) or skip, naming the packages.
  echo "ensure-prometheus-tools: could not install ${PACKAGES[*]}" >&2
fi
