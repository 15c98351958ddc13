/**
 * The libraries context's public face (`@contexts/libraries`): the module, and the catalogue the
 * seed uses to register items.
 */
export { LibrariesModule } from '../libraries.module.js';
export { LibraryCatalogue, type CatalogueItem } from './library-catalogue.js';
