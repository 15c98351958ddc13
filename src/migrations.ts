import { Ledger1796001000000, LedgerBatch1796010000000, LedgerReadViews1796012000000 } from '@onecard/ledger';
import { AppRole1796000000000 } from '@onecard/platform';
import { Rules1796004000000 } from '@onecard/rules';
import { Clearing1796012100000 } from './contexts/clearing/infrastructure/migrations/1796012100000-Clearing.js';
import { Cards1796002200000 } from './contexts/cards/infrastructure/migrations/1796002200000-Cards.js';
import { CardReads1796010100000 } from './contexts/cards/infrastructure/migrations/1796010100000-CardReads.js';
import { Libraries1796009000000 } from './contexts/libraries/infrastructure/migrations/1796009000000-Libraries.js';
import { Medical1796006000000 } from './contexts/medical/infrastructure/migrations/1796006000000-Medical.js';
import { Museums1796008000000 } from './contexts/museums/infrastructure/migrations/1796008000000-Museums.js';
import { HolderAppBinding1796011000000 } from './contexts/registry/infrastructure/migrations/1796011000000-HolderAppBinding.js';
import { Registry1796002100000 } from './contexts/registry/infrastructure/migrations/1796002100000-Registry.js';
import { Scenic1796007000000 } from './contexts/scenic/infrastructure/migrations/1796007000000-Scenic.js';
import { Seed1796002900000 } from './seed/migrations/1796002900000-Seed.js';
import { Transit1796005000000 } from './contexts/transit/infrastructure/migrations/1796005000000-Transit.js';
import { SeatInventory1796010200000 } from './contexts/transit/infrastructure/migrations/1796010200000-SeatInventory.js';

/**
 * Every migration of every context, in order. Each context owns its schema and its migrations;
 * this list is the one place they meet. Hand-reviewed SQL, never `synchronize`.
 */
export const MIGRATIONS = [
  AppRole1796000000000,
  Ledger1796001000000,
  Registry1796002100000,
  Cards1796002200000,
  Seed1796002900000,
  Rules1796004000000,
  Transit1796005000000,
  Medical1796006000000,
  Scenic1796007000000,
  Museums1796008000000,
  Libraries1796009000000,
  LedgerBatch1796010000000,
  CardReads1796010100000,
  SeatInventory1796010200000,
  HolderAppBinding1796011000000,
  LedgerReadViews1796012000000,
  Clearing1796012100000,
];
