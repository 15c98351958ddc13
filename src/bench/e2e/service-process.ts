import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface ServiceProcess {
  baseUrl: string;
  /** Wall-clock ms when the service's business clock stood at its origin (it starts with the process). */
  startedAt: number;
  pid: number;
  stop(): Promise<void>;
  /** kill -9: no shutdown at all (the chaos campaign). */
  kill9(): Promise<void>;
}

/**
 * The service as `npm start` runs it (built `dist/src/main.js`), in its own process: the load
 * generator must not share its event loop. Business time starts at `businessClock` (BUSINESS_CLOCK).
 */
export async function startServiceProcess(opts: {
  databaseUrl: string;
  /** BUSINESS_CLOCK; the system clock when absent. */
  businessClock?: string;
  poolSize: number;
  adminTokens: string;
  cpuProf?: string;
  /** Listen here (a restarted service keeps its address); a free port when absent. */
  port?: number;
  log: (line: string) => void;
}): Promise<ServiceProcess> {
  const port = opts.port ?? (await freePort());
  const startedAt = Date.now();
  const args = ['--enable-source-maps', ...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`] : []), 'dist/src/main.js'];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: opts.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      BUSINESS_CLOCK: opts.businessClock ?? 'system',
      DB_POOL_SIZE: String(opts.poolSize),
      ADMIN_TOKENS: opts.adminTokens,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep the tail of what the service prints, for a failed start; the rest is dropped.
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
    if (process.env.BENCH_SERVICE_LOG) process.stderr.write(d);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}):\n${output.slice(-2000)}`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the service did not become healthy:\n${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  opts.log(`service pid ${child.pid} on ${baseUrl}`);
  return {
    baseUrl,
    startedAt,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
    kill9: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
