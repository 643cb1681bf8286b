// `npm start`: the built Electron app, as the installed one behaves (WORKSTATION_PRODUCTION=1: no
// demo users, no DevTools, settings from the hospital policy); `npm run dev:electron` is the dev mode.
// Electron fetches its binary from the internet on first use; where that cannot be had, say so in
// one line and serve the same app through the browser host, so a newcomer always sees it.
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const { electronBinaryPath } = require('./electron-binary.cjs');

const root = path.resolve(__dirname, '..');
const passthrough = process.argv.slice(2);

function run(cmd, args, env = process.env) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
}

let binary = electronBinaryPath();
if (!binary) {
  const install = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  spawnSync(process.execPath, [install], { cwd: root, stdio: 'ignore', timeout: 180_000 });
  binary = electronBinaryPath();
}

if (binary) {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const build = spawnSync(npx, ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  run(binary, ['.', ...passthrough], { ...process.env, WORKSTATION_PRODUCTION: '1' });
} else {
  console.log("Electron n'a pas pu être téléchargé sur cette machine (pas d'accès à internet) : l'application démarre dans l'hôte navigateur à la place.");
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'start:browser', '--', ...passthrough]);
}
