import type { BenchSuite } from '../harness';
import { cryptoSuite } from './crypto';
import { csvSuite } from './csv';
import { foldSuite } from './fold';
import { ingestSuite } from './ingest';
import { settleSuite } from './settle';

export const suites: readonly BenchSuite[] = [cryptoSuite, ingestSuite, foldSuite, settleSuite, csvSuite];
