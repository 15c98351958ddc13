import type { Type } from '@nestjs/common';
import { CardsModule } from '@contexts/cards';
import { LibrariesModule } from '@contexts/libraries';
import { MedicalModule } from '@contexts/medical';
import { MuseumsModule } from '@contexts/museums';
import { ScenicModule } from '@contexts/scenic';
import { TransitModule } from '@contexts/transit';
import type { SeedStep } from './seed-step.js';
import { CardsSeedStep } from './steps/cards.seed.js';
import { HolderAppsSeedStep } from './steps/holder-apps.seed.js';
import { LibrariesSeedStep } from './steps/libraries.seed.js';
import { MedicalSeedStep } from './steps/medical.seed.js';
import { MuseumsSeedStep } from './steps/museums.seed.js';
import { ScenicSeedStep } from './steps/scenic.seed.js';
import { TransitSeedStep } from './steps/transit.seed.js';
import { VenuesSeedStep } from './steps/venues.seed.js';

/**
 * The demo seed, in order. A context adds its step here (one line) and, if the step needs the
 * context's facade, the context's module to SEED_STEP_MODULES. Steps live in `src/seed/steps/`
 * and use contexts only through their public facades.
 */
export const SEED_STEPS: Type<SeedStep>[] = [
  VenuesSeedStep,
  CardsSeedStep,
  MedicalSeedStep,
  LibrariesSeedStep,
  TransitSeedStep,
  ScenicSeedStep,
  MuseumsSeedStep,
  HolderAppsSeedStep,
];

/** Modules whose exported facades the steps inject (the registry is global). */
export const SEED_STEP_MODULES: Type<unknown>[] = [CardsModule, MedicalModule, LibrariesModule, TransitModule, ScenicModule, MuseumsModule];
