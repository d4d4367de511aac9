/**
 * Validates .github/workflows/release.yml in the test run (no GitHub needed): parsed with `yaml`
 * and checked against a zod schema of the parts that matter, then against the release's rules.
 * actionlint is not used: it is a Go binary, and no npm package ships it for offline installs.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { problemWith } from '../build/check-e2e-ran.mjs';

const text = readFileSync(new URL('../.github/workflows/release.yml', import.meta.url), 'utf8');

const expression = /\$\{\{[^}]*\}\}/;
const step = z
  .strictObject({
    name: z.string().min(1),
    id: z.string().optional(),
    if: z.string().optional(),
    uses: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@v\d+$/, 'an action pinned to a major version')
      .optional(),
    run: z.string().min(1).optional(),
    shell: z.enum(['bash', 'pwsh', 'sh']).optional(),
    with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    env: z.record(z.string(), z.string()).optional(),
    'timeout-minutes': z.number().optional(),
  })
  .refine((s) => (s.uses === undefined) !== (s.run === undefined), 'a step has either `uses` or `run`');

const job = z.strictObject({
  name: z.string().optional(),
  needs: z.union([z.string(), z.array(z.string())]).optional(),
  if: z.string().optional(),
  strategy: z
    .strictObject({
      'fail-fast': z.boolean().optional(),
      matrix: z.strictObject({
        include: z.array(z.strictObject({ os: z.string(), targets: z.string() })).min(1),
      }),
    })
    .optional(),
  'runs-on': z.string(),
  defaults: z.strictObject({ run: z.strictObject({ shell: z.enum(['bash', 'pwsh']) }) }).optional(),
  'timeout-minutes': z.number().optional(),
  permissions: z.record(z.string(), z.enum(['read', 'write', 'none'])).optional(),
  env: z.record(z.string(), z.string()).optional(),
  steps: z.array(step).min(1),
});

const workflow = z.strictObject({
  name: z.string(),
  on: z.strictObject({
    push: z.strictObject({ tags: z.array(z.string()).min(1) }).optional(),
    workflow_dispatch: z.null().optional(),
  }),
  permissions: z.record(z.string(), z.enum(['read', 'write', 'none'])),
  concurrency: z.strictObject({ group: z.string(), 'cancel-in-progress': z.boolean() }).optional(),
  jobs: z.record(z.string(), job),
});
type Workflow = z.infer<typeof workflow>;
type Step = z.infer<typeof step>;

const wf: Workflow = workflow.parse(parse(text));
const build = wf.jobs.build!;
const steps = build.steps;
const stepNamed = (part: string): Step => {
  const found = steps.filter((s) => s.name.includes(part));
  expect(found, part).toHaveLength(1);
  return found[0]!;
};
/** A GitHub expression as written in the YAML, e.g. gh('matrix.os'). */
const gh = (inner: string) => ['$', '{{ ', inner, ' }}'].join('');
const mentionsSecrets = (value: unknown) => /\bsecrets\./.test(JSON.stringify(value ?? ''));

describe('.github/workflows/release.yml', () => {
  it('matches the schema (the schema rejects what it should)', () => {
    expect(
      workflow.safeParse({ ...wf, jobs: { x: { 'runs-on': 'a', steps: [{ name: 'n' }] } } }).success,
    ).toBe(false);
    expect(
      workflow.safeParse({
        ...wf,
        jobs: { x: { 'runs-on': 'a', steps: [{ name: 'n', run: 'a', uses: 'a/b@v1' }] } },
      }).success,
    ).toBe(false);
    expect(
      workflow.safeParse({ ...wf, jobs: { x: { 'runs-on': 'a', steps: [{ name: 'n', uses: 'a/b@main' }] } } })
        .success,
    ).toBe(false);
  });

  it('builds on Windows, macOS and Linux with the installers each needs', () => {
    const matrix = build.strategy!.matrix.include;
    expect(build['runs-on']).toBe(gh('matrix.os'));
    expect(Object.fromEntries(matrix.map((m) => [m.os, m.targets]))).toEqual({
      'windows-latest': '--win nsis --x64',
      'macos-latest': '--mac dmg --x64 --arm64',
      'ubuntu-latest': '--linux AppImage deb --x64',
    });
    expect(build.strategy!['fail-fast']).toBe(false);
  });

  it('installs with npm ci, tests with npm test, on a Node the tools accept', () => {
    expect(stepNamed('Set up Node').with?.['node-version']).toBe(22);
    expect(stepNamed('Install').run).toMatch(/^npm ci\b/);
    const tests = steps.filter((s) => /\bnpm test\b/.test(s.run ?? ''));
    expect(tests.map((s) => s.if)).toEqual(["runner.os == 'Linux'", "runner.os != 'Linux'"]);
    const order = (part: string) => steps.findIndex((s) => s.name.includes(part));
    expect(order('Install')).toBeLessThan(order('Test (Linux)'));
    expect(order('Test (Linux)')).toBeLessThan(order('Package (unsigned)'));
  });

  it('runs the Electron end-to-end test for real: Linux under xvfb, not as root, sandbox kept', () => {
    const linux = stepNamed('Test (Linux)').run!;
    expect(linux).toMatch(/xvfb-run [^\n]*npm test/);
    expect(linux).toMatch(/id -u/);
    expect(stepNamed('Test tools (Linux)').run).toMatch(
      /chmod 4755 node_modules\/electron\/dist\/chrome-sandbox/,
    );
    expect(text).not.toMatch(/--no-sandbox|ELECTRON_DISABLE_SANDBOX/);
    expect(stepNamed('Check that the Electron end-to-end test ran').run).toContain('build/check-e2e-ran.mjs');
  });

  it('reads the packaged binary’s fuses back after packaging', () => {
    const order = (part: string) => steps.findIndex((s) => s.name.includes(part));
    expect(stepNamed('Read the fuses').run).toBe('node build/check-fuses.mjs dist');
    expect(order('Read the fuses')).toBeGreaterThan(order('Package (signed, Windows)'));
  });

  it('reads secrets only in steps that run when those secrets exist, and says so when they do not', () => {
    for (const [name, j] of Object.entries(wf.jobs)) {
      for (const s of j.steps) {
        if (!mentionsSecrets(s)) continue;
        expect(s.if, `${name}: "${s.name}" uses secrets without an if:`).toMatch(
          /env\.HAS_(MAC|WIN)_SIGNING == 'true'/,
        );
        expect(mentionsSecrets(s.run), `"${s.name}" puts a secret into its script`).toBe(false);
      }
      // Job-level env may only turn secrets into yes/no flags.
      for (const [key, value] of Object.entries(j.env ?? {})) {
        if (!mentionsSecrets(value)) continue;
        expect(key).toMatch(/^HAS_/);
        expect(value).toMatch(/^\$\{\{ (secrets\.[A-Z_]+ != '' && )*secrets\.[A-Z_]+ != '' \}\}$/);
      }
    }
    const unsigned = stepNamed('Package (unsigned)');
    expect(unsigned.if).toMatch(/HAS_MAC_SIGNING != 'true'/);
    expect(unsigned.if).toMatch(/HAS_WIN_SIGNING != 'true'/);
    expect(unsigned.run).toMatch(/::warning::No signing secrets/);
    expect(unsigned.env).toEqual({ CSC_IDENTITY_AUTO_DISCOVERY: 'false' });
    expect(stepNamed('signed and notarized, macOS').env).toEqual(
      expect.objectContaining({
        APPLE_ID: gh('secrets.APPLE_ID'),
        APPLE_TEAM_ID: gh('secrets.APPLE_TEAM_ID'),
      }),
    );
  });

  it('every package step builds with --publish never (the release job publishes, as a draft)', () => {
    const packaging = steps.filter((s) => /electron-builder/.test(s.run ?? ''));
    expect(packaging).toHaveLength(3);
    for (const s of packaging) {
      expect(s.run!.trim()).toMatch(/npx electron-builder \S+ .*\$PUBLISH --publish never$/);
    }
    // The packages know where updates come from (app-update.yml): this repository's releases.
    expect(build.defaults?.run.shell).toBe('bash');
    expect(build.env?.PUBLISH).toContain('--config.publish.provider=github');
    expect(build.env?.PUBLISH).toContain(`--config.publish.owner=${gh('github.repository_owner')}`);
    expect(build.env?.PUBLISH).toContain(`--config.publish.repo=${gh('github.event.repository.name')}`);
    const release = wf.jobs.release!;
    expect(release.needs).toBe('build');
    expect(release.permissions).toEqual({ contents: 'write' });
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(release.steps.at(-1)!.run).toMatch(/gh release create [\s\S]*--draft/);
    expect(stepNamed('Upload installers').with?.['if-no-files-found']).toBe('error');
  });

  it('uses expressions only where GitHub evaluates them', () => {
    for (const s of steps) {
      if (s.if) expect(s.if, s.name).not.toMatch(expression); // `if:` is an expression already
    }
  });
});

describe('build/check-e2e-ran.mjs', () => {
  const report = (status: string) => ({
    suites: [
      {
        title: 'e2e',
        suites: [{ specs: [{ title: 'desktop shell: create a group', tests: [{ status }] }] }],
      },
    ],
  });
  it('passes a desktop test that ran, fails one that was skipped or failed or is missing', () => {
    expect(problemWith(report('expected'), 'desktop shell')).toBeNull();
    expect(problemWith(report('skipped'), 'desktop shell')).toMatch(/did not pass \(skipped\)/);
    expect(problemWith(report('unexpected'), 'desktop shell')).toMatch(/did not pass/);
    expect(problemWith({ suites: [] }, 'desktop shell')).toMatch(/no end-to-end test/);
  });
});
