import { Query } from '@nestjs/cqrs';
import type { SpotView } from '../configure-spot/configure-spot.command.js';

/** `GET /v1/admin/scenic/spots`: every configured spot. */
export class ListSpotsQuery extends Query<SpotView[]> {}
