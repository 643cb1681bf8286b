// The Electron fuses of the installed application, flipped in the packaged binary (after-pack.cjs).
// Every fuse is named, so an Electron upgrade that adds one fails the build until someone decides it.
const PRODUCTION_FUSES = Object.freeze({
  // ELECTRON_RUN_AS_NODE would turn the signed binary into a plain Node interpreter.
  RunAsNode: false,
  // Chromium's cookie store encrypted with the OS key store.
  EnableCookieEncryption: true,
  // NODE_OPTIONS could preload any script into main (--require) from the environment.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect and friends would open a debugger on main, with the keys and the record.
  EnableNodeCliInspectArguments: false,
  // app.asar is checked against the hash embedded in the binary: an edited bundle does not start.
  EnableEmbeddedAsarIntegrityValidation: true,
  // No loose app folder beside the asar can replace the signed code.
  OnlyLoadAppFromAsar: true,
  // The app is served from app://, never file://: file:// gets no extra privileges.
  GrantFileProtocolExtraPrivileges: false,
  // Electron's defaults, kept on purpose.
  LoadBrowserProcessSpecificV8Snapshot: false,
  WasmTrapHandlers: true,
});

/** The packaged executable that carries the fuse wire, per platform. */
function electronExecutable(context) {
  const platform = context.electronPlatformName;
  const name = context.packager.appInfo.productFilename;
  if (platform === 'darwin' || platform === 'mas') return `${name}.app`;
  if (platform === 'win32') return `${name}.exe`;
  return context.packager.executableName;
}

/** The @electron/fuses config: every fuse by its enum index, all of them required. */
function fuseConfig(fuses, platform, arch) {
  const { FuseV1Options, FuseVersion } = fuses;
  const config = {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Flipping fuses invalidates an ad-hoc signature on Apple silicon; a real signature comes later.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64',
  };
  for (const [name, value] of Object.entries(PRODUCTION_FUSES)) {
    if (!(name in FuseV1Options)) throw new Error(`Fusible Electron inconnu : ${name}`);
    config[FuseV1Options[name]] = value;
  }
  return config;
}

module.exports = { PRODUCTION_FUSES, electronExecutable, fuseConfig };
