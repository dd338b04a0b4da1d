// The CLI's entry. `ladder --version` is answered before anything else is loaded (it is what scripts
// and version checks call, and they should not pay for pg or commander); every other invocation loads
// the CLI proper.
import { LADDER_VERSION } from '../version.js';
// Before pg is evaluated (esbuild evaluates a chunk's imports before its own code, so main.ts's import is too late).
import './node-shims.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-version' || argv[0] === '-v')) {
  // `ladder --version | true`: a reader that has gone is no crash (141 = 128 + SIGPIPE, as the shell reports for any program).
  process.stdout.on('error', () => process.exit(141));
  process.stdout.write(`${LADDER_VERSION}\n`);
} else {
  await import('./main.js');
}
