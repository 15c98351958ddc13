/**
 * The medical context's public face. Nothing else uses medical internals yet; the clearing
 * context will read settlements through a facade added here.
 */
export { MedicalModule } from '../medical.module.js';
