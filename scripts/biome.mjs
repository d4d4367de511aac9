// Runs Biome's native binary directly. The npm registry mirror this project is built against
// serves only the linux-x64 build, and the `@biomejs/biome` wrapper's other platform packages
// would leave package-lock.json unusable for `npm ci`; so the binary is an optional dependency
// and platforms without it are told so instead of failing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const platformPackage = `@biomejs/cli-${process.platform}-${process.arch}`;
const binary = fileURLToPath(
  new URL(
    `../node_modules/${platformPackage}/biome${process.platform === 'win32' ? '.exe' : ''}`,
    import.meta.url,
  ),
);

if (!existsSync(binary)) {
  console.log(
    `Biome is not installed for ${process.platform}-${process.arch} (${platformPackage}); skipping lint.`,
  );
  process.exit(0);
}
const result = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });
process.exit(result.status ?? 1);
