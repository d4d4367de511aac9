import type { BenchSuite } from '../harness';
import { admissionSuite } from './admission';
import { analysisSuite } from './analysis';
import { appSuite } from './app';
import { atRestSuite } from './at-rest';
import { clusterSuite } from './cluster';
import { cryptoSuite } from './crypto';
import { csvSuite } from './csv';
import { foldSuite } from './fold';
import { importSuite } from './import';
import { ingestSuite } from './ingest';
import { relaySuite } from './relay';
import { relayAttackSuite } from './relay-attack';
import { settleSuite } from './settle';
import { suggestSuite } from './suggest';
import { syncSuite } from './sync';

export const suites: readonly BenchSuite[] = [
  cryptoSuite,
  ingestSuite,
  foldSuite,
  settleSuite,
  analysisSuite,
  suggestSuite,
  importSuite,
  csvSuite,
  syncSuite,
  relaySuite,
  clusterSuite,
  admissionSuite,
  relayAttackSuite,
  appSuite,
  atRestSuite,
];
