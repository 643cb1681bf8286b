// Packaging of the workstation (`npm run dist`): Windows NSIS and MSI installers, Linux AppImage
// and deb. The fuses are flipped after packing (scripts/packaging/after-pack.cjs), before signing.
// Code signing comes from the environment only, never from this repository:
//   - CSC_LINK / CSC_KEY_PASSWORD (or WIN_CSC_LINK / WIN_CSC_KEY_PASSWORD): a PKCS#12 file,
//     electron-builder's own signing;
//   - WORKSTATION_SIGN_COMMAND: a command that signs the file given as argument (token, HSM);
//   - WORKSTATION_REQUIRE_SIGNING=1: an unsigned Windows build is an error, not a warning.
const signCommand = process.env.WORKSTATION_SIGN_COMMAND;
const requireSigning = process.env.WORKSTATION_REQUIRE_SIGNING === '1';

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'fr.chu.poste-clinique',
  productName: 'Poste clinique CHU',
  executableName: 'poste-clinique-chu',
  copyright: 'CHU',
  directories: { output: 'dist', buildResources: 'build' },
  // Only the electron-vite output and the manifest: no sources, tests, fixtures or data dirs.
  files: ['out/**/*', 'package.json', '!out/**/*.map', '!**/*.{ts,tsx,md}'],
  asar: true,
  // No native module: nothing to rebuild against Electron's ABI.
  npmRebuild: false,
  afterPack: './scripts/packaging/after-pack.cjs',
  forceCodeSigning: requireSigning,
  // Updates come from the hospital's software distribution, never from a public feed.
  publish: null,
  win: {
    target: [
      { target: 'nsis', arch: ['x64'] },
      { target: 'msi', arch: ['x64'] },
    ],
    signtoolOptions: {
      signingHashAlgorithms: ['sha256'],
      ...(process.env.WORKSTATION_SIGN_PUBLISHER ? { publisherName: [process.env.WORKSTATION_SIGN_PUBLISHER] } : {}),
      ...(signCommand ? { sign: './scripts/packaging/sign-windows.cjs' } : {}),
    },
  },
  nsis: {
    // A per-machine install under Program Files: users cannot rewrite the installed code.
    oneClick: false,
    perMachine: true,
    allowElevation: true,
    allowToChangeInstallationDirectory: false,
    installerLanguages: ['fr_FR'],
    language: '1036',
    shortcutName: 'Poste clinique CHU',
    deleteAppDataOnUninstall: false,
  },
  msi: {
    // GPO deployment installs MSI packages per machine, silently.
    perMachine: true,
    oneClick: true,
    shortcutName: 'Poste clinique CHU',
  },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ],
    category: 'Medical',
    maintainer: 'Direction du numérique du CHU',
    synopsis: 'Poste clinique : dossier local, DMP, journal signé',
  },
  deb: {
    packageCategory: 'misc',
    priority: 'optional',
  },
};
