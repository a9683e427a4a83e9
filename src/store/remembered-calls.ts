import { LRUCache } from 'lru-cache';
import type { CallRecord } from './call-row';

/** A call row as it was read or written, with the ETag that proves it current. */
export interface LoadedCall {
  readonly record: CallRecord;
  readonly etag: string;
}

/** Rows kept: a few KiB each, so a few MiB at most; more than the calls one instance is busy with. */
export const REMEMBERED_CALLS = 1000;
/**
 * Above this share of stale rows, deciding on a remembered row costs more than reading it: a stale
 * one costs a refused transaction and a read on top of the transaction, a current one saves a
 * read, so the break-even is one stale in two. The margin covers a share that moves.
 */
const MAX_STALE_SHARE = 1 / 3;
/** Weight of the newest comparison in the running share. */
const WEIGHT = 1 / 32;

/**
 * The call rows this instance last read or wrote. A change can be decided on one without reading
 * it first: the transaction's If-Match proves it was still current, and when it was not (another
 * instance changed the call) storage refuses it and the caller reads afresh. That saves a round
 * trip on every change when one instance serves a call, and costs two when instances take turns;
 * so each read compares the row it finds with the remembered one, and rows are lent only while
 * most have turned out current.
 */
export class RememberedCalls {
  readonly #rows = new LRUCache<string, LoadedCall>({ max: REMEMBERED_CALLS });
  /** Rows handed out to decide on, so a write over one counts it as current. */
  readonly #lent = new WeakSet<LoadedCall>();
  #staleShare = 0;

  /** The remembered row to decide on without reading, or undefined to read it. */
  lend(callId: string): LoadedCall | undefined {
    const row = this.#staleShare <= MAX_STALE_SHARE ? this.#rows.get(callId) : undefined;
    if (row) this.#lent.add(row);
    return row;
  }

  /** A row just read (undefined: the call is gone). */
  read(callId: string, row: LoadedCall | undefined): void {
    const remembered = this.#rows.peek(callId);
    if (remembered) this.#saw(remembered.etag === row?.etag);
    this.#keep(callId, row);
  }

  /** A row just written by a transaction whose If-Match held the ETag of `over`. */
  wrote(callId: string, over: LoadedCall | undefined, row: LoadedCall | undefined): void {
    if (over !== undefined && this.#lent.has(over)) this.#saw(true);
    this.#keep(callId, row);
  }

  /** A transaction whose If-Match held the ETag of `over` was refused: another writer moved the row. */
  refused(callId: string, over: LoadedCall | undefined): void {
    if (over !== undefined && this.#lent.has(over)) this.#saw(false);
    this.#rows.delete(callId);
  }

  /** The share of remembered rows found stale lately, from 0 to 1. */
  get staleShare(): number {
    return this.#staleShare;
  }

  #saw(current: boolean): void {
    this.#staleShare += WEIGHT * ((current ? 0 : 1) - this.#staleShare);
  }

  #keep(callId: string, row: LoadedCall | undefined): void {
    if (row) this.#rows.set(callId, row);
    else this.#rows.delete(callId);
  }
}
