/**
 * One `track-in-crm <emulator> --port P --db FILE [--seed demo|empty] [--quiet]` command, shared by the
 * Dataverse and the Graph emulators: the same flags, errors, help and SIGINT/SIGTERM handling, each
 * emulator giving its name, defaults, usage text and how to start it. Resolves with the exit status.
 */
export type EmulatorSeed = 'demo' | 'empty' | 'workbench';

export interface EmulatorArgs {
  port: number;
  dbFile: string;
  seed: EmulatorSeed;
  quiet: boolean;
}

export interface EmulatorCommandSpec {
  /** The subcommand, as typed after `track-in-crm`. */
  readonly name: string;
  /** What the running line calls it ("Dataverse emulator"). */
  readonly label: string;
  readonly usage: string;
  /** The first is the default; the Graph emulator adds `workbench`. */
  readonly defaults: {
    readonly port: number;
    readonly dbFile: string;
    readonly seeds?: readonly EmulatorSeed[];
  };
  readonly start: (options: {
    port: number;
    dbFile: string;
    seed: EmulatorSeed;
    host: string;
    log: false | ((line: string) => void);
  }) => Promise<{ readonly url: string; close(): Promise<void> }>;
}

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

/** Parses the arguments; a string is an error message. */
export function parseArgs(
  argv: readonly string[],
  defaults: EmulatorCommandSpec['defaults'],
): EmulatorArgs | string {
  const args: EmulatorArgs = { port: defaults.port, dbFile: defaults.dbFile, seed: 'demo', quiet: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=')
      ? (arg.split(/=(.*)/s, 2) as [string, string])
      : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port': {
        const v = value();
        const port = Number(v);
        if (v === undefined || !/^\d+$/.test(v) || port > 65535)
          return `--port needs a number 0-65535, got ${v}`;
        args.port = port;
        break;
      }
      case '--db': {
        const v = value();
        if (!v) return '--db needs a file name';
        args.dbFile = v;
        break;
      }
      case '--seed': {
        const v = value();
        const seeds = defaults.seeds ?? ['demo', 'empty'];
        const seed = seeds.find((s) => s === v);
        if (!seed) return `--seed must be ${seeds.join(' or ')}, got ${v}`;
        args.seed = seed;
        break;
      }
      case '--quiet':
        args.quiet = true;
        break;
      default:
        return `unknown argument ${arg}`;
    }
  }
  return args;
}

export async function runEmulator(
  spec: EmulatorCommandSpec,
  argv: readonly string[],
  io: Io = process,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${spec.usage}\n`);
    return 0;
  }
  const args = parseArgs(argv, spec.defaults);
  if (typeof args === 'string') {
    io.stderr.write(`track-in-crm ${spec.name}: ${args}\n${spec.usage}\n`);
    return 2;
  }
  let running;
  try {
    running = await spec.start({
      port: args.port,
      dbFile: args.dbFile,
      seed: args.seed,
      host: '127.0.0.1',
      log: args.quiet ? false : (line) => io.stderr.write(`${line}\n`),
    });
  } catch (error) {
    io.stderr.write(`track-in-crm ${spec.name}: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  const emulator = running;
  io.stdout.write(
    `${spec.label} at ${emulator.url.replace('127.0.0.1', 'localhost')}/ (database ${args.dbFile}); Ctrl+C stops it\n`,
  );
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      emulator.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
