import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ENTRY = join(__dirname, '..', '..', 'dist', 'apps', 'mock-deck', 'apps', 'mock-deck', 'src', 'main.js');

export interface SandboxProcess {
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the built sandbox (`npm run build`) as its own process on a free port,
 * exactly as `npm start` runs it, and resolves once it listens.
 */
export function startSandboxProcess(env: Record<string, string> = {}): Promise<SandboxProcess> {
  if (!existsSync(ENTRY)) {
    throw new Error(`${ENTRY} is missing: run npm run build first`);
  }
  const child: ChildProcess = spawn(process.execPath, [ENTRY], {
    env: { ...process.env, MOCK_DECK_PORT: '0', MOCK_DECK_DATABASE: ':memory:', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`The sandbox did not start:\n${output}`));
    }, 20_000);
    const onData = () => {
      const match = /Deck v2 sandbox on (http:\/\/[^\s/"]+)\/v2/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve({ url: match[1].replace('[::1]', '127.0.0.1'), output: () => output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The sandbox exited with ${code}:\n${output}`));
    });
  });
}
