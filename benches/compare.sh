#!/usr/bin/env bash
# Peer comparison: sgsearch vs ripgrep vs SQLite FTS5 on generated corpora, all peers timed in
# the same run (interleaved). Usage: benches/compare.sh [SIZE ...]   (default: 200MB 1GB)
#
# Installs what it needs (ripgrep, the sqlite3 CLI, GNU time: apt-get when missing), builds the
# release binary, generates target/bench/corpus-SIZE once (seed 42), then runs
# benches/compare.py, which writes target/bench/compare-SIZE.json and compare-SIZE.md and is
# printed at the end. Takes ~5 min at 200MB and ~20 min at 1GB on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then
  sizes=(200MB 1GB)
fi

say() { printf '[compare.sh] %s\n' "$*" >&2; }
die() { printf '[compare.sh] error: %s\n' "$*" >&2; exit 1; }

apt_updated=0
apt_install() { # apt_install PACKAGE: returns non-zero when it cannot
  command -v apt-get >/dev/null || { say "no apt-get to install $1"; return 1; }
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "not root and no sudo: cannot install $1"; return 1; }
    sudo=sudo
  fi
  if [ $apt_updated -eq 0 ]; then
    say "apt-get update"
    $sudo apt-get update -qq || { say "apt-get update failed"; return 1; }
    apt_updated=1
  fi
  say "installing $1"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

command -v rg >/dev/null || apt_install ripgrep || die "ripgrep (rg) is required: apt-get install -y ripgrep"
[ -x /usr/bin/time ] || apt_install time || die "GNU time (/usr/bin/time) is required: apt-get install -y time"
# The sqlite3 CLI is optional: whole-process FTS5 runs go through python3 without it.
command -v sqlite3 >/dev/null || apt_install sqlite3 || say "no sqlite3 CLI: whole-process FTS5 runs use python3"
command -v python3 >/dev/null || die "python3 is required"
python3 - <<'EOF' || die "Python's sqlite3 module lacks FTS5 (needed for the SQLite peer); use a Python built against a SQLite with FTS5"
import sqlite3
sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
EOF
if rg --pcre2-version >/dev/null 2>&1; then
  say "$(rg --version | head -1), with PCRE2"
else
  say "$(rg --version | head -1), WITHOUT PCRE2: count agreement will use \\b boundaries"
fi

say "cargo build --release"
cargo build --release --quiet
bin=target/release/sgsearch

for size in "${sizes[@]}"; do
  corpus=target/bench/corpus-$size
  if [ -f "$corpus/README.md" ]; then  # gen-corpus writes README.md last
    say "reusing $corpus"
  else
    rm -rf "$corpus"
    say "generating $corpus"
    "$bin" gen-corpus --out "$corpus" --size "$size" --seed 42
  fi
  say "comparing at $size"
  python3 benches/compare.py --size "$size" --bin "$bin"
done

for size in "${sizes[@]}"; do
  echo
  cat "target/bench/compare-$size.md"
done
