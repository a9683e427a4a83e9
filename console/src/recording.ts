import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { recordingUrl } from './http';

/** An audio player for a recording: fetched with its access token, played from a blob: URL. */
export function Recording({ location, accessToken }: { readonly location: string; readonly accessToken: string }) {
  const [url, setUrl] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState('');
  useEffect(() => {
    let live = true;
    let made: string | undefined;
    recordingUrl(location, accessToken).then(
      (u) => {
        made = u;
        if (live) setUrl(u);
        else URL.revokeObjectURL(u);
      },
      (error: Error) => live && setProblem(error.message),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [location, accessToken]);
  if (problem) return html`<span class="error">${problem}</span>`;
  return url ? html`<audio controls preload="metadata" src=${url}></audio>` : html`<span class="muted">loading…</span>`;
}
