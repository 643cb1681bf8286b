// electron-builder custom Windows signing hook. Hospitals sign with a certificate held in a token
// or an HSM (EV code signing requires it), which electron-builder cannot open itself: the build
// calls the command named by WORKSTATION_SIGN_COMMAND with the file to sign as its only argument.
// No secret lives in the repository; the command gets its PIN or credentials from its own setup.
const { execFileSync } = require('node:child_process');

async function sign(configuration) {
  const command = process.env.WORKSTATION_SIGN_COMMAND;
  if (!command) throw new Error('WORKSTATION_SIGN_COMMAND est vide : aucune commande de signature à appeler.');
  execFileSync(command, [configuration.path], { stdio: 'inherit' });
}

module.exports = sign;
module.exports.default = sign;
