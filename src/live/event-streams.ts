import { Inject, Injectable } from '@nestjs/common';
import { MasterConfig } from '../config/master.config';
import { QuotaExceeded } from '../quotas/quota-exceeded';

/** Live event streams open per user on this master (QUOTA_EVENT_STREAMS): a stream past the limit gets 429. */
@Injectable()
export class EventStreamSlots {
  private readonly open = new Map<string, number>();

  constructor(@Inject(MasterConfig) private readonly config: MasterConfig) {}

  /** Takes a slot for the user (429 when none is left); returns the function that gives it back (once). */
  take(userId: string): () => void {
    const used = this.open.get(userId) ?? 0;
    if (used >= this.config.QUOTA_EVENT_STREAMS)
      throw new QuotaExceeded(
        `${used} event streams are open for this account: the limit is ${this.config.QUOTA_EVENT_STREAMS} (QUOTA_EVENT_STREAMS); close a tab`,
      );
    this.open.set(userId, used + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
  }
}
