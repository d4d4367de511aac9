import { describe, expect, it } from 'vitest';
import { devProblem, distProblem } from '../build/electron-tool.mjs';

// What electron-builder printed here, offline (trimmed).
const OFFLINE = `  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build stackTrace=RequestError: getaddrinfo ENOTFOUND github.com
    at ClientRequest.<anonymous> (/work/main/node_modules/got/dist/source/core/index.js:970:111)`;

describe('npm run dev / dist without Electron (build/electron-tool.mjs)', () => {
  it('dev: one line naming what is missing and how to get it; nothing when Electron is there', () => {
    const line = devProblem({ ok: false, reason: 'its binary was never downloaded' });
    expect(line).toContain('its binary was never downloaded');
    expect(line).toContain('node node_modules/electron/install.js');
    expect(line).toContain('npm run web');
    expect(line!.split('\n')).toHaveLength(1);
    expect(devProblem({ ok: true, path: '/x/electron' })).toBeNull();
  });

  it('dist: a failed Electron download becomes one line; any other failure is left as it was', () => {
    const line = distProblem(OFFLINE, 'linux', 'x64');
    expect(line).toMatch(/release zip for linux-x64/);
    expect(line).not.toContain('stackTrace');
    expect(line!.split('\n')).toHaveLength(1);
    expect(distProblem('  ⨯ Cannot find module "out/main/index.js"', 'linux', 'x64')).toBeNull();
  });
});
