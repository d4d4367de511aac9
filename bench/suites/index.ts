import type { BenchSuite } from '../harness';
import { admissionSuite } from './admission';
import { appSuite } from './app';
import { atRestSuite } from './at-rest';
import { clusterSuite } from './cluster';
import { cryptoSuite } from './crypto';
import { csvSuite } from './csv';
import { foldSuite } from './fold';
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
  suggestSuite,
  csvSuite,
  syncSuite,
  relaySuite,
  clusterSuite,
  admissionSuite,
  relayAttackSuite,
  appSuite,
  atRestSuite,
];
