import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { MuseumsRepository } from '../../infrastructure/museums.repository.js';
import type { MuseumView } from '../configure-museum/configure-museum.command.js';
import { toMuseumView } from '../configure-museum/configure-museum.handler.js';
import { ListMuseumsQuery } from './list-museums.query.js';

@QueryHandler(ListMuseumsQuery)
export class ListMuseumsHandler implements IQueryHandler<ListMuseumsQuery> {
  constructor(private readonly repository: MuseumsRepository) {}

  async execute(): Promise<MuseumView[]> {
    return (await this.repository.listMuseums()).map(toMuseumView);
  }
}
