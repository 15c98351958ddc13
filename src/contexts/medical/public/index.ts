/**
 * The medical context's public face: the module and the ledger set-up the seed uses. The clearing
 * context opens the funds it draws prepayments from with `medicalFundAccount`.
 */
export { MedicalModule } from '../medical.module.js';
export { MedicalLedgerSetup } from './medical-ledger-setup.js';
export { fundAccount as medicalFundAccount } from '../domain/medical-accounts.js';
