/**
 * The relay as a child process (`sync-server/cli.ts` under tsx), for the simulation and the
 * integration tests: started on a free port, restarted on the same port and data folder so
 * clients reconnect to the same URL, stopped gracefully or killed with SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

export interface RelayProcessOptions {
  /** LevelDB folder (persistence across restarts); ':memory:' keeps nothing. */
  readonly dataDir: string;
  /** 0 (default) picks a free port; restarts reuse the first port. */
  readonly port?: number;
  /** Extra environment, e.g. LIMIT_* overrides. */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

export class RelayProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #port: number;
  #stderr = '';

  private constructor(
    private readonly options: RelayProcessOptions,
    port: number,
  ) {
    this.#port = port;
  }

  static async start(options: RelayProcessOptions): Promise<RelayProcess> {
    const relay = new RelayProcess(options, options.port ?? 0);
    await relay.#spawn();
    return relay;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  /** The child's process id while it runs (attack tests read its memory from /proc/<pid>/status). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Graceful stop (SIGTERM: the relay persists and closes connections). */
  async stop(): Promise<void> {
    await this.#signal('SIGTERM');
  }

  /** Abrupt death (SIGKILL): no shutdown code runs. */
  async kill(): Promise<void> {
    await this.#signal('SIGKILL');
  }

  /** Starts again on the same port and data folder. */
  async restart(): Promise<void> {
    if (this.#child) await this.stop();
    await this.#spawn();
  }

  async #signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (!child) return;
    child.kill(signal);
    await this.#exited;
  }

  async #spawn(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI], {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(this.#port),
        DATA_DIR: this.options.dataDir,
        LOG_LEVEL: 'info',
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#stderr = '';
    this.#exited = new Promise((resolve) =>
      child.once('exit', () => {
        if (this.#child === child) this.#child = undefined;
        resolve();
      }),
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`relay did not start: ${this.#stderr}`)),
        this.options.startTimeoutMs ?? 30_000,
      );
      let buffered = '';
      const onData = (chunk: Buffer) => {
        const lines = (buffered + chunk.toString()).split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const record = parseLogLine(line);
          if (record?.msg === 'relay ready' && typeof record.url === 'string') {
            clearTimeout(timer);
            resolve(record.url);
          }
        }
      };
      child.stdout?.on('data', onData);
      void this.#exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`relay exited before it was ready: ${this.#stderr}`));
      });
    });
    this.#port = Number(new URL(url).port);
    // Keep draining its output so the pipe never fills and blocks the relay.
    child.stdout?.resume();
  }
}

function parseLogLine(line: string): { msg?: unknown; url?: unknown } | undefined {
  try {
    return JSON.parse(line) as { msg?: unknown; url?: unknown };
  } catch {
    return undefined;
  }
}
