import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { budgetSuite } from './suite.js';

budgetSuite('SQLite', () => ({
  store: async () => ({ dbPath: join(mkdtempSync(join(tmpdir(), 'vgw-budget-')), 'ledger.db') }),
}));
