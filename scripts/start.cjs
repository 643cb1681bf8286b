// `npm start`: the Electron app (electron-vite dev). Electron fetches its binary
// from the internet on first use; where that cannot be had, say so in one line
// and serve the same app through the browser host, so a newcomer always sees it.
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const { electronBinaryPath } = require('./electron-binary.cjs');

const root = path.resolve(__dirname, '..');
const passthrough = process.argv.slice(2);

function run(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
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
  run(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-vite', 'dev', '--', ...passthrough]);
} else {
  console.log("Electron n'a pas pu être téléchargé sur cette machine (pas d'accès à internet) : l'application démarre dans l'hôte navigateur à la place.");
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'start:browser', '--', ...passthrough]);
}
