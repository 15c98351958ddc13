/**
 * The clearing context's public face: the module (with the day close for the CLI) and the
 * statement chain the ledger digest and verification include.
 */
export { ClearingModule } from '../clearing.module.js';
export { CloseDayCommand } from '../application/close-day/close-day.command.js';
export { ClearingStatementChain, STATEMENT_CHAIN, type StatementChainHead, type StatementChainVerification } from './statement-chain.js';
