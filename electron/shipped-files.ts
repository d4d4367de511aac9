/**
 * Test support for packaging.test.ts: the files `electron-builder` would put into the app for one
 * platform, computed without packaging. App files go through electron-builder's own file
 * matchers (the same functions it calls, fed the loaded electron-builder.yml); node_modules holds
 * the production dependency tree (package.json `dependencies` and `optionalDependencies`,
 * followed through package-lock.json the way Node resolves them), filtered by its own
 * node_modules matcher. Only used by tests; never bundled.
 */
import { readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';

const require = createRequire(import.meta.url);

interface Matcher {
  createFilter(): (file: string, stat: Stats) => boolean;
  isEmpty(): boolean;
  containsOnlyIgnore(): boolean;
  prependPattern(pattern: string): void;
  from: string;
}
// Internal (untyped) exports of app-builder-lib: the matchers `electron-builder` builds the app with.
const fileMatcher = require('app-builder-lib/out/fileMatcher') as {
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformOptions: object,
    platformPackager: object,
    outDir: string,
    isElectronCompile: boolean,
  ): Matcher[];
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformOptions: object,
    packager: object,
  ): Matcher;
};

export type Platform = 'win' | 'mac' | 'linux';
const OS_NAME: Record<Platform, string> = { win: 'win32', mac: 'darwin', linux: 'linux' };

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Lock paths (node_modules/a, node_modules/a/node_modules/b) of every production package. */
export function productionPackages(root: string): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const packages = lock.packages;
  // Node's lookup: the nearest node_modules/<name> walking up from the requiring package.
  const resolve = (from: string, name: string): string | null => {
    let base = from;
    for (;;) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!base) return null;
      const at = base.lastIndexOf('/node_modules/');
      base = at === -1 ? '' : base.slice(0, at);
    }
  };
  const seen = new Set<string>();
  const visit = (from: string, names: Iterable<string>): void => {
    for (const name of names) {
      const path = resolve(from, name);
      if (!path || seen.has(path)) continue; // an optional dependency not installed here
      seen.add(path);
      const e = packages[path]!;
      const peers = Object.keys(e.peerDependencies ?? {}).filter(
        (n) => !e.peerDependenciesMeta?.[n]?.optional,
      );
      visit(path, [
        ...Object.keys(e.dependencies ?? {}),
        ...Object.keys(e.optionalDependencies ?? {}),
        ...peers,
      ]);
    }
  };
  const top = packages['']!;
  visit('', [...Object.keys(top.dependencies ?? {}), ...Object.keys(top.optionalDependencies ?? {})]);
  return [...seen].sort();
}

/** Walks `dir`, descending only into directories the filter lets through (as electron-builder does). */
function walk(
  dir: string,
  filter: (file: string, stat: Stats) => boolean,
  out: string[],
  skipDir?: (path: string) => boolean,
): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    let stat: Stats;
    try {
      stat = statSync(path);
    } catch {
      continue; // a dangling link
    }
    if (!filter(path, stat)) continue;
    if (stat.isDirectory()) {
      if (!skipDir?.(path)) walk(path, filter, out, skipDir);
    } else out.push(path);
  }
}

/**
 * Every file (relative to the project, `/`-separated) the package for `platform`/`arch` would
 * contain from the app directory: app files first, then node_modules.
 */
export function shippedFiles(
  root: string,
  config: Record<string, unknown>,
  platform: Platform,
  arch: 'x64' | 'arm64',
): string[] {
  const expand = (pattern: string) =>
    pattern
      .replace(/\$\{arch\}/g, arch)
      .replace(/\$\{os\}/g, platform)
      .replace(/\$\{platform\}/g, OS_NAME[platform]);
  const platformOptions = (config[platform] as object | undefined) ?? {};
  const info = {
    config,
    projectDir: root,
    buildResourcesDir: 'build',
    isPrepackedAppAsar: false,
    debugLogger: { isEnabled: false, add() {} },
  };
  const outDir = join(root, (config.directories as { output?: string } | undefined)?.output ?? 'dist');
  const files: string[] = [];

  for (const matcher of fileMatcher.getMainFileMatchers(
    root,
    '/app',
    expand,
    platformOptions,
    { info },
    outDir,
    false,
  )) {
    if (matcher.isEmpty() || matcher.containsOnlyIgnore()) matcher.prependPattern('**/*');
    const filter = matcher.createFilter();
    walk(matcher.from, filter, files, (path) => path === join(root, '.git'));
  }

  const moduleMatcher = fileMatcher.getNodeModuleFileMatcher(root, '/app', expand, platformOptions, info);
  const moduleFilter = moduleMatcher.isEmpty() ? () => true : moduleMatcher.createFilter();
  for (const pkg of productionPackages(root)) {
    const dir = join(root, pkg);
    if (!moduleFilter(dir, statSync(dir))) continue;
    // Nested node_modules are packages of their own in the list (or not production at all).
    walk(dir, moduleFilter, files, (path) => path.endsWith(`${sep}node_modules`));
  }
  return [...new Set(files.map((f) => relative(root, f).split(sep).join('/')))];
}
