#!/usr/bin/env bash
# Every check a change must pass, in the order that fails fastest:
# types, lint, unit + integration tests, both builds, end-to-end tests, a quick benchmark run.
set -euo pipefail
cd "$(dirname "$0")/.."

results=out/test-results
mkdir -p "$results"
rm -f "$results"/*.json

step() { printf '\n== %s ==\n' "$*"; }

step "install check"
[ -d node_modules ] || npm ci

step "typecheck"
npm run -s typecheck

step "lint"
npm run -s lint

step "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"

step "desktop build (electron-vite)"
npx electron-vite build

step "web build"
npm run -s build:web

step "end-to-end tests (Playwright + Chromium)"
node scripts/e2e.mjs

step "benchmarks (quick)"
npm run -s bench -- --quick

node scripts/summarize-tests.mjs "$results"
