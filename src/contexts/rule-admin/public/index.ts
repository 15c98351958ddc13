/** The rule administration context exposes nothing to other contexts but its module. */
export { RuleAdminModule } from '../rule-admin.module.js';
