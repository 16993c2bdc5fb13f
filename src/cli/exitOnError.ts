import { ConfigError } from '../train/config.ts';

/**
 * Ends a command that cannot do what it was asked (a bad flag, bad data, a file it cannot write):
 * one line on stderr and exit code 2, no stack trace, since the input is at fault, not the code.
 */
export function exitWithError(command: string, message: string): never {
  // one line whatever the message quotes (a path or an error text with a newline in it)
  const line = message.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
  process.stderr.write(`${command}: ${line}\n`);
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
