// Tells whether the Electron binary is on this machine, without triggering the
// download that `require('electron')` would start.
const fs = require('node:fs');
const path = require('node:path');

function electronBinaryPath() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const bin = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}

module.exports = { electronBinaryPath };
