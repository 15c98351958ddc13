export const TERMINAL_KINDS_KEY = 'onecard:terminal-kinds';
export const ADMIN_ROLES_KEY = 'onecard:admin-roles';
