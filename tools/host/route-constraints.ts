/**
 * The constraints of a route template's parameters (`{id:int}`, `{n:int:min(1)}`, `{v:regex(...)}`)
 * as ASP.NET Core's routing reads them, for the local host's route templates (route-template.ts).
 */
export type Constraint = (value: string) => boolean;

/** A route template the host cannot read: named with the template, as the Functions host refuses it. */
export class RouteTemplateError extends Error {
  override readonly name = 'RouteTemplateError';
}

const INT32 = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const INT64 = [-(2n ** 63n), 2n ** 63n - 1n] as const;

function integerIn([lo, hi]: readonly [bigint, bigint]): Constraint {
  return (v) => /^-?\d+$/.test(v) && BigInt(v) >= lo && BigInt(v) <= hi;
}

const isNumber: Constraint = (v) => /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v) && Number.isFinite(Number(v));

export function buildConstraint(name: string, args: string | undefined, template: string): Constraint {
  const numbers = (args ?? '').split(',').map((a) => Number(a.trim()));
  const needArgs = (count: number) => {
    if (args === undefined || numbers.length !== count || numbers.some((n) => !Number.isFinite(n))) {
      throw new RouteTemplateError(`Route '${template}': constraint '${name}' needs ${count} numeric argument(s).`);
    }
  };
  const [a = 0, b = 0] = numbers;
  switch (name.toLowerCase()) {
    case 'int':
      return integerIn(INT32);
    case 'long':
      return integerIn(INT64);
    case 'float':
    case 'double':
    case 'decimal':
      return isNumber;
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'guid':
      return (v) => /^[{(]?[0-9a-f]{8}(-?)[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{12}[})]?$/i.test(v);
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'required':
      return (v) => v !== '';
    case 'minlength':
      needArgs(1);
      return (v) => v.length >= a;
    case 'maxlength':
      needArgs(1);
      return (v) => v.length <= a;
    case 'length':
      if (numbers.length === 1) {
        needArgs(1);
        return (v) => v.length === a;
      }
      needArgs(2);
      return (v) => v.length >= a && v.length <= b;
    case 'min':
      needArgs(1);
      return (v) => integerIn(INT64)(v) && Number(v) >= a;
    case 'max':
      needArgs(1);
      return (v) => integerIn(INT64)(v) && Number(v) <= a;
    case 'range':
      needArgs(2);
      return (v) => integerIn(INT64)(v) && Number(v) >= a && Number(v) <= b;
    case 'regex': {
      if (args === undefined) throw new RouteTemplateError(`Route '${template}': constraint 'regex' needs a pattern.`);
      // Braces in the pattern are doubled in the template ({{2}}); ASP.NET does not anchor regex
      // constraints, so templates anchor with ^ and $ themselves.
      const pattern = new RegExp(args.replaceAll('{{', '{').replaceAll('}}', '}'), 'i');
      return (v) => pattern.test(v);
    }
    default:
      throw new RouteTemplateError(`Route '${template}' uses the unknown constraint '${name}'.`);
  }
}
