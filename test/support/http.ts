/** The parts of a Graph error body tests look at. */
export interface GraphErrorBody {
  error: { code: string; message: string; innerError: { code?: string; date: string; 'request-id': string; 'client-request-id': string } };
}

/** Reads a response body as JSON of the type the test expects (tests assert its shape). */
export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export async function graphError(res: Response): Promise<GraphErrorBody['error']> {
  return (await json<GraphErrorBody>(res)).error;
}
