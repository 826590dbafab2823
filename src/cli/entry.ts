import { runEmulatorCommand } from '../../emulator/cli';
import { runGraphEmulatorCommand } from '../../emulator/graph/cli';
import { main } from './main';

// A reader that stops early (`explain … | head`) closes the pipe: its choice, not a failure, so the
// command ends quietly with the status it decided. Any other write failure is said in one line.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`track-in-crm: cannot write the output: ${error.message}\n`);
  process.exit(1);
});

const argv = process.argv.slice(2);
// The emulators are long-running servers; everything else answers and exits.
const server =
  argv[0] === 'emulator' ? runEmulatorCommand : argv[0] === 'graph-emulator' ? runGraphEmulatorCommand : null;
if (server) {
  server(argv.slice(1)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A failure to start (port in use, unreadable database) is said in one line, not a stack trace.
      process.stderr.write(
        `track-in-crm ${argv[0]}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
} else process.exitCode = main(argv);
