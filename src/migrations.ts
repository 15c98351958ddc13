import { Ledger1796001000000 } from '@onecard/ledger';
import { AppRole1796000000000 } from '@onecard/platform';
import { Registry1796002100000 } from './contexts/registry/infrastructure/migrations/1796002100000-Registry.js';

/**
 * Every migration of every context, in order. Each context owns its schema and its migrations;
 * this list is the one place they meet. Hand-reviewed SQL, never `synchronize`.
 */
export const MIGRATIONS = [AppRole1796000000000, Ledger1796001000000,
  Registry1796002100000,
];
