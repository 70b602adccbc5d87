// The JSON the emulator answers with: Response objects shaped as the Responses API returns them, and error bodies
// shaped as every OpenAI error is (`{"error": {"message", "type", "param", "code"}}`).
import type { ApiError, ResponseState } from './scenarios.js';
import type { Job } from './jobs.js';

type Json = Record<string, unknown>;

export function errorBody(
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
): { error: ApiError } {
  return { error: { message, type, param, code } };
}

function outputText(job: Job): string {
  return `Emulated output for: ${job.request.inputSummary}`;
}

/** The Response as the API shows it in `state` (the job's current state unless a stream replays an earlier one). */
export function responseObject(job: Job, id: string, state: ResponseState, completed: string): Json {
  const ended = state.status === completed || state.incomplete_details !== null;
  const text = outputText(job);
  return {
    id,
    object: 'response',
    created_at: Math.floor(job.createdAt / 1000),
    status: state.status,
    background: job.request.background,
    error: state.error,
    incomplete_details: state.incomplete_details,
    instructions: job.request.instructions,
    max_output_tokens: job.request.max_output_tokens,
    model: job.request.model,
    output: ended
      ? [
          {
            type: 'message',
            id: `msg_${job.permanentId.slice(job.permanentId.indexOf('_') + 1)}`,
            status: state.status === completed ? 'completed' : 'incomplete',
            role: 'assistant',
            content: [
              { type: 'output_text', text: state.status === completed ? text : text.slice(0, 16), annotations: [] },
            ],
          },
        ]
      : [],
    parallel_tool_calls: true,
    previous_response_id: job.request.previous_response_id,
    metadata: job.request.metadata,
    temperature: 1,
    top_p: 1,
    tool_choice: 'auto',
    tools: [],
    truncation: 'disabled',
    text: { format: { type: 'text' } },
    usage: ended
      ? {
          input_tokens: 8,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: 8,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 16,
        }
      : null,
  };
}
