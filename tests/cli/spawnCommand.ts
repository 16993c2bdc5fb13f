import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, in `cwd`, collecting what it printed (no shell: arguments pass as they are). */
export function spawnCommand(cmd: string, args: readonly string[], cwd: string): Promise<CommandResult> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
