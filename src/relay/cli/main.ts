import { RELAY_VERSION } from '../version.js';
import { runReceiveCommand } from './receive.js';
import { runServeCommand } from './serve.js';

const USAGE = `Usage: boro-relay <command> [options]

Commands:
  serve      Run the relay (configured by BORO_RELAY_* environment variables; the default command)
  receive    Run a demo receiver that verifies signatures and prints each Boro message
             --port <n> (default 9000)  --host <address> (default 127.0.0.1)
             --secret <key>  --encoding text|hex (default text)
  version    Print the version
`;

/** Runs the `boro-relay` command line. */
export async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      await runServeCommand();
      return;
    case 'receive':
      try {
        await runReceiveCommand(rest);
      } catch (error) {
        process.stderr.write(`boro-relay receive: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 2;
      }
      return;
    case 'version':
    case '--version':
      process.stdout.write(`${RELAY_VERSION}\n`);
      return;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`boro-relay: unknown command '${command}'\n\n${USAGE}`);
      process.exitCode = 2;
  }
}
