import { Injectable } from '@nestjs/common';
import type { CommandTx } from '@onecard/engine';
import { CachedTerminalDirectory } from '../infrastructure/cached-terminal-directory.js';
import { RegistryRepository } from '../infrastructure/registry.repository.js';

/**
 * Holder apps follow their holder's card (TERMINAL-API.md): the cards context calls this inside the
 * command that activates a replacement card, so the binding moves in the same transaction; this
 * instance's terminal directory forgets the moved apps once it commits (others within 5 s).
 */
@Injectable()
export class HolderAppBindings {
  constructor(
    private readonly repository: RegistryRepository,
    private readonly directory: CachedTerminalDirectory,
  ) {}

  /** Binds the apps of card `from` to card `to`; answers the apps moved. */
  async moveToReplacement(tx: CommandTx, from: string, to: string): Promise<string[]> {
    const moved = await this.repository.moveHolderApps(from, to, tx.now, tx);
    if (moved.length > 0) tx.afterCommit(() => moved.forEach((id) => this.directory.invalidate(id)));
    return moved;
  }
}
