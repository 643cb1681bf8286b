import { runUsersCli } from './cli-run';
import { stopForgeWorker } from './pki/forge-client';

// Entry point of `npm run users`; the logic lives in cli-run.ts so tests drive it in-process.
runUsersCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env })
  .then(async (code) => {
    await stopForgeWorker();
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`Erreur inattendue : ${(e as Error).message}\n`);
    process.exitCode = 1;
  });
