// One step of `npm test` as a child process that may run beside others: its output is kept and
// printed in one block when it ends (steps running together would otherwise interleave line by line).
const { spawn } = require('node:child_process');

/**
 * Runs `command args` in `cwd` and resolves to `{ status, seconds }` (status 1 when it could not start).
 * `since` is the run's start, for the "started at" line that shows which steps overlap.
 */
function runStep(name, command, args, { cwd, env = process.env, since = Date.now() } = {}) {
  const start = Date.now();
  console.log(`[${elapsed(since)}] ${name}: started`);
  // Colours as a terminal would show them, though the output passes through a pipe.
  const childEnv = process.stdout.isTTY && !('FORCE_COLOR' in env) ? { ...env, FORCE_COLOR: '1' } : env;
  const chunks = [];
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      chunks.push(Buffer.from(`${error instanceof Error ? error.message : String(error)}\n`));
      finish(1);
      return;
    }
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.once('error', (error) => {
      chunks.push(Buffer.from(`${error.message}\n`));
      finish(1);
    });
    child.once('close', (code, signal) => finish(code ?? (signal ? 1 : 0)));

    let done = false;
    function finish(status) {
      if (done) {
        return;
      }
      done = true;
      const seconds = Math.round((Date.now() - start) / 1000);
      const output = Buffer.concat(chunks).toString('utf8').trimEnd();
      console.log(`\n== ${name} (${seconds} s, ${status === 0 ? 'ok' : `exit ${status}`})`);
      if (output) {
        console.log(output);
      }
      resolve({ status, seconds });
    }
  });
}

function elapsed(since) {
  return `${Math.round((Date.now() - since) / 1000)} s`;
}

module.exports = { runStep };
