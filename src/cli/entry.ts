import { runEmulatorCommand } from '../../emulator/cli';
import { main } from './main';

// A reader that stops early (`explain … | head`) closes the pipe: its choice, not a failure, so the
// command ends quietly with the status it decided. Any other write failure is said in one line.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`track-in-crm: cannot write the output: ${error.message}\n`);
  process.exit(1);
});

const argv = process.argv.slice(2);
// The emulator is a long-running server; everything else answers and exits.
if (argv[0] === 'emulator') {
  runEmulatorCommand(argv.slice(1)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A failure to start (port in use, unreadable database) is said in one line, not a stack trace.
      process.stderr.write(
        `track-in-crm emulator: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
} else process.exitCode = main(argv);
