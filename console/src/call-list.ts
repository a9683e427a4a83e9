import { html } from 'htm/preact';
import type { CallListView } from '../../src/api/console-views';
import { age, short } from './format';

export const CALL_STATES = ['incoming', 'establishing', 'established', 'transferring', 'transferAccepted', 'redirecting', 'terminating', 'terminated'];

interface Props {
  readonly list: CallListView | undefined;
  readonly apps: readonly string[];
  readonly filter: { readonly app: string; readonly state: string };
  readonly onFilter: (filter: { app: string; state: string }) => void;
  readonly selected: string | undefined;
  readonly onSelect: (id: string) => void;
  readonly now: number;
}

/** The newest calls, with the app and state filters. */
export function CallListPanel({ list, apps, filter, onFilter, selected, onSelect, now }: Props) {
  return html`
    <section class="panel calls">
      <h2>Calls</h2>
      <div class="filters">
        <label>App
          <select name="app" value=${filter.app} onChange=${(e: Event) => onFilter({ ...filter, app: (e.target as HTMLSelectElement).value })}>
            <option value="">all apps</option>
            ${apps.map((a) => html`<option value=${a}>${a}</option>`)}
          </select>
        </label>
        <label>State
          <select name="state" value=${filter.state} onChange=${(e: Event) => onFilter({ ...filter, state: (e.target as HTMLSelectElement).value })}>
            <option value="">all states</option>
            ${CALL_STATES.map((s) => html`<option value=${s}>${s}</option>`)}
          </select>
        </label>
      </div>
      ${list === undefined
        ? html`<p class="muted">Waiting for the service…</p>`
        : list.value.length === 0
          ? html`<p class="muted">No calls${filter.app || filter.state ? ' match' : ' yet'}. Create one with the Graph API, or ring the bot below.</p>`
          : html`
              <table class="call-table">
                <thead><tr><th>Call</th><th>App</th><th>Direction</th><th>State</th><th>Age</th></tr></thead>
                <tbody>
                  ${list.value.map(
                    (c) => html`
                      <tr key=${c.id} data-call-id=${c.id} class=${c.id === selected ? 'selected' : ''} onClick=${() => onSelect(c.id)} title=${c.id}>
                        <td class="mono">${short(c.id)}</td>
                        <td class="mono">${short(c.appId)}</td>
                        <td>${c.direction}</td>
                        <td><span class=${`state state-${c.state}`}>${c.state}</span></td>
                        <td>${age(c.createdAt, now)}</td>
                      </tr>
                    `,
                  )}
                </tbody>
              </table>
              ${list.truncated ? html`<p class="muted">Only part of the table was read: older calls may be missing.</p>` : ''}
            `}
    </section>
  `;
}
