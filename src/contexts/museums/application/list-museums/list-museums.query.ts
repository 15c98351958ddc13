import { Query } from '@nestjs/cqrs';
import type { MuseumView } from '../configure-museum/configure-museum.command.js';

/** `GET /v1/admin/museums`: every museum configured for booking. */
export class ListMuseumsQuery extends Query<MuseumView[]> {}
