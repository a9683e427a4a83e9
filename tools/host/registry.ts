/**
 * What an app hands to `@azure/functions-core` while it loads: function registrations and hooks.
 * The shapes mirror the worker's `FunctionMetadata` / `RpcBindingInfo` (only what the host reads).
 */
export interface BindingInfo {
  readonly type: string;
  readonly direction: 'in' | 'out' | 'inout';
  readonly [property: string]: unknown;
}

export interface FunctionMetadata {
  readonly name: string;
  readonly functionId?: string;
  readonly bindings: Readonly<Record<string, BindingInfo>>;
  readonly retryOptions?: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookCallback = (context: Record<string, unknown>) => unknown;

export interface RegisteredFunction {
  readonly metadata: FunctionMetadata;
  readonly handler: FunctionCallback;
  /** The binding whose type ends in "Trigger", with its binding name. */
  readonly trigger: BindingInfo & { readonly name: string };
}

export class FunctionRegistry {
  readonly functions: RegisteredFunction[] = [];
  readonly hooks = new Map<string, HookCallback[]>();

  registerFunction(metadata: FunctionMetadata, handler: FunctionCallback): void {
    if (this.functions.some((f) => f.metadata.name.toLowerCase() === metadata.name.toLowerCase())) {
      throw new Error(`A function named '${metadata.name}' is already registered; function names must be unique.`);
    }
    const triggers = Object.entries(metadata.bindings).filter(([, b]) => /trigger$/i.test(b.type));
    const [first] = triggers;
    if (triggers.length !== 1 || !first) {
      throw new Error(`Function '${metadata.name}' must have exactly one trigger binding; it has ${triggers.length}.`);
    }
    const [name, binding] = first;
    this.functions.push({ metadata, handler, trigger: { ...binding, name } });
  }

  registerHook(name: string, callback: HookCallback): () => void {
    const list = this.hooks.get(name) ?? [];
    list.push(callback);
    this.hooks.set(name, list);
    return () => {
      const i = list.indexOf(callback);
      if (i >= 0) list.splice(i, 1);
    };
  }

  async runHooks(name: string, context: Record<string, unknown>): Promise<void> {
    for (const hook of this.hooks.get(name) ?? []) await hook(context);
  }
}
