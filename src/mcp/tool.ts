import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { ProjectWriteError, type Actor } from '../admin.js';
import { VoiceGatewayError } from '../errors.js';
import type { Gateway } from '../gateway.js';
import { log } from '../log.js';
import { redact, redactDeep } from '../secrets.js';

/** What every tool handler gets: the gateway and the audit actor. */
export interface ToolContext {
  gw: Gateway;
  actor: Actor;
}

/** A tool's answer: a one-line summary for the model to read and the structured result. */
export interface ToolAnswer<T> {
  summary: string;
  data: T;
}

/** An expected refusal (unknown id, read-only project …): reported to the client as a tool error. */
export class ToolError extends Error {}

interface ToolSpec<I extends z.ZodObject, O extends z.ZodObject> {
  title: string;
  description: string;
  input: I;
  output: O;
  annotations?: ToolAnnotations;
}

/**
 * Registers a tool whose handler returns `{ summary, data }`: the summary becomes the text
 * content, `data` the structured content (checked against `output` by the SDK). Failures become
 * `isError` results with a message that says what to do, never a crash, and every string that
 * leaves is redacted.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  server: McpServer,
  ctx: ToolContext,
  name: string,
  spec: ToolSpec<I, O>,
  handler: (args: z.output<I>, ctx: ToolContext) => Promise<ToolAnswer<z.output<O>>>,
): void {
  const run = async (args: z.output<I>): Promise<CallToolResult> => {
    try {
      const { summary, data } = await handler(args, ctx);
      return redactDeep({ content: [{ type: 'text', text: summary }], structuredContent: data as Record<string, unknown> });
    } catch (error) {
      const text = redact(describeError(error));
      // refusals are answers; anything else is worth a line on stderr for the operator
      if (!(error instanceof VoiceGatewayError || error instanceof ToolError)) log.warn(`mcp tool ${name} failed: ${text}`);
      return { content: [{ type: 'text', text }], isError: true };
    }
  };
  server.registerTool(
    name,
    { title: spec.title, description: spec.description, inputSchema: spec.input, outputSchema: spec.output, annotations: spec.annotations },
    run as never,
  );
}

function describeError(error: unknown): string {
  if (error instanceof ProjectWriteError) return `${error.code}: ${error.message}`;
  if (error instanceof ToolError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
