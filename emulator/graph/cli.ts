/**
 * `track-in-crm graph-emulator --port P --db FILE [--seed demo|empty] [--quiet]`: runs the local
 * Microsoft Graph emulator until SIGINT/SIGTERM. Resolves with the exit status.
 */
import type { GraphSeedKind } from './seed';
import { startGraphEmulator } from './server';

export const GRAPH_EMULATOR_USAGE = `usage: track-in-crm graph-emulator [--port P] [--db FILE] [--seed demo|empty] [--quiet]
  Serves the mail part of Microsoft Graph v1.0 at http://localhost:P/v1.0 over SQLite (any Bearer token).
  --port   port to listen on (default 5556; 0 picks a free one)
  --db     SQLite file, created with its folder when missing (default .data/graph.sqlite)
  --seed   fill an empty database with the demo mailbox of me@contoso.com (demo, default) or only its folders (empty)
  --quiet  no request log`;

export interface GraphEmulatorArgs {
  port: number;
  dbFile: string;
  seed: GraphSeedKind;
  quiet: boolean;
}

/** Parses the arguments; a string is an error message. */
export function parseGraphEmulatorArgs(argv: readonly string[]): GraphEmulatorArgs | string {
  const args: GraphEmulatorArgs = { port: 5556, dbFile: '.data/graph.sqlite', seed: 'demo', quiet: false };
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
        if (v !== 'demo' && v !== 'empty') return `--seed must be demo or empty, got ${v}`;
        args.seed = v;
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

export async function runGraphEmulatorCommand(
  argv: readonly string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${GRAPH_EMULATOR_USAGE}\n`);
    return 0;
  }
  const args = parseGraphEmulatorArgs(argv);
  if (typeof args === 'string') {
    io.stderr.write(`track-in-crm graph-emulator: ${args}\n${GRAPH_EMULATOR_USAGE}\n`);
    return 2;
  }
  let emulator;
  try {
    emulator = await startGraphEmulator({
      port: args.port,
      dbFile: args.dbFile,
      seed: args.seed,
      host: '127.0.0.1',
      log: args.quiet ? false : (line) => io.stderr.write(`${line}\n`),
    });
  } catch (error) {
    io.stderr.write(`track-in-crm graph-emulator: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  const running = emulator;
  io.stdout.write(
    `Graph emulator at ${running.url.replace('127.0.0.1', 'localhost')}/ (database ${args.dbFile}); Ctrl+C stops it\n`,
  );
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
