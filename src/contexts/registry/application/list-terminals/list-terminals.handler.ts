import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { RegistryRepository } from '../../infrastructure/registry.repository.js';
import { toTerminalView, type TerminalView } from '../terminal-view.js';
import { ListTerminalsQuery } from './list-terminals.query.js';

@QueryHandler(ListTerminalsQuery)
export class ListTerminalsHandler implements IQueryHandler<ListTerminalsQuery> {
  constructor(private readonly repository: RegistryRepository) {}

  async execute(query: ListTerminalsQuery): Promise<TerminalView[]> {
    return (await this.repository.listTerminals(query.filter)).map(toTerminalView);
  }
}
