// `npm test`: typecheck, lint, unit tests (vitest) and e2e tests (Playwright on
// the browser host), in that order. Every step runs even if an earlier one
// failed, so one run tells everything; the last line counts unit and e2e tests
// together as "N passed, N failed" (a failed typecheck or lint counts as one failure).
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const work = mkdtempSync(path.join(tmpdir(), 'ws-test-'));
const results = [];

function step(name, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

step('typecheck', bin('tsc'), ['-b']);
step('lint', bin('eslint'), ['--max-warnings', '0', '.']);

const unitJson = path.join(work, 'vitest.json');
step('unit tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`]);
const e2eJson = path.join(work, 'playwright.json');
step('e2e tests (Playwright, browser host)', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_FILE: e2eJson });

const unit = readJson(unitJson);
const e2e = readJson(e2eJson);
let passed = 0;
let failed = 0;
let skipped = 0;
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += unit.numPendingTests + (unit.numTodoTests ?? 0);
} else failed += 1;
if (e2e) {
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected;
  skipped += e2e.stats.skipped;
} else failed += 1;
for (const r of results.slice(0, 2)) if (!r.ok) failed += 1;

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds} s)`);
rmSync(work, { recursive: true, force: true });
const allOk = results.every((r) => r.ok) && failed === 0;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(allOk ? 0 : 1);
