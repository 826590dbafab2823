import { runEmulatorCommand } from '../../emulator/cli';
import { main } from './main';

const argv = process.argv.slice(2);
// The emulator is a long-running server; everything else answers and exits.
if (argv[0] === 'emulator') {
  void runEmulatorCommand(argv.slice(1)).then((code) => {
    process.exitCode = code;
  });
} else process.exitCode = main(argv);
