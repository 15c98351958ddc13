import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ScenicRepository } from '../../infrastructure/scenic.repository.js';
import type { SpotView } from '../configure-spot/configure-spot.command.js';
import { toSpotView } from '../configure-spot/configure-spot.handler.js';
import { ListSpotsQuery } from './list-spots.query.js';

@QueryHandler(ListSpotsQuery)
export class ListSpotsHandler implements IQueryHandler<ListSpotsQuery> {
  constructor(private readonly repository: ScenicRepository) {}

  async execute(): Promise<SpotView[]> {
    return (await this.repository.listSpots()).map(toSpotView);
  }
}
