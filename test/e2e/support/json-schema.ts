/**
 * Just enough of JSON Schema (2020-12, as OpenAPI 3.1 uses it) to check that
 * what the API answers is what its OpenAPI document says, without pulling in
 * a validator: $ref within the document, type (and type lists), const, enum,
 * properties, required, additionalProperties, items, anyOf/oneOf/allOf, and
 * the string and number bounds. Unknown keywords are ignored, as the spec says.
 */

export type Schema = Record<string, unknown>;

const jsonTypes = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Resolves a local JSON pointer (`#/components/schemas/Org`) in `document`; undefined when it points nowhere. */
export const resolvePointer = (document: unknown, ref: string): unknown => {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isRecord(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
    if (node === undefined) return undefined;
  }
  return node;
};

/** Every `$ref` in `node`, with where it was found. */
export const collectRefs = (node: unknown, at = '#'): { at: string; ref: string }[] => {
  if (Array.isArray(node)) return node.flatMap((item, index) => collectRefs(item, `${at}/${index}`));
  if (!isRecord(node)) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string'
      ? [{ at, ref: value }]
      : collectRefs(value, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`),
  );
};

const typeOf = (value: unknown): (typeof jsonTypes)[number] => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as 'string' | 'boolean' | 'object';
};

const typeMatches = (expected: string, actual: (typeof jsonTypes)[number]) =>
  expected === actual || (expected === 'number' && actual === 'integer');

/** The ways `value` fails `schema` (empty when it conforms). `document` resolves `$ref`s. */
export const validate = (document: unknown, schema: unknown, value: unknown, at = '$'): string[] => {
  if (schema === true || schema === undefined) return [];
  if (schema === false) return [`${at}: no value is allowed here`];
  if (!isRecord(schema)) return [`${at}: the schema is not an object`];
  if (typeof schema.$ref === 'string') {
    const target = resolvePointer(document, schema.$ref);
    if (target === undefined) return [`${at}: $ref ${schema.$ref} does not resolve`];
    const rest = Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$ref'));
    return [...validate(document, target, value, at), ...validate(document, rest, value, at)];
  }
  const errors: string[] = [];
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => typeMatches(type, actual))) return [`${at}: expected ${types.join(' | ')}, got ${actual}`];
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value))
    errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) errors.push(...validate(document, part, value, at));
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const options = schema[keyword];
    if (!Array.isArray(options)) continue;
    const passing = options.filter((option) => validate(document, option, value, at).length === 0).length;
    if (passing === 0 || (keyword === 'oneOf' && passing > 1)) errors.push(`${at}: matches ${passing} of the ${keyword} options`);
  }
  if (actual === 'string') {
    const text = value as string;
    if (typeof schema.minLength === 'number' && [...text].length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && [...text].length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(text))
      errors.push(`${at}: does not match ${schema.pattern}`);
  }
  if (actual === 'integer' || actual === 'number') {
    const number = value as number;
    if (typeof schema.minimum === 'number' && number < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && number > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (actual === 'array' && schema.items !== undefined) {
    (value as unknown[]).forEach((item, index) => {
      errors.push(...validate(document, schema.items, item, `${at}[${index}]`));
    });
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    const properties = isRecord(schema.properties) ? schema.properties : {};
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (!(name in object)) errors.push(`${at}: lacks the required property ${name}`);
    }
    for (const [name, property] of Object.entries(object)) {
      if (name in properties) errors.push(...validate(document, properties[name], property, `${at}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: has ${name}, which the schema does not allow`);
      else if (isRecord(schema.additionalProperties))
        errors.push(...validate(document, schema.additionalProperties, property, `${at}.${name}`));
    }
  }
  return errors;
};

/**
 * Structural faults of the schemas in `node`: unknown `type` names and
 * `required` properties a schema does not define. Walks every nested schema.
 */
export const schemaFaults = (node: unknown, at = '#'): string[] => {
  if (Array.isArray(node)) return node.flatMap((item, index) => schemaFaults(item, `${at}/${index}`));
  if (!isRecord(node)) return [];
  const faults: string[] = [];
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  // `type` is a schema keyword only when it holds type names; a property named "type" holds a schema.
  if (types.every((type) => typeof type === 'string')) {
    for (const type of types)
      if (!(jsonTypes as readonly string[]).includes(type as string)) faults.push(`${at}: unknown type ${String(type)}`);
    if (Array.isArray(node.required) && isRecord(node.properties)) {
      const properties = node.properties;
      for (const name of node.required)
        if (!(String(name) in properties)) faults.push(`${at}: requires ${String(name)}, which it does not define`);
    }
  }
  for (const [key, value] of Object.entries(node)) faults.push(...schemaFaults(value, `${at}/${key}`));
  return faults;
};
