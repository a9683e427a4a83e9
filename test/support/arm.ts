/**
 * Just enough of ARM's template language to read the compiled infra/main.json in tests: the nested
 * deployment of a module, resources by type, and template expressions evaluated where their inputs
 * are known (parameters, variables, format, copyIndex). Anything only Azure can know at deployment
 * time (a reference to a deployed resource, uniqueString) evaluates to an opaque marker such as
 * `<reference(identity).principalId>`, so a test can still say which resource a value comes from.
 */

export interface ArmResource {
  readonly type: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly scope?: string;
  readonly kind?: string;
  readonly copy?: { readonly name: string; readonly count: string | number };
  readonly properties?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface ArmTemplate {
  readonly parameters?: Record<string, { readonly type: string; readonly defaultValue?: unknown }>;
  readonly variables?: Record<string, unknown>;
  /** An array, or (languageVersion 2.0) an object keyed by symbolic name. */
  readonly resources: readonly ArmResource[] | Record<string, ArmResource>;
  readonly outputs?: Record<string, unknown>;
}

export function resourcesOf(template: ArmTemplate): ArmResource[] {
  return Array.isArray(template.resources) ? [...template.resources] : Object.values(template.resources);
}

/** The template of the module deployed under `name` (a Bicep `module`, compiled inline). */
export function moduleTemplate(template: ArmTemplate, name: string): ArmTemplate {
  const deployment = resourcesOf(template).find((r) => r.type === 'Microsoft.Resources/deployments' && r.name === name);
  if (!deployment) throw new Error(`no module deployment named ${name}`);
  return (deployment.properties as { template: ArmTemplate }).template;
}

type Value = unknown;

/** Evaluates ARM expressions against known parameter values and the template's variables. */
export class ArmEvaluator {
  constructor(
    private readonly template: ArmTemplate,
    private readonly parameters: Record<string, Value>,
    private readonly copyIndex?: number,
  ) {}

  withCopyIndex(index: number): ArmEvaluator {
    return new ArmEvaluator(this.template, this.parameters, index);
  }

  /** A JSON value with every `[expression]` string in it evaluated. */
  value(json: Value): Value {
    if (typeof json === 'string') return json.startsWith('[') && !json.startsWith('[[') && json.endsWith(']') ? this.expression(json.slice(1, -1)) : json;
    if (Array.isArray(json)) return json.map((item) => this.value(item));
    if (json !== null && typeof json === 'object') return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, this.value(v)]));
    return json;
  }

  expression(text: string): Value {
    const parser = new Parser(text, this);
    const result = parser.parseExpression();
    parser.expectEnd();
    return result;
  }

  call(name: string, args: Value[]): Value {
    switch (name.toLowerCase()) {
      case 'parameters': {
        const key = String(args[0]);
        if (key in this.parameters) return this.parameters[key];
        const declared = this.template.parameters?.[key];
        if (declared && 'defaultValue' in declared) return this.value(declared.defaultValue);
        throw new Error(`no value for parameter ${key}`);
      }
      case 'variables': {
        const key = String(args[0]);
        if (!this.template.variables || !(key in this.template.variables)) throw new Error(`no variable ${key}`);
        return this.value(this.template.variables[key]);
      }
      case 'copyindex':
        if (this.copyIndex === undefined) throw new Error('copyIndex() outside a copy loop');
        return this.copyIndex + (typeof args[0] === 'number' ? args[0] : 0);
      case 'format':
        return String(args[0]).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i) + 1]));
      case 'length':
        return Array.isArray(args[0]) ? args[0].length : String(args[0]).length;
      case 'tolower':
        return String(args[0]).toLowerCase();
      case 'subscriptionresourceid':
        return `/subscriptions/<subscription>/providers/${String(args[0])}/${args.slice(1).map(String).join('/')}`;
      case 'resourceid':
        return `<resourceId(${args.map(String).join(', ')})>`;
      default:
        return new Opaque(`${name}(${args.map((a) => (a instanceof Opaque ? a.text : String(a))).join(', ')})`);
    }
  }
}

/** A value only a deployment knows; property access keeps the path in its text. */
export class Opaque {
  constructor(readonly text: string) {}
  toString(): string {
    return `<${this.text}>`;
  }
}

class Parser {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly evaluator: ArmEvaluator,
  ) {}

  expectEnd(): void {
    this.skipSpace();
    if (this.at !== this.text.length) throw new Error(`unexpected '${this.text.slice(this.at)}' in ${this.text}`);
  }

  parseExpression(): Value {
    let value = this.parsePrimary();
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === '.') {
        this.at++;
        const name = this.identifier();
        value = value instanceof Opaque ? new Opaque(`${value.text}.${name}`) : (value as Record<string, Value>)[name];
      } else if (this.text[this.at] === '[') {
        this.at++;
        const index = this.parseExpression();
        this.expect(']');
        value = value instanceof Opaque ? new Opaque(`${value.text}[${String(index)}]`) : (value as Record<string, Value>)[index as string];
      } else return value;
    }
  }

  private parsePrimary(): Value {
    this.skipSpace();
    if (this.text[this.at] === "'") return this.string();
    const digits = /^-?\d+/.exec(this.text.slice(this.at))?.[0];
    if (digits !== undefined) {
      this.at += digits.length;
      return Number(digits);
    }
    const name = this.identifier();
    if (name === 'true' || name === 'false') return name === 'true';
    if (name === 'null') return null;
    this.expect('(');
    const args: Value[] = [];
    this.skipSpace();
    if (this.text[this.at] !== ')') {
      for (;;) {
        args.push(this.parseExpression());
        this.skipSpace();
        if (this.text[this.at] === ',') this.at++;
        else break;
      }
    }
    this.expect(')');
    return this.evaluator.call(name, args);
  }

  private string(): string {
    let out = '';
    this.at++;
    for (;;) {
      const ch = this.text[this.at++];
      if (ch === undefined) throw new Error(`unterminated string in ${this.text}`);
      if (ch === "'") {
        if (this.text[this.at] !== "'") return out;
        this.at++;
      }
      out += ch;
    }
  }

  private identifier(): string {
    this.skipSpace();
    const match = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.at));
    if (!match) throw new Error(`expected a name at '${this.text.slice(this.at)}' in ${this.text}`);
    this.at += match[0].length;
    return match[0];
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.at] !== ch) throw new Error(`expected '${ch}' at '${this.text.slice(this.at)}' in ${this.text}`);
    this.at++;
  }

  private skipSpace(): void {
    while (this.text[this.at] === ' ') this.at++;
  }
}
