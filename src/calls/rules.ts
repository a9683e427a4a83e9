/** The rules a request can break; each is a stable code that clients (and tests) can rely on. */
export type CallRule =
  | 'callEnded'
  | 'queueFull'
  | 'appHostedMedia'
  | 'notIncoming'
  | 'notEstablished'
  | 'cannotRemoveSelf'
  | 'notGroupCall'
  | 'tooManyInvitees'
  | 'cannotHoldSelf'
  | 'holdInProgress'
  | 'notOnHold'
  | 'serviceHostedMedia'
  | 'notInLobby'
  | 'invalidRoutingGroup'
  | 'unknownParticipant';

/**
 * A request that the call's current state does not allow (a media action on a hung-up call, a full
 * queue...). The HTTP layer answers it with a 400 that carries the message, and the rule as
 * `innerError.code`.
 */
export class CallRuleViolation extends Error {
  override readonly name = 'CallRuleViolation';
  constructor(
    readonly code: CallRule,
    message: string,
  ) {
    super(message);
  }
}

/**
 * At most this many playPrompt / recordResponse operations wait (or run) per call. A cancel or a
 * hang-up ends all of them in one storage transaction, which holds at most 100 entities: the call
 * row, one row per operation, the cancel's own row and one outbox row.
 */
export const MEDIA_QUEUE_LIMIT = 50;
