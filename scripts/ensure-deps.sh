#!/usr/bin/env bash
# Installs the system packages the test suite needs, only where they are missing.
# Runs on a fresh CI machine as root; Debian packages only.
set -euo pipefail
need=()
for pair in "ip:iproute2" "ping:iputils-ping" "nft:nftables" "python3:python3" "iperf3:iperf3" "vde_switch:vde2" "ethtool:ethtool"; do
  cmd=${pair%%:*}; pkg=${pair##*:}
  command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
