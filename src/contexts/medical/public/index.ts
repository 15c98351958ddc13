/**
 * The medical context's public face: the module and the ledger set-up the seed uses. The clearing
 * context will read settlements through a facade added here.
 */
export { MedicalModule } from '../medical.module.js';
export { MedicalLedgerSetup } from './medical-ledger-setup.js';
