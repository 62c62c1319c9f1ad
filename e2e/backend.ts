/**
 * A real Forkscope backend for the specs: `node bin/forkscope.js web --port 0` as a child
 * process, its URL read from the first line of its stdout, stopped with SIGTERM (clean shutdown).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = join(__dirname, '..');

export interface Backend {
  url: string;
  stop(): Promise<void>;
}

/** `setprivArgs`: run the backend as another user (`setpriv` execs it: SIGTERM still reaches it). */
export function startBackend(env: Record<string, string>, setprivArgs?: string[]): Promise<Backend> {
  const command = [process.execPath, join(REPO_ROOT, 'bin', 'forkscope.js'), 'web', '--port', '0'];
  const [program, ...args] = setprivArgs ? ['setpriv', ...setprivArgs, ...command] : command;
  const child: ChildProcess = spawn(program as string, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`forkscope web printed no URL within 20 s; stderr:\n${stderr}`));
    }, 20_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`forkscope web exited (${code ?? signal}) before printing its URL; stderr:\n${stderr}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      if (!/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/.test(line)) {
        void stop();
        reject(new Error(`first stdout line is not the page URL: ${JSON.stringify(line)}`));
      } else resolve({ url: line, stop });
    });
  });
}
