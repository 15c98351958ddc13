import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CardsFacade } from '@contexts/cards';
import { businessYearOf, CLOCK, formatBusinessInstant, Problems, type Clock } from '@onecard/kernel';
import { MedicalRepository } from '../../infrastructure/medical.repository.js';
import { PersonAccumulatorsQuery, type PersonAccumulatorsAnswer } from './person-accumulators.query.js';

@QueryHandler(PersonAccumulatorsQuery)
export class PersonAccumulatorsHandler implements IQueryHandler<PersonAccumulatorsQuery> {
  constructor(
    private readonly repository: MedicalRepository,
    private readonly cards: CardsFacade,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: PersonAccumulatorsQuery): Promise<PersonAccumulatorsAnswer> {
    const card = await this.cards.findCard(query.cardNo);
    if (!card) throw Problems.notFound(`No card ${query.cardNo}.`);
    const year = query.year ?? businessYearOf(this.clock.now());
    const { updatedAt, ...accumulators } = await this.repository.readYear(card.holder.holderId, year);
    return {
      cardNo: card.cardNo,
      homeRegion: card.holder.homeRegion,
      scheme: card.holder.scheme,
      retiree: card.holder.retiree,
      year,
      ...accumulators,
      updatedAt: updatedAt ? formatBusinessInstant(updatedAt) : null,
    };
  }
}
