import type { ReceivedNotification } from './receiver';

/** One readable line per notification, e.g. "playPromptOperation 'welcome' completed (200/0 completedSuccessfully)". */
export function describeNotification({ notification, receivedAt }: ReceivedNotification): string {
  const data = notification['resourceData'] ?? {};
  const type = String(data['@odata.type'] ?? '').replace('#microsoft.graph.', '');
  const time = new Date(receivedAt).toISOString().slice(11, 23);
  const change = notification['changeType'];
  if (Array.isArray(data)) {
    const who = data.map((p: Record<string, any>) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const identity = p['info']?.['identity'] ?? {};
      const kind = Object.keys(identity).find((k) => !k.startsWith('@')) ?? 'unknown';
      const recording = p['recordingInfo']?.['recordingStatus'] ? ` (${p['recordingInfo']['recordingStatus']})` : '';
      return `${kind} ${identity[kind]?.['displayName'] ?? identity[kind]?.['id'] ?? ''}`.trim() + recording;
    });
    return `[${time}] participants ${change}: ${who.join(', ')}`;
  }
  if (type === 'call') {
    if (data['toneInfo']) return `[${time}] tone ${data['toneInfo']['tone']} (sequenceId ${data['toneInfo']['sequenceId']})`;
    const info = data['resultInfo'] ? ` (${data['resultInfo']['code']}/${data['resultInfo']['subcode']} ${data['resultInfo']['message']})` : '';
    return `[${time}] call ${change}: ${data['state']}${info}`;
  }
  const info = data['resultInfo'] ? ` ${data['resultInfo']['code']}/${data['resultInfo']['subcode']}` : '';
  const reason = data['completionReason'] ? ` ${data['completionReason']}` : '';
  const context = data['clientContext'] ? ` '${data['clientContext']}'` : '';
  const recording = data['recordingLocation'] ? ` → ${data['recordingLocation']}` : '';
  return `[${time}] ${type}${context} ${data['status']}${info}${reason}${recording}`;
}
