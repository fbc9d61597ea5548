import type { Route } from './route-table';

/** The parts of an OpenAPI 3 schema object this suite reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  required?: string[];
}

interface Operation {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** One field of a body: its dotted path and the value to put there. */
export interface BodyField {
  path: string[];
  /** The schema says `null` is a legal value. */
  nullable: boolean;
  /** A string, or a string inside an array or a string map. */
  string: boolean;
  /** An array of strings: a string goes in as its one element. */
  array: boolean;
}

/** `/v2/tasks/:task_id/run` → `/v2/tasks/{task_id}/run`. */
const openApiPath = (path: string): string => path.replace(/[:*](\w+)/g, '{$1}');

export class OpenApi {
  /** `mountedAt`: where another app serves these routes (the api passes `/api/sandbox/*` on as `/sandbox/*`). */
  constructor(
    private readonly doc: OpenApiDocument,
    private readonly mountedAt = '',
  ) {}

  /** The JSON body schema of a route, refs resolved, or null when none is documented. */
  bodySchema(route: Route): Schema | null {
    const path = openApiPath(route.path.slice(route.path.startsWith(this.mountedAt) ? this.mountedAt.length : 0));
    const operation = this.doc.paths[path]?.[route.method.toLowerCase()];
    const schema = operation?.requestBody?.content?.['application/json']?.schema;
    return schema ? this.resolve(schema) : null;
  }

  /** Every field of a body schema, nested objects included (depth-limited: DTOs are shallow). */
  fields(schema: Schema, parent: string[] = [], depth = 0): BodyField[] {
    const fields: BodyField[] = [];
    for (const [name, raw] of Object.entries(schema.properties ?? {})) {
      const property = this.resolve(raw);
      const path = [...parent, name];
      const nullable = raw.nullable === true || property.nullable === true;
      const items = property.items ? this.resolve(property.items) : undefined;
      const map =
        typeof property.additionalProperties === 'object' ? this.resolve(property.additionalProperties) : null;
      const array = items?.type === 'string';
      fields.push({ path, nullable, string: property.type === 'string' || array, array });
      if (map?.type === 'string') {
        fields.push({ path: [...path, 'hostile_key'], nullable: false, string: true, array: false });
      }
      if (property.properties && depth < 3) {
        fields.push(...this.fields(property, path, depth + 1));
      }
    }
    return fields;
  }

  /** Follows `$ref` and merges `allOf`, keeping `nullable` from the outer schema. */
  private resolve(schema: Schema): Schema {
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = this.doc.components?.schemas?.[name];
      if (!target) {
        throw new Error(`OpenAPI document has no schema ${name}`);
      }
      return { ...this.resolve(target), ...(schema.nullable ? { nullable: true } : {}) };
    }
    if (schema.allOf) {
      const merged = schema.allOf.map((part) => this.resolve(part)).reduce((a, b) => ({ ...a, ...b }), {});
      return { ...merged, ...schema, allOf: undefined };
    }
    return schema;
  }
}
