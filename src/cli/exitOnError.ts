import { ConfigError } from '../train/config.ts';

/**
 * Ends a command that cannot do what it was asked (a bad flag, bad data, a file it cannot write):
 * one line on stderr and exit code 2, no stack trace, since the input is at fault, not the code.
 */
export function exitWithError(command: string, message: string): never {
  process.stderr.write(`${command}: ${message}\n`);
  process.exit(2);
}

/** Runs `parse`; a ConfigError (a bad flag or value) ends the command with its message (exitWithError). */
export function parseOrExit<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ConfigError) exitWithError(command, e.message);
    throw e;
  }
}
