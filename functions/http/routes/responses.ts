import type { z } from 'zod';

/** Response entries of the route table: a JSON body with its schema, or none. */
export const ok = (schema: z.ZodType, description = 'OK') => ({ description, schema });
export const noContent = { description: 'No content' };
