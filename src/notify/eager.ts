import { asBackgroundWork } from '../store/storage-pool';
import type { DeliveryPort, Services } from '../service/services';
import { drainOutbox } from './drain';
import { recipientKey } from './recipients';
import { isFunctionDisabled } from '../config';

/** Eager deliveries one instance runs at once; beyond that the queue delivers, as it always can. */
const MAX_EAGER = 16;

/**
 * Starts delivering a call's outbox in this instance right after the commit, instead of waiting
 * for the queue's next poll (every 100 ms at best, half of that on average). The queue message
 * sent after the commit stays the guarantee: if this instance stops, or the bot's lane says wait,
 * that message delivers; if this delivers first, the message finds an empty outbox. Only for a bot
 * known to answer promptly whose circuit is closed, and a few at a time, so neither a slow bot nor
 * a burst takes the instance's time from API requests. Nothing is delivered while the
 * notifications function is disabled (`AzureWebJobs.notifications.Disabled`).
 */
export function eagerDelivery(): DeliveryPort {
  let running = 0;
  return {
    committed(s, callId, appId, callbackUri) {
      if (running >= MAX_EAGER || deliveryDisabled(s)) return;
      if (!s.recipients.isPrompt(recipientKey(appId, callbackUri), s.now())) return;
      running++;
      // Delivery is background work even when a request starts it: it waits behind requests for storage.
      void asBackgroundWork(() => drainOutbox(s, callId, 'fast', { eager: true }))
        .catch((error: unknown) => console.warn(`Call ${callId}: eager delivery failed (the queue delivers): ${(error as Error).message}`))
        .finally(() => running--);
    },
  };
}

function deliveryDisabled(s: Services): boolean {
  return isFunctionDisabled('notifications', s.config.env);
}
