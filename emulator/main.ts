/** `npm run crm`: the emulator on port 5555 with `.data/crm.sqlite` (extra arguments override). */
import { runEmulatorCommand } from './cli';

runEmulatorCommand(['--port', '5555', '--db', '.data/crm.sqlite', ...process.argv.slice(2)]).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
