// electron-builder afterPack hook: flips the fuses in the packaged Electron binary. It runs
// before code signing, so the signature covers the flipped binary.
const path = require('node:path');
const { electronExecutable, fuseConfig } = require('./fuses.cjs');

// electron-builder's Arch enum: 0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal.
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

async function afterPack(context) {
  const fuses = require('@electron/fuses');
  const binary = path.join(context.appOutDir, electronExecutable(context));
  const config = fuseConfig(fuses, context.electronPlatformName, ARCH_NAMES[context.arch]);
  await fuses.flipFuses(binary, config);
  // Read back: a packaging that silently left a fuse as it was must not ship.
  const wire = await fuses.getCurrentFuseWire(binary);
  for (const [index, wanted] of Object.entries(config)) {
    if (!/^[0-9]+$/.test(index)) continue;
    const state = wire[index];
    const on = state === fuses.FuseState.ENABLE;
    if (on !== wanted) throw new Error(`Le fusible ${fuses.FuseV1Options[index]} n'a pas pris la valeur attendue dans ${binary}.`);
  }
}

module.exports = afterPack;
module.exports.default = afterPack;
