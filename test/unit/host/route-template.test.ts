import { describe, expect, it } from 'vitest';
import { comparePrecedence, joinRoute, parseRouteTemplate, RouteTemplateError } from '../../../tools/host/route-template';

describe('route templates', () => {
  it('matches literal segments case-insensitively and ignores surrounding slashes', () => {
    const t = parseRouteTemplate('v1.0/communications/calls');
    expect(t.match('/v1.0/communications/calls')).toEqual({});
    expect(t.match('/V1.0/Communications/CALLS/')).toEqual({});
    expect(t.match('/v1.0/communications')).toBeUndefined();
    expect(t.match('/v1.0/communications/calls/x')).toBeUndefined();
  });

  it('binds parameters, percent-decoded', () => {
    const t = parseRouteTemplate('calls/{id}/operations/{opId}');
    expect(t.match('/calls/a%20b/operations/7')).toEqual({ id: 'a b', opId: '7' });
    // A malformed escape is left as it is (ASP.NET Core does the same), so a catch-all still takes the path.
    expect(t.match('/calls/%E0%A4%A/operations/7')).toEqual({ id: '%E0%A4%A', opId: '7' });
    expect(parseRouteTemplate('{*path}').match('/v1.0/%ZZ/x')).toEqual({ path: 'v1.0/%ZZ/x' });
  });

  it('applies constraints', () => {
    const t = parseRouteTemplate('items/{id:int}');
    expect(t.match('/items/42')).toEqual({ id: '42' });
    expect(t.match('/items/-3')).toEqual({ id: '-3' });
    expect(t.match('/items/abc')).toBeUndefined();
    expect(t.match('/items/2147483648')).toBeUndefined();

    const g = parseRouteTemplate('calls/{id:guid}');
    // Bound as written: the constraint checks the form, it does not rewrite the value.
    expect(g.match('/calls/57dab8b1-894c-409a-b240-bd8beae78896')).toEqual({ id: '57dab8b1-894c-409a-b240-bd8beae78896' });
    expect(g.match('/calls/57DAB8B1894C409AB240BD8BEAE78896')).toEqual({ id: '57DAB8B1894C409AB240BD8BEAE78896' });
    expect(g.match('/calls/{57dab8b1-894c-409a-b240-bd8beae78896}')).toEqual({ id: '{57dab8b1-894c-409a-b240-bd8beae78896}' });
    expect(g.match('/calls/57dab8b1-894c409a-b240-bd8beae78896')).toBeUndefined();

    const chained = parseRouteTemplate('n/{n:int:min(1):max(9)}');
    expect(chained.match('/n/5')).toEqual({ n: '5' });
    expect(chained.match('/n/0')).toBeUndefined();
    expect(chained.match('/n/10')).toBeUndefined();

    const lengths = parseRouteTemplate('s/{s:alpha:length(2,3)}');
    expect(lengths.match('/s/ab')).toEqual({ s: 'ab' });
    expect(lengths.match('/s/abcd')).toBeUndefined();
    expect(lengths.match('/s/a1')).toBeUndefined();

    const re = parseRouteTemplate('r/{code:regex(^[a-z]{{2}}\\d$)}');
    expect(re.match('/r/ab1')).toEqual({ code: 'ab1' });
  });

  it('supports optional parameters, defaults and catch-alls', () => {
    const optional = parseRouteTemplate('items/{id}/{format?}');
    expect(optional.match('/items/1')).toEqual({ id: '1' });
    expect(optional.match('/items/1/json')).toEqual({ id: '1', format: 'json' });

    const defaulted = parseRouteTemplate('items/{id}/{format=xml}');
    expect(defaulted.match('/items/1')).toEqual({ id: '1', format: 'xml' });

    const catchAll = parseRouteTemplate('files/{*path}');
    expect(catchAll.match('/files/a/b%20c/d.txt')).toEqual({ path: 'a/b c/d.txt' });
    expect(catchAll.match('/files')).toEqual({});
  });

  it('supports segments mixing literals and parameters', () => {
    const t = parseRouteTemplate('docs/{name}.{ext}');
    expect(t.match('/docs/readme.md')).toEqual({ name: 'readme', ext: 'md' });
    expect(t.match('/docs/readme')).toBeUndefined();
  });

  it('orders literals before constrained parameters before plain parameters before catch-alls', () => {
    const order = ['a/{*rest}', 'a/{x}', 'a/{x:int}', 'a/b', 'a/{x}.json'].map(parseRouteTemplate);
    const sorted = [...order].sort((p, q) => comparePrecedence(p.precedence, q.precedence)).map((t) => t.template);
    expect(sorted).toEqual(['a/b', 'a/{x}.json', 'a/{x:int}', 'a/{x}', 'a/{*rest}']);
  });

  it('rejects malformed templates with a message naming the route', () => {
    expect(() => parseRouteTemplate('a/{*rest}/b')).toThrow(RouteTemplateError);
    expect(() => parseRouteTemplate('a/{id')).toThrow(/unclosed/);
    expect(() => parseRouteTemplate('a/{id:nonsense}')).toThrow(/unknown constraint 'nonsense'/);
    expect(() => parseRouteTemplate('a//b')).toThrow(/empty segment/);
  });

  it('joins the route prefix as the Functions host does', () => {
    expect(joinRoute('', 'health')).toBe('health');
    expect(joinRoute('api', '/health')).toBe('api/health');
    expect(joinRoute('/api/', 'v1.0/calls')).toBe('api/v1.0/calls');
  });
});
