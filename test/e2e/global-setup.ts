import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The browser host serves the built renderer: build it once before the e2e run. */
export default function globalSetup(): void {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
